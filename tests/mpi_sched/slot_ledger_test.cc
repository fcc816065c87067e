#include "mpi_sched/slot_ledger.h"

#include <gtest/gtest.h>

#include "mpi_sched/placement.h"

namespace fai {
namespace {

WorkerCapacity Worker(int rank, double cpus, int gpus = 0, uint64_t memory = 0) {
  WorkerCapacity w;
  w.rank = rank;
  w.cpus = cpus;
  for (int g = 0; g < gpus; ++g) w.gpu_ids.push_back(g);
  w.memory_bytes = memory;
  return w;
}

Resources Req(double cpus, double gpus = 0, uint64_t memory = 0) {
  Resources r;
  r.num_cpus = cpus;
  r.num_gpus = gpus;
  r.memory_bytes = memory;
  return r;
}

TEST(SlotLedger, FractionalCpusAddUpExactly) {
  SlotLedger ledger({Worker(1, 1)});
  std::vector<Grant> grants;
  for (int i = 0; i < 10; ++i) {
    auto g = ledger.TryReserve(0, Req(0.1));
    ASSERT_TRUE(g.has_value()) << i;
    grants.push_back(*g);
  }
  EXPECT_FALSE(ledger.TryReserve(0, Req(0.1)).has_value());
  EXPECT_DOUBLE_EQ(ledger.FreeCpus(0), 0.0);
  for (const Grant& g : grants) ledger.Release(g);
  EXPECT_TRUE(ledger.IsFull());
  EXPECT_TRUE(ledger.Consistent());
}

TEST(SlotLedger, FractionalGpusPackOntoOneDevice) {
  SlotLedger ledger({Worker(1, 8, 2)});
  std::vector<Grant> grants;
  for (int i = 0; i < 4; ++i) {
    auto g = ledger.TryReserve(0, Req(1, 0.25));
    ASSERT_TRUE(g.has_value());
    ASSERT_EQ(g->gpu_devices.size(), 1u);
    EXPECT_EQ(g->gpu_devices[0], 0) << "task " << i << " should share device 0";
    grants.push_back(*g);
  }
  auto fifth = ledger.TryReserve(0, Req(1, 0.25));
  ASSERT_TRUE(fifth.has_value());
  EXPECT_EQ(fifth->gpu_devices, std::vector<int>{1});
  // Device 0 is full and device 1 partly used: a whole GPU no longer fits.
  EXPECT_FALSE(ledger.FitsNow(0, Req(1, 1)));
  ledger.Release(*fifth);
  auto whole = ledger.TryReserve(0, Req(1, 1));
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->gpu_devices, std::vector<int>{1});
  EXPECT_DOUBLE_EQ(whole->gpus(), 1.0);
  ledger.Release(*whole);
  for (const Grant& g : grants) ledger.Release(g);
  EXPECT_TRUE(ledger.IsFull());
}

TEST(SlotLedger, FractionsNeverSpreadAcrossDevices) {
  SlotLedger ledger({Worker(1, 8, 2)});
  auto a = ledger.TryReserve(0, Req(1, 0.6));
  auto b = ledger.TryReserve(0, Req(1, 0.6));
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->gpu_devices, b->gpu_devices);
  // 0.4 + 0.4 is free in total, but not 0.5 on one device.
  EXPECT_FALSE(ledger.FitsNow(0, Req(1, 0.5)));
  EXPECT_TRUE(ledger.FitsNow(0, Req(1, 0.4)));
}

TEST(SlotLedger, MemoryAndEmptyFit) {
  const uint64_t kGiB = 1ull << 30;
  SlotLedger ledger({Worker(1, 4, 0, 8 * kGiB), Worker(2, 8, 0, 4 * kGiB)});
  EXPECT_TRUE(ledger.FitsEmpty(0, Req(2, 0, 6 * kGiB)));
  EXPECT_FALSE(ledger.FitsEmpty(1, Req(2, 0, 6 * kGiB)));
  EXPECT_FALSE(ledger.FitsEmpty(0, Req(5)));
  EXPECT_FALSE(ledger.FitsEmpty(0, Req(1, 1)));
  EXPECT_EQ(ledger.LargestWorker(), 1);
  auto g = ledger.TryReserve(0, Req(1, 0, 6 * kGiB));
  ASSERT_TRUE(g);
  EXPECT_FALSE(ledger.FitsNow(0, Req(1, 0, 3 * kGiB)));
  ledger.Release(*g);
  EXPECT_TRUE(ledger.IsFull());
}

TEST(SlotLedger, SeedsWaitingExampleRunsInTwoWaves) {
  // Two 8-CPU workers, four tasks of 5 CPUs: two run, two wait until those end.
  SlotLedger ledger({Worker(1, 8), Worker(2, 8)});
  std::vector<Grant> wave;
  int waiting = 0;
  for (int t = 0; t < 4; ++t) {
    int w = ChooseWorker(ledger, Req(5), {});
    if (w < 0) {
      ++waiting;
      continue;
    }
    wave.push_back(*ledger.TryReserve(w, Req(5)));
  }
  EXPECT_EQ(wave.size(), 2u);
  EXPECT_EQ(waiting, 2);
  EXPECT_NE(wave[0].worker, wave[1].worker);
  ledger.Release(wave[0]);
  EXPECT_EQ(ChooseWorker(ledger, Req(5), {}), wave[0].worker);
}

TEST(Placement, PrefersWorkerHoldingInputsElseLeastLoaded) {
  SlotLedger ledger({Worker(1, 4), Worker(2, 4), Worker(3, 4)});
  auto busy = ledger.TryReserve(0, Req(2));
  ASSERT_TRUE(busy);
  EXPECT_EQ(ChooseWorker(ledger, Req(1), {}), 1);                       // least loaded
  EXPECT_EQ(ChooseWorker(ledger, Req(1), {100, 0, 5000}), 2);           // most bytes
  EXPECT_EQ(ChooseWorker(ledger, Req(1), {100, 0, 0}), 0);              // data wins over load
  EXPECT_EQ(ChooseWorker(ledger, Req(3), {100, 0, 0}), 1);              // does not fit there now
  EXPECT_EQ(ChooseWorker(ledger, Req(5), {}), -1);
}

}  // namespace
}  // namespace fai
