#!/usr/bin/env bash
# GET list latency (p50/p99) of certificate-, connection- and rotation-service on the local stack,
# first with no load, then while 8 uploads of a key at the PBKDF2 iteration ceiling (encrypted
# PKCS#8, 1,000,000 iterations) and 50 connection tests against a Snowflake endpoint that never
# answers (a TCP socket that accepts and stays silent) are kept in flight. One run, one table.
#   bench/hostile-load.sh [samples=300] [testTimeoutSecs=20]
# SKIP_BUILD=1 reuses the last build (passed on to ./run-local); the ports of ./run-local can be
# moved with its variables (PG_PORT, VAULT_PORT, CERTIFICATE_PORT, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-300}
TEST_TIMEOUT=${2:-20}
source scripts/jdk.sh
OUT=target/bench/hostile
mkdir -p "$OUT"

# One client certificate; its key twice: plain (set-up) and encrypted at the iteration ceiling.
if [ ! -f "$OUT/client-1m.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$OUT/client.key" -out "$OUT/client.crt" -days 90 \
    -subj /CN=hostile-load 2>/dev/null
  openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1000000 -in "$OUT/client.key" \
    -out "$OUT/client-1m.key" -passout pass:hostile-load-pass
fi

source bench/local-stack.sh
start_local_stack "$OUT/run-local.log"

echo "== hostile load (JVM mode, $(java -version 2>&1 | head -1)), $(nproc) cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java bench/src/HostileLoad.java "$CERTIFICATE_SERVICE_URL" "$CONNECTION_SERVICE_URL" "$ROTATION_SERVICE_URL" \
  "$ADMIN_TOKEN" "$OUT/client.crt" "$OUT/client-1m.key" hostile-load-pass "$OUT/client.key" "$SAMPLES" "$TEST_TIMEOUT"
echo "readiness after the run:"
for url in "$CERTIFICATE_SERVICE_MANAGEMENT_URL" "http://127.0.0.1:${CONNECTION_MGMT_PORT:-9082}" \
  "http://127.0.0.1:${ROTATION_MGMT_PORT:-9083}"; do
  printf '  %s/q/health/ready -> %s\n' "$url" "$(curl -s -o /dev/null -w '%{http_code}' "$url/q/health/ready")"
done
