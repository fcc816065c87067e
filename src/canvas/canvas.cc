#include "canvas/canvas.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_map>

#include "canvas/command_module.h"

namespace fai {

std::vector<std::string> ModuleInstance::OutputPorts() const {
  std::vector<std::string> ports;
  if (type == nullptr) return ports;
  if (!type->free_form) {
    for (const PortSpec& p : type->outputs) ports.push_back(p.name);
    return ports;
  }
  auto it = params.find("outputs");
  if (it != params.end() && it->second.kind() == ValueKind::kList) {
    for (const Value& v : it->second.as_list())
      if (v.kind() == ValueKind::kString) ports.push_back(v.as_string());
  }
  return ports;
}

std::vector<std::string> ModuleInstance::SweepableParams() const {
  std::vector<std::string> names;
  if (type == nullptr) return names;
  if (!type->free_form) {
    for (const ParamSpec& p : type->params) names.push_back(p.name);
    return names;
  }
  for (const auto& [name, value] : params)
    if (!IsReservedCommandParam(name)) names.push_back(name);
  return names;
}

int Canvas::IndexOf(std::string_view id) const {
  for (size_t i = 0; i < modules.size(); ++i)
    if (modules[i].id == id) return static_cast<int>(i);
  return -1;
}

const ModuleInstance* Canvas::Find(std::string_view id) const {
  const int i = IndexOf(id);
  return i < 0 ? nullptr : &modules[i];
}

std::vector<std::string> Canvas::ModuleIds() const {
  std::vector<std::string> ids;
  ids.reserve(modules.size());
  for (const ModuleInstance& m : modules) ids.push_back(m.id);
  return ids;
}

std::vector<std::vector<int>> Canvas::Predecessors() const {
  std::unordered_map<std::string_view, int> index_of;
  for (size_t i = 0; i < modules.size(); ++i) index_of.emplace(modules[i].id, static_cast<int>(i));
  std::vector<std::vector<int>> preds(modules.size());
  for (size_t i = 0; i < modules.size(); ++i) {
    for (const InputRef& in : modules[i].inputs) {
      auto p = index_of.find(in.module);
      if (p != index_of.end()) preds[i].push_back(p->second);
    }
    std::sort(preds[i].begin(), preds[i].end());
    preds[i].erase(std::unique(preds[i].begin(), preds[i].end()), preds[i].end());
  }
  return preds;
}

std::vector<int> Canvas::TopologicalOrder() const {
  const std::vector<std::vector<int>> preds = Predecessors();
  const size_t n = modules.size();
  std::vector<std::vector<int>> consumers(n);
  std::vector<size_t> waiting(n);
  for (size_t i = 0; i < n; ++i) {
    waiting[i] = preds[i].size();
    for (int p : preds[i]) consumers[p].push_back(static_cast<int>(i));
  }
  // Kahn's algorithm; among ready modules the one first in the file goes first.
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(static_cast<int>(i));
  std::vector<int> order;
  order.reserve(n);
  while (!ready.empty()) {
    const int m = ready.top();
    ready.pop();
    order.push_back(m);
    for (int c : consumers[m])
      if (--waiting[c] == 0) ready.push(c);
  }
  // A parsed canvas has no cycle; a hand-built one that has keeps its cyclic modules last.
  for (size_t i = 0; i < n; ++i)
    if (waiting[i] > 0) order.push_back(static_cast<int>(i));
  return order;
}

}  // namespace fai
