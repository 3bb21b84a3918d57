#!/usr/bin/env bash
# API benchmark: GET /domains/{id} for random ids among DOMAINS active domains (each with a current
# certificate), with a bearer token as every caller sends one, against `pgbench -S` (one primary-key
# read per transaction) on the same PostgreSQL with the same number of clients, in the same run.
# Prints both rates and their ratio (target >= 0.4), and the latencies of a list page per filter.
#
# Where the request's time goes, measured in the same rounds against the same baseline:
# - the request path without the database: the same authenticated GET for an id that cannot exist,
#   which the service answers 404 before any statement;
# - the statement alone: the one statement of the request (DomainOverviews.STATEMENT, printed by
#   bench/api/Statement.java) under pgbench with the same clients, prepared once per connection and
#   bound for each transaction, as the service's client does (PostgreSQL's log shows one parse of a
#   named statement per connection, then a bind and an execute per request);
# - the service's CPU time per request.
# The JVM first runs the request path for WARM_SECONDS: it is still compiling it for about 40 s at
# this rate, and a platform's replicas serve warm.
#
#   bench/api/run.sh            DOMAINS=100000 CLIENTS=32 SECONDS_EACH=10 ROUNDS=2 WARM_SECONDS=40 by default
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

DOMAINS=${DOMAINS:-100000}
CLIENTS=${CLIENTS:-32}
SECONDS_EACH=${SECONDS_EACH:-10}
ROUNDS=${ROUNDS:-2}
WARM_SECONDS=${WARM_SECONDS:-40}
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
cat >"$WORK/no-db.lua" <<LUA
request = function()
  return wrk.format("GET", "/domains/not-an-id-" .. math.random(1, 100000), { ["Authorization"] = "Bearer $TOKEN" })
end
LUA
{ echo "\\set i random(1, $DOMAINS)"
  # The service sends the id as a varchar; so does this (a text would not match the index of the char(32) column).
  java -cp target/dns-handling-runner.jar bench/api/Statement.java | sed "s/\\\$1/md5('d' || :i)::varchar/"
  echo ";"; } >"$WORK/statement.sql"
chmod 644 "$WORK/statement.sql"
wrk_rate() { # script expected-status-class -> requests/s; the wrk report in $WORK/wrk.txt
  wrk -t2 -c"$CLIENTS" -d"${SECONDS_EACH}s" --latency -s "$WORK/$1" "http://127.0.0.1:$HTTP_PORT" >"$WORK/wrk.txt"
  if [ "$2" = 2xx ] && grep -q "Non-2xx" "$WORK/wrk.txt"; then echo "GET /domains/{id} answered non-2xx:" >&2; cat "$WORK/wrk.txt" >&2; exit 1; fi
  if [ "$2" = 4xx ] && [ "$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$WORK/wrk.txt")" != "$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$WORK/wrk.txt")" ]; then
    echo "an id that cannot exist was answered 2xx:" >&2; cat "$WORK/wrk.txt" >&2; exit 1
  fi
  sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk.txt" | cut -d. -f1
}
pgbench_tps() { # database pgbench-options... -> transactions/s, same clients
  local db=$1; shift
  as_postgres "pgbench -n $* -c $CLIENTS -j 2 -T $SECONDS_EACH $db" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | cut -d. -f1
}
echo "warm-up, ${WARM_SECONDS}s of GET /domains/{id} (requests/s of each ${SECONDS_EACH}s, while the JVM compiles the path):"
for _ in $(seq 1 $(( (WARM_SECONDS + SECONDS_EACH - 1) / SECONDS_EACH ))); do printf ' %s' "$(wrk_rate get.lua 2xx)"; done
echo
got=0; base=0; nodb=0; stmt=0; cpu=0
for round in $(seq 1 "$ROUNDS"); do
  # The order turns each round, so that neither side always runs first.
  for part in $( [ $((round % 2)) -eq 1 ] && echo "api baseline nodb stmt" || echo "stmt nodb baseline api"); do
    case $part in
      api) c0=$(cpu_seconds $SERVICE_PID); a=$(wrk_rate get.lua 2xx); c1=$(cpu_seconds $SERVICE_PID); cp "$WORK/wrk.txt" "$WORK/wrk-last.txt"
           cpu=$(awk -v c="$cpu" -v c0="$c0" -v c1="$c1" -v n="$a" -v s="$SECONDS_EACH" 'BEGIN { printf "%.1f", c + (c1 - c0) * 1e6 / (n * s) }') ;;
      baseline) b=$(pgbench_tps $BASELINE_DB -S) ;;
      nodb) n=$(wrk_rate no-db.lua 4xx) ;;
      stmt) t=$(pgbench_tps $DB -M prepared -f "$WORK/statement.sql") ;;
    esac
  done
  echo "round $round: GET /domains/{id} $a/s, pgbench -S $b tps; without the database $n/s, the statement alone $t tps"
  got=$((got + a)); base=$((base + b)); nodb=$((nodb + n)); stmt=$((stmt + t))
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
echo "Where it goes, each part alone against the same baseline:"
awk -v a="$nodb" -v b="$base" -v r="$ROUNDS" 'BEGIN { printf "  the request path without the database: %d requests/s, %.2f of pgbench -S\n", a / r, a / b }'
awk -v a="$stmt" -v b="$base" -v r="$ROUNDS" 'BEGIN { printf "  the statement alone (pgbench, prepared): %d tps, %.2f of pgbench -S\n", a / r, a / b }'
awk -v c="$cpu" -v r="$ROUNDS" 'BEGIN { printf "  the service'"'"'s CPU per request: %.0f us\n", c / r }'
# On one machine the parts share the cores: if a request cost exactly the time of its HTTP path plus
# the time of its statement, nothing more, its rate would be the harmonic sum of the two.
awk -v h="$nodb" -v t="$stmt" -v b="$base" 'BEGIN { printf "  the two parts'"'"' costs added, nothing else paid: %.2f of pgbench -S\n", 1 / (b / h + b / t) }'
warm_list_pages
echo "One list page (limit 200), best of 5; 1 % of the domains failed, the rest active (target <= 20 ms):"
for f in "" active failed pending; do
  q="limit=200${f:+&status=$f}"
  echo "  GET /domains?$q: first page $(list_page_ms "$q") ms, from halfway $(list_page_ms "$q&cursor=$(middle "$f")") ms"
done
