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
  -o "$OUT/quickstart.h5" --rows 0

echo
echo "== The seed's sweep: random forest m12 over iterations x min_samples_per_leaf (examples/quant_rf)"
mpirun -n 4 "$BUILD_DIR/fai-sweep" examples/quant_rf/canvas.json examples/quant_rf/grid.yaml \
  -o "$OUT/quant_rf.h5" --rows 0
echo
echo "== Combinations sorted by the backtest's Sharpe ratio (m15.sharpe)"
"$BUILD_DIR/fai-sweep" show "$OUT/quant_rf.h5" --sort m15.sharpe \
  --columns combo,status,m12.iterations,m12.min_samples_per_leaf,m14.r2,m15.sharpe,m15.annual_return,m15.max_drawdown,m15.ic_mean
echo
echo "Results: $OUT/quickstart.h5 and $OUT/quant_rf.h5 (fai-sweep show / export, or h5py)"
