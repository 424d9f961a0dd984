#!/usr/bin/env bash
# Rewrites each service's start-up class list (src/main/resources/META-INF/keyline/startup-classes.txt,
# read by service-common's StartupClassPreloader): one launch of each service (bench/startup.sh 1 noaot,
# its own stack) with -Xlog:class+load and the preloader off, the log copied at the moment of ready,
# then bench/src/StartupClassList.java. Re-run after a dependency or start-up change; a stale list only
# preloads less (or looks up a few classes that are gone).
#   bench/startup-classes.sh          # SKIP_BUILD=1 reuses the last -Pbench build
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$PWD/target/bench/startup-classes"
rm -rf "$OUT"
mkdir -p "$OUT"
BENCH_JAVA_OPTS="-Xlog:class+load:file=$OUT/classes-%p.log -Dkeyline.startup-class-preloader.enabled=false" \
  BENCH_AT_READY="cp $OUT/classes-{pid}.log $OUT/{app}.log" bench/startup.sh 1 noaot
source scripts/jdk.sh
for svc in certificate-service connection-service rotation-service; do
  mkdir -p "$svc/src/main/resources/META-INF/keyline"
  "$JAVA_HOME/bin/java" bench/src/StartupClassList.java "$OUT/$svc.log" >"$svc/src/main/resources/META-INF/keyline/startup-classes.txt"
  echo "$svc: $(wc -w <"$svc/src/main/resources/META-INF/keyline/startup-classes.txt") words (packages + classes)"
done
