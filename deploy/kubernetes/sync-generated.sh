#!/usr/bin/env bash
# Copies the manifests quarkus-kubernetes generates for each service into the kustomize base:
#   <service>/target/kubernetes/kubernetes.yml  ->  deploy/kubernetes/base/<service>/kubernetes.yml
# The copies are committed so `kubectl kustomize deploy/kubernetes/overlays/<env>` works on a clean
# clone without a build; deploy/validation fails the build when a copy differs from what the build
# generates. Run this after changing a service's "# Kubernetes" properties or
# src/main/kubernetes/*.yml, and commit the result.
#
# Usage: deploy/kubernetes/sync-generated.sh [service ...]
#        (default: every service that has a directory under deploy/kubernetes/base/)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE="$ROOT/deploy/kubernetes/base"
cd "$ROOT"
source scripts/jdk.sh

services=("$@")
if [ ${#services[@]} -eq 0 ]; then
  for dir in "$BASE"/*/; do
    services+=("$(basename "$dir")")
  done
fi

for service in "${services[@]}"; do
  if [ ! -f "$ROOT/$service/pom.xml" ]; then
    echo "error: no Maven module $service/ in $ROOT" >&2
    exit 1
  fi
  echo "generating $service (./mvnw -q -pl $service -am package -DskipTests) ..."
  ./mvnw -B -q -pl "$service" -am package -DskipTests
  generated="$ROOT/$service/target/kubernetes/kubernetes.yml"
  if [ ! -f "$generated" ]; then
    echo "error: $generated was not written; does $service depend on io.quarkus:quarkus-kubernetes?" >&2
    exit 1
  fi
  mkdir -p "$BASE/$service"
  cp "$generated" "$BASE/$service/kubernetes.yml"
  echo "copied to deploy/kubernetes/base/$service/kubernetes.yml"
done
