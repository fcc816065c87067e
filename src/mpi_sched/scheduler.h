// Scheduler: the master's task graph, slot ledger and object directory, as plain logic (no MPI,
// no clocks), so that it is tested directly.
//
// Tasks are added with the objects they read (an object is the outputs of one task, named by
// that task's id). A task becomes ready when all of its inputs exist; Schedule() places ready
// tasks on workers (placement.h) in submission order, letting smaller tasks pass a task that fits
// nowhere yet. A failed task's dependants are skipped. An object is freed on every worker holding
// it once its last consumer has finished, unless it is kept.
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

enum class TaskState { kWaiting, kReady, kRunning, kSucceeded, kFailed, kSkipped };

struct SchedulerTask {
  Resources request;
  std::vector<ObjectId> deps;  // tasks whose outputs this task reads (already added)
  bool keep_output = false;    // never free this task's output automatically
};

struct Dispatch {
  uint64_t task = 0;
  int rank = 0;                        // the worker's rank
  Grant grant;
  std::vector<ObjectLocation> fetch;   // inputs the worker lacks, and a rank holding each
};

class Scheduler {
 public:
  explicit Scheduler(std::vector<WorkerCapacity> workers);

  // Adds a task and returns its id. A task whose input failed or was skipped is skipped at once.
  uint64_t Add(SchedulerTask task);
  // Places as many ready tasks as fit now.
  std::vector<Dispatch> Schedule();
  // Records the end of a running task. `fetched`: objects its worker copied to run it.
  void Finished(uint64_t task, bool ok, uint64_t output_bytes, const std::vector<ObjectId>& fetched);
  // A running task failed but will run again: its grant is returned and it is ready again.
  void Retry(uint64_t task);
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
  // The reservation a running (or finished) task got.
  const Grant& grant(uint64_t task) const { return tasks_[task].grant; }
  size_t size() const { return tasks_.size(); }
  size_t running() const { return running_; }
  size_t ready() const { return ready_.size(); }
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
  };
  void MarkReady(uint64_t task);
  void Finish(uint64_t task, TaskState state);
  void ConsumerDone(ObjectId object);
  void MaybeFree(ObjectId object);
  int WorkerIndex(int rank) const;

  SlotLedger ledger_;
  std::vector<Record> tasks_;
  std::deque<uint64_t> ready_;
  size_t running_ = 0;
  size_t finished_ = 0;
  std::vector<std::pair<int, ObjectId>> freeable_;
  std::vector<uint64_t> skipped_;
  std::vector<int> index_of_rank_;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_SCHEDULER_H_
