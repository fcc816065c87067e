// UsageReport (src/io/usage_report.h): exact figures from hand-computed examples.
#include "io/usage_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace fai {
namespace {

// Two nodes: the master and one 4-CPU worker on n1, two 2-CPU workers (one with a GPU) on n2.
// 120 s of wall time.
UsageInput TwoNodes() {
  UsageInput in;
  in.master_host = "n1";
  in.workers = {{"n1", 4, 0}, {"n2", 2, 0}, {"n2", 2, 1}};
  in.wall_s = 120;
  in.tasks = {{30, 2, 0}, {60, 1, 0}, {10, 0.5, 0}, {20, 2, 1}, {0, 1, 0}};
  return in;
}

TEST(UsageReport, FiguresFromTasksAndWorkers) {
  UsageInput in = TwoNodes();
  in.price_per_node_minute = 0.05;
  in.profile = "small";
  const UsageReport r = ComputeUsage(in);
  EXPECT_EQ(r.nodes, 2);
  EXPECT_EQ(r.workers, 3);
  EXPECT_EQ(r.tasks, 5u);
  EXPECT_DOUBLE_EQ(r.wall_s, 120);
  EXPECT_DOUBLE_EQ(r.node_minutes, 4);  // 2 nodes x 2 minutes
  EXPECT_DOUBLE_EQ(r.cpus_offered, 8);
  EXPECT_DOUBLE_EQ(r.cpu_seconds_used, 60 + 60 + 5 + 40 + 0);  // 165
  EXPECT_DOUBLE_EQ(r.cpu_seconds_offered, 960);                // 8 CPUs x 120 s
  EXPECT_DOUBLE_EQ(r.utilisation, 165.0 / 960.0);
  EXPECT_DOUBLE_EQ(r.gpus_offered, 1);
  EXPECT_DOUBLE_EQ(r.gpu_seconds_used, 20);
  EXPECT_DOUBLE_EQ(r.gpu_seconds_offered, 120);
  EXPECT_DOUBLE_EQ(r.gpu_utilisation, 20.0 / 120.0);
  EXPECT_TRUE(r.has_cost);
  EXPECT_DOUBLE_EQ(r.estimated_cost, 0.2);  // 4 node-minutes x 0.05
}

TEST(UsageReport, PrintsAShortReport) {
  UsageInput in = TwoNodes();
  in.price_per_node_minute = 0.05;
  in.profile = "small";
  std::ostringstream out;
  ComputeUsage(in).Print(out);
  EXPECT_EQ(out.str(),
            "usage: 2 nodes x 2.00 min = 4.00 node-minutes held (3 workers, 8 CPUs, 1 GPU)\n"
            "usage: 165.0 CPU-seconds used by 5 tasks of 960.0 offered: 17.2% utilisation\n"
            "usage: 20.0 GPU-seconds used of 120.0 offered: 16.7% GPU utilisation\n"
            "usage: estimated cost 0.2000 (0.05 per node-minute, profile small)\n");
}

TEST(UsageReport, WithoutPriceNoCost) {
  UsageInput in;
  in.workers = {{"vm", 2, 0}};
  in.master_host = "vm";
  in.wall_s = 30;
  in.tasks = {{3, 1, 0}, {3, 1, 0}};
  const UsageReport r = ComputeUsage(in);
  EXPECT_EQ(r.nodes, 1);
  EXPECT_DOUBLE_EQ(r.node_minutes, 0.5);
  EXPECT_DOUBLE_EQ(r.cpu_seconds_used, 6);
  EXPECT_DOUBLE_EQ(r.utilisation, 0.1);
  EXPECT_FALSE(r.has_cost);
  std::ostringstream out;
  r.Print(out);
  EXPECT_EQ(out.str(),
            "usage: 1 node x 0.50 min = 0.50 node-minutes held (1 worker, 2 CPUs)\n"
            "usage: 6.0 CPU-seconds used by 2 tasks of 60.0 offered: 10.0% utilisation\n");
  const std::map<std::string, Value> a = r.Attributes();
  EXPECT_EQ(a.count("estimated_cost"), 0u);
  EXPECT_EQ(a.at("nodes").as_int(), 1);
  EXPECT_DOUBLE_EQ(a.at("utilisation").as_double(), 0.1);
}

TEST(UsageReport, NodesGivenByTheCallerWin) {
  UsageInput in = TwoNodes();
  in.nodes = 4;  // SLURM_JOB_NUM_NODES: the allocation held 4 nodes, whatever ran where
  in.price_per_node_minute = 1.5;
  const UsageReport r = ComputeUsage(in);
  EXPECT_EQ(r.nodes, 4);
  EXPECT_DOUBLE_EQ(r.node_minutes, 8);
  EXPECT_DOUBLE_EQ(r.estimated_cost, 12);
  std::ostringstream out;
  r.Print(out);
  EXPECT_NE(out.str().find("usage: estimated cost 12.00 (1.5 per node-minute)\n"),
            std::string::npos)
      << out.str();
}

TEST(UsageReport, AttributesForTheResultFile) {
  UsageInput in = TwoNodes();
  in.price_per_node_minute = 0.05;
  in.profile = "small";
  const std::map<std::string, Value> a = ComputeUsage(in).Attributes();
  std::vector<std::string> keys;
  for (const auto& [k, v] : a) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"cpu_seconds_offered", "cpu_seconds_used",
                                            "cpus_offered", "estimated_cost", "gpu_seconds_offered",
                                            "gpu_seconds_used", "gpu_utilisation", "node_minutes",
                                            "nodes", "price_per_node_minute", "profile", "tasks",
                                            "utilisation", "wall_s", "workers"}));
  EXPECT_DOUBLE_EQ(a.at("node_minutes").as_double(), 4);
  EXPECT_DOUBLE_EQ(a.at("cpu_seconds_used").as_double(), 165);
  EXPECT_DOUBLE_EQ(a.at("estimated_cost").as_double(), 0.2);
  EXPECT_EQ(a.at("tasks").as_int(), 5);
  EXPECT_EQ(a.at("profile").as_string(), "small");
}

TEST(UsageReport, EmptyRun) {
  const UsageReport r = ComputeUsage(UsageInput{});
  EXPECT_EQ(r.nodes, 1);
  EXPECT_DOUBLE_EQ(r.node_minutes, 0);
  EXPECT_DOUBLE_EQ(r.utilisation, 0);
  EXPECT_DOUBLE_EQ(r.gpu_utilisation, 0);
}

}  // namespace
}  // namespace fai
