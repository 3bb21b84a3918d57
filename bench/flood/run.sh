#!/usr/bin/env bash
# DNS flood against the API: GET /domains/{id} (one primary-key read through the database pool)
# under wrk, first with DNS quiet, then while the built-in DNS server takes a flood of valid
# queries (dnsperf, as fast as it can) and of malformed packets (random bytes) on UDP. Prints the
# API's rate and latency in both phases and their ratios (flood / quiet), and counts ERROR lines in
# the service's log. Nothing is pinned: the flood takes CPU from everything on this machine, which
# is the point; what must not happen is the API stalling behind DNS work on shared threads.
#
#   bench/flood/run.sh                    # 15 s per phase
#   DURATION=5 bench/flood/run.sh
#   JAR=/path/to/other/dns-handling-runner.jar bench/flood/run.sh   # the same run against another build
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-15}
ZONE=bench.test
DNS_PORT=${DNS_PORT:-26353}
HTTP_PORT=${HTTP_PORT:-26080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-26081}
JAR=${JAR:-target/dns-handling-runner.jar}
DB=dnshandling_bench

DATABASES=$DB scripts/prepare-postgres.sh >/dev/null
scripts/install-packages.sh dnsperf:dnsperf wrk:wrk
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests

WORK=$(mktemp -d /tmp/bench-flood.XXXXXX)
. bench/common.sh
fresh_database $DB

env $(service_env $DB $ZONE $HTTP_PORT $MANAGEMENT_PORT $DNS_PORT "$(head -c 32 /dev/urandom | base64)") \
DNS_RESOLVERS=127.0.0.1:9 AUTH_DISABLED=true DNS_SERVER_UDP_RATE_LIMIT=0 \
  java -Xmx512m -jar "$JAR" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
PIDS+=("$SERVICE_PID")
ready() { curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" || curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready"; }
wait_for ready

ID=$(curl -fs -X POST "http://127.0.0.1:$HTTP_PORT/domains" -H 'Content-Type: application/json' \
  -d '{"domain_name": "flood.example.com"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
SUB=$(curl -fs "http://127.0.0.1:$HTTP_PORT/domains/$ID" >/dev/null; PGPASSWORD=dnshandling psql -h 127.0.0.1 -U dnshandling -d $DB -qAt \
  -c "SELECT project_subdomain FROM domains WHERE id = '$ID'")
{ echo "$ZONE SOA"; echo "$SUB.$ZONE A"; echo "_acme-challenge.$SUB.$ZONE TXT"; echo "nothing.$ZONE A"; } >"$WORK/queries"

# Runs wrk on the API; prints "req_per_s p50_ms p99_ms".
api() {
  wrk -t1 -c16 -d"${DURATION}s" --latency "http://127.0.0.1:$HTTP_PORT/domains/$ID" >"$WORK/wrk.txt"
  python3 - "$WORK/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f}")
PY
}

echo "warm-up…" >&2
DURATION=10 api >/dev/null
read -r Q_RPS Q_P50 Q_P99 < <(api)

# The flood: dnsperf with many queries in flight, and a sender of random bytes.
dnsperf -s 127.0.0.1 -p $DNS_PORT -d "$WORK/queries" -c 4 -q 2000 -l $((DURATION + 4)) -v >"$WORK/dnsperf.txt" 2>&1 &
PIDS+=($!)
python3 - "$DNS_PORT" "$((DURATION + 4))" >"$WORK/garbage.txt" <<'PY' &
import os, socket, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
junk = [os.urandom(n) for n in (1, 2, 11, 12, 40, 300, 512)]
sent, end = 0, time.time() + seconds
while time.time() < end:
    for p in junk * 50:
        try:
            s.sendto(p, ("127.0.0.1", port)); sent += 1
        except BlockingIOError:
            pass
print(sent)
PY
PIDS+=($!)
sleep 2   # let the flood reach full rate before measuring
read -r F_RPS F_P50 F_P99 < <(api)
wait "${PIDS[-1]}" 2>/dev/null || true
sleep 3
DNS_QPS=$(awk '/Queries per second:/ {print $4}' "$WORK/dnsperf.txt")
GARBAGE=$(cat "$WORK/garbage.txt")
ERRORS=$(grep -c " ERROR " "$WORK/service.log" || true)

echo
echo "API GET /domains/{id} under wrk (16 connections), ${DURATION}s per phase; flood on UDP port $DNS_PORT"
printf '%-10s %10s %9s %9s\n' phase "req/s" "p50 ms" "p99 ms"
printf '%-10s %10s %9s %9s\n' quiet "$Q_RPS" "$Q_P50" "$Q_P99"
printf '%-10s %10s %9s %9s\n' flood "$F_RPS" "$F_P50" "$F_P99"
python3 -c "import sys; q,f=[float(x) for x in sys.argv[1:4]],[float(x) for x in sys.argv[4:7]]; print(f'ratio flood/quiet: req/s {f[0]/q[0]:.2f}, p50 {f[1]/q[1]:.2f}, p99 {f[2]/q[2]:.2f}')" \
  "$Q_RPS" "$Q_P50" "$Q_P99" "$F_RPS" "$F_P50" "$F_P99"
echo "DNS answered during the flood: ${DNS_QPS:-?} queries/s (dnsperf); malformed packets sent: $GARBAGE"
echo "ERROR lines in the service log: $ERRORS"
grep " ERROR " "$WORK/service.log" | head -3 || true
