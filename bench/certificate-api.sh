#!/usr/bin/env bash
# certificate-service create latency at concurrency 1 and list latency at a fixed rate, on a stack of
# its own (PostgreSQL, vault-emulator, certificate-service on free ports: bench/certificate-stack.sh).
#   bench/certificate-api.sh [creates=300] [listSeconds=20] [listRate=100]   # SKIP_BUILD=1 reuses the last build
#   JFR=1 bench/certificate-api.sh                # also records the service (target/bench/certificate-api.jfr)
set -euo pipefail
cd "$(dirname "$0")/.."
CREATES=${1:-300}
LIST_SECONDS=${2:-20}
LIST_RATE=${3:-100}
source scripts/jdk.sh
source bench/certificate-stack.sh
PEMS=target/bench/certs
make_distinct_certificates "$PEMS" "$CREATES"
PICKED=target/bench/certs-api
rm -rf "$PICKED" && mkdir -p "$PICKED"
for crt in $(find "$PEMS" -name "*.crt" | sort | head -n "$CREATES"); do
  cp "$crt" "${crt%.crt}.key" "$PICKED/"
done

JVM_OPTS=()
[ "${JFR:-}" = 1 ] && JVM_OPTS=("-XX:StartFlightRecording=filename=$PWD/target/bench/certificate-api.jfr,settings=profile,dumponexit=true")
start_certificate_stack target/bench/certificate-api-stack "${JVM_OPTS[@]}"
echo "== certificate-service create and list ($(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" bench/src/CertificateApiLoad.java "$CERTIFICATE_SERVICE_URL" "$JWT_PRIVATE_KEY" "$PICKED" \
  "$LIST_SECONDS" "$LIST_RATE"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
