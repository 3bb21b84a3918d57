#!/usr/bin/env bash
# A million domains in one deployment: seeds DOMAINS domains (half active with a certificate whose
# expiry is spread over 90 days, half verified without one), one replica with the ingress address
# set (so every domain is a name in the zone), and prints:
#   - start to ready, and resident memory at ready and after the first catch-ups;
#   - the zone's full load at start against one catch-up pass after 100 changes (same run);
#   - the expiry gauges read from the kept counts against a scan of every current certificate,
#     and a whole metrics scrape;
#   - GET /domains/{id} and list-page latencies;
#   - the query plans of the renewal and order claims.
#
#   bench/scale/run.sh                 DOMAINS=1000000 by default
#   JAVA_OPTS=-Xmx700m                 the default: what MaxRAMPercentage=70 (Dockerfile.jvm) gives a 1 GiB container
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

DOMAINS=${DOMAINS:-1000000}
JAVA_OPTS=${JAVA_OPTS:--Xmx700m}
HTTP_PORT=${HTTP_PORT:-27080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-27090}
DNS_PORT=${DNS_PORT:-27053}
DB=dnshandling_bench_scale
TOKEN=bench-scale-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

DATABASES="$DB" scripts/prepare-postgres.sh >/dev/null
scripts/install-packages.sh wrk:wrk curl:curl dig:bind9-dnsutils
[ -f target/dns-handling-runner.jar ] || ./mvnw -B -q package -DskipTests

WORK=$(mktemp -d /tmp/bench-scale.XXXXXX)
chmod 755 "$WORK"
. bench/common.sh
fresh_database $DB
KEK=$(head -c 32 /dev/urandom | base64)
psql_db() { as_postgres "psql -q -d $DB -v ON_ERROR_STOP=1 $*"; }

start_service() {
  START_MS=$(now_ms)
  env $(service_env $DB bench.test $HTTP_PORT $MANAGEMENT_PORT $DNS_PORT "$KEK") AUTH_TOKEN=$TOKEN DNS_INGRESS_IPV4=192.0.2.80 \
    DNS_SERVER_CATCH_UP_INTERVAL=5s DNS_RESOLVERS=127.0.0.1:9 QUARKUS_LOG_LEVEL=WARN \
    java $JAVA_OPTS -jar target/dns-handling-runner.jar >>"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=($SERVICE_PID)
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null 2>&1 && { READY_MS=$(now_ms); return 0; }
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$WORK/service.log"; echo "service exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "service not ready" >&2; exit 1
}
metric() { # series name up to its labels' start, e.g. 'x_count{kind="full"' -> its value (0 when absent)
  curl -s "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | awk -v p="$1" 'index($0, p) == 1 { v = $NF } END { print v + 0 }'
}
ms_of() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

# Once to migrate the database, then seeded without triggers (as a restore would be), with the
# kept expiry counts filled in as migration V18 fills them, each domain's has_certificate and its
# certificate's expiry set as V33 and V34's trigger keep them, and the name blocks rebuilt (V31).
# A certificate's expiry, the same in both tables (now() is the transaction's).
NOT_AFTER="CASE WHEN i % 2000 = 4 THEN now() - interval '2 days'
                 ELSE now() + (i % 2160) * interval '1 hour' + (i % 3600) * interval '1 second' END"
start_service
kill $SERVICE_PID; wait $SERVICE_PID 2>/dev/null || true
seed_start=$(now_ms)
psql_db <<SQL
SET session_replication_role = replica;
INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, verified_at, created_at, updated_at, has_certificate,
                     certificate_expires_at)
SELECT md5('d' || i), 'd' || i || '.scale.example.com', md5('t' || i), substr(md5('s' || i), 1, 20),
       CASE WHEN i % 2 = 0 THEN 'active' ELSE 'verified' END, now(), now() - i * interval '1 second', now(), i % 2 = 0,
       CASE WHEN i % 2 = 0 THEN $NOT_AFTER END
  FROM generate_series(1, $DOMAINS) i;
INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                         created_at, updated_at)
SELECT md5('o' || i), md5('d' || i), 'bench', 'bench/' || i, 'valid', now(), 0, now(), now(), now(), now()
  FROM generate_series(2, $DOMAINS, 2) i;
-- One certificate in 1,000 revoked, one in 1,000 with a failing renewal, one in 1,000 expired: the
-- rare certificate states the list filters on.
INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,
                          issued_at, created_at, renew_at, names, acme_directory, revoked_at, renewal_error)
SELECT md5('c' || i), md5('d' || i), md5('o' || i), 'chain', 'key', to_hex(i), 'bench', now() - interval '90 days',
       $NOT_AFTER, now(), now(),
       now() + interval '1 day' + (i % 2160) * interval '40 minutes', ARRAY['d' || i || '.scale.example.com'], 'bench',
       CASE WHEN i % 2000 = 0 THEN now() - interval '1 day' END, CASE WHEN i % 2000 = 2 THEN 'bench: the CA is unreachable' END
  FROM generate_series(2, $DOMAINS, 2) i;
INSERT INTO certificate_expiry_counted (domain_id, not_after, hour, created_at)
SELECT c.domain_id, c.not_after, date_trunc('hour', c.not_after, 'UTC'), d.created_at
  FROM certificates c JOIN domains d ON d.id = c.domain_id WHERE c.revoked_at IS NULL;
INSERT INTO certificate_expiry_deltas SELECT hour, count(*) FROM certificate_expiry_counted GROUP BY hour;
SET session_replication_role = origin;
DO \$\$ BEGIN PERFORM domain_name_blocks_rebuild(); END \$\$;
ANALYZE;
SQL
echo "seeded $DOMAINS domains ($((DOMAINS / 2)) with certificates) in $(( ($(now_ms) - seed_start) / 1000 )) s"

start_service
start_s=$(awk -v a="$START_MS" -v b="$READY_MS" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
rss_ready=$(rss_mib $SERVICE_PID)
zone_names=$(metric 'dns_zone_names ')
full_sum=$(metric 'dns_zone_reload_seconds_sum{kind="full"')
full_count=$(metric 'dns_zone_reload_seconds_count{kind="full"')

# 100 changes through the API, then two catch-up passes (every 5 s here) read them from the log.
for i in $(seq 1 100); do
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"r$i.bench.test\",\"type\":\"A\",\"value\":\"192.0.2.$((i % 250 + 1))\",\"ttl\":60}" \
    "http://127.0.0.1:$HTTP_PORT/dns/records"
done
catch_before=$(metric 'dns_zone_reload_seconds_count{kind="catch-up"')
for _ in $(seq 1 200); do
  [ "$(metric 'dns_zone_reload_seconds_count{kind="catch-up"')" != "$catch_before" ] && break
  sleep 0.1
done
catch_max=$(metric 'dns_zone_reload_seconds_max{kind="catch-up"')
dig +short @127.0.0.1 -p $DNS_PORT r100.bench.test A | grep -q 192.0.2 || { echo "a record added through the API is not served" >&2; exit 1; }
sleep 10
rss_later=$(rss_mib $SERVICE_PID)
# The live heap: what a full collection leaves (the zone, caches, the framework).
jcmd "$SERVICE_PID" GC.run >/dev/null 2>&1 || true
live_heap=$(jcmd "$SERVICE_PID" GC.heap_info 2>/dev/null | awk '/garbage-first heap|def new generation|PSYoungGen|tenured/ && match($0, /used [0-9]+K/) { u += substr($0, RSTART + 5, RLENGTH - 6) } END { printf "%.0f", u / 1024 }')

# Expiry gauges: the kept counts (what each replica reads every 15 s, as timed by the service
# itself, round trips included) against the scan they replace (its execution alone).
timed_sql() { # sql [settings] -> best of 5, in ms, from EXPLAIN ANALYZE's execution time
  best=999999
  for _ in 1 2 3 4 5; do
    t=$(psql_db -tA <<<"${2:-} EXPLAIN (ANALYZE, FORMAT JSON) $1" | grep -o '"Execution Time": [0-9.]*' | awk '{print $3}')
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
  done
  echo "$best"
}
SCAN="WITH current AS (SELECT DISTINCT ON (c.domain_id) c.not_after, c.revoked_at FROM certificates c JOIN domains d ON d.id = c.domain_id AND d.status = 'active' ORDER BY c.domain_id, c.issued_at DESC) SELECT count(*) FILTER (WHERE not_after <= now()), count(*) FILTER (WHERE not_after > now() + interval '90 days'), min(not_after) FROM current WHERE revoked_at IS NULL"
# The mean of the refreshes (every 15 s) over the next 31 s, each one read, folded and timed by the service.
sum0=$(metric 'certificates_expiry_read_seconds_sum '); count0=$(metric 'certificates_expiry_read_seconds_count ')
sleep 31
sum1=$(metric 'certificates_expiry_read_seconds_sum '); count1=$(metric 'certificates_expiry_read_seconds_count ')
kept_ms=$(awk -v a="$sum0" -v b="$sum1" -v c="$count0" -v d="$count1" 'BEGIN { printf "%.1f", (d > c ? (b - a) / (d - c) : 0) * 1000 }')
scan_ms=$(timed_sql "$SCAN")
open_ms=$(timed_sql "SELECT state, count(*) FROM acme_orders WHERE state = ANY('{queued,awaiting_dns,validating,finalizing,downloading}') GROUP BY state")
scrape_best=999999
for _ in 1 2 3 4 5; do
  t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics")
  scrape_best=$(awk -v a="$scrape_best" -v b="$t" 'BEGIN { print (b * 1000 < a ? b * 1000 : a) }')
done

# API: GET of random domains, and list pages.
psql_db -tA -c "\"SELECT id FROM domains TABLESAMPLE SYSTEM (1) LIMIT 20000\"" >"$WORK/ids.txt"
cat >"$WORK/get.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
request = function()
  return wrk.format("GET", "/domains/" .. ids[math.random(1, #ids)], { ["Authorization"] = "Bearer $TOKEN" })
end
LUA
wrk -t2 -c8 -d5s -s "$WORK/get.lua" "http://127.0.0.1:$HTTP_PORT" >/dev/null
wrk -t2 -c8 -d10s --latency -s "$WORK/get.lua" "http://127.0.0.1:$HTTP_PORT" >"$WORK/wrk.txt"
get_rate=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk.txt" | cut -d. -f1)
get_p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
get_p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")

warm_list_pages
echo
echo "One replica, $DOMAINS domains, $zone_names names in the zone, JAVA_OPTS=$JAVA_OPTS:"
echo "  start to ready:              $start_s s"
echo "  resident memory:             $rss_ready MiB at ready, $rss_later MiB after the catch-ups (target <= 1024); live heap $live_heap MiB"
echo "  zone full load at start:     $(ms_of "$(awk -v s="$full_sum" -v c="$full_count" 'BEGIN { print s / c }')") ms"
echo "  catch-up after 100 changes:  $(ms_of "$catch_max") ms  (ratio to the full load: $(awk -v a="$catch_max" -v s="$full_sum" -v c="$full_count" 'BEGIN { printf "%.4f", a / (s / c) }'))"
echo "  expiry gauges, kept counts:  $kept_ms ms; the scan they replace: $scan_ms ms (ratio $(awk -v a="$kept_ms" -v b="$scan_ms" 'BEGIN { printf "%.4f", a / b }'))"
echo "  open orders by state:        $open_ms ms"
echo "  whole metrics scrape:        $(printf '%.1f' "$scrape_best") ms"
echo "  GET /domains/{id}:           $get_rate/s with 8 connections, p50 $get_p50, p99 $get_p99"
for f in "" active verified; do
  q="limit=200${f:+&status=$f}"
  echo "  GET /domains?$q: $(list_page_ms "$q") ms"
done
# A certificate state alone; beside a status no domain in that state has (empty pages: every
# domain of the status was judged before V33); beside a part few names hold (d42, q7) and one many
# hold (d4). Each way is run ten times first: the first pages of a way run code the JIT has not
# compiled yet.
STATES="valid renewing expiring expired revoked none expiring&status=verified none&status=active valid&status=verified
        valid&name=q7 valid&name=d42 expiring&name=d42 expired&name=d42 none&name=d4 none&name=d4&status=active
        expiring&name=d4 expired&name=d4"
for s in $STATES; do
  for _ in $(seq 1 10); do curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/domains?limit=200&certificate_state=$s"; done
done
for s in $STATES; do
  q="limit=200&certificate_state=$s"
  echo "  GET /domains?$q: $(list_page_ms "$q") ms, $(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/domains?$q" | grep -o '"id"' | wc -l) on the page"
done
# A part of a name: rare, in every name (over 20,000 matches: the scan in creation order fills
# the page at once), in one name of 90 whose first match is halfway down the list (11,111 matches,
# read through the trigram index and sorted), two characters in no name (looked up through the
# trigrams that could follow them), two characters in one name of 9 (over 1,000 matches, the first
# halfway down the list: read in creation order within the spans whose name blocks hold the part),
# one character in no name (the name blocks alone).
# Each with the worst of 20 more pages beside the best of 5: a plan that reads the table for a part
# whose matches sit late hides behind the best when a synchronised scan starts among them.
worst_of_20() {
  local worst=0 t
  for _ in $(seq 1 20); do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/domains?$1")
    worst=$(awk -v a="$worst" -v t="$t" 'BEGIN { print (t * 1000 > a ? t * 1000 : a) }')
  done
  printf '%.1f' "$worst"
}
for n in d4242 99999 scale d42 q7 d4 q; do
  q="limit=200&name=$n"
  echo "  GET /domains?$q: $(list_page_ms "$q") ms (worst of 20: $(worst_of_20 "$q") ms), $(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/domains?$q" | grep -o '"id"' | wc -l) on the page"
done
# A name part beside a status: one no domain has (the spans read through the status's index), and
# half the domains' status.
for q in "status=pending&name=scale" "status=active&name=d4"; do
  echo "  GET /domains?limit=200&$q: $(list_page_ms "limit=200&$q") ms, $(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/domains?limit=200&$q" | grep -o '"id"' | wc -l) on the page"
done
# The ids of d42's matches whose certificates can be expiring (5,556 with a certificate, a few
# hundred of them within a week): judged on the domain's kept expiry (V34) as the trigram lookup
# reads the rows, against one lookup of each match's expiry count by primary key, which it replaces.
D42="SELECT m.id, m.created_at FROM domains m WHERE m.domain_name LIKE '%d42%' AND m.has_certificate"
d42_kept=$(timed_sql "SELECT id FROM ($D42 AND m.certificate_expires_at <= now() + interval '7 days' ORDER BY 2, 1) ids")
d42_probe=$(timed_sql "SELECT id FROM ($D42 ORDER BY 2, 1) ids
 WHERE (SELECT true FROM certificate_expiry_counted e WHERE e.domain_id = ids.id AND e.hour < now() + interval '7 days')")
echo "  expiring&d42, the ids:       $d42_kept ms on the kept expiry; a lookup of each match's expiry count: $d42_probe ms (ratio $(awk -v a="$d42_kept" -v b="$d42_probe" 'BEGIN { printf "%.3f", a / b }'))"
# The page's ids for name=d4 (in one name of 9, the first halfway down the list): through the name
# blocks (V31) against the scan in creation order they replace, execution alone, best of 5.
d4_blocks=$(timed_sql "SELECT * FROM domain_ids_holding('d4', NULL, NULL, NULL, 201)")
d4_scan=$(timed_sql "SELECT id FROM domains WHERE domain_name LIKE '%d4%' ORDER BY created_at, id LIMIT 201")
echo "  name=d4, the page's ids:     $d4_blocks ms through the name blocks; the scan in creation order: $d4_scan ms (ratio $(awk -v a="$d4_blocks" -v b="$d4_scan" 'BEGIN { printf "%.3f", a / b }'))"
# The ids of an expiring page (40,000 certificates end within a week), with each one's current
# certificate and state: the expiry counts walked in creation order (V32) against the scan of the
# domains checking each against the hashed set of candidates, which it replaces.
CURRENT="LEFT JOIN LATERAL (SELECT c.revoked_at, c.not_before, c.not_after, c.renew_at, c.renewal_error FROM certificates c
                      WHERE c.domain_id = d.id ORDER BY c.issued_at DESC, c.id DESC LIMIT 1) cur ON true
  LEFT JOIN LATERAL (SELECT true AS open FROM acme_orders o WHERE o.domain_id = d.id AND o.purpose IN ('renewal', 'reissue')
                        AND o.state IN ('queued', 'awaiting_dns', 'validating', 'finalizing', 'downloading') LIMIT 1) renewal ON true"
RULE="certificate_state_of(cur.revoked_at, cur.not_before, cur.not_after, cur.renew_at, cur.renewal_error, renewal.open IS NOT NULL, now())"
EXPIRING_WALK="SELECT d.id FROM certificate_expiry_counted e JOIN domains d ON d.id = e.domain_id $CURRENT
 WHERE $RULE = 'expiring' AND e.hour < now() + interval '7 days' ORDER BY e.created_at, e.domain_id LIMIT 201"
exp_walk=$(timed_sql "$EXPIRING_WALK" "SET jit = off; SET enable_sort = off;")
exp_scan=$(timed_sql "SELECT d.id FROM domains d $CURRENT WHERE $RULE = 'expiring'
   AND (d.id IN (SELECT domain_id FROM certificate_state_candidates('expiring'))) IS TRUE ORDER BY d.created_at, d.id LIMIT 201" "SET jit = off;")
echo "  expiring, the page's ids:    $exp_walk ms through the expiry counts in creation order; the scan checking the hashed candidates: $exp_scan ms (ratio $(awk -v a="$exp_walk" -v b="$exp_scan" 'BEGIN { printf "%.3f", a / b }'))"
fleet_best=999999
for _ in 1 2 3 4 5; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/fleet")
  fleet_best=$(awk -v a="$fleet_best" -v b="$t" 'BEGIN { print (b * 1000 < a ? b * 1000 : a) }')
done
echo "  GET /fleet:                  $(printf '%.0f' "$fleet_best") ms, $(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/fleet" | grep -o '"attention_total":[0-9]*' | cut -d: -f2) domains needing attention"
echo
echo "Plan of a rare certificate state's page (revoked):"
psql_db -tA <<SQL | sed 's/^/  /'
SET jit = off;
EXPLAIN ANALYZE SELECT d.id FROM domains d $CURRENT
 WHERE $RULE = 'revoked' AND d.id IN (SELECT domain_id FROM certificate_state_candidates('revoked'))
 ORDER BY d.created_at, d.id LIMIT 201;
SQL
echo
echo "Plan of an expiring page (40,000 certificates end within a week), walked through the expiry counts:"
psql_db -tA <<SQL | sed 's/^/  /'
SET jit = off; SET enable_sort = off;
EXPLAIN ANALYZE $EXPIRING_WALK;
SQL
echo
echo "Plans of a name search's page (name=d42): its matches counted up to 20,001, then the page's ids chosen from them:"
psql_db -tA <<'SQL' | sed 's/^/  /'
EXPLAIN ANALYZE SELECT count(*) AS n FROM (SELECT 1 FROM domains WHERE domain_name LIKE '%d42%' LIMIT 20001) x;
EXPLAIN ANALYZE SELECT m.id FROM domains m WHERE m.domain_name LIKE '%d42%' ORDER BY m.created_at + interval '0 s', m.id LIMIT 201;
SQL
echo
echo "Plan of a two-character part's count (name=q7, in no name): the 39 trigrams that can follow it looked up, counted up to 1,001:"
q7=$(for c in {a..z} {0..9}; do printf '%%q7%s%%,' "$c"; done)%q7.%,%q7-%,%q7
psql_db -tA <<SQL | sed 's/^/  /'
EXPLAIN ANALYZE SELECT count(*) AS n FROM (SELECT 1 FROM domains WHERE domain_name LIKE ANY ('{$q7}'::text[]) LIMIT 1001) x;
SQL
echo "Name blocks (V31): $(psql_db -tA -c "\"SELECT count(*) || ' blocks, ' || pg_size_pretty(pg_total_relation_size('domain_name_blocks')) FROM domain_name_blocks\"")"
echo
echo "Renewal claim plan:"
psql_db -tA <<'SQL' | sed 's/^/  /'
EXPLAIN SELECT c2.id FROM certificates c2
 WHERE c2.renew_at <= now() AND c2.revoked_at IS NULL
   AND (SELECT d.status FROM domains d WHERE d.id = c2.domain_id) = 'active'
   AND (SELECT 1 FROM acme_orders o WHERE o.domain_id = c2.domain_id
         AND o.state = ANY('{queued,awaiting_dns,validating,finalizing,downloading}') LIMIT 1) IS NULL
 ORDER BY c2.renew_at LIMIT 50 FOR UPDATE OF c2 SKIP LOCKED;
SQL
echo "Order claim plan:"
psql_db -tA <<'SQL' | sed 's/^/  /'
EXPLAIN SELECT id FROM acme_orders WHERE state = ANY('{queued,awaiting_dns,validating,finalizing,downloading}')
   AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED;
SQL
