// The runtime over real MPI ranks (registered at 1, 2 and 4 ranks): tasks run on the workers,
// inputs reach consumers, no worker exceeds its capacity, the seed's waiting example runs in waves,
// a 100 MB intermediate moves between workers without passing through rank 0, short tasks queue
// behind running ones within capacity, and the ledger is full at the end. Exits non-zero on any failed check.
#include <algorithm>
#include <iostream>
#include <map>

#include "mpi/mpi_check.h"
#include "mpi_sched/runtime.h"

namespace fai {
namespace {


const ModuleRegistry& Registry() {
  static const ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  return registry;
}

// A noop order with the type's defaults filled (what the sweep plan does).
TaskOrder Noop(Dict params, std::vector<InputBinding> inputs = {}) {
  TaskOrder o;
  o.type = "noop";
  for (const ParamSpec& p : Registry().Find("noop")->params) o.params[p.name] = p.default_value;
  for (const auto& [k, v] : params) o.params[k] = v;
  o.inputs = std::move(inputs);
  return o;
}

SchedulerTask Request(double cpus, std::vector<ObjectId> deps = {}) {
  SchedulerTask t;
  t.request.num_cpus = cpus;
  t.deps = std::move(deps);
  return t;
}

std::vector<TaskResult> RunAll(Master& master) {
  std::vector<TaskResult> results;
  master.RunUntilIdle([&](TaskResult&& r) { results.push_back(std::move(r)); });
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.task < b.task; });
  return results;
}

double PeakCpus(const std::vector<TaskResult>& results, int rank) {
  std::vector<std::pair<double, double>> events;  // (time, +/- cpus); ends sort first on ties
  for (const TaskResult& r : results) {
    if (r.rank != rank) continue;
    events.push_back({r.start_s, r.grant.cpus()});
    events.push_back({r.start_s + r.wall_s, -r.grant.cpus()});
  }
  std::sort(events.begin(), events.end());
  double now = 0, peak = 0;
  for (auto& [t, d] : events) peak = std::max(peak, now += d);
  return peak;
}

int MasterChecks(Master& master, const std::vector<WorkerCapacity>& workers) {
  const size_t first = master.scheduler().size();
  // A diamond repeated: a -> (b, c) -> d; d counts its inputs.
  for (int i = 0; i < 10; ++i) {
    const uint64_t a = master.Submit(Noop({{"value", i}}), Request(1));
    const uint64_t b = master.Submit(Noop({}, {{"in", a, "out"}}), Request(0.5, {a}));
    const uint64_t c = master.Submit(Noop({}, {{"in", a, "out"}}), Request(0.5, {a}));
    master.Submit(Noop({}, {{"in", b, "out"}, {"in2", c, "out"}}), Request(1, {b, c}));
  }
  std::vector<TaskResult> results = RunAll(master);
  CHECK(results.size() == 40);
  for (const TaskResult& r : results) {
    CHECK(r.state == TaskState::kSucceeded);
    CHECK(r.rank >= 1 || workers.size() == 1);
    if ((r.task - first) % 4 == 3) CHECK(r.shipped.at("out").as_dict().at("inputs") == Value(2));
  }

  // The seed's waiting example: 8-CPU workers, tasks of 5 CPUs: at most one per worker at a time.
  for (int i = 0; i < 4; ++i) master.Submit(Noop({{"sleep_ms", 30.0}, {"value", i}}), Request(5));
  results = RunAll(master);
  CHECK(results.size() == 4);
  for (const WorkerCapacity& w : workers) CHECK(PeakCpus(results, w.rank) <= 8.0);
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  if (workers.size() >= 2) {
    // Waiting tasks start only as others end.
    const TaskResult& late = results.back();
    bool after_an_end = false;
    for (size_t i = 0; i + 1 < results.size(); ++i)
      after_an_end = after_an_end || late.start_s >= results[i].start_s + results[i].wall_s;
    CHECK(after_an_end);
  }

  // A 100 MB intermediate: with two workers or more, one consumer fetches it from the other worker.
  const uint64_t before = master.transport().stats().largest_received;
  const uint64_t producer = master.Submit(Noop({{"payload_bytes", int64_t{100} << 20}}), Request(8));
  std::vector<uint64_t> consumers;
  for (int i = 0; i < 2; ++i)
    consumers.push_back(master.Submit(Noop({{"sleep_ms", 30.0}}, {{"in", producer, "payload"}}), Request(8, {producer})));
  results = RunAll(master);
  CHECK(results.size() == 3);
  for (const TaskResult& r : results) CHECK(r.state == TaskState::kSucceeded);
  if (workers.size() >= 2) CHECK(results[1].rank != results[2].rank);
  CHECK(master.transport().stats().largest_received < (64u << 10));
  (void)before;

  // Short tasks in child processes: once they prove short, those that fit nowhere queue on a
  // worker behind a running one, and start there in its reservation as it ends.
  const uint64_t queued_before = master.scheduler().queued_total();
  for (int i = 0; i < 60; ++i) {
    TaskOrder order = Noop({{"sleep_ms", 1.0 + i % 3}, {"value", i}});
    order.isolate = true;
    SchedulerTask task = Request(4);
    task.may_queue = true;
    master.Submit(std::move(order), std::move(task));
  }
  results = RunAll(master);
  CHECK(results.size() == 60);
  for (const TaskResult& r : results) CHECK(r.state == TaskState::kSucceeded);
  for (const WorkerCapacity& w : workers) CHECK(PeakCpus(results, w.rank) <= 8.0);
  CHECK(master.scheduler().queued_total() > queued_before);

  CHECK(master.scheduler().ledger().IsFull());
  CHECK(master.scheduler().ledger().Consistent());
  std::cout << "runtime_mpitest: " << workers.size() << " workers, " << (check_failures == 0 ? "1 passed, 0 failed" : "0 passed, 1 failed")
            << "\n";
  return check_failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fai

int main() {
  fai::RuntimeOptions options;
  options.capacity.cpus_per_rank = 8;
  return fai::RunRuntime(fai::Registry(), options, fai::MasterChecks);
}
