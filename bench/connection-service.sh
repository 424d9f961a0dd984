#!/usr/bin/env bash
# Connection test through connection-service next to a bare Snowflake JDBC login against the same
# snowflake-emulator, measured in one run on the local stack (./run-local).
#   bench/connection-service.sh [samples=200]   # WARMUP=n driver logins in each JVM first (default 3000)
# SKIP_BUILD=1 reuses the last build (passed on to ./run-local). JFR=1 records connection-service with
# JFR (settings=profile) while the harness runs: target/bench/connection-service.jfr. BENCH_CLIENT_OPTS adds JVM
# options to the harness's JVM (its bare series), e.g. "-Djdk.pollerMode=1".
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-200}
source scripts/jdk.sh
mkdir -p target/bench

source bench/local-stack.sh
source bench/certificate-stack.sh # free_port, wait_for, start_floor_app
start_local_stack target/bench/run-local-connection.log
# The floor app on the stack's PostgreSQL; in run-local's pid file, ./run-local --stop stops it too.
start_floor_app "$POSTGRES_JDBC_URL" target/bench/floor-app-connection.log
[ -n "$FLOOR_PID" ] && echo "floor-app $FLOOR_PID" >>target/local-stack/pids

echo "== connection test (JVM mode, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)), $(nproc) cores"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${JFR:-}" = 1 ]; then
  CS_PID=$(awk '$1 == "connection-service" { print $2 }' target/local-stack/pids)
  "$JAVA_HOME/bin/jcmd" "$CS_PID" JFR.start name=bench settings=profile >/dev/null
fi
# The driver the service uses, from the service's own build.
FLOOR_URL="$FLOOR_URL" LOCAL_STACK_PG_DIR=target/local-stack/pg LOCAL_STACK_PIDS=target/local-stack/pids "$JAVA_HOME/bin/java" ${BENCH_CLIENT_OPTS:-} -Dwarmup=${WARMUP:-3000} -cp 'connection-service/target/quarkus-app/lib/main/*' bench/src/ConnectionTestLoad.java \
  "$SNOWFLAKE_EMULATOR_URL" "$CONNECTION_SERVICE_URL" "$ADMIN_TOKEN" "$SNOWFLAKE_ADMIN_CONNECTION_ID" "$SNOWFLAKE_ACCOUNT" "$SAMPLES"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${JFR:-}" = 1 ]; then
  "$JAVA_HOME/bin/jcmd" "$CS_PID" JFR.stop name=bench filename="$PWD/target/bench/connection-service.jfr" >/dev/null
  echo "JFR recording: target/bench/connection-service.jfr"
fi
