#!/usr/bin/env bash
# Regenerates src/main/cds/startup-classes.lst, the classes that go into the class archive
# (scripts/class-archive.sh, Dockerfile.jvm): starts the packaged service on an empty database
# with the JVM recording every class it loads, waits until it is ready, sends it the first requests
# a platform sends (a list, a registration, a lookup, a metrics scrape), and stops it. Run it after
# a change of dependencies or of what happens at start, and commit the list;
# StartupArchiveIT fails when too few of a start's classes come from the archive.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh # fresh_database, service_env, wait_for, and stopping the service on exit
DB=dnshandling_class_list
HTTP=27180 MANAGEMENT=27190 DNS=27153 TOKEN=class-list-token
DATABASES=$DB scripts/prepare-postgres.sh >/dev/null
fresh_database $DB
./mvnw -B -q package -DskipTests
LIST=target/startup-classes.lst
rm -f "$LIST"
env $(service_env $DB class-list.test $HTTP $MANAGEMENT $DNS "$(head -c 32 /dev/urandom | base64)") AUTH_TOKEN=$TOKEN \
  java -XX:DumpLoadedClassList="$LIST" -jar target/dns-handling-runner.jar >target/class-list-service.log 2>&1 &
PID=$!
PIDS+=($PID)
wait_for curl -sf "http://127.0.0.1:$MANAGEMENT/q/health/ready"
auth=(-H "Authorization: Bearer $TOKEN")
curl -s -o /dev/null "${auth[@]}" "http://127.0.0.1:$HTTP/domains?limit=10"
id=$(curl -s "${auth[@]}" -H 'Content-Type: application/json' -d '{"domain_name":"shop.class-list.example"}' "http://127.0.0.1:$HTTP/domains" \
  | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p')
curl -s -o /dev/null "${auth[@]}" "http://127.0.0.1:$HTTP/domains/$id"
curl -s -o /dev/null "http://127.0.0.1:$MANAGEMENT/q/metrics"
kill -TERM $PID
wait $PID || true
mkdir -p src/main/cds
mv "$LIST" src/main/cds/startup-classes.lst
echo "src/main/cds/startup-classes.lst: $(grep -cv '^[#@]' src/main/cds/startup-classes.lst) classes"
