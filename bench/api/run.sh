#!/usr/bin/env bash
# API benchmark: GET /domains/{id} for random ids among DOMAINS active domains (each with a current
# certificate), with a bearer token as every caller sends one, against `pgbench -S` (one primary-key
# read per transaction) on the same PostgreSQL with the same number of clients, in the same run.
# Prints both rates and their ratio (target >= 0.4), and the latencies of a list page per filter.
#
#   bench/api/run.sh            DOMAINS=100000 CLIENTS=32 SECONDS_EACH=10 ROUNDS=2 by default
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

DOMAINS=${DOMAINS:-100000}
CLIENTS=${CLIENTS:-32}
SECONDS_EACH=${SECONDS_EACH:-10}
ROUNDS=${ROUNDS:-2}
HTTP_PORT=${HTTP_PORT:-26080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-26090}
DNS_PORT=${DNS_PORT:-26053}
DB=dnshandling_bench_api
BASELINE_DB=dnshandling_bench_pgbench
TOKEN=bench-api-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

DATABASES="$DB $BASELINE_DB" scripts/prepare-postgres.sh >/dev/null
scripts/install-packages.sh wrk:wrk curl:curl pgbench:postgresql-client
[ -f target/dns-handling-runner.jar ] || ./mvnw -B -q package -DskipTests

WORK=$(mktemp -d /tmp/bench-api.XXXXXX)
chmod 755 "$WORK"
. bench/common.sh
fresh_database $DB
fresh_database $BASELINE_DB

KEK=$(head -c 32 /dev/urandom | base64)
start_service() {
  env $(service_env $DB bench.test $HTTP_PORT $MANAGEMENT_PORT $DNS_PORT "$KEK") AUTH_TOKEN=$TOKEN ${SERVICE_ENV:-} \
    java ${JAVA_OPTS:-} -jar target/dns-handling-runner.jar >>"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=($SERVICE_PID)
  wait_for curl -sf http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready
}
# Once to migrate the database, then again with the rows in.
start_service
kill $SERVICE_PID; wait $SERVICE_PID 2>/dev/null || true

as_postgres "psql -q -d $DB -v ON_ERROR_STOP=1" <<SQL
INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, verified_at, created_at, updated_at)
SELECT md5('d' || i), 'd' || i || '.bench.example.com', md5('t' || i), substr(md5('s' || i), 1, 20),
       CASE WHEN i % 100 = 0 THEN 'failed' ELSE 'active' END, now(), now() - i * interval '1 second', now()
  FROM generate_series(1, $DOMAINS) i;
INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                         created_at, updated_at)
SELECT md5('o' || i), md5('d' || i), 'bench', 'bench/' || i, 'valid', now(), 0, now(), now(), now(), now()
  FROM generate_series(1, $DOMAINS) i;
INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,
                          issued_at, created_at, renew_at, names, acme_directory)
SELECT md5('c' || i), md5('d' || i), md5('o' || i), 'chain', 'key', to_hex(i), 'bench', now(), now() + interval '90 days',
       now(), now(), now() + interval '60 days', ARRAY['d' || i || '.bench.example.com'], 'bench'
  FROM generate_series(1, $DOMAINS) i;
ANALYZE;
SQL
as_postgres "psql -q -d $DB -tA -c \"SELECT id FROM domains\"" >"$WORK/ids.txt"
as_postgres "pgbench -q -i -s $(( (DOMAINS + 99999) / 100000 )) $BASELINE_DB" >/dev/null 2>&1
start_service

cat >"$WORK/get.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
math.randomseed(os.time() + math.floor(os.clock() * 1000))
request = function()
  return wrk.format("GET", "/domains/" .. ids[math.random(1, #ids)], { ["Authorization"] = "Bearer $TOKEN" })
end
LUA
api() { # -> requests/s; the wrk report in $WORK/wrk.txt
  wrk -t2 -c"$CLIENTS" -d"${SECONDS_EACH}s" --latency -s "$WORK/get.lua" "http://127.0.0.1:$HTTP_PORT" >"$WORK/wrk.txt"
  if grep -q "Non-2xx" "$WORK/wrk.txt"; then echo "GET /domains/{id} answered non-2xx:" >&2; cat "$WORK/wrk.txt" >&2; exit 1; fi
  sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk.txt" | cut -d. -f1
}
baseline() { # -> transactions/s of pgbench -S, same clients
  as_postgres "pgbench -n -S -c $CLIENTS -j 2 -T $SECONDS_EACH $BASELINE_DB" 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | cut -d. -f1
}
api >/dev/null # warm-up: the JVM compiles the request path
got=0; base=0
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then a=$(api); cp "$WORK/wrk.txt" "$WORK/wrk-last.txt"; b=$(baseline); else b=$(baseline); a=$(api); cp "$WORK/wrk.txt" "$WORK/wrk-last.txt"; fi
  echo "round $round: GET /domains/{id} $a/s, pgbench -S $b tps"
  got=$((got + a)); base=$((base + b))
done
p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk-last.txt")
p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk-last.txt")

middle() { # status filter ('' for none) -> the cursor of the domain halfway down that list
  as_postgres "psql -q -d $DB -tA -c \"SELECT floor(extract(epoch FROM created_at))::bigint || '.' || (extract(microseconds FROM created_at)::bigint % 1000000) * 1000 || ':' || id
                FROM domains WHERE '$1' = '' OR status = '$1' ORDER BY created_at, id
               OFFSET (SELECT count(*) / 2 FROM domains WHERE '$1' = '' OR status = '$1') LIMIT 1\"" | tr -d '\n' | base64 -w0 | tr '+/' '-_' | tr -d '='
}
echo
echo "GET /domains/{id}, $DOMAINS domains with certificates, random ids, $CLIENTS connections, mean of $ROUNDS rounds of ${SECONDS_EACH}s:"
echo "  dns-handling: $((got / ROUNDS)) requests/s (p50 $p50, p99 $p99 in the last round)"
echo "  pgbench -S:   $((base / ROUNDS)) transactions/s, $CLIENTS clients"
awk -v a="$got" -v b="$base" 'BEGIN { printf "  ratio: %.2f (target >= 0.4)\n", a / b }'
warm_list_pages
echo "One list page (limit 200), best of 5; 1 % of the domains failed, the rest active (target <= 20 ms):"
for f in "" active failed pending; do
  q="limit=200${f:+&status=$f}"
  echo "  GET /domains?$q: first page $(list_page_ms "$q") ms, from halfway $(list_page_ms "$q&cursor=$(middle "$f")") ms"
done
