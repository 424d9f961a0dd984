#!/usr/bin/env bash
# Measures rotation-service on the local stack (./run-local: PostgreSQL, vault-emulator,
# snowflake-emulator with account DEMO, certificate-, connection- and rotation-service, JVM mode):
# seeds N service users into the emulator, creates N key-pair connections (slot 1 registered,
# policy gracePeriod PT0S so DRAIN does not wait), then
#   (a) the median duration of single rotations, run one after the other, and
#   (b) the time until N rotations requested at once are all DONE (worker concurrency bound), twice
#       ((c): the JVM warmed by (b)), and
#   (d) the time from the instant N policies fall due at once (one cron for all, DUE_LEAD_SECONDS=60
#       or more ahead) until all their scheduled runs are DONE. ROTATION_BATCHES=d runs (d) alone
#       (on a JVM that has run only the set-up and the singles); default bcd.
#   bench/rotation-service.sh [connections=100] [singles=10]
# SKIP_BUILD=1 reuses the last build (passed on to ./run-local); ROTATION_SERVICE_WORKER_CONCURRENCY=8
# tries another worker concurrency without a rebuild, ROTATION_SERVICE_WORK_KEY_RESERVE=0 runs without
# the key reserve (for an A/B; default 32). Each batch prints how many reserved keys were ready when
# it was requested, read from rotation-service's /q/metrics (the bench does not wait for a full reserve).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100}
SINGLES=${2:-10}
source scripts/jdk.sh
mkdir -p target/bench

source bench/local-stack.sh
start_local_stack target/bench/run-local-rotation.log
if [ -z "${ROTATION_SERVICE_URL:-}" ] || [ -z "${SNOWFLAKE_ADMIN_CONNECTION_ID:-}" ]; then
  echo "the local stack has no rotation-service or no key-admin connection; see target/bench/run-local-rotation.log" >&2
  exit 1
fi

echo "== rotation-service (JVM mode, $(java -version 2>&1 | head -1)), $(nproc) cores"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU seconds per process during (b), read from the pid file ./run-local writes.
LOCAL_STACK_PG_DIR=target/local-stack/pg LOCAL_STACK_PIDS=target/local-stack/pids \
  ROTATION_SERVICE_MANAGEMENT_URL="http://127.0.0.1:${ROTATION_MGMT_PORT:-9083}" java bench/src/RotationLoad.java "$SNOWFLAKE_EMULATOR_URL" "$CONNECTION_SERVICE_URL" "$ROTATION_SERVICE_URL" \
  "$ADMIN_TOKEN" "$SNOWFLAKE_ADMIN_CONNECTION_ID" "$SNOWFLAKE_ACCOUNT" "$COUNT" "$SINGLES"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
# ROTATION_SERVICE_WORKER_CONCURRENCY in the environment reaches rotation-service through ./run-local.
echo "key reserve: ${ROTATION_SERVICE_WORK_KEY_RESERVE:-32 (default)} keys (rotation-service.work.key-reserve)"
echo "worker concurrency: ${ROTATION_SERVICE_WORKER_CONCURRENCY:-$(grep '^rotation-service.worker.concurrency' rotation-service/src/main/resources/application.properties | cut -d= -f2)} per replica (1 replica)"
