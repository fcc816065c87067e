// Runs one task in the calling thread: looks up its module type, builds the TaskContext,
// calls the type's run function and turns any exception into a failed result. Plain logic over
// values; used by worker threads.
#ifndef FAI_MPI_SCHED_TASK_RUNNER_H_
#define FAI_MPI_SCHED_TASK_RUNNER_H_

#include <map>
#include <memory>
#include <string>

#include "fai/module.h"
#include "fai/task_failure.h"
#include "mpi_sched/wire.h"

namespace fai {

struct TaskOutcome {
  bool ok = true;
  FailureKind failure = FailureKind::kNone;
  std::string error;
  Dict outputs;
};

// The objects a task reads, by object id (shared, immutable).
using InputObjects = std::map<ObjectId, std::shared_ptr<const Dict>>;

// REQUIRES: every input object of `order` is in `inputs`. `gpu_ids` are what the task sees
// (renumbered from 0).
TaskOutcome RunTaskOrder(const ModuleRegistry& registry, const TaskOrder& order, const InputObjects& inputs);

// The outputs the master asked for (TaskOrder::ship*), copied out of `outputs`.
Dict SelectShipped(const TaskOrder& order, const Dict& outputs);

}  // namespace fai

#endif  // FAI_MPI_SCHED_TASK_RUNNER_H_
