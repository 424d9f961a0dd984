#!/usr/bin/env bash
# Create latency of two certificate-service builds measured together: both run on one PostgreSQL and
# vault-emulator and one client interleaves their creates request by request, so both see the same
# machine load (back-to-back runs on a shared machine differ by more than a small change).
#   bench/certificate-create-ab.sh DIR_A DIR_B [creates=300]
# DIR_A/DIR_B: copies of certificate-service/target/quarkus-app of the two builds (A = before, B = after).
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1
B=$2
CREATES=${3:-300}
source scripts/jdk.sh
source bench/certificate-stack.sh
PEMS=target/bench/certs
make_distinct_certificates "$PEMS" "$CREATES"
PICKED=target/bench/certs-ab
rm -rf "$PICKED" && mkdir -p "$PICKED"
for crt in $(find "$PEMS" -name "*.crt" | sort | head -n "$CREATES"); do
  cp "$crt" "${crt%.crt}.key" "$PICKED/"
done
SKIP_BUILD=1 start_certificate_infrastructure target/bench/certificate-create-ab-stack
start_certificate_service "$A/quarkus-run.jar" certificate-service-a
URL_A=$CERTIFICATE_SERVICE_URL
start_certificate_service "$B/quarkus-run.jar" certificate-service-b
URL_B=$CERTIFICATE_SERVICE_URL
echo "== certificate-service create, A=$A B=$B ($(nproc) cores)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" bench/src/CertificateCreateAb.java "$URL_A" "$URL_B" "$JWT_PRIVATE_KEY" "$PICKED"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
