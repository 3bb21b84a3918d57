#!/usr/bin/env bash
# Delivery benchmark. (1) Full TLS handshakes per second (new connections, no resumption, with SNI)
# through a real Caddy
# whose certificate comes from the service on every handshake (get_certificate http), against the
# same Caddy serving the same certificate and key from files, in the same run: prints the ratio
# (target >= 0.8). (2) The delivery endpoint itself under wrk with DOMAINS active domains, each
# request for a random one of them: requests/s, p50 and p99.
#
#   bench/delivery/run.sh            DOMAINS=10000 SECONDS_EACH=10 ROUNDS=2 CLIENTS=2 by default
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

DOMAINS=${DOMAINS:-10000}
SECONDS_EACH=${SECONDS_EACH:-10}
ROUNDS=${ROUNDS:-2}
CLIENTS=${CLIENTS:-2}
HTTP_PORT=${HTTP_PORT:-25080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-25090}
DNS_PORT=${DNS_PORT:-25053}
CADDY_FETCH_PORT=${CADDY_FETCH_PORT:-25443}
CADDY_FILE_PORT=${CADDY_FILE_PORT:-25444}
CADDY_STATIC_FETCH_PORT=${CADDY_STATIC_FETCH_PORT:-25445}
STATIC_PORT=${STATIC_PORT:-25081}
DB=dnshandling_bench_delivery
TOKEN=bench-delivery-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
NAME=d1.bench.example.com

DATABASES=$DB scripts/prepare-postgres.sh >/dev/null
scripts/install-packages.sh caddy:caddy wrk:wrk openssl:openssl curl:curl python3:python3
[ -f target/dns-handling-runner.jar ] || ./mvnw -B -q package -DskipTests

WORK=$(mktemp -d /tmp/bench-delivery.XXXXXX)
chmod 755 "$WORK"
. bench/common.sh
fresh_database $DB

# --- One certificate and key (its SAN is the first domain's name), served by both Caddys ----------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$NAME" \
  -addext "subjectAltName=DNS:$NAME" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

# --- The service: started once to migrate the database, then again after the rows are in ------
KEK=$(head -c 32 /dev/urandom | base64)
start_service() {
  env $(service_env $DB bench.test $HTTP_PORT $MANAGEMENT_PORT $DNS_PORT "$KEK") \
  DELIVERY_TOKEN=$TOKEN AUTH_DISABLED=true DNS_SERVER_UDP_RATE_LIMIT=0 QUARKUS_LOG_LEVEL=WARN \
    java -jar target/dns-handling-runner.jar >>"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=($SERVICE_PID)
  wait_for curl -sf http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready
}
start_service
kill $SERVICE_PID; wait $SERVICE_PID 2>/dev/null || true

# --- DOMAINS active domains with a current certificate each (rows as issuance leaves them). The
# keys go in as plain PEM with the one-time upgrade of older formats pending: on its next start the
# service seals each one for its row, as it does for a database from before encryption ---------------
CHAIN=$(cat "$WORK/cert.pem")
KEY=$(cat "$WORK/key.pem")
as_postgres "psql -q -d $DB -v ON_ERROR_STOP=1" <<SQL
INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, created_at, updated_at)
SELECT md5('d' || i), 'd' || i || '.bench.example.com', md5('t' || i), substr(md5('s' || i), 1, 20), 'active', now(), now()
  FROM generate_series(1, $DOMAINS) i;
INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                         created_at, updated_at)
SELECT md5('o' || i), md5('d' || i), 'bench', 'bench/' || i, 'valid', now(), 0, now(), now(), now(), now()
  FROM generate_series(1, $DOMAINS) i;
INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,
                          issued_at, created_at)
SELECT md5('c' || i), md5('d' || i), md5('o' || i), \$chain\$$CHAIN
\$chain\$, \$key\$$KEY
\$key\$, to_hex(i), 'bench', now(), now() + interval '2 days', now(), now()
  FROM generate_series(1, $DOMAINS) i;
UPDATE key_vault_state SET legacy_pending = true;
SQL
start_service
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/tls/certificate?server_name=$NAME" \
  || { echo "the service does not serve $NAME" >&2; exit 1; }

# --- Two Caddys: the certificate from the service on each handshake, or from files ---------------
caddy_start() { # name port tls-directive
  mkdir -p "$WORK/$1"
  cat >"$WORK/$1/Caddyfile" <<CONF
{
	admin off
	auto_https disable_redirects
	skip_install_trust
	storage file_system $WORK/$1/storage
}
https://:$2 {
	$3
	respond "ok"
}
CONF
  env HOME="$WORK/$1" XDG_CONFIG_HOME="$WORK/$1" XDG_DATA_HOME="$WORK/$1" \
    caddy run --config "$WORK/$1/Caddyfile" --adapter caddyfile >"$WORK/$1/caddy.log" 2>&1 &
  PIDS+=($!)
  wait_for openssl s_client -connect 127.0.0.1:$2 -servername $NAME </dev/null
}
caddy_start fetch $CADDY_FETCH_PORT "tls {
		get_certificate http http://127.0.0.1:$HTTP_PORT/tls/$TOKEN/certificate
	}"
caddy_start file $CADDY_FILE_PORT "tls $WORK/cert.pem $WORK/key.pem"
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/bundle.pem"
mkdir -p "$WORK/static"
cat >"$WORK/static/Caddyfile" <<CONF
{
	admin off
	storage file_system $WORK/static/storage
}
http://127.0.0.1:$STATIC_PORT {
	root * $WORK
	rewrite * /bundle.pem
	file_server
}
CONF
env HOME="$WORK/static" XDG_CONFIG_HOME="$WORK/static" XDG_DATA_HOME="$WORK/static" \
  caddy run --config "$WORK/static/Caddyfile" --adapter caddyfile >"$WORK/static/caddy.log" 2>&1 &
PIDS+=($!)
wait_for curl -sf http://127.0.0.1:$STATIC_PORT/x
caddy_start static-fetch $CADDY_STATIC_FETCH_PORT "tls {
		get_certificate http http://127.0.0.1:$STATIC_PORT/bundle
	}"
# openssl s_time -new would be the tool, but OpenSSL 3.0's s_time sends no server name, and with
# no name there is nothing to fetch: handshakes.py makes the same full handshakes, with SNI.
handshakes() { # port -> full handshakes per second, wall clock
  python3 bench/delivery/handshakes.py 127.0.0.1 "$1" $NAME "$SECONDS_EACH" "$CLIENTS"
}
# Warm-up, not counted: the JVM compiles the delivery path, Caddy and the clients settle.
handshakes $CADDY_FETCH_PORT >/dev/null; handshakes $CADDY_FILE_PORT >/dev/null; handshakes $CADDY_STATIC_FETCH_PORT >/dev/null
fetched=0; filed=0; static=0
for round in $(seq 1 "$ROUNDS"); do
  # Alternate the order so that no side always runs on a machine warmed by another.
  if [ $((round % 2)) -eq 1 ]; then
    a=$(handshakes $CADDY_FETCH_PORT); b=$(handshakes $CADDY_FILE_PORT); c=$(handshakes $CADDY_STATIC_FETCH_PORT)
  else
    c=$(handshakes $CADDY_STATIC_FETCH_PORT); b=$(handshakes $CADDY_FILE_PORT); a=$(handshakes $CADDY_FETCH_PORT)
  fi
  echo "round $round: from dns-handling $a/s, from files $b/s, from a static file server $c/s"
  fetched=$((fetched + a)); filed=$((filed + b)); static=$((static + c))
done

# --- The endpoint alone, random names among DOMAINS ----------------------------------------------
cat >"$WORK/names.lua" <<LUA
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/tls/certificate?server_name=d" .. math.random(1, $DOMAINS) .. ".bench.example.com",
    { ["Authorization"] = "Bearer $TOKEN" })
end
LUA
wrk -t1 -c16 -d"${SECONDS_EACH}s" --latency -s "$WORK/names.lua" "http://127.0.0.1:$HTTP_PORT" >"$WORK/wrk.txt"
rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk.txt")
p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$WORK/wrk.txt")

echo
echo "Full TLS handshakes through Caddy, mean of $ROUNDS rounds of ${SECONDS_EACH}s, $CLIENTS client processes:"
echo "  certificate from dns-handling on each handshake: $((fetched / ROUNDS))/s"
echo "  certificate from files:                          $((filed / ROUNDS))/s"
echo "  certificate from a static file server:           $((static / ROUNDS))/s"
awk -v a="$fetched" -v b="$filed" -v c="$static" 'BEGIN {
  printf "  ratio dns-handling / files: %.2f (target >= 0.8)\n", a / b
  printf "  ratio static server / files: %.2f (the most any endpoint can reach with this Caddy)\n", c / b
  printf "  ratio dns-handling / static server: %.2f\n", a / c }'
echo "GET /tls/certificate, $DOMAINS active domains, random names, 16 connections (wrk):"
echo "  $rps requests/s, p50 $p50, p99 $p99, non-2xx: ${non2xx:-0}"
