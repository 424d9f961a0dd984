#!/usr/bin/env bash
# Launch → ready and RSS after start of the floor app (bench/floor-app: plain Quarkus REST +
# Hibernate ORM Panache + PostgreSQL) and the three services, median of ROUNDS, with and without the
# JDK 25 AOT cache, interleaved in one run (bench/src/StartupTimes.java).
#   bench/startup.sh [rounds=5] [aot|noaot|both]
# BENCH_JAVA_OPTS="..." adds JVM options to every launch, the floor's included (a heap flag is only
# read next to what it does to the floor); BASELINE=DIR also launches DIR/<service> (an earlier build's
# quarkus-app copy) in the same rounds; CANDIDATE=DIR launches the services from DIR/<service> instead of
# <service>/target/quarkus-app (a copy, so a build or test run meanwhile does not replace the jars).
# A DIR/floor-app in either is launched as the floor (CANDIDATE) or as floor-app@baseline (BASELINE).
# Starts its own PostgreSQL, vault-emulator and a peer connection-service (rotation-service's
# readiness asks it) on free ports; needs the -Pbench build (bench/run does it; SKIP_BUILD=1 here).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
MODES=${2:-both}
source scripts/jdk.sh
JAVA="$JAVA_HOME/bin/java"
WORK=target/bench/startup
rm -rf "$WORK"
mkdir -p "$WORK"
chmod 755 target "$WORK"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -Pbench -DskipTests -pl bench/floor-app,certificate-service,connection-service,rotation-service,emulators/embedded-postgres,emulators/vault-emulator -am
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()
app_dir() { if [ -n "${CANDIDATE:-}" ]; then echo "$CANDIDATE/$1"; else echo "$1/target/quarkus-app"; fi; }
cleanup() { for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; wait "${PIDS[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for() { # file pattern seconds
  for _ in $(seq 1 $(($3 * 5))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; exit 1
}

PG_PORT=$(free_port)
"$JAVA" -jar emulators/embedded-postgres/target/embedded-postgres.jar --dir "$WORK/pg" --port "$PG_PORT" --database keyline \
  >"$WORK/postgres.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/postgres.log" "postgres ready" 60
VAULT_PORT=$(free_port)
VAULT_TOKEN=$(openssl rand -hex 16)
"$JAVA" -jar emulators/vault-emulator/target/vault-emulator.jar --port "$VAULT_PORT" --token "$VAULT_TOKEN" --mount secret \
  >"$WORK/vault.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/vault.log" "listening" 30

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
echo "not-a-token" >"$WORK/service.token"
DB=(QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/keyline" QUARKUS_DATASOURCE_USERNAME=keyline QUARKUS_DATASOURCE_PASSWORD=keyline)
SVC=("${DB[@]}" QUARKUS_VAULT_URL="http://127.0.0.1:$VAULT_PORT" QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN="$VAULT_TOKEN"
  KEYLINE_JWT_PUBLIC_KEY_LOCATION="$WORK/jwt-public.pem")
DEAD="http://127.0.0.1:$(free_port)"
CONNECTION_ENV=("${SVC[@]}" CONNECTION_SERVICE_SNOWFLAKE_ALLOW_PLAIN_HTTP=true SNOWFLAKE_DISABLE_MINICORE=true
  CERTIFICATE_SERVICE_URL="$DEAD" CERTIFICATE_SERVICE_HEALTH_URL="$DEAD/q/health/ready")

# The peer connection-service rotation-service's readiness check asks.
PEER_HTTP=$(free_port)
PEER_MGMT=$(free_port)
env "${CONNECTION_ENV[@]}" QUARKUS_HTTP_PORT="$PEER_HTTP" QUARKUS_MANAGEMENT_PORT="$PEER_MGMT" \
  "$JAVA" -jar "$(app_dir connection-service)/quarkus-run.jar" >"$WORK/peer-connection-service.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PEER_MGMT/q/health/ready" 2>/dev/null && break; sleep 0.2; done

tab=$'\t'
spec() { local IFS="$tab"; echo "$*"; }
{
  # The floor from the candidate's or baseline's copy too when it holds one (a packaging A/B: the floor
  # packaged alike), else from its own build.
  if [ -n "${CANDIDATE:-}" ] && [ -d "$CANDIDATE/floor-app" ]; then
    spec floor-app "$CANDIDATE/floor-app" http "${DB[@]}"
  else
    spec floor-app bench/floor-app/target/quarkus-app http "${DB[@]}"
  fi
  if [ -n "${BASELINE:-}" ] && [ -d "$BASELINE/floor-app" ]; then
    spec floor-app@baseline "$BASELINE/floor-app" http "${DB[@]}"
  fi
  spec certificate-service "$(app_dir certificate-service)" management "${SVC[@]}"
  spec connection-service "$(app_dir connection-service)" management "${CONNECTION_ENV[@]}"
  spec rotation-service "$(app_dir rotation-service)" management "${SVC[@]}" \
    CONNECTION_SERVICE_URL="http://127.0.0.1:$PEER_HTTP" CONNECTION_SERVICE_HEALTH_URL="http://127.0.0.1:$PEER_MGMT/q/health/ready" \
    KEYLINE_SERVICE_TOKEN_FILE="$WORK/service.token"
  if [ -n "${BASELINE:-}" ]; then
    for svc in certificate-service connection-service rotation-service; do
      [ -d "$BASELINE/$svc" ] || continue
      case $svc in
        certificate-service) env_=("${SVC[@]}") ;;
        connection-service) env_=("${CONNECTION_ENV[@]}") ;;
        rotation-service) env_=("${SVC[@]}" CONNECTION_SERVICE_URL="http://127.0.0.1:$PEER_HTTP"
          CONNECTION_SERVICE_HEALTH_URL="http://127.0.0.1:$PEER_MGMT/q/health/ready" KEYLINE_SERVICE_TOKEN_FILE="$WORK/service.token") ;;
      esac
      spec "$svc@baseline" "$BASELINE/$svc" management "${env_[@]}"
    done
  fi
} >"$WORK/apps.tsv"

echo "== launch → ready and RSS after start ($("$JAVA" -version 2>&1 | head -1)), $(nproc) cores, median of $ROUNDS"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "${BENCH_JAVA_OPTS:-}" ] || echo "JVM options for every app, the floor included (BENCH_JAVA_OPTS): $BENCH_JAVA_OPTS"
"$JAVA" bench/src/StartupTimes.java "$WORK/apps.tsv" "$ROUNDS" "$WORK/logs" "$MODES"
