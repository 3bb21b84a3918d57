# Sourced by scripts/run.sh when ACME_DIRECTORY is unset: a whole ACME world on loopback, so a
# first run goes all the way to an issued certificate. Never used by the image or the manifests.
#   - Pebble, Let's Encrypt's test CA (Debian's package), validating dns-01 for real;
#   - BIND, authoritative for a local customer zone (CUSTOMER_ZONE, shop.example.com by default)
#     that accepts dynamic updates signed with the TSIG key in .local/acme-world/tsig.conf;
#   - unbound, the recursive resolver the CA and the service ask: the customer zone goes to BIND,
#     BASE_DOMAIN to the service's own DNS server.
# Sets ACME_DIRECTORY, ACME_TRUST_CERT and DNS_RESOLVERS; the processes' ids go to LOCAL_ACME_PIDS.

start_local_acme() {
  export PATH="$PATH:/usr/sbin:/sbin"   # named, tsig-keygen and unbound live there
  local world=.local/acme-world
  local pebble_port=${LOCAL_PEBBLE_PORT:-14000} bind_port=${LOCAL_BIND_PORT:-15353} unbound_port=${LOCAL_UNBOUND_PORT:-15354}
  CUSTOMER_ZONE=${CUSTOMER_ZONE:-shop.example.com}
  scripts/install-packages.sh pebble:pebble named:bind9 nsupdate:bind9-dnsutils unbound:unbound openssl:openssl >&2
  rm -rf "$world" && mkdir -p "$world" && chmod 755 "$world"
  world=$(cd "$world" && pwd)

  # Pebble's own TLS certificate, from a throw-away CA the service is told to trust.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=local ACME CA" \
    -keyout "$world/ca.key" -out "$world/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$world/key.pem" -out "$world/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$world/san.ext"
  openssl x509 -req -in "$world/server.csr" -CA "$world/ca.pem" -CAkey "$world/ca.key" -CAcreateserial -days 30 \
    -extfile "$world/san.ext" -out "$world/cert.pem" 2>/dev/null
  cat >"$world/pebble.json" <<CONF
{"pebble": {"listenAddress": "127.0.0.1:$pebble_port", "managementListenAddress": "127.0.0.1:$((pebble_port + 1))",
  "certificate": "$world/cert.pem", "privateKey": "$world/key.pem", "httpPort": 5002, "tlsPort": 5001,
  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
CONF

  # The customer's zone, open to signed dynamic updates (nsupdate -k $world/tsig.conf).
  tsig-keygen -a hmac-sha256 customer-key >"$world/tsig.conf"
  cat >"$world/customer.zone" <<ZONE
\$TTL 10
@ IN SOA ns1.$CUSTOMER_ZONE. hostmaster.$CUSTOMER_ZONE. 1 3600 600 1209600 5
@ IN NS ns1.$CUSTOMER_ZONE.
ns1 IN A 127.0.0.1
ZONE
  cat >"$world/named.conf" <<CONF
include "$world/tsig.conf";
options { directory "$world"; pid-file "$world/named.pid"; session-keyfile "$world/session.key";
  listen-on port $bind_port { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; };
controls { };
zone "$CUSTOMER_ZONE" { type primary; file "$world/customer.zone"; allow-update { key customer-key; }; };
CONF
  named -g -n 1 -c "$world/named.conf" >"$world/named.log" 2>&1 &
  LOCAL_ACME_PIDS+=($!)

  cat >"$world/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $unbound_port
  do-daemonize: no
  use-syslog: no
  logfile: ""
  username: ""
  chroot: ""
  directory: "$world"
  pidfile: "$world/unbound.pid"
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  qname-minimisation: no
  do-ip6: no
  local-zone: "localhost." nodefault
  local-zone: "test." nodefault
stub-zone:
  name: "$CUSTOMER_ZONE"
  stub-addr: 127.0.0.1@$bind_port
stub-zone:
  name: "$BASE_DOMAIN"
  stub-addr: 127.0.0.1@${DNS_SERVER_PORT:-5353}
CONF
  unbound -d -c "$world/unbound.conf" >"$world/unbound.log" 2>&1 &
  LOCAL_ACME_PIDS+=($!)

  PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 pebble -config "$world/pebble.json" -dnsserver "127.0.0.1:$unbound_port" \
    >"$world/pebble.log" 2>&1 &
  LOCAL_ACME_PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -fsk "https://127.0.0.1:$pebble_port/dir" >/dev/null 2>&1 && break
    sleep 0.1
  done

  export ACME_DIRECTORY="https://127.0.0.1:$pebble_port/dir"
  export ACME_TRUST_CERT="$world/ca.pem"
  export DNS_RESOLVERS="127.0.0.1:$unbound_port"
  echo "run: ACME_DIRECTORY is unset: using a local test CA (Pebble on $pebble_port, not publicly trusted), a local" \
       "customer zone $CUSTOMER_ZONE (BIND on $bind_port, updates signed with $world/tsig.conf) and unbound on $unbound_port" >&2
}
