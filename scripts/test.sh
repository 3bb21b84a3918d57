#!/usr/bin/env bash
# The test command: prepares what the tests need on this machine (PostgreSQL with its role and
# test database; Debian's unbound, the recursive resolver of the delegation and issuance tests;
# Debian's pebble, the ACME test CA; BIND and nsupdate for the run command's local customer zone, and BIND and
# zonemaster-cli for the Zonemaster check of the zone; Chromium and chromedriver for the console's
# browser tests), then runs
# the whole suite with ./mvnw verify: unit and @QuarkusTest suites, then the integration tests
# against the packaged service; then the native build steps (sources only). Extra arguments go to
# the verify run, e.g. scripts/test.sh -Dtest=DomainNameTest
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prepare-postgres.sh
# Every run starts from empty test databases: no rows or schema left by an earlier run. The second
# one is for tests that need a start with no work waiting (StartupArchiveIT); no test writes to it.
fresh="for db in dnshandling_test dnshandling_test_empty; do dropdb --if-exists --force \$db && createdb -O dnshandling \$db; done"
if [ "$(id -u)" -eq 0 ]; then su postgres -c "$fresh"; else sudo -u postgres sh -c "$fresh"; fi
scripts/install-packages.sh unbound:unbound pebble:pebble caddy:caddy haproxy:haproxy curl:curl named:bind9 nsupdate:bind9-dnsutils openssl:openssl zonemaster-cli:zonemaster-cli chromium:chromium chromedriver:chromium-driver
./mvnw -B verify "$@"

# The native build as far as this machine allows: GraalVM cannot be installed here, so Quarkus runs
# every native build step and writes the native-image invocation without running it. The
# invocation must keep what holds keys or randomness, and dnsjava, initialised at run time.
./mvnw -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests
args=target/native-sources/native-image.args
for runtime in io.dnshandling.core.RandomIds io.dnshandling.secrets.KeyVault io.dnshandling.acme.BouncyCastle org.xbill.DNS; do
  tr ' ' '\n' <"$args" | grep -qx -- "--initialize-at-run-time=$runtime" \
    || { echo "native-image.args does not initialise $runtime at run time" >&2; exit 1; }
done
grep -q 'io.quarkus.security.BouncyCastleFeature' "$args" \
  || { echo "native-image.args does not register BouncyCastle through Quarkus" >&2; exit 1; }
echo "native build steps: passed (invocation in $args)"
