#include "mpi_sched/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace fai {
namespace {

std::vector<WorkerCapacity> Workers(int n, double cpus) {
  std::vector<WorkerCapacity> out;
  for (int i = 0; i < n; ++i) {
    WorkerCapacity w;
    w.rank = i + 1;
    w.cpus = cpus;
    out.push_back(w);
  }
  return out;
}

SchedulerTask Task(double cpus, std::vector<ObjectId> deps = {}) {
  SchedulerTask t;
  t.request.num_cpus = cpus;
  t.deps = std::move(deps);
  return t;
}

TEST(Scheduler, ReadyOnlyWhenInputsExist) {
  Scheduler s(Workers(1, 4));
  const uint64_t a = s.Add(Task(1));
  const uint64_t b = s.Add(Task(1, {a}));
  auto first = s.Schedule();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].task, a);
  EXPECT_EQ(s.state(b), TaskState::kWaiting);
  s.Finished(a, true, 1000, {});
  auto second = s.Schedule();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].task, b);
  EXPECT_TRUE(second[0].fetch.empty());  // same worker: nothing to fetch
}

TEST(Scheduler, OutputFreedAfterLastConsumer) {
  Scheduler s(Workers(2, 1));
  const uint64_t a = s.Add(Task(1));
  const uint64_t c1 = s.Add(Task(1, {a}));
  const uint64_t c2 = s.Add(Task(1, {a}));
  s.Schedule();
  s.Finished(a, true, 1 << 20, {});
  auto placed = s.Schedule();
  ASSERT_EQ(placed.size(), 2u);
  // One consumer runs where the data is; the other fetches it from there.
  const auto& remote = placed[0].fetch.empty() ? placed[1] : placed[0];
  ASSERT_EQ(remote.fetch.size(), 1u);
  EXPECT_EQ(remote.fetch[0].object, a);
  EXPECT_EQ(remote.fetch[0].holder, 1);
  s.Finished(c1, true, 10, remote.task == c1 ? std::vector<ObjectId>{a} : std::vector<ObjectId>{});
  const auto early = s.TakeFreeable();
  EXPECT_TRUE(std::none_of(early.begin(), early.end(), [&](const auto& f) { return f.second == a; }));
  s.Finished(c2, true, 10, remote.task == c2 ? std::vector<ObjectId>{a} : std::vector<ObjectId>{});
  std::vector<std::pair<int, ObjectId>> freed = s.TakeFreeable();
  std::vector<int> ranks_freeing_a;
  for (auto& [rank, object] : freed)
    if (object == a) ranks_freeing_a.push_back(rank);
  std::sort(ranks_freeing_a.begin(), ranks_freeing_a.end());
  EXPECT_EQ(ranks_freeing_a, (std::vector<int>{1, 2}));  // the original and the copy
  EXPECT_TRUE(s.Idle());
  EXPECT_TRUE(s.ledger().IsFull());
}

TEST(Scheduler, KeptOutputsWaitForRelease) {
  Scheduler s(Workers(1, 1));
  SchedulerTask kept = Task(1);
  kept.keep_output = true;
  const uint64_t a = s.Add(kept);
  s.Schedule();
  s.Finished(a, true, 8, {});
  EXPECT_TRUE(s.TakeFreeable().empty());
  s.Release(a);
  EXPECT_EQ(s.TakeFreeable().size(), 1u);
}

TEST(Scheduler, FailureSkipsEverythingDownstream) {
  Scheduler s(Workers(1, 2));
  const uint64_t a = s.Add(Task(1));
  const uint64_t b = s.Add(Task(1, {a}));
  const uint64_t c = s.Add(Task(1, {b}));
  const uint64_t d = s.Add(Task(1));
  s.Schedule();
  s.Finished(a, false, 0, {});
  EXPECT_EQ(s.state(b), TaskState::kSkipped);
  EXPECT_EQ(s.state(c), TaskState::kSkipped);
  auto skipped = s.TakeSkipped();
  std::sort(skipped.begin(), skipped.end());
  EXPECT_EQ(skipped, (std::vector<uint64_t>{b, c}));
  // A task added later on a failed input is skipped at once.
  const uint64_t e = s.Add(Task(1, {a}));
  EXPECT_EQ(s.state(e), TaskState::kSkipped);
  s.Finished(d, true, 0, {});
  EXPECT_TRUE(s.Idle());
}

TEST(Scheduler, SmallTasksPassABigOneThatDoesNotFitYet) {
  Scheduler s(Workers(1, 4));
  const uint64_t running = s.Add(Task(3));
  ASSERT_EQ(s.Schedule().size(), 1u);
  const uint64_t big = s.Add(Task(4));
  const uint64_t small = s.Add(Task(1));
  auto placed = s.Schedule();
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].task, small);
  s.Finished(running, true, 0, {});
  s.Finished(small, true, 0, {});
  placed = s.Schedule();
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].task, big);
}

TEST(Scheduler, OnePassPlacesEverySmallTaskBetweenBigOnesThatDoNotFit) {
  Scheduler s(Workers(1, 4));
  s.Add(Task(3));
  ASSERT_EQ(s.Schedule().size(), 1u);  // 1 CPU left
  std::vector<uint64_t> small;
  for (int i = 0; i < 3; ++i) {
    s.Add(Task(2));
    s.Add(Task(2));
    small.push_back(s.Add(Task(0.25)));
  }
  const uint64_t last_big = s.Add(Task(2));
  small.push_back(s.Add(Task(0.25)));
  std::vector<uint64_t> placed;
  for (const Dispatch& d : s.Schedule()) placed.push_back(d.task);
  EXPECT_EQ(placed, small);
  EXPECT_EQ(s.state(last_big), TaskState::kReady);
}

SchedulerTask Queueable(double cpus, uint32_t kind = 0) {
  SchedulerTask t = Task(cpus);
  t.kind = kind;
  t.may_queue = true;
  return t;
}

TEST(Scheduler, QueuesBehindRunningTasksOfItsKindOnlyWhenNothingFits) {
  Scheduler s(Workers(2, 1));
  s.SetQueueing(0, true);
  std::vector<uint64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(s.Add(Queueable(1)));
  const std::vector<Dispatch> placed = s.Schedule();
  ASSERT_EQ(placed.size(), 4u);
  // Two run, one on each worker; two queue, one behind each; the fifth waits at rank 0.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(placed[i].after, kNoTask);
    EXPECT_EQ(s.state(ids[i]), TaskState::kRunning);
  }
  EXPECT_NE(placed[0].rank, placed[1].rank);
  for (int i = 2; i < 4; ++i) {
    EXPECT_EQ(placed[i].after, ids[i - 2]);
    EXPECT_EQ(placed[i].rank, placed[i - 2].rank);
    EXPECT_EQ(placed[i].grant.worker, placed[i - 2].grant.worker);
    EXPECT_EQ(s.state(ids[i]), TaskState::kQueued);
  }
  EXPECT_EQ(s.state(ids[4]), TaskState::kReady);
  EXPECT_EQ(s.running(), 2u);
  EXPECT_EQ(s.queued_total(), 2u);
  EXPECT_TRUE(s.ledger().Consistent());
  EXPECT_EQ(s.ledger().FreeCpus(0) + s.ledger().FreeCpus(1), 0.0);

  // The first ends: the task queued behind it runs in its reservation, and the fifth queues
  // behind that one.
  s.Finished(ids[0], true, 0, {});
  EXPECT_EQ(s.state(ids[2]), TaskState::kRunning);
  EXPECT_EQ(s.running(), 2u);
  EXPECT_EQ(s.ledger().FreeCpus(0) + s.ledger().FreeCpus(1), 0.0);
  const std::vector<Dispatch> next = s.Schedule();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].task, ids[4]);
  EXPECT_EQ(next[0].after, ids[2]);
  for (size_t i = 1; i < ids.size(); ++i) s.Finished(ids[i], true, 0, {});
  EXPECT_TRUE(s.Idle());
  EXPECT_TRUE(s.ledger().IsFull());
  EXPECT_TRUE(s.ledger().Consistent());
}

TEST(Scheduler, QueuesNothingWhenOffOrUnlike) {
  Scheduler s(Workers(1, 2));
  s.SetQueueing(1, true);
  s.Add(Queueable(1, 0));    // kind 0: queueing off
  s.Add(Queueable(1, 1));    // kind 1
  s.Add(Queueable(1, 0));    // nothing of kind 0 may take it
  s.Add(Queueable(0.5, 1));  // not the request of the kind-1 task running
  s.Add(Task(1));            // may not queue
  const std::vector<Dispatch> placed = s.Schedule();
  EXPECT_EQ(placed.size(), 2u);
  for (const Dispatch& d : placed) EXPECT_EQ(d.after, kNoTask);
  EXPECT_EQ(s.queued_total(), 0u);
  s.SetQueueing(1, false);
  s.Add(Queueable(1, 1));
  EXPECT_TRUE(s.Schedule().empty());
}

TEST(Scheduler, RetryPassesTheReservationToTheQueuedTask) {
  Scheduler s(Workers(1, 1));
  s.SetQueueing(0, true);
  const uint64_t a = s.Add(Queueable(1));
  const uint64_t b = s.Add(Queueable(1));
  ASSERT_EQ(s.Schedule().size(), 2u);
  s.Retry(a);
  EXPECT_EQ(s.state(a), TaskState::kReady);
  EXPECT_EQ(s.state(b), TaskState::kRunning);
  EXPECT_EQ(s.grant(b).worker, 0);
  EXPECT_EQ(s.ledger().FreeCpus(0), 0.0);
  // a goes behind b now.
  const std::vector<Dispatch> again = s.Schedule();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].after, b);
  s.Finished(b, true, 0, {});
  s.Finished(a, true, 0, {});
  EXPECT_TRUE(s.ledger().IsFull());
  EXPECT_TRUE(s.ledger().Consistent());
}

TEST(Scheduler, AQueuedTaskThatFailsLeavesTheLineAndTheReservation) {
  Scheduler s(Workers(1, 1));
  s.SetQueueing(0, true);
  const uint64_t a = s.Add(Queueable(1));
  const uint64_t b = s.Add(Queueable(1));
  const uint64_t c = s.Add(Queueable(1, 0));
  ASSERT_EQ(s.Schedule().size(), 2u);  // a runs, b queued behind it
  s.Finished(b, false, 0, {});         // say its input was lost
  EXPECT_EQ(s.state(b), TaskState::kFailed);
  EXPECT_EQ(s.state(a), TaskState::kRunning);
  EXPECT_EQ(s.running(), 1u);
  EXPECT_EQ(s.ledger().FreeCpus(0), 0.0);  // still a's
  s.Finished(a, true, 0, {});
  EXPECT_TRUE(s.ledger().IsFull());
  const std::vector<Dispatch> placed = s.Schedule();
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].task, c);
  EXPECT_EQ(placed[0].after, kNoTask);
}

}  // namespace
}  // namespace fai
