#include "mpi_sched/runtime.h"

#include <mpi.h>
#include <sched.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

#include "mpi_sched/mpi_transport.h"
#include "mpi_sched/worker.h"

namespace fai {

namespace {

// Where launchers (mpirun, srun) tell a process its rank in the job.
constexpr const char* kRankVariables[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"};

// Whether a launcher started this process as a rank of a job.
bool Launched() {
  for (const char* var : kRankVariables)
    if (std::getenv(var) != nullptr) return true;
  return false;
}

// Environment variables that only MPI_Init reads, set for it alone: removed once it has read them,
// so that the programs tasks start (which may be MPI jobs of their own, on other hosts) get the
// user's environment. A variable the user set is left as it is.
class InitOnlyEnvironment {
 public:
  InitOnlyEnvironment() = default;
  InitOnlyEnvironment(const InitOnlyEnvironment&) = delete;
  InitOnlyEnvironment& operator=(const InitOnlyEnvironment&) = delete;
  ~InitOnlyEnvironment() {
    for (const char* name : set_) unsetenv(name);
  }
  void SetUnlessSet(const char* name, const char* value) {
    if (std::getenv(name) == nullptr && setenv(name, value, 0) == 0) set_.push_back(name);
  }

 private:
  std::vector<const char*> set_;
};

// When every rank of the job runs on this host, MPI needs no network, yet Open MPI's start-up
// still looks for one:
// - it probes every fabric: the PSM, PSM2 and OFI transports cost about 0.2 s per rank on a host
//   without such hardware. Unless the user chose a PML, ask for ob1, which carries messages
//   between the host's ranks through shared memory;
// - each rank's hwloc reads every PCI device's configuration space, to place network cards: 15 ms
//   of CPU per rank in a virtual machine. Unless the user configured hwloc, its I/O discovery is
//   left out (the CPUs, caches and memory it finds are the same).
void LeaveOutTheNetworkOnOneHost(InitOnlyEnvironment* env) {
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (size == nullptr || local == nullptr || std::strcmp(size, local) != 0) return;
  env->SetUnlessSet("OMPI_MCA_pml", "ob1");
  if (std::getenv("HWLOC_XMLFILE") == nullptr) env->SetUnlessSet("HWLOC_COMPONENTS", "-linuxio,-pci");
}

// mpirun binds each rank to a core (or a socket) when the host has a core for every rank, and
// whatever a worker starts inherits the binding: `mpirun -n 2` would run all the tasks of a worker
// offering 8 CPUs, their threads and their programs, on one core. A worker whose binding is
// narrower than the CPUs it offers drops it (the kernel still keeps it within the job's cpuset);
// a binding at least as wide is the user's choice and stays. Call it on the thread that will
// start the task threads, before it does.
void WidenCpuBinding(double offered_cpus) {
  cpu_set_t current;
  if (sched_getaffinity(0, sizeof current, &current) != 0 || CPU_COUNT(&current) >= std::ceil(offered_cpus)) return;
  cpu_set_t any;
  CPU_ZERO(&any);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) CPU_SET(cpu, &any);
  sched_setaffinity(0, sizeof any, &any);
}

// Every worker's host facts: ranks sharing a node are found with a shared-memory split.
HostFacts GatherHostFacts(MPI_Comm world) {
  HostFacts facts = ReadLocalHostFacts();
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  MPI_Comm node;
  MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  int node_size = 0, node_rank = 0;
  MPI_Comm_size(node, &node_size);
  MPI_Comm_rank(node, &node_rank);
  // Rank 0 is the master and runs no tasks: it does not count among its node's workers.
  int master_here = rank == 0 ? 1 : 0;
  int masters_on_node = 0;
  MPI_Allreduce(&master_here, &masters_on_node, 1, MPI_INT, MPI_SUM, node);
  facts.workers_on_host = std::max(1, node_size - masters_on_node);
  facts.index_on_host = masters_on_node > 0 ? node_rank - 1 : node_rank;
  MPI_Comm_free(&node);
  return facts;
}

int RunLocal(const ModuleRegistry& registry, const RuntimeOptions& options, const MasterFn& master_fn) {
  HostFacts facts = ReadLocalHostFacts();
  Result<WorkerCapacity> cap = ComputeCapacity(options.capacity, facts);
  if (!cap.ok()) {
    std::cerr << "fai-sweep: error: " << cap.status().message() << "\n";
    return 2;
  }
  LocalHub hub(2);
  std::unique_ptr<Transport> master_side = hub.Connect(0);
  std::unique_ptr<Transport> worker_side = hub.Connect(1);
  cap->rank = 1;
  WidenCpuBinding(cap->cpus);
  std::thread worker([&] { RunWorker(worker_side.get(), &registry, *cap); });
  Master master(master_side.get());
  std::vector<WorkerCapacity> workers = master.Handshake();
  master.Start(workers);
  master.set_on_release([&] { worker.join(); });
  const int status = master_fn(master, workers);
  master.Release();
  return status;
}

}  // namespace

int LauncherRank() {
  for (const char* var : kRankVariables)
    if (const char* v = std::getenv(var)) return std::atoi(v);
  return 0;
}

int RunRuntime(const ModuleRegistry& registry, const RuntimeOptions& options, const MasterFn& master_fn) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  // Started alone (no launcher, and the program has not started MPI itself): one rank, served by a
  // local worker thread, needs no MPI. Open MPI's start-up as a singleton would cost about 0.15 s.
  if (!initialized && !Launched()) return RunLocal(registry, options, master_fn);
  if (!initialized) {
    InitOnlyEnvironment env;
    LeaveOutTheNetworkOnOneHost(&env);
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  }
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  int status = 0;
  bool finalized = false;
  if (size == 1) {
    status = RunLocal(registry, options, master_fn);
  } else {
    HostFacts facts = GatherHostFacts(MPI_COMM_WORLD);
    MpiTransport transport(MPI_COMM_WORLD);
    if (rank == 0) {
      Master master(&transport);
      if (!initialized) {
        master.set_on_release([&] {
          MPI_Finalize();
          finalized = true;
        });
      }
      std::vector<WorkerCapacity> workers = master.Handshake();
      master.Start(workers);
      status = master_fn(master, workers);
      master.Release();
    } else {
      Result<WorkerCapacity> cap = ComputeCapacity(options.capacity, facts);
      if (!cap.ok()) {
        if (facts.index_on_host == 0) std::cerr << "fai-sweep: error: " << cap.status().message() << "\n";
        // Offer nothing; the master reports that no task fits.
        cap = WorkerCapacity{};
        cap->cpus = 0;
        status = 2;
      }
      cap->rank = rank;
      WidenCpuBinding(cap->cpus);
      RunWorker(&transport, &registry, *cap);
    }
  }
  if (!initialized && !finalized) MPI_Finalize();
  return status;
}

}  // namespace fai
