// ParallelFor: runs fn(i) for every i in [0, n) on up to `threads` std::threads.
//
// Items are handed out one at a time from a shared counter, so uneven items balance; the caller
// gets results that do not depend on the thread count as long as fn(i) writes only to slots of
// its own item and reads shared data only. The calling thread works too. The first exception
// thrown by any fn(i) is rethrown here after every thread has stopped.
#ifndef FAI_CANVAS_MODULES_PARALLEL_FOR_H_
#define FAI_CANVAS_MODULES_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fai::quant {

template <typename Fn>
void ParallelFor(int threads, size_t n, Fn&& fn) {
  const size_t workers = std::min<size_t>(n, static_cast<size_t>(std::max(1, threads)));
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (size_t i = next++; i < n && !failed; i = next++) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Splits [0, n) into fixed blocks of `block` items (independent of the thread count) and runs
// fn(begin, end) for each block in parallel. Reductions that combine per-block results in block
// order are therefore bit-identical for any thread count.
template <typename Fn>
void ParallelForBlocks(int threads, size_t n, size_t block, Fn&& fn) {
  const size_t blocks = (n + block - 1) / block;
  ParallelFor(threads, blocks, [&](size_t b) { fn(b * block, std::min(n, (b + 1) * block)); });
}

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_PARALLEL_FOR_H_
