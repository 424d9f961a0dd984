# Sourced by the certificate-service bench scripts: starts only what certificate-service needs —
# a throwaway PostgreSQL cluster, the vault-emulator and the service (JVM mode) — on free ports, so it
# runs beside other stacks and test runs. Stops them when the script exits.
#   start_certificate_stack STATE_DIR [extra JVM options for the service...]
#   VAULT_JVM_OPTS=... adds JVM options to the vault-emulator (e.g. -XX:StartFlightRecording=filename=...)
# Afterwards: CERTIFICATE_SERVICE_URL, CERTIFICATE_SERVICE_PID, JWT_PRIVATE_KEY (PKCS#8 PEM the service
# trusts for tokens with iss "keyline"; the harnesses mint their own tokens with it), STACK_JDBC_URL.
# Distinct certificates (the JDK caches parsed ones, so repeating one would flatter the figures), made
# as users make them: openssl RSA-2048 and an encrypted PKCS#8 des3 key (passphrase bench-pass).
#   make_distinct_certificates DIR COUNT       (keeps what DIR already holds)
make_distinct_certificates() {
  local dir=$1 count=$2 have
  mkdir -p "$dir"
  have=$(find "$dir" -name "*.crt" | wc -l)
  if [ "$have" -lt "$count" ]; then
    echo "making $count distinct certificates with openssl ..."
    seq "$have" $((count - 1)) | xargs -P "$(nproc)" -I{} sh -c '
      openssl req -x509 -newkey rsa:2048 -nodes -keyout "$0/c{}.plain" -out "$0/c{}.crt" -days 90 -subj "/CN=bench-{}" 2>/dev/null &&
      openssl pkcs8 -topk8 -v2 des3 -in "$0/c{}.plain" -out "$0/c{}.key" -passout pass:bench-pass && rm "$0/c{}.plain"' "$dir"
  fi
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

wait_for() { # description seconds command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "error: $what did not come up within $seconds s (logs in $STACK_DIR)" >&2
  exit 1
}

stop_certificate_stack() {
  for pid in $(tac "$STACK_DIR/pids" 2>/dev/null); do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$STACK_DIR/pids" "$STACK_DIR/processes"
}

start_certificate_stack() {
  start_certificate_infrastructure "$1"
  shift
  start_certificate_service certificate-service/target/quarkus-app/quarkus-run.jar certificate-service "$@"
}

# PostgreSQL, the vault-emulator and a JWT key pair only, for start_certificate_service to use:
#   start_certificate_infrastructure STATE_DIR
start_certificate_infrastructure() {
  STACK_DIR=$1
  local java="$JAVA_HOME/bin/java" pg_port
  if [ "${SKIP_BUILD:-}" != 1 ]; then
    echo "building certificate-service and the emulators (package, no tests) ..."
    ./mvnw -B -q package -pl certificate-service,emulators/embedded-postgres,emulators/vault-emulator -am -DskipTests
  fi
  rm -rf "$STACK_DIR"
  mkdir -p "$STACK_DIR"
  trap stop_certificate_stack EXIT
  pg_port=$(free_port)

  "$java" -jar emulators/embedded-postgres/target/embedded-postgres.jar --dir "$STACK_DIR/pg" --port "$pg_port" \
    --database keyline >"$STACK_DIR/postgres.log" 2>&1 &
  echo $! >>"$STACK_DIR/pids"
  echo "postgres $!" >>"$STACK_DIR/processes"
  wait_for PostgreSQL 90 grep -q "postgres ready" "$STACK_DIR/postgres.log"

  STACK_VAULT_TOKEN=$(openssl rand -hex 16)
  start_vault_emulator emulators/vault-emulator/target/vault-emulator.jar vault-emulator vault.log

  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$STACK_DIR/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$STACK_DIR/jwt-private.pem" -pubout -out "$STACK_DIR/jwt-public.pem"
  JWT_PRIVATE_KEY="$STACK_DIR/jwt-private.pem"
  STACK_JDBC_URL="jdbc:postgresql://127.0.0.1:$pg_port/keyline"
  STACK_VAULT_URL=$VAULT_EMULATOR_URL
}

# A vault-emulator from JAR on a free port, token $STACK_VAULT_TOKEN, mount "secret", VAULT_JVM_OPTS as
# its JVM options: start_vault_emulator JAR NAME LOG sets VAULT_EMULATOR_URL; it logs to $STACK_DIR/LOG
# and stops with the stack.
start_vault_emulator() {
  local jar=$1 name=$2 log=$3 port
  port=$(free_port)
  "$JAVA_HOME/bin/java" ${VAULT_JVM_OPTS:-} -jar "$jar" --port "$port" --token "$STACK_VAULT_TOKEN" --mount secret \
    >"$STACK_DIR/$log" 2>&1 &
  echo $! >>"$STACK_DIR/pids"
  echo "$name $!" >>"$STACK_DIR/processes"
  wait_for "$name" 60 grep -q "listening" "$STACK_DIR/$log"
  VAULT_EMULATOR_URL="http://127.0.0.1:$port"
}

# A certificate-service on the stack's PostgreSQL and Vault (after start_certificate_infrastructure), e.g.
# another build for an A/B: start_certificate_service JAR NAME [JVM options...] sets
# CERTIFICATE_SERVICE_URL and CERTIFICATE_SERVICE_PID; it logs to $STACK_DIR/NAME.log and stops with the stack.
start_certificate_service() {
  local jar=$1 name=$2 http_port mgmt_port
  shift 2
  http_port=$(free_port); mgmt_port=$(free_port)
  env QUARKUS_DATASOURCE_JDBC_URL="$STACK_JDBC_URL" \
    QUARKUS_DATASOURCE_USERNAME=keyline QUARKUS_DATASOURCE_PASSWORD=keyline \
    QUARKUS_VAULT_URL="$STACK_VAULT_URL" QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN="$STACK_VAULT_TOKEN" \
    KEYLINE_JWT_ISSUER=keyline KEYLINE_JWT_PUBLIC_KEY_LOCATION="$STACK_DIR/jwt-public.pem" \
    QUARKUS_HTTP_PORT="$http_port" QUARKUS_MANAGEMENT_PORT="$mgmt_port" \
    CERTIFICATE_SERVICE_EGRESS_ALLOW_PRIVATE_ADDRESSES=true \
    "$JAVA_HOME/bin/java" ${SERVICE_JVM_OPTS:-} "$@" -jar "$jar" >"$STACK_DIR/$name.log" 2>&1 &
  CERTIFICATE_SERVICE_PID=$!
  echo $CERTIFICATE_SERVICE_PID >>"$STACK_DIR/pids"
  echo "$name $CERTIFICATE_SERVICE_PID" >>"$STACK_DIR/processes"
  wait_for "$name" 180 curl -fsS "http://127.0.0.1:$mgmt_port/q/health/ready"
  CERTIFICATE_SERVICE_URL="http://127.0.0.1:$http_port"
}

# The floor app (bench/floor-app, built by -Pbench) on a PostgreSQL database, as a per-request floor:
#   start_floor_app JDBC_URL LOG_FILE   sets FLOOR_URL and FLOOR_PID (both empty when it is not built);
# the caller records FLOOR_PID where its stop finds it.
start_floor_app() {
  FLOOR_URL= FLOOR_PID=
  local jar=bench/floor-app/target/quarkus-app/quarkus-run.jar http_port
  [ -f "$jar" ] || return 0
  http_port=$(free_port)
  env QUARKUS_DATASOURCE_JDBC_URL="$1" QUARKUS_DATASOURCE_USERNAME=keyline QUARKUS_DATASOURCE_PASSWORD=keyline \
    QUARKUS_HTTP_PORT="$http_port" "$JAVA_HOME/bin/java" ${SERVICE_JVM_OPTS:-} -jar "$jar" >"$2" 2>&1 &
  FLOOR_PID=$!
  wait_for floor-app 120 curl -fsS "http://127.0.0.1:$http_port/q/health/ready"
  FLOOR_URL="http://127.0.0.1:$http_port"
}
