# Shared by the benchmarks: background processes that are stopped on exit, and small helpers.
# Source it after `cd` to the repository root.
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }
now_ms() { date +%s%3N; }
# Retries a command every 0.1 s for up to 20 s.
wait_for() { for _ in $(seq 1 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "timed out: $*" >&2; exit 1; }
# A fresh, migrated-on-start database for a benchmark.
fresh_database() { as_postgres "dropdb --if-exists $1 && createdb -O dnshandling $1"; }
# The environment every benchmark starts the service with: its database and zone, loopback ports,
# a key-encryption key. Usage: env $(service_env DB ZONE HTTP_PORT MANAGEMENT_PORT DNS_PORT KEK) MORE=… java …
service_env() {
  echo "QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://localhost:5432/$1 QUARKUS_DATASOURCE_USERNAME=dnshandling" \
    "QUARKUS_DATASOURCE_PASSWORD=dnshandling BASE_DOMAIN=$2 QUARKUS_HTTP_PORT=$3 QUARKUS_HTTP_HOST=127.0.0.1" \
    "QUARKUS_MANAGEMENT_PORT=$4 QUARKUS_MANAGEMENT_HOST=127.0.0.1 KEY_ENCRYPTION_KEY=$6 DNS_SERVER_HOST=127.0.0.1 DNS_SERVER_PORT=$5"
}
