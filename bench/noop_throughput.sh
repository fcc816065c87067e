#!/usr/bin/env bash
# No-op task throughput at -n 2 and -n 4, side by side in one run:
#   fai-sweep on a grid of no-op tasks, the runtime directly, mpi4py.futures' MPIPoolExecutor,
#   and a raw Boost.MPI round-trip loop (the floor).
# Usage: bash bench/noop_throughput.sh [build-dir]     (after scripts/build.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
source "$ROOT/bench/mpi_env.sh"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

TASKS=100000
PY_TASKS=20000
cat > "$TMP/canvas.json" <<JSON
{"version": 1, "name": "noop throughput",
 "modules": [{"id": "t", "type": "noop", "resources": {"num_cpus": 0.01}}]}
JSON
printf 'grid:\n  t.value: {range: [0, %d]}\n' "$TASKS" > "$TMP/grid.yaml"


for n in 2 4; do
  # fai-sweep: the whole CLI run (plan, MPI start-up, tasks, result file), timed from outside.
  start=$(date +%s.%N)
  mpirun -n "$n" "$BUILD/fai-sweep" "$TMP/canvas.json" "$TMP/grid.yaml" -o "$TMP/r$n.h5" --rows 0 --quiet >/dev/null
  end=$(date +%s.%N)
  cli=$(echo "$TASKS / ($end - $start)" | bc -l)
  runtime=$(mpirun -n "$n" "$BUILD/bench/throughput_bench" runtime "$TASKS" 0.01 | rate)
  raw=$(mpirun -n "$n" "$BUILD/bench/throughput_bench" raw 200000 | rate)
  py=$(mpirun -n "$n" /usr/bin/python3 -m mpi4py.futures "$ROOT/bench/mpi4py_noop.py" "$PY_TASKS" | rate)
  printf -- "-n %d  fai-sweep CLI %8.0f/s  runtime %8.0f/s  mpi4py.futures %7.0f/s  raw Boost.MPI round trips %8.0f/s\n" \
    "$n" "$cli" "$runtime" "$py" "$raw"
  printf -- "      runtime / mpi4py.futures = %.1fx   CLI / mpi4py.futures = %.1fx   runtime / raw = %.0f%%\n" \
    "$(echo "$runtime / $py" | bc -l)" "$(echo "$cli / $py" | bc -l)" "$(echo "100 * $runtime / $raw" | bc -l)"
done
