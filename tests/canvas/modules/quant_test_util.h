// Test helpers for the quant modules: a TaskContext over plain maps, a runner that fills a
// module's declared defaults (checked and coerced like the canvas does) and small panel builders.
#ifndef FAI_TESTS_CANVAS_MODULES_QUANT_TEST_UTIL_H_
#define FAI_TESTS_CANVAS_MODULES_QUANT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "canvas/modules/quant_modules.h"
#include "canvas/param_check.h"
#include "fai/module.h"

namespace fai::quant::testing {

class FakeTaskContext : public TaskContext {
 public:
  Dict params_;
  std::map<std::string, Value, std::less<>> inputs_;
  std::map<std::string, Value> outputs_;
  double cpus_ = 1;
  std::string canvas_dir_;
  std::ostringstream log_;

  const Dict& params() const override { return params_; }
  const Value& input(std::string_view port) const override {
    auto it = inputs_.find(port);
    if (it == inputs_.end())
      throw std::out_of_range("input port \"" + std::string(port) + "\" is not connected");
    return it->second;
  }
  bool has_input(std::string_view port) const override {
    return inputs_.find(port) != inputs_.end();
  }
  std::vector<std::string> input_ports() const override {
    std::vector<std::string> ports;
    for (const auto& [port, value] : inputs_) ports.push_back(port);
    return ports;
  }
  void set_output(const std::string& port, Value value) override {
    outputs_[port] = std::move(value);
  }
  double num_cpus() const override { return cpus_; }
  const std::vector<int>& gpu_ids() const override { return no_gpus_; }
  const std::vector<int>& physical_gpu_ids() const override { return no_gpus_; }
  double timeout_s() const override { return 0; }
  const std::string& combo_id() const override { return combo_; }
  const std::string& work_dir() const override { return empty_; }
  const std::string& canvas_dir() const override { return canvas_dir_; }
  std::ostream& log() override { return log_; }

 private:
  std::vector<int> no_gpus_;
  std::string combo_ = "test", empty_;
};

inline const ModuleRegistry& QuantRegistry() {
  static const ModuleRegistry registry = [] {
    ModuleRegistry r;
    RegisterQuantModules(r);
    return r;
  }();
  return registry;
}

// Runs module `type` with its declared defaults overridden by `params` (each checked against
// its spec, as the canvas parser does) and the given inputs; returns its outputs.
inline std::map<std::string, Value> RunModule(const std::string& type, const Dict& params,
                                              std::map<std::string, Value, std::less<>> inputs,
                                              double cpus = 1, const std::string& canvas_dir = "") {
  const ModuleType* module = QuantRegistry().Find(type);
  if (module == nullptr) throw std::logic_error("no module type " + type);
  FakeTaskContext ctx;
  for (const ParamSpec& spec : module->params)
    if (!spec.default_value.is_null()) ctx.params_[spec.name] = spec.default_value;
  for (const auto& [name, value] : params) {
    const ParamSpec* spec = module->FindParam(name);
    if (spec == nullptr) throw std::logic_error(type + " has no param " + name);
    Value coerced;
    const std::string problem = CheckParamValue(*spec, value, &coerced);
    if (!problem.empty()) throw std::logic_error(type + "." + name + ": " + problem);
    ctx.params_[name] = coerced;
  }
  ctx.inputs_ = std::move(inputs);
  ctx.cpus_ = cpus;
  ctx.canvas_dir_ = canvas_dir;
  module->run(ctx);
  return std::move(ctx.outputs_);
}

// The message of the std::exception `f` throws ("" when it throws nothing).
template <typename F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

inline const std::vector<double>& Numbers(const Table& t, const std::string& name) {
  const int c = t.Find(name);
  if (c < 0) throw std::logic_error("no column " + name);
  return std::get<std::vector<double>>(t.columns[c]);
}

inline const std::vector<std::string>& Texts(const Table& t, const std::string& name) {
  const int c = t.Find(name);
  if (c < 0) throw std::logic_error("no column " + name);
  return std::get<std::vector<std::string>>(t.columns[c]);
}

// Bitwise equality of two double vectors (NaN equal to NaN).
inline bool BitIdentical(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

}  // namespace fai::quant::testing

#endif  // FAI_TESTS_CANVAS_MODULES_QUANT_TEST_UTIL_H_
