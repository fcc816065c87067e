// IdleBackoff: how long a communication loop waits when a pass found nothing to do. Starts by
// yielding, then doubles from 20 µs up to 1 ms; any activity resets it.
#ifndef FAI_MPI_SCHED_IDLE_BACKOFF_H_
#define FAI_MPI_SCHED_IDLE_BACKOFF_H_

#include <algorithm>
#include <chrono>

namespace fai {

class IdleBackoff {
 public:
  void Reset() { idle_passes_ = 0; }
  // The wait for this idle pass (zero: just yield).
  std::chrono::microseconds Next() {
    ++idle_passes_;
    if (idle_passes_ <= kSpinPasses) return std::chrono::microseconds(0);
    const int doublings = std::min(idle_passes_ - kSpinPasses - 1, 6);
    return std::chrono::microseconds(std::min(20 << doublings, 1000));
  }

 private:
  static constexpr int kSpinPasses = 16;
  int idle_passes_ = 0;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_IDLE_BACKOFF_H_
