#include "canvas/canvas.h"

#include <gtest/gtest.h>

#include "canvas_test_util.h"

namespace fai {
namespace {

// A canvas of noop modules; `edges` lists (consumer, producer) ids.
Canvas MakeCanvas(const ModuleRegistry& registry, const std::vector<std::string>& ids,
                  const std::vector<std::pair<std::string, std::string>>& edges) {
  Canvas c;
  for (const std::string& id : ids) {
    ModuleInstance m;
    m.id = id;
    m.type = registry.Find("noop");
    c.modules.push_back(m);
  }
  int port = 0;
  for (const auto& [consumer, producer] : edges) {
    ModuleInstance& m = c.modules[c.IndexOf(consumer)];
    m.inputs.push_back({"in" + std::to_string(port++), producer, "out"});
  }
  return c;
}

class CanvasTest : public ::testing::Test {
 protected:
  ModuleRegistry registry_ = testing::MakeTestRegistry();
};

TEST_F(CanvasTest, LookupById) {
  Canvas c = MakeCanvas(registry_, {"a", "b", "c"}, {});
  EXPECT_EQ(c.IndexOf("b"), 1);
  EXPECT_EQ(c.IndexOf("z"), -1);
  ASSERT_NE(c.Find("c"), nullptr);
  EXPECT_EQ(c.Find("c")->id, "c");
  EXPECT_EQ(c.Find("z"), nullptr);
  EXPECT_EQ(c.ModuleIds(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(CanvasTest, TopologicalOrderIsStable) {
  // File order: d, c, b, a; c <- a, d <- b. Ready first: b (2), a (3); b first frees d (0).
  Canvas c = MakeCanvas(registry_, {"d", "c", "b", "a"}, {{"c", "a"}, {"d", "b"}});
  EXPECT_EQ(c.TopologicalOrder(), (std::vector<int>{2, 0, 3, 1}));
}

TEST_F(CanvasTest, TopologicalOrderOfIndependentModulesIsFileOrder) {
  Canvas c = MakeCanvas(registry_, {"x", "y", "z"}, {});
  EXPECT_EQ(c.TopologicalOrder(), (std::vector<int>{0, 1, 2}));
}

TEST_F(CanvasTest, TopologicalOrderDiamond) {
  Canvas c = MakeCanvas(registry_, {"sink", "left", "right", "src"},
                        {{"left", "src"}, {"right", "src"}, {"sink", "left"}, {"sink", "right"}});
  EXPECT_EQ(c.TopologicalOrder(), (std::vector<int>{3, 1, 2, 0}));
}

TEST_F(CanvasTest, PredecessorsAreDeduplicatedAndSorted) {
  Canvas c = MakeCanvas(registry_, {"a", "b", "c"}, {{"c", "b"}, {"c", "a"}, {"c", "b"}});
  const auto preds = c.Predecessors();
  ASSERT_EQ(preds.size(), 3u);
  EXPECT_TRUE(preds[0].empty());
  EXPECT_TRUE(preds[1].empty());
  EXPECT_EQ(preds[2], (std::vector<int>{0, 1}));
}

TEST_F(CanvasTest, OutputPortsAndSweepableParamsOfADeclaredType) {
  ModuleInstance m;
  m.type = registry_.Find("ml.random_forest");
  EXPECT_EQ(m.OutputPorts(), (std::vector<std::string>{"model", "predictions"}));
  EXPECT_EQ(m.SweepableParams(), (std::vector<std::string>{"iterations", "min_samples_per_leaf",
                                                           "criterion", "feature_fraction"}));
}

TEST_F(CanvasTest, OutputPortsAndSweepableParamsOfACommand) {
  ModuleInstance m;
  m.type = registry_.Find("command");
  m.params = {{"argv", Value(List{Value("x")})},
              {"env", Value(Dict{})},
              {"lr", Value(0.1)},
              {"outputs", Value(List{Value("b"), Value("a")})},
              {"seed", Value(1)}};
  EXPECT_EQ(m.OutputPorts(), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(m.SweepableParams(), (std::vector<std::string>{"lr", "seed"}));
  m.params.erase("outputs");
  EXPECT_TRUE(m.OutputPorts().empty());
}

}  // namespace
}  // namespace fai
