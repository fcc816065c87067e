#include "mpi_sched/task_runner.h"

#include <algorithm>
#include <exception>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>

namespace fai {

namespace {

class OrderContext : public TaskContext {
 public:
  OrderContext(const TaskOrder& order, const InputObjects& objects) : order_(order) {
    for (const InputBinding& in : order.inputs) {
      const Dict& d = *objects.at(in.object);
      auto it = d.find(in.output);
      inputs_[in.port] = it == d.end() ? &null_ : &it->second;
    }
    // The task sees its devices numbered from 0.
    gpu_ids_.resize(order.gpus.size());
    std::iota(gpu_ids_.begin(), gpu_ids_.end(), 0);
  }

  const Dict& params() const override { return order_.params; }
  const Value& input(std::string_view port) const override {
    auto it = inputs_.find(port);
    if (it == inputs_.end()) throw std::out_of_range("input port \"" + std::string(port) + "\" is not connected");
    return *it->second;
  }
  bool has_input(std::string_view port) const override { return inputs_.find(port) != inputs_.end(); }
  std::vector<std::string> input_ports() const override {
    std::vector<std::string> ports;
    for (const auto& [port, value] : inputs_) ports.push_back(port);
    return ports;
  }
  void set_output(const std::string& port, Value value) override { outputs_[port] = std::move(value); }
  double num_cpus() const override { return order_.cpus; }
  const std::vector<int>& gpu_ids() const override { return gpu_ids_; }
  const std::vector<int>& physical_gpu_ids() const override { return order_.gpus; }
  double timeout_s() const override { return order_.timeout_s; }
  const std::string& combo_id() const override { return order_.combo_id; }
  const std::string& work_dir() const override { return order_.work_dir; }
  const std::string& canvas_dir() const override { return order_.canvas_dir; }
  std::ostream& log() override {
    if (!log_) log_ = std::make_unique<std::ostringstream>();
    return *log_;
  }

  Dict TakeOutputs() { return std::move(outputs_); }
  std::string LogText() const { return log_ ? log_->str() : ""; }

 private:
  const TaskOrder& order_;
  std::map<std::string, const Value*, std::less<>> inputs_;
  std::vector<int> gpu_ids_;
  Dict outputs_;
  std::unique_ptr<std::ostringstream> log_;  // made on first use
  const Value null_;
};

// Scalars and maps of scalars go back to rank 0 by default; long strings (a payload) do not.
constexpr size_t kMaxShippedString = 64 << 10;

bool IsScalarLike(const Value& v) {
  if (v.kind() == ValueKind::kString) return v.as_string().size() <= kMaxShippedString;
  if (v.is_scalar()) return true;
  if (v.kind() != ValueKind::kDict) return false;
  return std::all_of(v.as_dict().begin(), v.as_dict().end(), [](const auto& kv) { return kv.second.is_scalar(); });
}

}  // namespace

TaskOutcome RunTaskOrder(const ModuleRegistry& registry, const TaskOrder& order, const InputObjects& inputs) {
  TaskOutcome outcome;
  const ModuleType* type = registry.Find(order.type);
  if (type == nullptr || !type->run) {
    outcome.ok = false;
    outcome.error = "module type \"" + order.type + "\" is not available on this rank";
    return outcome;
  }
  OrderContext ctx(order, inputs);
  try {
    type->run(ctx);
    outcome.outputs = ctx.TakeOutputs();
  } catch (const std::exception& e) {
    outcome.ok = false;
    outcome.error = e.what();
  } catch (...) {
    outcome.ok = false;
    outcome.error = "unknown exception";
  }
  if (!order.work_dir.empty()) {
    const std::string text = ctx.LogText();
    if (!text.empty()) std::ofstream(order.work_dir + "/task.log", std::ios::app) << text;
  }
  return outcome;
}

Dict SelectShipped(const TaskOrder& order, const Dict& outputs) {
  Dict shipped;
  for (const auto& [port, value] : outputs) {
    const bool named = std::find(order.ship.begin(), order.ship.end(), port) != order.ship.end();
    if (order.ship_all || named || (order.ship_scalars && IsScalarLike(value))) shipped[port] = value;
  }
  return shipped;
}

}  // namespace fai
