// Building a sweep's result file from its plan and journal (DESIGN §7).
//
// At the end of a run the driver knows, for every task of the plan, how it ended and where its
// journal record is. WriteSweepResults reads each record back, keeps the outputs the
// SaveSelection saves, and writes the file with ResultWriter: the task groups, a group per
// combination linking them, /summary, /task_index and /run. It returns the summary table (for
// the closing table) and the per-combination counts, even when the file could not be written.
//
// Combination status: "failed" when one of its tasks failed (error: "moduleId: message" of the
// first, in canvas order), else "skipped" when one was skipped, else "ok". wall_s: the sum of
// its tasks' wall times. Metrics: a scalar output `p` of module m is column `m.p`; a map output
// contributes one column per scalar entry (`m15.sharpe`); columns sorted by name.
#ifndef FAI_IO_SWEEP_RESULTS_H_
#define FAI_IO_SWEEP_RESULTS_H_

#include <cstdint>
#include <string>
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

// Writes the result file at `path` (a temporary name: see CommitFile). `outcomes` is indexed like
// plan.tasks(); `journal` reads the records they point at. `save` was parsed for plan.canvas().
SweepResults WriteSweepResults(const std::string& path, const SweepPlan& plan,
                               const SaveSelection& save,
                               const std::vector<PlanTaskOutcome>& outcomes, JournalReader* journal,
                               const ResultRunInfo& info);

}  // namespace fai

#endif  // FAI_IO_SWEEP_RESULTS_H_
