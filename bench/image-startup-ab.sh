#!/usr/bin/env bash
# Launch → ready with the AOT cache trained the way the container images train it (Dockerfile.jvm's RUN
# step: the service started once without PostgreSQL or Vault, Flyway off, stopped at "started in"), for
# two packagings of the same services side by side, with the images' GC (-XX:+UseParallelGC).
#   bench/image-startup-ab.sh CANDIDATE_DIR BASELINE_DIR [rounds=3]
# Each DIR holds <service>/ copies of target/quarkus-app (and a floor-app/), e.g. an aot-jar build
# (-Dquarkus.package.jar.type=aot-jar) and a fast-jar build. Copies them to target/bench/image-ab/,
# trains each service's cache there (bench.aot, which bench/startup.sh then reuses) and runs
# bench/startup.sh with CANDIDATE and BASELINE on those copies.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 CANDIDATE_DIR BASELINE_DIR [rounds]" >&2; exit 2; }
source scripts/jdk.sh
WORK=$PWD/target/bench/image-ab
train() { # from to
  for app in floor-app certificate-service connection-service rotation-service; do
    [ -d "$1/$app" ] || continue
    rm -rf "$2/$app"
    mkdir -p "$2/$app"
    (cd "$1/$app" && cp -r app lib quarkus quarkus-run.jar "$2/$app/")
    [ "$app" = floor-app ] && continue # bench/startup.sh trains the floor itself
    extra=()
    [ "$app" = connection-service ] && extra=(SNOWFLAKE_DISABLE_MINICORE=true)
    # As in Dockerfile.jvm, with the jar named by the absolute path it is launched with.
    (cd "$2/$app"
      env "${extra[@]}" KEYLINE_JWT_PUBLIC_KEY_LOCATION=/dev/null \
      QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:1/aot-training \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=0 QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=0 \
      QUARKUS_FLYWAY_MIGRATE_AT_START=false \
      "$JAVA_HOME/bin/java" -XX:+UseParallelGC -XX:AOTCacheOutput=bench.aot -jar "$2/$app/quarkus-run.jar" >train.log 2>&1 &
      pid=$!
      for _ in $(seq 1 600); do grep -q 'started in' train.log && break; kill -0 $pid 2>/dev/null || break; sleep 0.5; done
      kill -TERM $pid 2>/dev/null || true
      wait $pid || true
      [ -s bench.aot ] || { echo "$app: no cache written; see $2/$app/train.log" >&2; exit 1; }
      echo "  trained $app like the image: $(($(stat -c %s bench.aot) / 1048576)) MB")
  done
}
train "$(realpath "$1")" "$WORK/candidate"
train "$(realpath "$2")" "$WORK/baseline"
CANDIDATE="$WORK/candidate" BASELINE="$WORK/baseline" SKIP_BUILD=1 BENCH_JAVA_OPTS="-XX:+UseParallelGC ${BENCH_JAVA_OPTS:-}" \
  bench/startup.sh "${3:-3}" aot
