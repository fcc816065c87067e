#!/usr/bin/env bash
# No-op remote + get throughput of the C++ API against mpi4py.futures (one submit per call) at
# the same rank counts, in one run.
# Usage: bash bench/api_throughput.sh [build-dir]      (after scripts/build.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
source "$ROOT/bench/mpi_env.sh"
for n in 2 4; do
  api=$(mpirun -n "$n" "$BUILD/bench/api_throughput_bench" 100000 | rate)
  py=$(mpirun -n "$n" /usr/bin/python3 -m mpi4py.futures "$ROOT/bench/mpi4py_noop.py" 20000 | rate)
  printf -- "-n %d  fai::remote+get %8.0f/s   mpi4py.futures submit+result %7.0f/s   ratio %.1fx\n" \
    "$n" "$api" "$py" "$(echo "$api / $py" | bc -l)"
done
