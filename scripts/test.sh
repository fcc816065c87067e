#!/usr/bin/env bash
# Installs what is missing, builds (Release) and runs the whole test suite with CTest:
# unit tests, MPI tests at 1, 2 and 4 ranks, and end-to-end tests of the fai-sweep binary.
#   bash scripts/test.sh            all tests
#   bash scripts/test.sh -L unit    only one label (unit, mpi, e2e); other ctest flags pass through
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${FAI_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh"

# Open MPI refuses to run as root without these; the tests oversubscribe the 2-core machines.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1

cd "$BUILD_DIR"
ctest --output-on-failure --timeout 900 "$@"
