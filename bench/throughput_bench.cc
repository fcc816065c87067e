// No-op task throughput of the runtime, and the floor it is compared with.
//   mpirun -n 4 build/bench/throughput_bench runtime [tasks] [cpus_per_task]
//   mpirun -n 4 build/bench/throughput_bench raw [round_trips]
//   mpirun -n 4 build/bench/throughput_bench makespan [tasks]
// `makespan`: tasks sleeping 10-100 ms asking 0.25, 0.5 or 1 CPU (seeded), reported against the
// lower bound max(total CPU-seconds / total CPUs, longest task).
// `runtime`: rank 0 submits no-op tasks to the master/worker runtime and waits for all of them.
// `raw`: a Boost.MPI master/worker loop of small round trips (one message out, one back).
// Prints one line: "<mode> ranks=<n> items=<count> seconds=<s> rate=<items/s>".
#include <boost/mpi.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include "mpi_sched/runtime.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Raw(long count) {
  boost::mpi::environment env;
  boost::mpi::communicator world;
  if (world.size() < 2) {
    std::cerr << "raw mode needs at least 2 ranks\n";
    return 2;
  }
  if (world.rank() == 0) {
    const auto start = std::chrono::steady_clock::now();
    int value = 0;
    for (long i = 0; i < count; ++i) {
      const int dest = 1 + static_cast<int>(i % (world.size() - 1));
      world.send(dest, 0, static_cast<int>(i));
      world.recv(dest, 0, value);
    }
    for (int r = 1; r < world.size(); ++r) world.send(r, 1, 0);
    const double s = Seconds(start);
    std::cout << "raw ranks=" << world.size() << " items=" << count << " seconds=" << s << " rate=" << count / s
              << "\n";
  } else {
    int value = 0;
    while (true) {
      boost::mpi::status st = world.recv(0, boost::mpi::any_tag, value);
      if (st.tag() == 1) break;
      world.send(0, 0, value);
    }
  }
  return 0;
}

int Runtime(long count, double cpus_per_task) {
  const fai::ModuleRegistry registry = fai::ModuleRegistry::WithBuiltins();
  fai::TaskOrder order;
  order.type = "noop";
  for (const fai::ParamSpec& p : registry.Find("noop")->params) order.params[p.name] = p.default_value;
  return fai::RunRuntime(registry, {}, [&](fai::Master& master, const std::vector<fai::WorkerCapacity>& workers) {
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < count; ++i) {
      fai::SchedulerTask task;
      task.request.num_cpus = cpus_per_task;
      master.Submit(order, task);
    }
    long done = 0;
    master.RunUntilIdle([&](fai::TaskResult&& r) { done += r.state == fai::TaskState::kSucceeded; });
    const double s = Seconds(start);
    std::cout << "runtime ranks=" << workers.size() + 1 << " items=" << done << " seconds=" << s
              << " rate=" << done / s << "\n";
    return done == count ? 0 : 1;
  });
}

int Makespan(long count) {
  const fai::ModuleRegistry registry = fai::ModuleRegistry::WithBuiltins();
  return fai::RunRuntime(registry, {}, [&](fai::Master& master, const std::vector<fai::WorkerCapacity>& workers) {
    std::mt19937_64 rng(7);
    const double requests[] = {0.25, 0.5, 1.0};
    double slot_seconds = 0, longest = 0, capacity = 0;
    for (const fai::WorkerCapacity& w : workers) capacity += w.cpus;
    fai::TaskOrder order;
    order.type = "noop";
    for (const fai::ParamSpec& p : registry.Find("noop")->params) order.params[p.name] = p.default_value;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < count; ++i) {
      const double ms = 10 + static_cast<double>(rng() % 91);
      fai::SchedulerTask task;
      task.request.num_cpus = requests[rng() % 3];
      order.params["sleep_ms"] = ms;
      master.Submit(order, task);
      slot_seconds += task.request.num_cpus * ms / 1000;
      longest = std::max(longest, ms / 1000);
    }
    long done = 0;
    master.RunUntilIdle([&](fai::TaskResult&& r) { done += r.state == fai::TaskState::kSucceeded; });
    const double s = Seconds(start);
    const double bound = std::max(slot_seconds / capacity, longest);
    std::cout << "makespan ranks=" << workers.size() + 1 << " items=" << done << " cpus=" << capacity
              << " seconds=" << s << " lower_bound=" << bound << " ratio=" << s / bound << "\n";
    return done == count ? 0 : 1;
  });
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "runtime";
  const long count = argc > 2 ? std::atol(argv[2]) : 100000;
  if (mode == "raw") return Raw(count);
  if (mode == "makespan") return Makespan(argc > 2 ? count : 200);
  return Runtime(count, argc > 3 ? std::atof(argv[3]) : 0.01);
}
