// Dag: a generic directed graph over nodes 0..n-1 with topological ordering and cycle finding.
// Plain value type; not thread-safe for concurrent mutation.
#ifndef FAI_DAG_DAG_H_
#define FAI_DAG_DAG_H_

#include <cstddef>
#include <vector>

namespace fai {

class Dag {
 public:
  explicit Dag(size_t num_nodes = 0) : succ_(num_nodes), pred_(num_nodes) {}

  // Adds a node and returns its index.
  int AddNode();
  // Adds the edge from -> to (from must run before to). Duplicate edges are ignored.
  // REQUIRES: both nodes exist.
  void AddEdge(int from, int to);

  size_t size() const { return succ_.size(); }
  const std::vector<int>& Successors(int node) const { return succ_[node]; }
  const std::vector<int>& Predecessors(int node) const { return pred_[node]; }

  // Kahn's algorithm, smallest ready index first (stable). Returns false when the graph has a
  // cycle; *order then holds the nodes that could be ordered.
  bool TopologicalOrder(std::vector<int>* order) const;
  // A cycle as a closed path (first node repeated at the end: {3, 5, 3}), or empty if acyclic.
  std::vector<int> FindCycle() const;

 private:
  std::vector<std::vector<int>> succ_;
  std::vector<std::vector<int>> pred_;
};

}  // namespace fai

#endif  // FAI_DAG_DAG_H_
