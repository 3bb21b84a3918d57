#!/usr/bin/env bash
# The run command: prepares PostgreSQL on this machine, builds the service and starts it on
# port 8080 (QUARKUS_HTTP_PORT to change). Every setting can be overridden from the environment;
# the defaults below suit a local trial.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prepare-postgres.sh

export QUARKUS_DATASOURCE_REACTIVE_URL="${QUARKUS_DATASOURCE_REACTIVE_URL:-postgresql://localhost:5432/dnshandling}"
export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-dnshandling}"
export QUARKUS_DATASOURCE_PASSWORD="${QUARKUS_DATASOURCE_PASSWORD:-dnshandling}"
export BASE_DOMAIN="${BASE_DOMAIN:-dns-handling.localhost}"
# A local trial keeps its key-encryption key beside the checkout (never commit it); production
# passes KEY_ENCRYPTION_KEY from a secret store.
if [ -z "${KEY_ENCRYPTION_KEY:-}" ]; then
  mkdir -p .local && chmod 700 .local
  [ -s .local/key-encryption-key ] || (umask 077; head -c 32 /dev/urandom | base64 > .local/key-encryption-key)
  KEY_ENCRYPTION_KEY=$(cat .local/key-encryption-key)
  export KEY_ENCRYPTION_KEY
fi

# Likewise its API token: sent as "Authorization: Bearer $(cat .local/api-token)". Production passes
# AUTH_TOKENS (names, SHA-256 digests and scopes) from a secret store.
if [ -z "${AUTH_TOKEN:-}${AUTH_TOKENS:-}" ] && [ "${AUTH_DISABLED:-}" != "true" ]; then
  mkdir -p .local && chmod 700 .local
  [ -s .local/api-token ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > .local/api-token)
  AUTH_TOKEN=$(cat .local/api-token)
  export AUTH_TOKEN
  echo "run: the API token is in .local/api-token (Authorization: Bearer …)" >&2
fi

# One process on one machine: no load balancer to wait for when it stops.
export SHUTDOWN_DELAY="${SHUTDOWN_DELAY:-0s}"

# Without a CA of its own, a first run gets a whole local ACME world (scripts/local-acme.sh), so
# the walk-through in the README ends with an issued certificate. Stopped with the service.
LOCAL_ACME_PIDS=()
if [ -z "${ACME_DIRECTORY:-}" ]; then
  . scripts/local-acme.sh
  start_local_acme
fi
# Its delivery token, for TLS servers fetching certificates from /tls (the README's Caddy example).
if [ -z "${DELIVERY_TOKEN:-}" ]; then
  mkdir -p .local && chmod 700 .local
  [ -s .local/delivery-token ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > .local/delivery-token)
  DELIVERY_TOKEN=$(cat .local/delivery-token)
  export DELIVERY_TOKEN
fi

if [ ! -f target/dns-handling-runner.jar ] || [ -n "$(find src pom.xml -newer target/dns-handling-runner.jar -print -quit)" ]; then
  ./mvnw -B -q package -DskipTests
fi
if [ ${#LOCAL_ACME_PIDS[@]} -eq 0 ]; then
  exec java ${JAVA_OPTS:-} -jar target/dns-handling-runner.jar
fi
java ${JAVA_OPTS:-} -jar target/dns-handling-runner.jar &
SERVICE_PID=$!
stop_all() { kill -TERM "$SERVICE_PID" 2>/dev/null; wait "$SERVICE_PID" 2>/dev/null; kill "${LOCAL_ACME_PIDS[@]}" 2>/dev/null || true; }
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT
wait "$SERVICE_PID"
