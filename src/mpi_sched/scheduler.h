// Scheduler: the master's task graph, slot ledger and object directory, as plain logic (no MPI,
// no clocks), so that it is tested directly.
//
// Tasks are added with the objects they read (an object is the outputs of one task, named by
// that task's id). A task becomes ready when all of its inputs exist; Schedule() places ready
// tasks on workers (placement.h) in submission order, letting smaller tasks pass a task that fits
// nowhere yet. When nothing more fits, a task that may queue goes to wait on a worker behind a
// running task of its kind (SchedulerTask::may_queue). A failed task's dependants are skipped.
// An object is freed on every worker holding it once its last consumer has finished, unless it
// is kept.
//
// Task ids are dense: the n-th task added has id n. Tasks may be added while others run (the
// graph grows). Not thread-safe: owned by the master's communication thread.
#ifndef FAI_MPI_SCHED_SCHEDULER_H_
#define FAI_MPI_SCHED_SCHEDULER_H_

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "mpi_sched/slot_ledger.h"
#include "mpi_sched/wire.h"

namespace fai {

// kQueued: sent to a worker to start there when the running task ahead of it ends.
enum class TaskState { kWaiting, kReady, kQueued, kRunning, kSucceeded, kFailed, kSkipped };

struct SchedulerTask {
  Resources request;
  std::vector<ObjectId> deps;  // tasks whose outputs this task reads (already added)
  bool keep_output = false;    // never free this task's output automatically
  // Tasks of one kind are alike (one module of a sweep). A task that may queue never waits for
  // other tasks (it runs out of process, so it cannot call get()). While queueing is on for its
  // kind (SetQueueing) and it fits nowhere, it is sent to wait on a worker behind a running task
  // of its kind with the same request, and takes over that task's reservation the moment it
  // ends: the worker starts it at once instead of reporting and waiting for the next order.
  uint32_t kind = 0;
  bool may_queue = false;
};

struct Dispatch {
  uint64_t task = 0;
  int rank = 0;                        // the worker's rank
  Grant grant;                         // for a queued task: the one of the task ahead of it
  std::vector<ObjectLocation> fetch;   // inputs the worker lacks, and a rank holding each
  uint64_t after = kNoTask;            // queued: the running task it waits behind
};

class Scheduler {
 public:
  explicit Scheduler(std::vector<WorkerCapacity> workers);

  // Adds a task and returns its id. A task whose input failed or was skipped is skipped at once.
  uint64_t Add(SchedulerTask task);
  // Places as many ready tasks as fit now.
  std::vector<Dispatch> Schedule();
  // Records the end of a running (or queued) task. `fetched`: objects its worker copied to run
  // it. Its reservation passes to the task queued behind it, if any.
  void Finished(uint64_t task, bool ok, uint64_t output_bytes, const std::vector<ObjectId>& fetched);
  // A running (or queued) task failed but will run again: it is ready again, and its reservation
  // passes on as in Finished.
  void Retry(uint64_t task);
  // Turns queueing behind running tasks on or off for one kind of task (SchedulerTask::may_queue).
  void SetQueueing(uint32_t kind, bool on);
  // A running task waits (in get()): its reservation goes back to the pool.
  void Block(uint64_t task);
  // Reserves the blocked task's request again on its worker. False when it does not fit yet.
  bool TryUnblock(uint64_t task);
  // Skips every task not yet running (waiting or ready): no new work starts.
  void CancelPending();
  // Lets `object` be freed again once its consumers are done (undoes keep_output).
  void Release(ObjectId object);

  // (rank, object) pairs to free since the last call.
  std::vector<std::pair<int, ObjectId>> TakeFreeable();
  // Tasks skipped since the last call (their inputs failed).
  std::vector<uint64_t> TakeSkipped();

  TaskState state(uint64_t task) const { return tasks_[task].state; }
  const SchedulerTask& task(uint64_t id) const { return tasks_[id].spec; }
  // The reservation a running (or finished) task got; for a queued task, the one it will take over.
  const Grant& grant(uint64_t task) const { return tasks_[task].grant; }
  size_t size() const { return tasks_.size(); }
  size_t running() const { return running_; }
  size_t ready() const { return ready_.size(); }
  // How many tasks have been sent to queue behind a running one.
  uint64_t queued_total() const { return queued_total_; }
  // True when every added task has finished, failed or been skipped.
  bool Idle() const { return finished_ == tasks_.size(); }
  // The first worker rank holding `object`, or -1.
  int Holder(ObjectId object) const;
  const SlotLedger& ledger() const { return ledger_; }
  // Rank of worker index w.
  int RankOf(int w) const { return ledger_.worker(w).rank; }

 private:
  struct Record {
    SchedulerTask spec;
    TaskState state = TaskState::kWaiting;
    size_t missing_inputs = 0;
    std::vector<uint64_t> consumers;   // tasks reading this one's output
    size_t unfinished_consumers = 0;
    std::vector<int> holders;          // worker indices holding the output
    uint64_t bytes = 0;
    Grant grant;
    bool freed = false;
    uint64_t ahead = kNoTask;          // queued: the task it waits behind
    uint64_t behind = kNoTask;         // running: the task queued behind it
  };
  void MarkReady(uint64_t task);
  // The fetches task needs on worker w.
  std::vector<ObjectLocation> FetchesOn(const Record& r, int w) const;
  void StartRunning(uint64_t task, const Grant& grant);
  // Queues every ready task that may, behind a running task, while one is free to take it.
  void QueueBehindRunning(std::vector<Dispatch>* out);
  // A running task of `task`'s kind and request with nothing queued behind it, or kNoTask.
  uint64_t TakeOpenSlot(const Record& task);
  // The task stops holding its place: a queued one leaves the line; a running one's reservation
  // passes to the task queued behind it, or goes back to the ledger.
  void LeaveSlot(uint64_t task);
  void Finish(uint64_t task, TaskState state);
  void ConsumerDone(ObjectId object);
  void MaybeFree(ObjectId object);
  int WorkerIndex(int rank) const;

  SlotLedger ledger_;
  std::vector<Record> tasks_;
  std::deque<uint64_t> ready_;
  // By kind: running tasks that may take a queued task behind them, oldest first (some may have
  // ended or taken one since: skipped when found).
  std::vector<std::deque<uint64_t>> open_;
  std::vector<bool> queueing_;  // by kind
  bool any_queueing_ = false;
  uint64_t queued_total_ = 0;
  size_t running_ = 0;
  size_t finished_ = 0;
  std::vector<std::pair<int, ObjectId>> freeable_;
  std::vector<uint64_t> skipped_;
  std::vector<int> index_of_rank_;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_SCHEDULER_H_
