#include "io/journal_progress.h"

namespace fai {

uint64_t JournalProgress::Remaining() const {
  const uint64_t finished = run.reused_tasks + done + failed;
  return run.total_tasks > finished ? run.total_tasks - finished : 0;
}

Result<JournalProgress> ReadJournalProgress(const std::string& path) {
  Result<std::unique_ptr<JournalReader>> reader = JournalReader::Open(path);
  if (!reader.ok()) return reader.status();
  JournalProgress p;
  JournalRecord record;
  uint64_t offset = 0;
  while ((*reader)->Next(&record, &offset)) {
    if (auto* start = std::get_if<JournalRunStart>(&record)) {
      p = JournalProgress();
      p.has_run = true;
      p.combinations = start->combos.size();
      start->combos.clear();
      start->canvas_text.clear();
      start->grid_text.clear();
      p.run = std::move(*start);
    } else if (auto* task = std::get_if<JournalTask>(&record)) {
      (task->ok ? p.done : p.failed)++;
      p.running = task->running;
      p.last_record_unix = task->finished_unix;
    } else if (auto* end = std::get_if<JournalRunEnd>(&record)) {
      p.end = *end;
      p.running = 0;
    }
  }
  p.tail_problem = (*reader)->tail_problem();
  return p;
}

}  // namespace fai
