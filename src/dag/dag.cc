#include "dag/dag.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace fai {

int Dag::AddNode() {
  succ_.emplace_back();
  pred_.emplace_back();
  return static_cast<int>(succ_.size()) - 1;
}

void Dag::AddEdge(int from, int to) {
  auto& s = succ_[from];
  if (std::find(s.begin(), s.end(), to) != s.end()) return;
  s.push_back(to);
  pred_[to].push_back(from);
}

bool Dag::TopologicalOrder(std::vector<int>* order) const {
  order->clear();
  std::vector<size_t> waiting(size());
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t n = 0; n < size(); ++n) {
    waiting[n] = pred_[n].size();
    if (waiting[n] == 0) ready.push(static_cast<int>(n));
  }
  while (!ready.empty()) {
    int n = ready.top();
    ready.pop();
    order->push_back(n);
    for (int s : succ_[n])
      if (--waiting[s] == 0) ready.push(s);
  }
  return order->size() == size();
}

std::vector<int> Dag::FindCycle() const {
  enum class Mark { kNew, kOnPath, kDone };
  std::vector<Mark> mark(size(), Mark::kNew);
  std::vector<int> path;
  std::vector<int> cycle;
  // Iterative DFS keeping the current path; the first back edge closes a cycle.
  for (size_t root = 0; root < size() && cycle.empty(); ++root) {
    if (mark[root] != Mark::kNew) continue;
    std::vector<std::pair<int, size_t>> stack = {{static_cast<int>(root), 0}};
    mark[root] = Mark::kOnPath;
    path = {static_cast<int>(root)};
    while (!stack.empty() && cycle.empty()) {
      auto& [node, next] = stack.back();
      if (next == succ_[node].size()) {
        mark[node] = Mark::kDone;
        stack.pop_back();
        path.pop_back();
        continue;
      }
      int s = succ_[node][next++];
      if (mark[s] == Mark::kOnPath) {
        auto start = std::find(path.begin(), path.end(), s);
        cycle.assign(start, path.end());
        cycle.push_back(s);
      } else if (mark[s] == Mark::kNew) {
        mark[s] = Mark::kOnPath;
        path.push_back(s);
        stack.push_back({s, 0});
      }
    }
  }
  return cycle;
}

}  // namespace fai
