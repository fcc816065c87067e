#!/usr/bin/env bash
# The main job: installs what is missing, builds, and shows the example sweep.
#   bash scripts/demo.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${FAI_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1   # Open MPI refuses root otherwise
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1
OUT="${FAI_DEMO_OUT:-$ROOT/out}"
mkdir -p "$OUT"
cd "$ROOT"

echo
echo "== The plan of examples/quickstart: combinations, shared work, ids"
"$BUILD_DIR/fai-sweep" examples/quickstart/canvas.json examples/quickstart/grid.yaml --dry-run

echo
echo "== Running it on 4 MPI ranks (1 master, 3 workers)"
mpirun -n 4 "$BUILD_DIR/fai-sweep" examples/quickstart/canvas.json examples/quickstart/grid.yaml \
  -o "$OUT/quickstart.h5"
