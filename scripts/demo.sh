#!/usr/bin/env bash
# The main job: installs what is missing, builds, and shows the example sweep.
#   bash scripts/demo.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${FAI_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh"

echo
echo "== fai-sweep validate examples/quickstart (the plan: combinations, shared work, ids)"
cd "$ROOT"
"$BUILD_DIR/fai-sweep" examples/quickstart/canvas.json examples/quickstart/grid.yaml --dry-run
