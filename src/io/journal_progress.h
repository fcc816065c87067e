// JournalProgress: where the latest run recorded in a journal stands — tasks done, failed,
// running and remaining, its pace, and whether it finished — read without a lock, so it works on
// the journal of a sweep that is running (`fai-sweep status`).
#ifndef FAI_IO_JOURNAL_PROGRESS_H_
#define FAI_IO_JOURNAL_PROGRESS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "io/journal.h"

namespace fai {

struct JournalProgress {
  bool has_run = false;  // a run start was recorded
  JournalRunStart run;   // the latest run (its combos list is dropped)
  uint64_t combinations = 0;
  uint64_t done = 0;  // tasks of that run that succeeded (not counting reused ones)
  uint64_t failed = 0;
  uint64_t running = 0;              // as of its last finished task
  double last_record_unix = 0;       // when its last task finished (0: none yet)
  std::optional<JournalRunEnd> end;  // present when the run ended
  std::string tail_problem;          // a torn or damaged tail, if any

  // Tasks neither reused nor finished by the run.
  uint64_t Remaining() const;
};

// Reads the whole journal at `path`. NotFound when absent; InvalidInput when not a journal.
Result<JournalProgress> ReadJournalProgress(const std::string& path);

}  // namespace fai

#endif  // FAI_IO_JOURNAL_PROGRESS_H_
