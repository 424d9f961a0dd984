#!/usr/bin/env bash
# KV write latency of two vault-emulator builds measured together: both run at once and one client
# interleaves its writes request by request, so both see the same machine load.
#   bench/vault-emulator-ab.sh JAR_A JAR_B [writes=2000]
# JAR_A/JAR_B: copies of emulators/vault-emulator/target/vault-emulator.jar of the two builds, placed
# next to it (its manifest finds its libraries in target/lib)
#   VAULT_JVM_OPTS=... passes JVM options to both
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1
B=$2
WRITES=${3:-2000}
source scripts/jdk.sh
source bench/certificate-stack.sh
STACK_DIR=target/bench/vault-emulator-ab
rm -rf "$STACK_DIR" && mkdir -p "$STACK_DIR"
trap stop_certificate_stack EXIT
STACK_VAULT_TOKEN=$(openssl rand -hex 16)
start_vault_emulator "$A" vault-emulator-a vault-a.log
URL_A=$VAULT_EMULATOR_URL
start_vault_emulator "$B" vault-emulator-b vault-b.log
URL_B=$VAULT_EMULATOR_URL
echo "== vault-emulator KV write, A=$A B=$B ($(nproc) cores)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" bench/src/VaultWriteAb.java "$URL_A" "$STACK_VAULT_TOKEN" "$URL_B" "$STACK_VAULT_TOKEN" "$WRITES"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
