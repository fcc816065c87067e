// A runtime in one process for tests: a Master on "rank 0" and worker threads on ranks 1..n,
// connected by a LocalHub. The workers run the real worker loop; only the transport is local.
#ifndef FAI_TESTS_MPI_SCHED_RUNTIME_HARNESS_H_
#define FAI_TESTS_MPI_SCHED_RUNTIME_HARNESS_H_

#include <atomic>
#include <thread>
#include <vector>

#include "mpi_sched/master.h"
#include "mpi_sched/transport.h"
#include "mpi_sched/worker.h"

namespace fai {

// A task order for a built-in type with its declared defaults filled, then `params` applied
// (what the sweep plan does for canvas modules).
inline TaskOrder OrderWithDefaults(const ModuleRegistry& registry, const std::string& type, const Dict& params) {
  TaskOrder o;
  o.type = type;
  for (const ParamSpec& p : registry.Find(type)->params) o.params[p.name] = p.default_value;
  for (const auto& [k, v] : params) o.params[k] = v;
  return o;
}

class RuntimeHarness {
 public:
  RuntimeHarness(const ModuleRegistry* registry, std::vector<WorkerCapacity> workers)
      : hub_(static_cast<int>(workers.size()) + 1), master_transport_(hub_.Connect(0)) {
    for (size_t i = 0; i < workers.size(); ++i) {
      worker_transports_.push_back(hub_.Connect(static_cast<int>(i) + 1));
      WorkerCapacity cap = workers[i];
      cap.rank = static_cast<int>(i) + 1;
      Transport* t = worker_transports_.back().get();
      threads_.emplace_back([this, t, registry, cap] {
        RunWorker(t, registry, cap);
        ++workers_ended_;
      });
    }
    master_ = std::make_unique<Master>(master_transport_.get());
    master_->Start(master_->Handshake());
  }
  ~RuntimeHarness() {
    master_->Release();
    for (std::thread& t : threads_) t.join();
  }

  Master& master() { return *master_; }
  // What rank 0 sent and received (read from the master's thread only).
  const TrafficStats& master_traffic() const { return master_transport_->stats(); }
  // How many worker loops have returned.
  int workers_ended() const { return workers_ended_.load(); }

 private:
  LocalHub hub_;
  std::unique_ptr<Transport> master_transport_;
  std::vector<std::unique_ptr<Transport>> worker_transports_;
  std::vector<std::thread> threads_;
  std::atomic<int> workers_ended_{0};
  std::unique_ptr<Master> master_;
};

}  // namespace fai

#endif  // FAI_TESTS_MPI_SCHED_RUNTIME_HARNESS_H_
