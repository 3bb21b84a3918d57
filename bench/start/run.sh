#!/usr/bin/env bash
# Start-up benchmark: time from launching the JVM to a ready probe, and resident memory 10 s
# later, on an empty database, for several ways of running the same jar. Each way is started
# ROUNDS times, alternating, and the medians are printed. The ways:
#   default     java -jar, the JVM's own defaults, no class archive
#   small-heap  -XX:+UseSerialGC -Xmx256m -Xms32m with a heap that gives memory back
#   archive     the JVM's defaults with the class archive built from src/main/cds/startup-classes.lst
#               (scripts/class-archive.sh): what Dockerfile.jvm ships
#   archive-small-heap  the same with the small heap
#   image-parallelgc  the archive with what the image's run-java.sh adds by default (ParallelGC,
#               heap free ratios 10-20 %, GCTimeRatio 4, AdaptiveSizePolicyWeight 90), the heap
#               share Dockerfile.jvm sets (MaxRAMPercentage=70) of the 768 MiB memory limit
#               deploy/kubernetes gives a replica (MaxRAM stands in for the container's limit) and
#               the native heap trimming Dockerfile.jvm adds: the image before its collector was set
#   image       the same with the collector Dockerfile.jvm sets (GC_CONTAINER_OPTIONS, which
#               replaces run-java.sh's ParallelGC): what the image runs
#   aot-cache   the same on JDK 25 (when installed under /usr/lib/jvm) with an AOT cache (JEP 483)
#               recorded by one training start first
#
#   bench/start/run.sh            ROUNDS=3 by default
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

ROUNDS=${ROUNDS:-3}
HTTP_PORT=${HTTP_PORT:-27080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-27090}
DNS_PORT=${DNS_PORT:-27053}
DB=dnshandling_bench_start
SMALL="-XX:+UseSerialGC -Xmx256m -Xms32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
RUN_JAVA_GC_RATIOS="-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90"
IMAGE_GC=$(sed -n 's/^ENV GC_CONTAINER_OPTIONS="\(.*\)"$/\1/p' Dockerfile.jvm)
[ -n "$IMAGE_GC" ] || { echo "no GC_CONTAINER_OPTIONS in Dockerfile.jvm" >&2; exit 1; }
IMAGE_HEAP="-XX:MaxRAM=768m -XX:MaxRAMPercentage=70"
TRIM=$(sed -n 's/.*\(-XX:TrimNativeHeapInterval=[0-9]*\).*/\1/p' Dockerfile.jvm)
JDK25=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)

DATABASES=$DB scripts/prepare-postgres.sh >/dev/null
scripts/install-packages.sh curl:curl
[ -f target/dns-handling-runner.jar ] || ./mvnw -B -q package -DskipTests
scripts/class-archive.sh target/dns-handling-runner.jar target/dns-handling.jsa
ARCHIVE="-Xshare:on -XX:SharedArchiveFile=target/dns-handling.jsa"
WORK=$(mktemp -d /tmp/bench-start.XXXXXX)
. bench/common.sh
fresh_database $DB
KEK=$(head -c 32 /dev/urandom | base64)

launch() { # java-binary options... -> starts the service; SERVICE_PID
  local java=$1; shift
  env $(service_env $DB bench.test $HTTP_PORT $MANAGEMENT_PORT $DNS_PORT "$KEK") AUTH_TOKEN=bench-start-token \
    "$java" "$@" -jar target/dns-handling-runner.jar >>"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=($SERVICE_PID)
}
stop() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; }
ready() { for _ in $(seq 1 600); do curl -sf http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready >/dev/null 2>&1 && return 0; sleep 0.01; done; return 1; }
once() { # java options... -> "<ms to ready> <RSS MiB>"
  local t0 t1 rss
  t0=$(now_ms); launch "$@"; ready || { echo "not ready; see $WORK/service.log" >&2; exit 1; }; t1=$(now_ms)
  sleep 10
  rss=$(rss_mib "$SERVICE_PID")
  stop
  echo "$((t1 - t0)) $rss"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

launch java; ready; stop # migrates the empty database
ways="default small-heap archive archive-small-heap image-parallelgc image"
if [ -n "$JDK25" ]; then
  launch "$JDK25/bin/java" $SMALL -XX:AOTCacheOutput="$WORK/app.aot"; ready
  curl -s -o /dev/null -H "Authorization: Bearer bench-start-token" http://127.0.0.1:$HTTP_PORT/domains
  stop
  ways="$ways aot-cache"
fi
for round in $(seq 1 "$ROUNDS"); do
  for way in $ways; do
    case $way in
      default) r=$(once java) ;;
      small-heap) r=$(once java $SMALL) ;;
      archive) r=$(once java $ARCHIVE) ;;
      archive-small-heap) r=$(once java $ARCHIVE $SMALL) ;;
      image-parallelgc) r=$(once java $ARCHIVE -XX:+UseParallelGC $RUN_JAVA_GC_RATIOS $IMAGE_HEAP $TRIM) ;;
      image) r=$(once java $ARCHIVE $IMAGE_GC $RUN_JAVA_GC_RATIOS $IMAGE_HEAP $TRIM) ;;
      aot-cache) r=$(once "$JDK25/bin/java" $SMALL -XX:AOTCache="$WORK/app.aot") ;;
    esac
    echo "$way $r" | tee -a "$WORK/results.txt"
  done
done
echo
echo "Start to ready and resident memory 10 s later, empty database, median of $ROUNDS starts:"
for way in $ways; do
  ms=$(awk -v w="$way" '$1 == w {print $2}' "$WORK/results.txt" | median)
  mib=$(awk -v w="$way" '$1 == w {print $3}' "$WORK/results.txt" | median)
  echo "  $way: ${ms} ms, ${mib} MiB (targets: <= 2500 ms, <= 200 MiB)"
done
