#!/usr/bin/env bash
# Makes sure a PostgreSQL server is installed and running on localhost:5432 and that the
# service's role and databases exist. Idempotent: safe to run before every start and test run.
# Debian/Ubuntu only (apt); anywhere else, point QUARKUS_DATASOURCE_* at your own server.
set -euo pipefail

DB_USER="${DB_USER:-dnshandling}"
DB_PASSWORD="${DB_PASSWORD:-dnshandling}"
DATABASES="${DATABASES:-dnshandling dnshandling_test dnshandling_test_empty}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "prepare-postgres: installing PostgreSQL (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed cluster; create one if the package left none.
cluster=$(pg_lsclusters --no-header 2>/dev/null | sort -k1,1V | tail -n 1 || true)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  as_root pg_createcluster "$version" main >/dev/null
  cluster=$(pg_lsclusters --no-header | sort -k1,1V | tail -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  echo "prepare-postgres: starting cluster $version/$name on port $port"
  as_root pg_ctlcluster "$version" "$name" start
fi
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.2
done
pg_isready -h 127.0.0.1 -p "$port" >/dev/null || { echo "prepare-postgres: server on port $port is not ready" >&2; exit 1; }

as_postgres "psql -p $port -v ON_ERROR_STOP=1 -q" <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}';
  END IF;
END
\$\$;
SQL
for db in $DATABASES; do
  as_postgres "psql -p $port -tAq -c \"SELECT 1 FROM pg_database WHERE datname = '$db'\"" | grep -q 1 \
    || as_postgres "createdb -p $port -O ${DB_USER} $db"
done
echo "prepare-postgres: PostgreSQL $version ready on 127.0.0.1:$port (role ${DB_USER}; databases: $DATABASES)"
