#!/usr/bin/env bash
# DNS server benchmark: queries/second and p99 latency of the built-in server under dnsperf, for
# zones of 10,000, 100,000 and 1,000,000 names, against BIND serving the same zone from a zone
# file in the same run. Each server is pinned to CPU 0 and dnsperf to CPU 1, so both get the same
# single core; the figures that matter are the ratios, since absolute numbers drift on shared
# machines. When both servers keep up with what one dnsperf core can send, qps alone ties; the
# queries answered per CPU-second the server used (from /proc) then tell which one has room left.
#
#   bench/dns/run.sh                      # all sizes, 10 s measured per server and size
#   SIZES=10000 DURATION=5 bench/dns/run.sh
#   DNS_JAVA_OPTS=-Xlog:gc:file=/tmp/dns-gc.log bench/dns/run.sh   # extra JVM options for the service
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

SIZES=${SIZES:-"10000 100000 1000000"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
ZONE=bench.test
OUR_DNS_PORT=${OUR_DNS_PORT:-25353}
BIND_PORT=${BIND_PORT:-25354}
HTTP_PORT=${HTTP_PORT:-28080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-28081}
DB=dnshandling_bench

DATABASES=$DB scripts/prepare-postgres.sh >/dev/null
scripts/install-packages.sh named:bind9 dnsperf:dnsperf
[ -f target/dns-handling-runner.jar ] || ./mvnw -B -q package -DskipTests

WORK=$(mktemp -d /tmp/bench-dns.XXXXXX)
chmod 755 "$WORK"
. bench/common.sh
psql_bench() { PGPASSWORD=dnshandling psql -h 127.0.0.1 -U dnshandling -d $DB -v ON_ERROR_STOP=1 -qAt "$@"; }

start_service() {
  env $(service_env $DB $ZONE $HTTP_PORT $MANAGEMENT_PORT $OUR_DNS_PORT "$(head -c 32 /dev/urandom | base64)") DNS_RESOLVERS=127.0.0.1:9 AUTH_DISABLED=true DNS_SERVER_UDP_RATE_LIMIT=0 QUARKUS_LOG_LEVEL=WARN \
    taskset -c 0 java -XX:ActiveProcessorCount=1 -Xmx1g ${DNS_JAVA_OPTS:-} -jar target/dns-handling-runner.jar >"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=("$SERVICE_PID")
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log"; echo "service exited" >&2; exit 1; }
    sleep 0.2
  done
  echo "service not ready" >&2; exit 1
}
stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; }

start_bind() {
  cat >"$WORK/named.conf" <<CONF
options {
  directory "$WORK";
  pid-file "$WORK/named.pid";
  session-keyfile "$WORK/session.key";
  listen-on port $BIND_PORT { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  minimal-responses yes;
  querylog no;
  dnssec-validation no;
};
controls { };
zone "$ZONE" { type primary; file "$WORK/$ZONE.zone"; };
CONF
  taskset -c 0 named -g -n 1 -c "$WORK/named.conf" >"$WORK/named.log" 2>&1 &
  BIND_PID=$!
  PIDS+=("$BIND_PID")
  for _ in $(seq 1 100); do
    dig +short +norec @127.0.0.1 -p $BIND_PORT $ZONE SOA 2>/dev/null | grep -q . && return 0
    sleep 0.2
  done
  cat "$WORK/named.log"; echo "named not ready" >&2; exit 1
}

# Runs dnsperf against a port; prints "qps p50_ms p99_ms lost answered_per_cpu_second" of the
# measured run, the last from the server process's CPU time during it.
measure() {
  local port=$1 pid=$2
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries" -c 8 -q 256 -l "$WARMUP" >/dev/null 2>&1 || true
  local before after
  before=$(cpu_seconds "$pid")
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries" -c 8 -q 256 -l "$DURATION" -v >"$WORK/perf.out" 2>&1 || true
  after=$(cpu_seconds "$pid")
  local qps
  qps=$(awk '/Queries per second:/ {print $4}' "$WORK/perf.out")
  # Verbose lines: "> NOERROR name type latency"; the latency in seconds is the last field.
  awk '$1 == ">" {print $NF}' "$WORK/perf.out" | sort -g >"$WORK/lat"
  local n p50 p99
  n=$(wc -l <"$WORK/lat")
  p50=$(awk -v n="$n" 'NR == int(n * 0.50) + 1 {printf "%.3f", $1 * 1000; exit}' "$WORK/lat")
  p99=$(awk -v n="$n" 'NR == int(n * 0.99) + 1 {printf "%.3f", $1 * 1000; exit}' "$WORK/lat")
  local lost
  lost=$(awk '/Queries lost:/ {print $3}' "$WORK/perf.out")
  local completed per_cpu
  completed=$(awk '/Queries completed:/ {print $3}' "$WORK/perf.out")
  per_cpu=$(awk -v q="$completed" -v a="$before" -v b="$after" 'BEGIN { printf "%.0f", (b > a ? q / (b - a) : 0) }')
  echo "$qps $p50 $p99 $lost $per_cpu"
}

printf '%-8s %-12s %12s %10s %10s %8s %14s\n' names server qps p50_ms p99_ms lost per_cpu_second
RESULTS=()
for N in $SIZES; do
  # A fresh database with N names (every tenth with a TXT record too).
  fresh_database $DB
  start_service; stop_service   # applies the migrations
  psql_bench <<SQL
ALTER TABLE dns_records DISABLE TRIGGER dns_records_notify;
INSERT INTO dns_records (id, name, type, value, ttl, created_at)
  SELECT md5('a' || i), 'h' || i || '.$ZONE', 'A', '10.' || ((i >> 16) & 255) || '.' || ((i >> 8) & 255) || '.' || (i & 255), 300, now()
  FROM generate_series(1, $N) AS i;
INSERT INTO dns_records (id, name, type, value, ttl, created_at)
  SELECT md5('t' || i), 'h' || i || '.$ZONE', 'TXT', 'v=bench ' || i, 300, now()
  FROM generate_series(10, $N, 10) AS i;
ALTER TABLE dns_records ENABLE TRIGGER dns_records_notify;
SQL
  {
    printf '$ORIGIN %s.\n$TTL 300\n@ 3600 IN SOA ns1.%s. hostmaster.%s. 1 3600 600 1209600 30\n@ 3600 IN NS ns1.%s.\nns1 3600 IN A 127.0.0.1\n' $ZONE $ZONE $ZONE $ZONE
    psql_bench -c "SELECT name || '. ' || ttl || ' IN ' || type || ' ' || CASE WHEN type = 'TXT' THEN '\"' || value || '\"' ELSE value END FROM dns_records ORDER BY name"
  } >"$WORK/$ZONE.zone"
  # Queries: 80% existing A, 10% TXT (NODATA for nine names in ten), 10% names that do not exist.
  awk -v n="$N" -v z=$ZONE 'BEGIN { srand(42); for (i = 0; i < 200000; i++) { r = rand(); k = int(rand() * n) + 1;
      if (r < 0.8) print "h" k "." z " A"; else if (r < 0.9) print "h" k "." z " TXT"; else print "nx" k "." z " A" } }' >"$WORK/queries"

  start_service
  read -r oq o50 o99 olost ocpu < <(measure $OUR_DNS_PORT "$SERVICE_PID")
  RSS=$(rss_mib "$SERVICE_PID")
  stop_service
  start_bind
  read -r bq b50 b99 blost bcpu < <(measure $BIND_PORT "$BIND_PID")
  BIND_RSS=$(rss_mib "$BIND_PID")
  kill "$BIND_PID"; wait "$BIND_PID" 2>/dev/null || true

  printf '%-8s %-12s %12s %10s %10s %8s %14s  rss %s MiB\n' "$N" dns-handling "$oq" "$o50" "$o99" "$olost" "$ocpu" "$RSS"
  printf '%-8s %-12s %12s %10s %10s %8s %14s  rss %s MiB\n' "$N" bind9 "$bq" "$b50" "$b99" "$blost" "$bcpu" "$BIND_RSS"
  RESULTS+=("$N $oq $bq $o99 $b99 $ocpu $bcpu")
done

echo
echo "ratios (dns-handling / BIND, same run; targets: qps >= 1.0, p99 <= 1.5):"
for r in "${RESULTS[@]}"; do
  read -r n oq bq o99 b99 ocpu bcpu <<<"$r"
  awk -v n="$n" -v oq="$oq" -v bq="$bq" -v o99="$o99" -v b99="$b99" -v oc="$ocpu" -v bc="$bcpu" \
    'BEGIN { printf "  %7d names: qps ratio %.2f   p99 ratio %.2f (lower is better)   answers per CPU-second ratio %.2f\n", n, oq / bq, o99 / b99, (bc > 0 ? oc / bc : 0) }'
done
if [ ${#RESULTS[@]} -ge 2 ]; then
  read -r _ small _ <<<"${RESULTS[0]}"
  read -r _ large _ <<<"${RESULTS[${#RESULTS[@]}-1]}"
  awk -v a="$small" -v b="$large" 'BEGIN { printf "  dns-handling qps, largest zone / smallest zone: %.2f\n", b / a }'
fi
