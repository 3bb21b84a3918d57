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
# Resident memory of a process, in MiB.
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# CPU seconds (user + system) the processes "PID ..." have used so far; one that has exited counts
# nothing (a PostgreSQL worker can end between listing and reading: that must not stop the run).
cpu_seconds() {
  local p
  for p in $1; do cat "/proc/$p/stat" 2>/dev/null || true; done \
    | awk -v hz="$(getconf CLK_TCK)" '{ s += ($14 + $15) / hz } END { printf "%.2f", s }'
}
# The service's list of domains at $HTTP_PORT, with $TOKEN: warm_list_pages runs the list path
# until the JIT has compiled it (the first pages after a start run cold code), list_page_ms QUERY
# prints the best of 5 for one page, in milliseconds with one decimal.
warm_list_pages() {
  for f in "" active failed pending verified; do
    for _ in $(seq 1 20); do curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/domains?limit=200${f:+&status=$f}"; done
  done
}
list_page_ms() {
  local best=999999 code t
  for _ in 1 2 3 4 5; do
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/domains?$1")
    [ "$code" = 200 ] || { echo "GET /domains?$1 answered $code" >&2; exit 1; }
    best=$(awk -v a="$best" -v t="$t" 'BEGIN { print (t * 1000 < a ? t * 1000 : a) }')
  done
  printf '%.1f' "$best"
}
