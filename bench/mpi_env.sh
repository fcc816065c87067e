# Sourced by the benchmark scripts that start mpirun: Open MPI as root on these machines, more
# ranks than cores, and `rate` to read the last "rate=<items/s>" a benchmark program printed.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1

# The last "rate=" figure as a plain decimal (bc reads no exponents).
rate() { sed -n 's/.*rate=\([0-9.e+]*\).*/\1/p' | tail -1 | awk '{ printf "%.0f", $1 }'; }
