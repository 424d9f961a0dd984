#!/usr/bin/env bash
# Warm exchange through certificate-service next to a bare JDK HttpClient with the same client
# certificate against the same local TLS server, and one loopback HTTP hop measured alone.
# Starts its own PostgreSQL, vault-emulator and certificate-service on free ports (bench/certificate-stack.sh).
#   bench/exchange.sh [samples=400]        # SKIP_BUILD=1 reuses the last build
#   JFR=1 bench/exchange.sh                # also records the service with JFR (target/bench/exchange.jfr)
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-400}
source scripts/jdk.sh
source bench/certificate-stack.sh
PEMS=target/bench/exchange
mkdir -p "$PEMS"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PEMS/server.key" -out "$PEMS/server.crt" -days 30 \
  -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PEMS/client.key" -out "$PEMS/client.crt" -days 30 \
  -subj /CN=bench-exchange-client 2>/dev/null

JVM_OPTS=()
[ "${JFR:-}" = 1 ] && JVM_OPTS=("-XX:StartFlightRecording=filename=$PWD/target/bench/exchange.jfr,settings=profile,dumponexit=true")
start_certificate_stack target/bench/exchange-stack "${JVM_OPTS[@]}"
start_floor_app "$STACK_JDBC_URL" target/bench/exchange-stack/floor-app.log
if [ -n "$FLOOR_PID" ]; then
  echo "$FLOOR_PID" >>target/bench/exchange-stack/pids
  echo "floor-app $FLOOR_PID" >>target/bench/exchange-stack/processes
fi
echo "== exchange: service vs bare client vs one hop ($(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
FLOOR_URL="$FLOOR_URL" LOCAL_STACK_PG_DIR=target/bench/exchange-stack/pg LOCAL_STACK_PIDS=target/bench/exchange-stack/processes "$JAVA_HOME/bin/java" -Dwarmup=${WARMUP:-3000} bench/src/ExchangeLoad.java "$CERTIFICATE_SERVICE_URL" "$JWT_PRIVATE_KEY" "$PEMS" "$SAMPLES"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
