#!/usr/bin/env bash
# The test command: prepares what the tests need (PostgreSQL with its role and test database)
# on this machine, then runs the whole suite with ./mvnw verify. Extra arguments go to Maven,
# e.g. scripts/test.sh -Dtest=DomainNameTest
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prepare-postgres.sh
exec ./mvnw -B verify "$@"
