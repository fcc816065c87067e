#include "dag/dag.h"

#include <gtest/gtest.h>

namespace fai {
namespace {

TEST(Dag, TopologicalOrderIsStable) {
  Dag dag(5);
  dag.AddEdge(3, 1);
  dag.AddEdge(0, 1);
  dag.AddEdge(1, 4);
  dag.AddEdge(2, 4);
  dag.AddEdge(0, 1);  // duplicate, ignored
  std::vector<int> order;
  ASSERT_TRUE(dag.TopologicalOrder(&order));
  EXPECT_EQ(order, (std::vector<int>{0, 2, 3, 1, 4}));
  EXPECT_EQ(dag.Predecessors(1).size(), 2u);
  EXPECT_TRUE(dag.FindCycle().empty());
}

TEST(Dag, FindsCycleAsClosedPath) {
  Dag dag(4);
  dag.AddEdge(0, 1);
  dag.AddEdge(1, 2);
  dag.AddEdge(2, 3);
  dag.AddEdge(3, 1);
  std::vector<int> order;
  EXPECT_FALSE(dag.TopologicalOrder(&order));
  EXPECT_EQ(order, (std::vector<int>{0}));
  EXPECT_EQ(dag.FindCycle(), (std::vector<int>{1, 2, 3, 1}));
}

TEST(Dag, SelfLoopIsACycle) {
  Dag dag;
  int a = dag.AddNode();
  dag.AddEdge(a, a);
  EXPECT_EQ(dag.FindCycle(), (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace fai
