// The runtime end to end in one process: real master and worker loops, local transport.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "mpi_sched/runtime_harness.h"

namespace fai {
namespace {

WorkerCapacity Cpus(double cpus) {
  WorkerCapacity w;
  w.cpus = cpus;
  w.host = "testhost";
  return w;
}

const ModuleRegistry& Registry() {
  static const ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  return registry;
}

TaskOrder Noop(Dict params) { return OrderWithDefaults(Registry(), "noop", params); }

SchedulerTask Request(double cpus, std::vector<ObjectId> deps = {}) {
  SchedulerTask t;
  t.request.num_cpus = cpus;
  t.deps = std::move(deps);
  return t;
}

// Peak of the summed CPU grants of tasks running at once on each rank, from recorded intervals.
std::map<int, double> PeakCpusPerRank(const std::vector<TaskResult>& results) {
  struct Event {
    double t;
    int order;  // ends (0) before starts (1) at the same instant
    int rank;
    double cpus;
  };
  std::vector<Event> events;
  for (const TaskResult& r : results) {
    events.push_back({r.start_s, 1, r.rank, r.grant.cpus()});
    events.push_back({r.start_s + r.wall_s, 0, r.rank, -r.grant.cpus()});
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return std::tie(a.t, a.order) < std::tie(b.t, b.order); });
  std::map<int, double> now, peak;
  for (const Event& e : events) {
    now[e.rank] += e.cpus;
    peak[e.rank] = std::max(peak[e.rank], now[e.rank]);
  }
  return peak;
}

class RuntimeTest : public ::testing::Test {
 protected:
  const ModuleRegistry& registry_ = Registry();
};

TEST_F(RuntimeTest, SeedsWaitingExampleRunsInTwoWaves) {
  // Two workers of 8 CPUs; four tasks of 5 CPUs each: two run, two wait for them.
  RuntimeHarness h(&registry_, {Cpus(8), Cpus(8)});
  for (int i = 0; i < 4; ++i) h.master().Submit(Noop({{"sleep_ms", 60.0}, {"value", i}}), Request(5));
  std::vector<TaskResult> results;
  h.master().RunUntilIdle([&](TaskResult&& r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), 4u);
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  // First wave: one task on each worker.
  EXPECT_NE(results[0].rank, results[1].rank);
  // Second wave: each later task starts after a first-wave task on its worker has ended.
  for (int i = 2; i < 4; ++i) {
    const TaskResult& first = results[0].rank == results[i].rank ? results[0] : results[1];
    EXPECT_EQ(first.rank, results[i].rank);
    EXPECT_GE(results[i].start_s, first.start_s + first.wall_s);
  }
  for (auto [rank, peak] : PeakCpusPerRank(results)) EXPECT_LE(peak, 8.0) << "rank " << rank;
  EXPECT_TRUE(h.master().scheduler().ledger().IsFull());
}

TEST_F(RuntimeTest, MixedRequestsNeverExceedCapacity) {
  RuntimeHarness h(&registry_, {Cpus(4), Cpus(3)});
  const double requests[] = {0.5, 1, 2, 3, 0.25, 1.5};
  for (int i = 0; i < 40; ++i)
    h.master().Submit(Noop({{"sleep_ms", 2.0 + (i % 5) * 3}, {"value", i}}), Request(requests[i % 6]));
  std::vector<TaskResult> results;
  h.master().RunUntilIdle([&](TaskResult&& r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), 40u);
  const std::map<int, double> capacity = {{1, 4.0}, {2, 3.0}};
  for (auto [rank, peak] : PeakCpusPerRank(results)) EXPECT_LE(peak, capacity.at(rank) + 1e-9) << "rank " << rank;
  for (const TaskResult& r : results) EXPECT_EQ(r.state, TaskState::kSucceeded) << r.error;
  EXPECT_TRUE(h.master().scheduler().ledger().IsFull());
  EXPECT_TRUE(h.master().scheduler().ledger().Consistent());
}

TEST_F(RuntimeTest, LargeIntermediateMovesWorkerToWorkerNotThroughRankZero) {
  RuntimeHarness h(&registry_, {Cpus(1), Cpus(1)});
  const int64_t kBytes = 100 << 20;
  const uint64_t producer = h.master().Submit(Noop({{"payload_bytes", kBytes}}), Request(1));
  // Two consumers ready at once: the first runs where the data is, the second must fetch it.
  const uint64_t c1 = h.master().Submit(Noop({{"sleep_ms", 50.0}}), Request(1, {producer}));
  const uint64_t c2 = h.master().Submit(Noop({{"sleep_ms", 50.0}}), Request(1, {producer}));
  for (uint64_t c : {c1, c2}) {
    // The bindings the workers use to find the payload.
    (void)c;
  }
  std::map<uint64_t, TaskResult> results;
  h.master().RunUntilIdle([&](TaskResult&& r) { results[r.task] = std::move(r); });
  ASSERT_EQ(results.size(), 3u);
  for (auto& [id, r] : results) EXPECT_EQ(r.state, TaskState::kSucceeded) << r.error;
  const int data_rank = results[producer].rank;
  EXPECT_TRUE(results[c1].rank != data_rank || results[c2].rank != data_rank);
  EXPECT_TRUE(results[c1].rank == data_rank || results[c2].rank == data_rank);
  // Rank 0 saw only small messages, though 100 MB moved between the workers.
  EXPECT_LT(h.master_traffic().largest_received, 64u << 10);
  EXPECT_LT(h.master_traffic().bytes_received, 1u << 20);
  EXPECT_TRUE(h.master().scheduler().ledger().IsFull());
}

TEST_F(RuntimeTest, ReleaseStopsTheWorkersAndRunsTheRuntimesStepOnce) {
  RuntimeHarness h(&registry_, {Cpus(1), Cpus(1)});
  h.master().Submit(Noop({{"value", 1}}), Request(1));
  h.master().RunUntilIdle([](TaskResult&&) {});
  int released = 0;
  h.master().set_on_release([&] { ++released; });
  EXPECT_EQ(h.workers_ended(), 0);
  h.master().Release();
  h.master().Release();
  EXPECT_EQ(released, 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (h.workers_ended() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(h.workers_ended(), 2);
}

TEST_F(RuntimeTest, TasksMaySubmitMoreTasksWhileRunning) {
  RuntimeHarness h(&registry_, {Cpus(2)});
  h.master().Submit(Noop({{"value", 0}}), Request(1));
  std::vector<uint64_t> order;
  h.master().RunUntilIdle([&](TaskResult&& r) {
    order.push_back(r.task);
    if (r.task < 9) h.master().Submit(Noop({{"value", static_cast<int64_t>(r.task + 1)}}), Request(1, {r.task}));
  });
  EXPECT_EQ(order, (std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST_F(RuntimeTest, FailureSkipsDependantsAndTheRestGoesOn) {
  RuntimeHarness h(&registry_, {Cpus(2), Cpus(2)});
  const uint64_t bad = h.master().Submit(Noop({{"fail", true}}), Request(1));
  const uint64_t child = h.master().Submit(Noop({}), Request(1, {bad}));
  const uint64_t grandchild = h.master().Submit(Noop({}), Request(1, {child}));
  const uint64_t fine = h.master().Submit(Noop({{"value", 5}}), Request(1));
  std::map<uint64_t, TaskResult> results;
  h.master().RunUntilIdle([&](TaskResult&& r) { results[r.task] = std::move(r); });
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[bad].state, TaskState::kFailed);
  EXPECT_FALSE(results[bad].error.empty());
  EXPECT_EQ(results[child].state, TaskState::kSkipped);
  EXPECT_EQ(results[grandchild].state, TaskState::kSkipped);
  EXPECT_EQ(results[fine].state, TaskState::kSucceeded);
  EXPECT_EQ(results[fine].shipped.at("out").as_dict().at("value"), Value(5));
}

TEST_F(RuntimeTest, InputsReachTheirConsumers) {
  RuntimeHarness h(&registry_, {Cpus(1), Cpus(1), Cpus(1)});
  const uint64_t a = h.master().Submit(Noop({{"value", "from a"}}), Request(1));
  TaskOrder consumer = Noop({});
  consumer.inputs.push_back(InputBinding{"in", a, "out"});
  const uint64_t b = h.master().Submit(std::move(consumer), Request(1, {a}));
  std::map<uint64_t, TaskResult> results;
  h.master().RunUntilIdle([&](TaskResult&& r) { results[r.task] = std::move(r); });
  EXPECT_EQ(results[b].state, TaskState::kSucceeded) << results[b].error;
  EXPECT_EQ(results[b].shipped.at("out").as_dict().at("inputs"), Value(1));
}

// A noop in a child process, so that it may queue behind another (SchedulerTask::may_queue).
std::pair<TaskOrder, SchedulerTask> OutOfProcess(Dict params, double cpus) {
  TaskOrder order = Noop(std::move(params));
  order.isolate = true;
  SchedulerTask task = Request(cpus);
  task.may_queue = true;
  return {std::move(order), std::move(task)};
}

TEST_F(RuntimeTest, ShortTasksQueueBehindRunningOnesWithinCapacity) {
  RuntimeHarness h(&registry_, {Cpus(1), Cpus(2)});
  constexpr int kTasks = 60;
  constexpr int kFailing = 20;
  for (int i = 0; i < kTasks; ++i) {
    auto [order, task] = OutOfProcess({{"sleep_ms", 1.0 + i % 3}, {"value", i}, {"fail", i == kFailing}}, 1);
    h.master().Submit(std::move(order), std::move(task));
  }
  std::vector<TaskResult> results;
  h.master().RunUntilIdle([&](TaskResult&& r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), static_cast<size_t>(kTasks));
  for (const TaskResult& r : results) {
    EXPECT_EQ(r.state, r.task == kFailing ? TaskState::kFailed : TaskState::kSucceeded) << r.task << ": " << r.error;
    if (r.state == TaskState::kSucceeded) {
      EXPECT_EQ(r.shipped.at("out").as_dict().at("value"), Value(static_cast<int64_t>(r.task)));
    }
  }
  // Queued tasks started only as the task ahead of them ended, in its reservation.
  EXPECT_GT(h.master().scheduler().queued_total(), 0u);
  const std::map<int, double> capacity = {{1, 1.0}, {2, 2.0}};
  for (auto [rank, peak] : PeakCpusPerRank(results)) EXPECT_LE(peak, capacity.at(rank) + 1e-9) << "rank " << rank;
  EXPECT_TRUE(h.master().scheduler().ledger().IsFull());
  EXPECT_TRUE(h.master().scheduler().ledger().Consistent());
}

TEST_F(RuntimeTest, LongTasksAndFailFastQueueNothing) {
  {
    RuntimeHarness h(&registry_, {Cpus(1)});
    for (int i = 0; i < 6; ++i) {
      auto [order, task] = OutOfProcess({{"sleep_ms", 1000 * Master::kQueueBelowS + 10}}, 1);
      h.master().Submit(std::move(order), std::move(task));
    }
    h.master().RunUntilIdle([](TaskResult&&) {});
    EXPECT_EQ(h.master().scheduler().queued_total(), 0u);
  }
  RuntimeHarness h(&registry_, {Cpus(1)});
  h.master().set_options(MasterOptions{.fail_fast = true});
  for (int i = 0; i < 20; ++i) {
    auto [order, task] = OutOfProcess({{"value", i}}, 1);
    h.master().Submit(std::move(order), std::move(task));
  }
  size_t ok = 0;
  h.master().RunUntilIdle([&](TaskResult&& r) { ok += r.state == TaskState::kSucceeded; });
  EXPECT_EQ(ok, 20u);
  EXPECT_EQ(h.master().scheduler().queued_total(), 0u);
}

}  // namespace
}  // namespace fai
