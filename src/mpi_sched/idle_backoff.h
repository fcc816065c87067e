// IdleBackoff: how long a communication loop waits when a pass found nothing to do. It first
// yields a few passes, then waits about an eighth of the time since the last activity, between
// 20 µs and 2 ms: a loop that was busy a moment ago (short tasks finishing) looks again soon, one
// idle for long (an hour-long task) wakes rarely. Any activity resets it.
#ifndef FAI_MPI_SCHED_IDLE_BACKOFF_H_
#define FAI_MPI_SCHED_IDLE_BACKOFF_H_

#include <algorithm>
#include <chrono>

namespace fai {

class IdleBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::microseconds kMin{20};
  static constexpr std::chrono::microseconds kMax{2000};

  void Reset() { idle_passes_ = 0; }
  // The wait for this idle pass (zero: just yield).
  std::chrono::microseconds Next() {
    if (idle_passes_++ == 0) idle_since_ = Clock::now();
    if (idle_passes_ <= kSpinPasses) return std::chrono::microseconds(0);
    const auto idle = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - idle_since_);
    return std::clamp(idle / 8, kMin, kMax);
  }

 private:
  static constexpr int kSpinPasses = 16;
  int idle_passes_ = 0;
  Clock::time_point idle_since_;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_IDLE_BACKOFF_H_
