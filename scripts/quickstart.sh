#!/usr/bin/env bash
# The README's first command: install everything xietong needs on a fresh Debian/Ubuntu machine
# (system packages, then the locked npm packages) and run the demo on the bundled samples into
# output/. Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
bash scripts/setup-system.sh

# onnxruntime-node's postinstall only fetches CUDA libraries (from nuget.org, unreachable offline; the
# CPU runtime is inside the npm package). npm 11 skips it (allowScripts in package.json); npm 10,
# which ignores allowScripts, is told to skip it here.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "[setup] npm packages already installed"
fi

echo "[setup] ready in $(( $(date +%s) - start )) s — running the demo / 运行演示"
node bin/xietong.js demo "$@"
