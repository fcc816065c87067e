// The runtime's entry: on rank 0 a Master driven by the caller, on every other rank a worker.
// With one rank, rank 0 serves tasks itself through a local worker thread that gets the machine's
// cores; a process started without a launcher (no mpirun or srun) then does not start MPI at all.
// Otherwise MPI is initialised with MPI_THREAD_FUNNELED: only the thread that calls RunRuntime
// talks MPI.
#ifndef FAI_MPI_SCHED_RUNTIME_H_
#define FAI_MPI_SCHED_RUNTIME_H_

#include <functional>
#include <vector>

#include "common/status.h"
#include "fai/module.h"
#include "mpi_sched/capacity.h"
#include "mpi_sched/master.h"

namespace fai {

struct RuntimeOptions {
  CapacityFlags capacity;  // per worker rank
};

// Called on rank 0 with a started-up Master (handshake done) and the workers' capacities; its
// return value becomes the exit status of rank 0. The runtime shuts the workers down afterwards.
using MasterFn = std::function<int(Master& master, const std::vector<WorkerCapacity>& workers)>;

// Initialises MPI if needed, runs `master_fn` on rank 0 and serves tasks elsewhere, finalises
// MPI. Returns this rank's exit status (2 when capacity flags are invalid).
int RunRuntime(const ModuleRegistry& registry, const RuntimeOptions& options, const MasterFn& master_fn);

// This process's rank as the launcher set it (before MPI starts), or 0.
int LauncherRank();

}  // namespace fai

#endif  // FAI_MPI_SCHED_RUNTIME_H_
