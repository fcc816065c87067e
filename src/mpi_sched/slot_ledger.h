// SlotLedger: who has how much free CPU, GPU and memory, and the grants handed out (DESIGN §5).
//
// Plain logic, no MPI, no clocks. Quantities are kept in fixed point (1/10000 of a CPU or GPU) so
// that 0.1 × 10 is exactly 1 and the ledger can never drift below zero. GPU requests below one
// device are packed onto a single device (best fit: the fullest device that still fits, so four
// 0.25-GPU tasks share one device); requests of whole devices take that many fully free devices.
// A grant names devices by their index within the worker; a task sees them renumbered from 0.
// Not thread-safe: owned by the master's scheduling thread.
#ifndef FAI_MPI_SCHED_SLOT_LEDGER_H_
#define FAI_MPI_SCHED_SLOT_LEDGER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fai/module.h"

namespace fai {

// What one worker offers.
struct WorkerCapacity {
  int rank = 0;                  // MPI rank (0 in a one-rank run)
  std::string host;
  double cpus = 1;
  std::vector<int> gpu_ids;      // physical device ids as the host numbers them
  uint64_t memory_bytes = 0;     // 0: memory is not accounted on this worker

  std::string ToString() const;  // "rank 2 on node7: 8 CPUs, 2 GPUs, 32 GiB"
};

// A reservation on one worker.
struct Grant {
  int worker = -1;                  // index into the ledger's workers
  int64_t cpu_units = 0;
  std::vector<int> gpu_devices;     // device indices within the worker
  int64_t gpu_units_each = 0;       // units taken on each of gpu_devices
  uint64_t memory_bytes = 0;

  double cpus() const;
  double gpus() const;
};

// "2 CPUs, 0.5 GPU, 4 GiB" — for messages.
std::string DescribeRequest(const Resources& request);

class SlotLedger {
 public:
  static constexpr int64_t kUnits = 10000;  // fixed-point units per CPU or GPU

  explicit SlotLedger(std::vector<WorkerCapacity> workers);

  size_t size() const { return workers_.size(); }
  const WorkerCapacity& worker(int w) const { return workers_[w]; }

  // True when `request` fits what worker `w` has free now.
  bool FitsNow(int w, const Resources& request) const;
  // True when `request` fits worker `w` when it is idle.
  bool FitsEmpty(int w, const Resources& request) const;
  // The worker with the most capacity (for "fits no worker" messages), or -1 if none.
  int LargestWorker() const;

  // Reserves `request` on worker `w` if it fits now.
  std::optional<Grant> TryReserve(int w, const Resources& request);
  // Returns a grant. REQUIRES: it came from this ledger and was not released before.
  void Release(const Grant& grant);

  // Share of worker w's CPUs in use, 0..1 (placement's "load").
  double Load(int w) const;
  double FreeCpus(int w) const;
  // True when nothing is reserved anywhere.
  bool IsFull() const;
  // True when no free quantity is negative or above capacity (the ledger's invariant).
  bool Consistent() const;

 private:
  struct Free {
    int64_t cpu_units = 0;
    std::vector<int64_t> gpu_units;  // per device
    uint64_t memory_bytes = 0;
  };
  bool Fits(const Free& free, const WorkerCapacity& cap, const Resources& request, Grant* grant) const;

  std::vector<WorkerCapacity> workers_;
  std::vector<Free> capacity_;
  std::vector<Free> free_;
};

// Converts a quantity to ledger units, rounding to the nearest unit.
int64_t ToUnits(double quantity);

}  // namespace fai

#endif  // FAI_MPI_SCHED_SLOT_LEDGER_H_
