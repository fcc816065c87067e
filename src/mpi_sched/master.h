// Master: rank 0's side of the runtime. It learns the workers' capacities, takes tasks (before
// and while others run), places them with the Scheduler, sends them in batches, and reports each
// finished, failed or skipped task to a callback. It never relays bulk data: workers fetch
// inputs from each other; rank 0 only receives the outputs a task order asks to ship.
//
// Short tasks are pipelined: once the tasks of one module (tasks that may queue, see
// SchedulerTask::may_queue) have taken under kQueueBelowS on average, a task of that module that
// fits nowhere is sent to wait on a worker behind a running one, and starts there the moment that
// one ends, instead of one report and one order later. Not under fail_fast (a queued task would
// start after the first failure).
//
// Used by one thread: the one that owns the transport.
#ifndef FAI_MPI_SCHED_MASTER_H_
#define FAI_MPI_SCHED_MASTER_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fai/task_failure.h"
#include "mpi_sched/scheduler.h"
#include "mpi_sched/transport.h"

namespace fai {

struct TaskResult {
  uint64_t task = 0;
  TaskState state = TaskState::kSucceeded;
  FailureKind failure = FailureKind::kNone;
  int attempts = 0;     // runs it took (0: skipped)
  std::string error;
  int rank = -1;        // where it ran (-1: skipped)
  Grant grant;
  double start_s = 0;   // steady clock seconds on its worker
  double wall_s = 0;
  Dict shipped;
};

struct MasterOptions {
  bool fail_fast = false;  // after the first failure start nothing new (the rest is skipped)
};

class Master {
 public:
  // Mean run time of a kind of task below which its tasks queue behind running ones.
  static constexpr double kQueueBelowS = 0.05;
  // Runs of a kind of task seen before its mean counts.
  static constexpr uint64_t kQueueAfterRuns = 3;

  explicit Master(Transport* transport) : transport_(transport) {}
  void set_options(const MasterOptions& options) { options_ = options; }

  // Waits for every other rank's kHello. Returns their capacities ordered by rank.
  std::vector<WorkerCapacity> Handshake();
  // Starts scheduling on these workers. REQUIRES: called once, before Submit.
  void Start(std::vector<WorkerCapacity> workers);

  // Adds a task; `order.task` is set to its id. Its inputs must name tasks already submitted.
  // A failed run is retried per order.retries / order.retry_on_error before it counts. For a task
  // that may queue, the Master sets its kind: one per module (order.type and order.module_id).
  uint64_t Submit(TaskOrder order, SchedulerTask task);

  // Runs until every submitted task has ended, calling on_result for each (in the order they
  // end). on_result may Submit more tasks.
  void RunUntilIdle(const std::function<void(TaskResult&&)>& on_result);

  // One pass of the loop for callers that serve more than a fixed set of tasks (the C++ API):
  // takes arrived messages (completions go to on_result, anything else to on_message), places
  // ready tasks and frees dead objects. Returns true when something happened.
  bool Pump(const std::function<void(TaskResult&&)>& on_result, const std::function<void(Envelope&)>& on_message);
  // Places ready tasks now (after Submit or a TryUnblock outside Pump).
  void Dispatch();

  // Ends this Master's use of the workers: tells every worker to stop once its running tasks end,
  // then runs what the runtime set with set_on_release. Under MPI that ends MPI on this rank, so
  // that what rank 0 still does alone (writing the result file, on another thread) overlaps the
  // ranks' shutdown. Only the first call acts; nothing may be sent afterwards.
  void Release();
  void set_on_release(std::function<void()> on_release) { on_release_ = std::move(on_release); }

  const Scheduler& scheduler() const { return *scheduler_; }
  Scheduler& mutable_scheduler() { return *scheduler_; }
  const Transport& transport() const { return *transport_; }
  Transport& mutable_transport() { return *transport_; }

 private:
  void SendFrees();
  void Shutdown();
  void HandleDone(const Envelope& env, const std::function<void(TaskResult&&)>& on_result);
  void ReportSkipped(const std::function<void(TaskResult&&)>& on_result);

  // Whether a failed run of `task` gets another try (and counts it).
  bool ShouldRetry(uint64_t task, FailureKind failure);
  // Counts a run of a task that may queue, and turns queueing for its kind on or off.
  void Timed(uint64_t task, double wall_s);

  struct KindTimes {
    uint64_t runs = 0;
    double total_s = 0;
  };

  Transport* transport_;
  MasterOptions options_;
  std::unique_ptr<Scheduler> scheduler_;
  std::deque<TaskOrder> orders_;        // by task id; cleared once sent (a deque: growing
                                        // does not move them)
  std::vector<int> attempts_;           // by task id
  std::map<uint64_t, TaskOrder> spare_; // copies of orders that may be retried
  std::map<std::string, uint32_t> kinds_;  // by order.type + '\0' + order.module_id
  std::vector<KindTimes> kind_times_;      // by kind
  std::string fail_fast_reason_;
  std::function<void()> on_release_;
  bool released_ = false;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_MASTER_H_
