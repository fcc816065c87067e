// IdleBackoff: how long a communication loop waits when a pass found nothing to do.
// - Where the transport wakes the loop when a message arrives (Transport::wakes_on_arrival), and
//   everything else that gives the loop work wakes it too: 2 ms at once, the wait being only a
//   safety net. Passes that look again without waiting would only take the CPU from the tasks
//   (each one yields in MPI's progress loop when ranks share cores).
// - Otherwise (ranks on other hosts), after a few passes that do not wait, an eighth of the time
//   since the last activity, from 20 µs up to 2 ms, so that a loop busy a moment ago (short tasks
//   finishing) looks again soon and one idle for long (an hour-long task) wakes rarely.
// Any activity resets it.
#ifndef FAI_MPI_SCHED_IDLE_BACKOFF_H_
#define FAI_MPI_SCHED_IDLE_BACKOFF_H_

#include <algorithm>
#include <chrono>

namespace fai {

class IdleBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::microseconds kMax{2000};

  static constexpr std::chrono::microseconds kMin{20};

  explicit IdleBackoff(bool woken_on_arrival) : woken_on_arrival_(woken_on_arrival) {}

  void Reset() { idle_passes_ = 0; }
  // The wait for this idle pass (zero: look again at once).
  std::chrono::microseconds Next() {
    if (woken_on_arrival_) return kMax;
    if (idle_passes_++ == 0) idle_since_ = Clock::now();
    if (idle_passes_ <= kSpinPasses) return std::chrono::microseconds(0);
    const auto idle = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - idle_since_);
    return std::clamp(idle / 8, kMin, kMax);
  }

 private:
  static constexpr int kSpinPasses = 4;
  const bool woken_on_arrival_;
  int idle_passes_ = 0;
  Clock::time_point idle_since_;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_IDLE_BACKOFF_H_
