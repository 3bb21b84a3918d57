#!/usr/bin/env bash
# Builds the class archive the service starts from (Java's AppCDS): every class that a start loads,
# listed in src/main/cds/startup-classes.lst, read from the runner jar, verified and laid out once,
# so that a start maps them instead of loading them. The archive is only valid for the JVM that
# built it and for the jar at the same path, so it is built where it is used: in the image by
# Dockerfile.jvm, and locally for the benchmarks and the test that checks it. No database and no
# run of the service are needed.
#
#   scripts/class-archive.sh [JAR] [ARCHIVE] [CLASS_LIST]     JAVA=/path/to/java to choose the JVM
set -euo pipefail
JAR=${1:-target/dns-handling-runner.jar}
ARCHIVE=${2:-target/dns-handling.jsa}
LIST=${3:-$(dirname "$0")/../src/main/cds/startup-classes.lst}
# Classes the list names but the jar no longer has are skipped with a warning: a stale list makes
# a smaller archive, never a wrong one (the service's own classes always come from the jar).
"${JAVA:-java}" -Xshare:dump -XX:SharedClassListFile="$LIST" -XX:SharedArchiveFile="$ARCHIVE" -cp "$JAR" \
  -Xlog:cds=error -Xlog:cds+dynamic=error >/dev/null
echo "class archive: $ARCHIVE ($(du -m "$ARCHIVE" | cut -f1) MiB, $(grep -cv '^[#@]' "$LIST") classes listed)"
