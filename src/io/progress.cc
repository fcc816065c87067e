#include "io/progress.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace fai {

namespace {

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

// Tasks per second (or per minute when below one a second); "-" before the first ends.
std::string Rate(const ProgressCounts& c, double elapsed_s) {
  if (c.ended() == 0 || elapsed_s <= 0) return "-/s";
  const double rate = static_cast<double>(c.ended()) / elapsed_s;
  return rate >= 1 ? Format("%.1f/s", rate) : Format("%.1f/min", rate * 60);
}

std::string Eta(const ProgressCounts& c, double elapsed_s) {
  if (c.ended() >= c.total) return "0:00";
  if (c.ended() == 0 || elapsed_s <= 0) return "?";
  const double rate = static_cast<double>(c.ended()) / elapsed_s;
  return FormatClock(static_cast<double>(c.total - c.ended()) / rate);
}

std::string CpuPercent(const ProgressCounts& c) {
  return Format("%.0f%%", 100.0 * std::clamp(c.cpus_busy / c.cpus_total, 0.0, 1.0));
}

}  // namespace

bool ResolveProgressMode(const std::string& flag, bool quiet, bool stderr_is_tty,
                         ProgressMode* mode) {
  ProgressMode m;
  if (flag.empty() || flag == "auto") {
    m = stderr_is_tty ? ProgressMode::kBar : ProgressMode::kPlain;
  } else if (flag == "bar") {
    m = ProgressMode::kBar;
  } else if (flag == "plain") {
    m = ProgressMode::kPlain;
  } else if (flag == "none") {
    m = ProgressMode::kNone;
  } else {
    return false;
  }
  *mode = quiet ? ProgressMode::kNone : m;
  return true;
}

std::string FormatClock(double seconds) {
  const long long s = std::llround(std::max(0.0, seconds));
  char buf[64];
  if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

Progress::Progress(ProgressOptions options, std::ostream* out, Clock clock)
    : options_(options), out_(out), clock_(clock ? std::move(clock) : Clock(SteadySeconds)) {}

std::string Progress::RenderBar(const ProgressCounts& c, double elapsed_s) const {
  const int width = std::max(1, options_.bar_width);
  const int filled = c.total == 0
                         ? width
                         : static_cast<int>(static_cast<double>(width) *
                                            static_cast<double>(std::min(c.ended(), c.total)) /
                                            static_cast<double>(c.total));
  std::string line = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]  ";
  line += std::to_string(c.ended()) + "/" + std::to_string(c.total);
  line += "  running " + std::to_string(c.running);
  line += "  failed " + std::to_string(c.failed);
  if (c.skipped > 0) line += "  skipped " + std::to_string(c.skipped);
  line += "  " + Rate(c, elapsed_s);
  line += "  ETA " + Eta(c, elapsed_s);
  if (c.cpus_total > 0) line += "  cpu " + CpuPercent(c);
  return line;
}

std::string Progress::RenderPlain(const ProgressCounts& c, double elapsed_s) const {
  const double percent =
      c.total == 0 ? 100.0 : 100.0 * static_cast<double>(c.ended()) / static_cast<double>(c.total);
  std::string line =
      "progress: " + std::to_string(c.ended()) + "/" + std::to_string(c.total) + " tasks ended (" +
      Format("%.1f", percent) + "%): " + std::to_string(c.succeeded) + " ok, " +
      std::to_string(c.failed) + " failed, " + std::to_string(c.skipped) + " skipped; " +
      std::to_string(c.running) + " running; " + Rate(c, elapsed_s) + "; ETA " + Eta(c, elapsed_s);
  if (c.cpus_total > 0)
    line += "; " + CpuPercent(c) + " of " + Format("%g", c.cpus_total) + " CPUs busy";
  line += "; " + FormatClock(elapsed_s) + " elapsed";
  return line;
}

void Progress::Start(const ProgressCounts& counts) {
  std::lock_guard<std::mutex> lock(mu_);
  counts_ = counts;
  start_ = clock_();
  last_draw_ = start_;
  started_ = true;
}

void Progress::Update(const ProgressCounts& counts) {
  std::lock_guard<std::mutex> lock(mu_);
  counts_ = counts;
  DrawLocked(false);
}

void Progress::Tick() {
  std::lock_guard<std::mutex> lock(mu_);
  DrawLocked(false);
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  DrawLocked(true);
  finished_ = true;
}

void Progress::DrawLocked(bool final_draw) {
  if (options_.mode == ProgressMode::kNone || !started_ || finished_) return;
  const double now = clock_();
  const double interval =
      options_.mode == ProgressMode::kBar ? options_.bar_interval_s : options_.plain_interval_s;
  // The bar's first frame comes at once; later frames and plain lines wait for their interval.
  const bool due = final_draw || now - last_draw_ >= interval ||
                   (options_.mode == ProgressMode::kBar && !drawn_);
  if (!due) return;
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = now - start_;
  if (options_.mode == ProgressMode::kPlain) {
    *out_ << RenderPlain(counts_, elapsed) << "\n";
  } else {
    std::string line = RenderBar(counts_, elapsed);
    const size_t length = line.size();
    if (length < last_bar_length_) line += std::string(last_bar_length_ - length, ' ');
    last_bar_length_ = length;
    *out_ << "\r" << line;
    if (final_draw) *out_ << "\n";
  }
  out_->flush();
}

ProgressTicker::ProgressTicker(Progress* progress, double interval_s)
    : thread_([this, progress, interval_s] {
        std::unique_lock<std::mutex> lock(mu_);
        while (!cv_.wait_for(lock, std::chrono::duration<double>(interval_s),
                             [this] { return stop_; })) {
          lock.unlock();
          progress->Tick();
          lock.lock();
        }
      }) {}

ProgressTicker::~ProgressTicker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace fai
