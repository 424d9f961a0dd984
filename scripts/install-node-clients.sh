#!/usr/bin/env bash
# Installs a module's pinned npm test clients: run by the Maven build (exec-maven-plugin, phase
# process-test-resources) as  install-node-clients.sh <module>/src/test/node <module>/target/node-client
#
# Copies the files of SRC (scripts, package.json, package-lock.json) to DEST and runs `npm ci` there
# (exact versions and integrity hashes from the committed lock file; --ignore-scripts: no package
# runs code at install). The install is skipped while DEST already holds that same lock file.
#
# Without node or npm on PATH it only warns: the module's other tests still run, and its Node.js
# client tests fail with a message saying what is missing.
set -euo pipefail
src=$1
dest=$2
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[install-node-clients] WARNING: node or npm is not on PATH; nothing installed in $dest, and the tests using it will fail. Install Node.js >= 20 with npm." >&2
  exit 0
fi
mkdir -p "$dest"
find "$src" -maxdepth 1 -type f -exec cp {} "$dest"/ \;
stamp="$dest/node_modules/.installed-package-lock.json"
if [ -f "$stamp" ] && cmp -s "$src/package-lock.json" "$stamp"; then
  exit 0
fi
echo "[install-node-clients] npm ci in $dest"
(cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
cp "$src/package-lock.json" "$stamp"
