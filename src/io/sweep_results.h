// Building a sweep's result file from its plan while it runs (DESIGN §7).
//
// SweepResultWriter writes the file as the sweep goes: a task's group as soon as the task has
// ended (and been journaled), a combination's group as soon as its last task has ended, on a
// thread of its own, so that rank 0 writes while the workers run and the file of a large sweep
// is nearly done when its last task ends. Finish writes what is left (tasks reused from an
// earlier run, whose outputs it reads back from the journal, and tasks that did not run), then
// /summary, /task_index and /run, and closes the file. It returns the summary table (for the
// closing table) and the per-combination counts, even when the file could not be written.
//
// Combination status: "failed" when one of its tasks failed (error: "moduleId: message" of the
// first, in canvas order), else "skipped" when one was skipped, else "ok". wall_s: the sum of
// its tasks' wall times. Metrics: a scalar output `p` of module m is column `m.p`; a map output
// contributes one column per scalar entry (`m15.sharpe`); columns sorted by name.
#ifndef FAI_IO_SWEEP_RESULTS_H_
#define FAI_IO_SWEEP_RESULTS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "dag/sweep_plan.h"
#include "io/journal.h"
#include "io/result_writer.h"
#include "io/save_selection.h"
#include "io/summary_table.h"

namespace fai {

enum class PlanTaskState { kNotRun, kSucceeded, kFailed, kSkipped };

// How one task of the plan ended, as the driver knows it.
struct PlanTaskOutcome {
  PlanTaskState state = PlanTaskState::kNotRun;
  std::string error;
  double wall_s = 0;
  int64_t journal_offset = -1;  // its journal record (succeeded and failed tasks); -1: none
  bool reused = false;          // finished in an earlier run
};

struct SweepResults {
  SummaryTable summary;
  uint64_t succeeded = 0, failed = 0, skipped = 0;  // combinations
  Status written;                                   // whether the file was written (ok) or why not
};

// Name of a failed/skipped/ok combination status in /summary.
const char* PlanTaskStateName(PlanTaskState state);

class SweepResultWriter {
 public:
  static constexpr uint64_t kMaxQueuedBytes = uint64_t{256} << 20;

  // Starts the file at `path` (a temporary name: see CommitFile); a failure is kept and reported
  // by Finish. `plan` and `save` (parsed for plan.canvas()) must outlive the writer.
  SweepResultWriter(const std::string& path, const SweepPlan& plan, const SaveSelection& save,
                    uint64_t max_queued_bytes = kMaxQueuedBytes);
  // Without Finish (a run that stopped early), it stops writing and removes the file.
  ~SweepResultWriter();
  SweepResultWriter(const SweepResultWriter&) = delete;
  SweepResultWriter& operator=(const SweepResultWriter&) = delete;

  // Task `t` of the plan ended in this run (and is journaled): `outputs` are those it shipped to
  // rank 0, none when it failed or was skipped; the writer keeps those `save` saves. Returns at
  // once; called from one thread. When its outputs would take those waiting to be written past
  // `max_queued_bytes`, the task is left to Finish (which reads them back from the journal).
  void TaskEnded(uint32_t t, Dict outputs);

  // Waits for the writes queued so far, writes the rest and closes the file. `outcomes` is
  // indexed like plan.tasks(); `journal` reads back the records of succeeded tasks that did not
  // end in this run. Call once.
  SweepResults Finish(const std::vector<PlanTaskOutcome>& outcomes, JournalReader* journal,
                      const ResultRunInfo& info);

 private:
  struct Ended {
    uint32_t task;
    Dict outputs;
    uint64_t bytes;
  };
  // A summary cell a task contributes: its usual column name (`m15.sharpe`), the unambiguous one
  // used when the usual one is taken (`m15.metrics.sharpe`), and the value.
  struct Metric {
    std::string name;
    std::string full_name;
    Value value;
  };
  // The thread takes what ended in batches: woken once per batch of short tasks (or kGather
  // after the first), not once per task, since each wake-up costs rank 0 a system call and a
  // context switch.
  static constexpr size_t kBatch = 64;
  static constexpr std::chrono::milliseconds kGather{20};

  static void CollectMetrics(const std::string& module_id, const Dict& outputs, std::vector<Metric>* out);
  void Loop();
  void StopThread();  // after it has written everything queued
  // Writes task t's group with the outputs `save` keeps of `outputs` (and records its metrics),
  // then the group of each combination whose last task that was. Holds the HDF5 lock.
  void WriteTask(uint32_t t, Dict outputs);
  // These two need the HDF5 lock held.
  void WriteCombo(uint32_t c);
  void Fail(Status s);  // keeps the first failure and stops writing

  const std::string path_;
  const SweepPlan& plan_;
  const SaveSelection& save_;
  const uint64_t max_queued_bytes_;
  std::unique_ptr<ResultWriter> writer_;  // null once a write failed
  Status failure_;
  std::vector<std::string> keys_;             // by task: its content key in hex (its group's name)
  std::vector<std::vector<Metric>> metrics_;  // by task
  std::vector<bool> task_written_;
  std::vector<uint32_t> combo_pending_;   // tasks of each combination whose group is not written
  std::vector<uint64_t> combos_begin_;    // combinations of task t: combos_[begin[t], begin[t + 1])
  std::vector<uint32_t> combos_;

  std::mutex mu_;
  std::condition_variable queued_;
  std::deque<Ended> queue_;
  uint64_t queued_bytes_ = 0;  // outputs queued or being written
  bool closing_ = false;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace fai

#endif  // FAI_IO_SWEEP_RESULTS_H_
