#!/usr/bin/env bash
# Configures and builds fai-sweep (Release) into build/ (or $FAI_BUILD_DIR). Incremental.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${FAI_BUILD_DIR:-$ROOT/build}"
JOBS="${FAI_JOBS:-$(nproc)}"

cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
