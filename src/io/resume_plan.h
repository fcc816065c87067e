// Resuming a sweep: which tasks of the plan still have to run, given the tasks that the journal
// says finished earlier, and what changed between the earlier run and this one.
//
// A finished task is reused: it does not run again. When a task that does run reads its output,
// that output must be fed again, since the earlier run's worker memory is gone:
//   - if the journal holds every output its consumers read (scalars and maps always are; other
//     outputs when --save kept them), it is replayed from the journal (still not run);
//   - otherwise it runs again, and so, recursively, may its own producers.
// Tasks are deterministic (DESIGN §6), so a rerun gives the same bits. Pure logic.
#ifndef FAI_IO_RESUME_PLAN_H_
#define FAI_IO_RESUME_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

namespace fai {

struct ResumeTask {
  bool finished = false;         // the journal holds a reusable record of it
  bool replayable = false;       // ... holding every output its consumers read
  std::vector<uint32_t> inputs;  // its producers' indices (producers come before consumers)
};

enum class ResumeAction {
  kReuse,   // finished; nothing that runs reads it
  kReplay,  // finished; its recorded outputs are fed to tasks that run
  kRun,     // not finished, or finished but its outputs are needed and not recorded
};

struct ResumeDecision {
  std::vector<ResumeAction> action;        // per task
  uint64_t reused = 0;                     // finished and not run again (replayed ones included)
  std::vector<uint32_t> replayed;          // kReplay tasks
  std::vector<uint32_t> rerun_for_inputs;  // finished, yet run again
  size_t to_run() const;
};

// REQUIRES: every task's inputs have smaller indices than the task.
ResumeDecision DecideResume(const std::vector<ResumeTask>& tasks);

struct ComboDiff {
  std::vector<std::string> added;    // in `now`, not in `before`
  std::vector<std::string> dropped;  // in `before`, not in `now`
};

// Compares two lists of combination ids (order ignored).
ComboDiff DiffCombos(const std::vector<std::string>& before, const std::vector<std::string>& now);

}  // namespace fai

#endif  // FAI_IO_RESUME_PLAN_H_
