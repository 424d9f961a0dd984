#!/usr/bin/env bash
# Measures certificate-service in JVM mode on the local stack: launch-to-ready time, RSS idle and
# after load, and p50/p90/p99 latency of POST /api/v1/certificates under a short load of distinct
# certificates (openssl-made RSA-2048, encrypted PKCS#8 des3 keys, as users upload them).
#   bench/certificate-service.sh [requests=300] [concurrency=8]
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-300}
CONCURRENCY=${2:-8}
source scripts/jdk.sh
source bench/certificate-stack.sh
PEMS=target/bench/certs
mkdir -p "$PEMS"

make_distinct_certificates "$PEMS" "$REQUESTS"

./run-local --stop >/dev/null 2>&1 || true
rm -rf target/local-stack target/local-stack.env
./run-local >target/bench/run-local.log 2>&1 &
RUN_PID=$!
trap './run-local --stop >/dev/null 2>&1 || true; wait $RUN_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  [ -f target/local-stack/certificate-service.ready-ms ] && [ -f target/local-stack.env ] && break
  sleep 1
done
source target/local-stack.env
pid=$(awk '$1=="certificate-service" {print $2}' target/local-stack/pids)
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$(pgrep -P "$pid" java || echo "$pid")/status"; }

echo "== certificate-service (JVM mode, $(java -version 2>&1 | head -1))"
echo "launch-to-ready: $(cat target/local-stack/certificate-service.ready-ms) ms"
echo "RSS after start: $(rss)"
java bench/src/CertificateCreateLoad.java "$CERTIFICATE_SERVICE_URL" "$ADMIN_TOKEN" "$PEMS" "$CONCURRENCY"
echo "RSS after load:  $(rss)"
