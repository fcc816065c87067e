// `fai-sweep status`: how far a sweep has got, from its journal (live while it runs), else from
// its result file.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "cli/commands.h"
#include "cli/result_display.h"
#include "io/journal.h"
#include "io/journal_progress.h"
#include "io/summary_table.h"

namespace fai {

namespace {

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Seconds(double s) {
  char buf[32];
  if (s < 120)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 7200)
    std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else
    std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

std::string Rate(double per_s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, per_s >= 10 ? "%.0f" : "%.2f", per_s);
  return buf;
}

// Whether the run's rank 0 is still alive: known only on its own host.
enum class Liveness { kAlive, kGone, kUnknown };
Liveness CheckAlive(const JournalRunStart& run) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  if (run.host != host || run.pid <= 0) return Liveness::kUnknown;
  if (::kill(static_cast<pid_t>(run.pid), 0) != 0 && errno != EPERM) return Liveness::kGone;
  // A killed process nobody has reaped yet (a zombie) is gone too.
  std::ifstream stat("/proc/" + std::to_string(run.pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z')
    return Liveness::kGone;
  return Liveness::kAlive;
}

// Returns true when the run is over (finished or gone).
bool ReportJournal(const std::string& output, const JournalProgress& p, std::ostream& out) {
  const double now = UnixNow();
  const JournalRunStart& run = p.run;
  const uint64_t ran = p.done + p.failed;
  const Liveness alive = p.end ? Liveness::kGone : CheckAlive(run);
  const double last = p.end                                                ? p.end->finished_unix
                      : alive == Liveness::kGone && p.last_record_unix > 0 ? p.last_record_unix
                                                                           : now;
  const double elapsed = std::max(1e-9, last - run.started_unix);
  bool over = true;
  if (p.end) {
    out << output << ": finished " << Seconds(now - p.end->finished_unix)
        << " ago: " << p.combinations << " combinations: " << p.end->succeeded << " succeeded, "
        << p.end->failed << " failed, " << p.end->skipped << " skipped";
    if (!p.end->written) out << "; the result file was NOT written: " << p.end->message;
    out << "\n";
  } else {
    if (alive == Liveness::kGone) {
      out << output << ": interrupted: rank 0 (pid " << run.pid << " on " << run.host
          << ") is gone without finishing; rerun the same command to resume\n";
    } else {
      over = false;
      out << output << ": running (rank 0: pid " << run.pid << " on " << run.host
          << (alive == Liveness::kUnknown ? ", another host: not checked" : "") << "), started "
          << Seconds(now - run.started_unix) << " ago";
      if (p.last_record_unix > 0)
        out << ", last task ended " << Seconds(now - p.last_record_unix) << " ago";
      out << "\n";
    }
  }
  out << "combinations  " << p.combinations << "\n";
  out << "tasks         " << run.total_tasks << ": " << run.reused_tasks + p.done << " done";
  if (run.reused_tasks > 0) out << " (" << run.reused_tasks << " reused)";
  out << ", " << (over ? 0 : p.running) << " running, " << p.failed << " failed, " << p.Remaining()
      << " remaining\n";
  if (ran > 0) {
    const double rate = ran / elapsed;
    out << "throughput    " << Rate(rate) << " tasks/s (" << ran << " task" << (ran == 1 ? "" : "s")
        << " in " << Seconds(elapsed) << ")";
    if (!over && p.Remaining() > 0) out << "; about " << Seconds(p.Remaining() / rate) << " left";
    out << "\n";
  }
  if (!p.tail_problem.empty() && over)
    out << "journal       ends with " << p.tail_problem << " (dropped when the sweep resumes)\n";
  return over;
}

int ReportResultFile(const std::string& output, std::ostream& out, std::ostream& err) {
  Result<SummaryTable> table = SummaryTable::ReadHdf5(output);
  if (!table.ok()) return ReportError(table.status(), err);
  std::map<std::string, size_t> counts;
  const int status = table->Find("status");
  for (size_t r = 0; r < table->rows(); ++r)
    ++counts[status >= 0 ? table->columns()[status].cells[r].ToDisplay() : "?"];
  out << output << ": finished (no journal: " << JournalPathFor(output) << "): " << table->rows()
      << " combinations:";
  bool first = true;
  for (const auto& [name, n] : counts) {
    out << (first ? " " : ", ") << n << " " << name;
    first = false;
  }
  out << "\n";
  return kExitOk;
}

}  // namespace

int StatusCommand(const ResultOptions& options, std::ostream& out, std::ostream& err) {
  const std::string journal = JournalPathFor(options.path);
  std::error_code ec;
  if (!std::filesystem::exists(journal, ec)) {
    if (!std::filesystem::exists(options.path, ec)) {
      err << "fai-sweep: error: " << options.path << ": no such file, and no journal " << journal
          << " (no sweep has written this output)\n";
      return kExitBadInput;
    }
    return ReportResultFile(options.path, out, err);
  }
  while (true) {
    Result<JournalProgress> p = ReadJournalProgress(journal);
    if (!p.ok()) return ReportError(p.status(), err);
    if (!p->has_run) {
      out << options.path << ": the sweep is starting (its journal holds no run yet)\n";
    } else if (ReportJournal(options.path, *p, out) || !options.watch) {
      return kExitOk;
    }
    if (!options.watch) return kExitOk;
    out.flush();
    std::this_thread::sleep_for(std::chrono::duration<double>(options.interval_s));
    out << "\n";
  }
}

}  // namespace fai
