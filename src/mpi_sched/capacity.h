// Capacity: what one worker rank offers, from flags, else Slurm's environment, else the host's
// cores, memory and CUDA_VISIBLE_DEVICES shared among the worker ranks on that host (DESIGN §5).
// ComputeCapacity is plain logic over HostFacts; gathering the facts is the runtime's job.
#ifndef FAI_MPI_SCHED_CAPACITY_H_
#define FAI_MPI_SCHED_CAPACITY_H_

#include <map>
#include <string>

#include "common/status.h"
#include "mpi_sched/slot_ledger.h"

namespace fai {

struct CapacityFlags {
  double cpus_per_rank = 0;     // --cpus-per-rank; 0: not given
  int gpus_per_rank = -1;       // --gpus-per-rank; -1: not given
  std::string mem_per_rank;     // --mem-per-rank ("16G"); empty: not given
};

struct HostFacts {
  std::string hostname;
  int cores = 1;                              // cores this process may use
  uint64_t memory_bytes = 0;                  // the host's memory
  int workers_on_host = 1;                    // worker ranks sharing this host
  int index_on_host = 0;                      // this worker's index among them
  std::map<std::string, std::string> env;     // the variables below, when set:
  // CUDA_VISIBLE_DEVICES, SLURM_CPUS_PER_TASK, SLURM_STEP_GPUS, SLURM_JOB_GPUS,
  // SLURM_MEM_PER_NODE, SLURM_MEM_PER_CPU
};

// The environment variables HostFacts::env may hold.
const std::vector<std::string>& CapacityEnvironmentVariables();

// InvalidInput when a flag or variable cannot be parsed (naming it).
Result<WorkerCapacity> ComputeCapacity(const CapacityFlags& flags, const HostFacts& facts);

// This process's host: name, online cores, memory, and the variables above.
// workers_on_host / index_on_host are left at 1 / 0 for the caller to fill.
HostFacts ReadLocalHostFacts();

}  // namespace fai

#endif  // FAI_MPI_SCHED_CAPACITY_H_
