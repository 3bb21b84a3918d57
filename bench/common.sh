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
