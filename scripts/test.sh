#!/usr/bin/env bash
# The test command: prepares what the tests need on this machine (PostgreSQL with its role and
# test database; Debian's unbound, the recursive resolver of the delegation and issuance tests;
# Debian's pebble, the ACME test CA), then runs
# the whole suite with ./mvnw verify: unit and @QuarkusTest suites, then the integration tests
# against the packaged service. Extra arguments go to Maven, e.g. scripts/test.sh -Dtest=DomainNameTest
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prepare-postgres.sh
# Every run starts from an empty test database: no rows or schema left by an earlier run.
if [ "$(id -u)" -eq 0 ]; then su postgres -c "dropdb --if-exists --force dnshandling_test && createdb -O dnshandling dnshandling_test"
else sudo -u postgres sh -c "dropdb --if-exists --force dnshandling_test && createdb -O dnshandling dnshandling_test"; fi
scripts/install-packages.sh unbound:unbound pebble:pebble caddy:caddy haproxy:haproxy curl:curl
exec ./mvnw -B verify "$@"
