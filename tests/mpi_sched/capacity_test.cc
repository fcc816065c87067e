#include "mpi_sched/capacity.h"

#include <gtest/gtest.h>

namespace fai {
namespace {

HostFacts Host(int cores, int workers, int index, std::map<std::string, std::string> env = {}) {
  HostFacts f;
  f.hostname = "node1";
  f.cores = cores;
  f.memory_bytes = 64ull << 30;
  f.workers_on_host = workers;
  f.index_on_host = index;
  f.env = std::move(env);
  return f;
}

TEST(Capacity, FlagsWin) {
  CapacityFlags flags;
  flags.cpus_per_rank = 8;
  flags.mem_per_rank = "16G";
  auto cap = ComputeCapacity(flags, Host(32, 4, 1, {{"SLURM_CPUS_PER_TASK", "2"}}));
  ASSERT_TRUE(cap.ok());
  EXPECT_EQ(cap->cpus, 8);
  EXPECT_EQ(cap->memory_bytes, 16ull << 30);
  EXPECT_EQ(cap->host, "node1");
}

TEST(Capacity, SlurmEnvironmentNext) {
  auto cap = ComputeCapacity({}, Host(32, 4, 1, {{"SLURM_CPUS_PER_TASK", "6"}, {"SLURM_MEM_PER_NODE", "8192"}}));
  ASSERT_TRUE(cap.ok());
  EXPECT_EQ(cap->cpus, 6);
  EXPECT_EQ(cap->memory_bytes, (8192ull << 20) / 4);
}

TEST(Capacity, HostSharedAmongItsWorkers) {
  auto cap = ComputeCapacity({}, Host(16, 4, 2));
  ASSERT_TRUE(cap.ok());
  EXPECT_EQ(cap->cpus, 4);
  EXPECT_EQ(cap->memory_bytes, 16ull << 30);
  // An oversubscribed host still gives each worker one CPU.
  EXPECT_EQ(ComputeCapacity({}, Host(2, 3, 0))->cpus, 1);
}

TEST(Capacity, VisibleDevicesSplitAmongWorkers) {
  const std::map<std::string, std::string> env = {{"CUDA_VISIBLE_DEVICES", "4,5,6,7"}};
  EXPECT_EQ(ComputeCapacity({}, Host(16, 2, 0, env))->gpu_ids, (std::vector<int>{4, 5}));
  EXPECT_EQ(ComputeCapacity({}, Host(16, 2, 1, env))->gpu_ids, (std::vector<int>{6, 7}));
  EXPECT_EQ(ComputeCapacity({}, Host(16, 8, 5, env))->gpu_ids, (std::vector<int>{}));
  EXPECT_EQ(ComputeCapacity({}, Host(16, 8, 3, env))->gpu_ids, (std::vector<int>{7}));
  EXPECT_TRUE(ComputeCapacity({}, Host(16, 1, 0))->gpu_ids.empty());
}

TEST(Capacity, DeclaredDevicesWithoutAList) {
  CapacityFlags flags;
  flags.gpus_per_rank = 2;
  EXPECT_EQ(ComputeCapacity(flags, Host(16, 2, 1))->gpu_ids, (std::vector<int>{2, 3}));
  flags.gpus_per_rank = 3;
  auto short_of_devices = ComputeCapacity(flags, Host(16, 2, 1, {{"CUDA_VISIBLE_DEVICES", "0,1"}}));
  ASSERT_FALSE(short_of_devices.ok());
  EXPECT_NE(short_of_devices.status().message().find("--gpus-per-rank 3"), std::string::npos);
}

TEST(Capacity, BadValuesNameTheirSource) {
  CapacityFlags flags;
  flags.mem_per_rank = "lots";
  auto a = ComputeCapacity(flags, Host(4, 1, 0));
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("--mem-per-rank"), std::string::npos);
  auto b = ComputeCapacity({}, Host(4, 1, 0, {{"CUDA_VISIBLE_DEVICES", "0,x"}}));
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("CUDA_VISIBLE_DEVICES"), std::string::npos);
  auto c = ComputeCapacity({}, Host(4, 1, 0, {{"SLURM_CPUS_PER_TASK", "-1"}}));
  EXPECT_FALSE(c.ok());
}

}  // namespace
}  // namespace fai
