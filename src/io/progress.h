// Progress: what a running sweep shows while it runs (DESIGN §9: "a bar on a terminal, plain
// lines in a batch log").
//
//   bar    (a terminal)  one line redrawn in place with \r, at most every bar_interval_s:
//          [#########...........]  45/120  running 4  failed 1  3.2/s  ETA 0:23  cpu 87%
//   plain  (a batch log) a line every plain_interval_s, and one at the end:
//          progress: 45/120 tasks ended (37.5%): 44 ok, 1 failed, 0 skipped; 4 running; 3.2
//          tasks/s; ETA 23s; 87% of 12 CPUs busy; 14s elapsed
//   none   nothing
//
// The driver feeds counts (Update) as tasks start and end; Tick redraws when due, so a timer
// (ProgressTicker) keeps the ETA and the bar alive while no task ends. The clock is injected, so
// tests render with a fake clock and no sleeps. Thread-safe: every member takes a mutex.
#ifndef FAI_IO_PROGRESS_H_
#define FAI_IO_PROGRESS_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace fai {

enum class ProgressMode { kNone, kPlain, kBar };

// "plain", "bar", "none", or "auto" (""): kBar when stderr is a terminal, else kPlain. `quiet`
// wins over everything (kNone). False for any other text.
bool ResolveProgressMode(const std::string& flag, bool quiet, bool stderr_is_tty,
                         ProgressMode* mode);

// The counts a sweep reports. Tasks are the plan's distinct tasks.
struct ProgressCounts {
  size_t total = 0;       // tasks in the sweep
  size_t succeeded = 0;   // ended well
  size_t failed = 0;      // ended with an error
  size_t skipped = 0;     // not run (an input failed)
  size_t running = 0;     // running now
  double cpus_busy = 0;   // CPUs granted to running tasks
  double cpus_total = 0;  // CPUs the workers offer

  size_t ended() const { return succeeded + failed + skipped; }
};

struct ProgressOptions {
  ProgressMode mode = ProgressMode::kPlain;
  double bar_interval_s = 0.1;   // the bar is redrawn at most this often (10 times a second)
  double plain_interval_s = 10;  // a plain line at most this often
  int bar_width = 20;            // characters inside the bar's brackets
};

class Progress {
 public:
  using Clock = std::function<double()>;  // seconds, monotonic

  // `out` (stderr, usually) must outlive this object. `clock` defaults to the steady clock.
  Progress(ProgressOptions options, std::ostream* out, Clock clock = nullptr);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Starts the clock for rate and ETA. Draws nothing yet.
  void Start(const ProgressCounts& counts);
  // Replaces the counts; draws when due (the bar: bar_interval_s since the last draw; plain:
  // plain_interval_s).
  void Update(const ProgressCounts& counts);
  // Draws when due with the current counts (for a timer).
  void Tick();
  // Draws the final state whatever the interval; the bar then ends its line. Idempotent.
  void Finish();

  // The text of one bar line or plain line for `counts` at `elapsed_s` seconds after Start
  // (without \r or \n). Pure; exposed for tests.
  std::string RenderBar(const ProgressCounts& counts, double elapsed_s) const;
  std::string RenderPlain(const ProgressCounts& counts, double elapsed_s) const;

 private:
  void DrawLocked(bool final_draw);

  ProgressOptions options_;
  std::ostream* out_;
  Clock clock_;
  std::mutex mu_;
  ProgressCounts counts_;
  double start_ = 0;
  double last_draw_ = 0;
  bool started_ = false;
  bool drawn_ = false;
  bool finished_ = false;
  size_t last_bar_length_ = 0;
};

// Calls progress->Tick() every `interval_s` on a thread of its own until destroyed.
class ProgressTicker {
 public:
  ProgressTicker(Progress* progress, double interval_s);
  ~ProgressTicker();
  ProgressTicker(const ProgressTicker&) = delete;
  ProgressTicker& operator=(const ProgressTicker&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// "0:23", "12:05", "1:02:03" (h:mm:ss from an hour up).
std::string FormatClock(double seconds);

}  // namespace fai

#endif  // FAI_IO_PROGRESS_H_
