#!/usr/bin/env bash
# Regenerates src/main/cds/startup-classes.lst, the classes that go into the class archive
# (scripts/class-archive.sh, Dockerfile.jvm): starts the packaged service on an empty database
# with the JVM recording every class it loads, waits until it is ready, sends it the first requests
# a platform sends (a list, a registration, a lookup, a metrics scrape), and stops it. Run it after
# a change of dependencies or of what happens at start, and commit the list;
# StartupArchiveIT fails when too few of a start's classes come from the archive.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=dnshandling_class_list
HTTP=27180 MANAGEMENT=27190 DNS=27153 TOKEN=class-list-token
DATABASES=$DB scripts/prepare-postgres.sh >/dev/null
if [ "$(id -u)" -eq 0 ]; then su postgres -c "dropdb --if-exists $DB && createdb -O dnshandling $DB"
else sudo -u postgres sh -c "dropdb --if-exists $DB && createdb -O dnshandling $DB"; fi
./mvnw -B -q package -DskipTests
LIST=target/startup-classes.lst
rm -f "$LIST"
QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://localhost:5432/$DB QUARKUS_DATASOURCE_USERNAME=dnshandling \
  QUARKUS_DATASOURCE_PASSWORD=dnshandling BASE_DOMAIN=class-list.test KEY_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
  AUTH_TOKEN=$TOKEN QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  QUARKUS_MANAGEMENT_PORT=$MANAGEMENT DNS_SERVER_HOST=127.0.0.1 DNS_SERVER_PORT=$DNS \
  java -XX:DumpLoadedClassList="$LIST" -jar target/dns-handling-runner.jar >target/class-list-service.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$MANAGEMENT/q/health/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$MANAGEMENT/q/health/ready" >/dev/null || { echo "not ready; see target/class-list-service.log" >&2; exit 1; }
auth=(-H "Authorization: Bearer $TOKEN")
curl -s -o /dev/null "${auth[@]}" "http://127.0.0.1:$HTTP/domains?limit=10"
id=$(curl -s "${auth[@]}" -H 'Content-Type: application/json' -d '{"domain_name":"shop.class-list.example"}' "http://127.0.0.1:$HTTP/domains" \
  | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p')
curl -s -o /dev/null "${auth[@]}" "http://127.0.0.1:$HTTP/domains/$id"
curl -s -o /dev/null "http://127.0.0.1:$MANAGEMENT/q/metrics"
kill -TERM $PID
wait $PID || true
trap - EXIT
mkdir -p src/main/cds
mv "$LIST" src/main/cds/startup-classes.lst
echo "src/main/cds/startup-classes.lst: $(grep -cv '^[#@]' src/main/cds/startup-classes.lst) classes"
