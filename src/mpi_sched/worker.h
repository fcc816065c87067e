// Worker: serves tasks on one rank. Its communication thread (the caller of Run) owns the
// transport and the object store; task threads run tasks and hand results back through a
// queue. Inputs the worker lacks are fetched straight from the worker holding them. The loop
// waits with a growing back-off when idle, so an idle rank does not take a core from the tasks.
#ifndef FAI_MPI_SCHED_WORKER_H_
#define FAI_MPI_SCHED_WORKER_H_

#include "fai/module.h"
#include "mpi_sched/slot_ledger.h"
#include "mpi_sched/transport.h"

namespace fai {

// Serves until the master sends kShutdown. Sends kHello with `capacity` first.
// REQUIRES: `transport` and `registry` outlive the call.
void RunWorker(Transport* transport, const ModuleRegistry* registry, const WorkerCapacity& capacity);

}  // namespace fai

#endif  // FAI_MPI_SCHED_WORKER_H_
