#include "dag/sweep_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "canvas/canvas_parser.h"

namespace fai {
namespace {

ModuleType Type(std::string name, std::vector<ParamSpec> params, std::vector<std::string> inputs,
                std::vector<std::string> outputs) {
  ModuleType t;
  t.name = std::move(name);
  t.help = "test type";
  t.params = std::move(params);
  for (auto& i : inputs) t.inputs.push_back({i, "", false});
  for (auto& o : outputs) t.outputs.push_back({o, "", false});
  t.run = [](TaskContext&) {};
  return t;
}

ParamSpec Int(std::string name, int64_t def) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kInt;
  p.default_value = def;
  p.min = 1;
  return p;
}

// data -> features -> model -> predict -> backtest (which also reads data), like the seed's canvas.
class SweepPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.Register(Type("t.data", {Int("seed", 7)}, {}, {"data"}));
    registry_.Register(Type("t.features", {Int("window", 5)}, {"data"}, {"features"}));
    registry_.Register(Type("t.model", {Int("iterations", 10), Int("min_leaf", 100)}, {"train"}, {"model"}));
    registry_.Register(Type("t.predict", {}, {"model", "features"}, {"predictions"}));
    registry_.Register(Type("t.backtest", {Int("top_k", 20)}, {"predictions", "data"}, {"metrics"}));
    auto canvas = ParseCanvas(R"({
      "version": 1, "name": "chain",
      "modules": [
        {"id": "m1", "type": "t.data"},
        {"id": "m2", "type": "t.features", "inputs": {"data": "m1.data"}},
        {"id": "m3", "type": "t.model", "inputs": {"train": "m2.features"}},
        {"id": "m4", "type": "t.predict", "inputs": {"model": "m3.model", "features": "m2.features"}},
        {"id": "m5", "type": "t.backtest", "inputs": {"predictions": "m4.predictions", "data": "m1.data"}}
      ]})",
                              "canvas.json", registry_);
    ASSERT_TRUE(canvas.ok()) << canvas.status().message();
    canvas_ = std::move(*canvas);
  }

  SweepPlan Plan(const std::string& yaml, bool dedup = true) {
    auto grid = Grid::Parse(yaml, "grid.yaml");
    EXPECT_TRUE(grid.ok()) << grid.status().message();
    grids_.push_back(std::make_unique<Grid>(std::move(*grid)));
    auto plan = SweepPlan::Build(canvas_, *grids_.back(), PlanOptions{.dedup = dedup});
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    return std::move(*plan);
  }

  ModuleRegistry registry_;
  Canvas canvas_;
  std::vector<std::unique_ptr<Grid>> grids_;
};

TEST_F(SweepPlanTest, SharedUpstreamRunsOnce) {
  SweepPlan plan = Plan("grid:\n  m3.iterations: [4, 9]\n  m3.min_leaf: [50, 200]\n");
  EXPECT_EQ(plan.num_combos(), 4u);
  EXPECT_EQ(plan.TasksWithoutDedup(), 20u);
  EXPECT_EQ(plan.tasks().size(), 14u);  // m1, m2 once; m3, m4, m5 per combination
  EXPECT_EQ(plan.TasksSaved(), 6u);
  EXPECT_EQ(plan.TasksPerModule(), (std::vector<uint64_t>{1, 1, 4, 4, 4}));
  for (size_t c = 0; c < plan.num_combos(); ++c) {
    EXPECT_EQ(plan.TaskOf(c, 0), plan.TaskOf(0, 0));
    EXPECT_EQ(plan.TaskOf(c, 1), plan.TaskOf(0, 1));
  }
  EXPECT_EQ(plan.tasks()[plan.TaskOf(0, 0)].num_combos, 4u);
}

TEST_F(SweepPlanTest, OnlyLastModuleSwept) {
  SweepPlan plan = Plan("grid:\n  m5.top_k: [5, 10, 20, 40]\n");
  EXPECT_EQ(plan.tasks().size(), 8u);  // 4 shared + 4 backtests
  EXPECT_EQ(plan.TasksSaved(), 12u);
  EXPECT_EQ(plan.TasksPerModule(), (std::vector<uint64_t>{1, 1, 1, 1, 4}));
}

TEST_F(SweepPlanTest, ValueEqualToCanvasDefaultSharesTheTask) {
  // iterations 10 is the canvas default; m5 is swept independently.
  SweepPlan plan = Plan("grid:\n  m3.iterations: [4, 10]\n  m5.top_k: [10, 20]\n");
  EXPECT_EQ(plan.num_combos(), 4u);
  EXPECT_EQ(plan.TasksPerModule(), (std::vector<uint64_t>{1, 1, 2, 2, 4}));
}

TEST_F(SweepPlanTest, IntegralFloatIsCoercedAndShared) {
  SweepPlan plan = Plan("combinations:\n  - {m3.iterations: 4}\n  - {m3.iterations: 4.0}\n");
  EXPECT_EQ(plan.num_combos(), 2u);  // different combinations (their content differs)...
  EXPECT_EQ(plan.tasks().size(), 5u);  // ...but the same work
  Dict params = plan.EffectiveParams(plan.TaskOf(1, 2));
  EXPECT_EQ(params.at("iterations"), Value(4));
  EXPECT_EQ(params.at("min_leaf"), Value(100));
}

TEST_F(SweepPlanTest, NoDedupGivesEveryCombinationItsOwnTasks) {
  SweepPlan plan = Plan("grid:\n  m3.iterations: [4, 9]\n  m3.min_leaf: [50, 200]\n", /*dedup=*/false);
  EXPECT_EQ(plan.tasks().size(), 20u);
  EXPECT_EQ(plan.TasksSaved(), 0u);
  EXPECT_EQ(plan.TasksPerModule(), (std::vector<uint64_t>{4, 4, 4, 4, 4}));
}

TEST_F(SweepPlanTest, ProducersComeBeforeConsumers) {
  SweepPlan plan = Plan("grid:\n  m2.window: [5, 10]\n  m3.iterations: [4, 9]\n");
  EXPECT_EQ(plan.TasksPerModule(), (std::vector<uint64_t>{1, 2, 4, 4, 4}));
  for (uint32_t t = 0; t < plan.tasks().size(); ++t)
    for (uint32_t in : plan.tasks()[t].inputs) EXPECT_LT(in, t);
}

TEST_F(SweepPlanTest, TaskKeysSurviveGridGrowth) {
  SweepPlan small = Plan("grid:\n  m3.iterations: [4, 9]\n");
  SweepPlan big = Plan("grid:\n  m3.iterations: [4, 9, 16]\n  m3.min_leaf: [100]\n");
  std::set<std::string> big_keys;
  for (const PlanTask& t : big.tasks()) big_keys.insert(t.key.Hex());
  for (const PlanTask& t : small.tasks()) EXPECT_TRUE(big_keys.count(t.key.Hex())) << t.module;
}

TEST_F(SweepPlanTest, BadGridKeysNameFileAndKey) {
  auto grid = Grid::Parse("grid:\n  m9.iterations: [4]\n  m3.iteratons: [4]\n  m3.min_leaf: [0]\n", "grid.yaml");
  ASSERT_TRUE(grid.ok()) << grid.status().message();
  auto plan = SweepPlan::Build(canvas_, *grid, {});
  ASSERT_FALSE(plan.ok());
  const std::string& msg = plan.status().message();
  EXPECT_EQ(plan.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(msg.find("grid.yaml: key \"m9.iterations\": the canvas has no module \"m9\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean \"m1\"?"), std::string::npos) << msg;
  EXPECT_NE(msg.find("key \"m3.iteratons\": module \"m3\" (t.model) has no param \"iteratons\"; did you mean "
                     "\"iterations\"?"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("m3.min_leaf"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected int >= 1, got 0"), std::string::npos) << msg;
}

}  // namespace
}  // namespace fai
