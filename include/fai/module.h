// The module interface: what a module type declares (params, ports, default resources) and
// what its run function sees (TaskContext). Built-in modules, plugins loaded from shared
// libraries and the `command` type all go through this header.
//
// A ModuleRegistry is filled once at start-up and then only read: lookups are thread-safe,
// registration is not.
//
// A plugin is a shared library exporting
//
//   extern "C" void fai_register_modules(fai::ModuleRegistry* registry);
//
// (FAI_PLUGIN below writes the signature) that calls registry->Register(...) for each type.
#ifndef FAI_MODULE_H_
#define FAI_MODULE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fai/value.h"

namespace fai {

// The declared type of a parameter. Values are checked and coerced before anything runs:
// an int param accepts integral numbers, a float param accepts ints, list types check every element.
enum class ParamType { kInt, kFloat, kString, kBool, kIntList, kFloatList, kStringList, kAny };

const char* ParamTypeName(ParamType type);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kFloat;
  Value default_value;                // null: the param is required (except kAny, where null is a value)
  std::optional<double> min;          // inclusive bounds for numbers (and list elements)
  std::optional<double> max;
  std::vector<std::string> choices;   // allowed strings; empty: any string
  std::string help;                   // one line for `fai-sweep modules`
};

struct PortSpec {
  std::string name;
  std::string help;
  bool optional = false;  // an input that need not be connected
};

// A resource request (per task) or a capacity (per worker).
struct Resources {
  double num_cpus = 1;           // fractional allowed
  double num_gpus = 0;           // below 1 shares one device; otherwise whole devices
  uint64_t memory_bytes = 0;     // 0: no memory request
  bool operator==(const Resources& other) const = default;
};

// What a running task sees. Implemented by the runtime; a module only uses it.
class TaskContext {
 public:
  virtual ~TaskContext() = default;

  // Effective params: canvas values, overridden by the combination, coerced to declared types.
  virtual const Dict& params() const = 0;
  // Input values by port. Throws std::out_of_range when the port is not connected.
  virtual const Value& input(std::string_view port) const = 0;
  virtual bool has_input(std::string_view port) const = 0;
  // The connected input ports, sorted.
  virtual std::vector<std::string> input_ports() const = 0;
  // Sets an output port; later calls replace the value.
  virtual void set_output(const std::string& port, Value value) = 0;

  virtual double num_cpus() const = 0;              // granted CPUs (may be fractional)
  virtual const std::vector<int>& gpu_ids() const = 0;  // granted devices, numbered from 0
  // The same devices as the host numbers them: what CUDA_VISIBLE_DEVICES must list for the task
  // to see exactly them (as 0, 1, ...).
  virtual const std::vector<int>& physical_gpu_ids() const = 0;
  virtual double timeout_s() const = 0;             // the task's time limit; 0: none
  virtual const std::string& combo_id() const = 0;  // the first combination that uses this task
  virtual const std::string& work_dir() const = 0;  // this task's own directory ("" if none)
  // The directory of canvas.json (absolute; "" outside a sweep): relative paths in params
  // resolve against it.
  virtual const std::string& canvas_dir() const = 0;
  virtual std::ostream& log() = 0;                  // goes to the task's log

  // Convenience accessors; throw std::invalid_argument naming the param when absent or mistyped.
  const Value& param(std::string_view name) const;
  int64_t int_param(std::string_view name) const;
  double float_param(std::string_view name) const;
  const std::string& string_param(std::string_view name) const;
  bool bool_param(std::string_view name) const;
  // The number of threads a multi-threaded module should use: max(1, floor(num_cpus())).
  int threads() const;
};

using ModuleFn = std::function<void(TaskContext&)>;

struct ModuleType {
  std::string name;                  // "ml.random_forest"
  int version = 1;                   // bump when results change: part of every task key
  std::string help;                  // one line
  std::vector<ParamSpec> params;
  std::vector<PortSpec> inputs;
  std::vector<PortSpec> outputs;
  Resources default_resources;
  // Params and ports come from the canvas entry instead of the lists above (the `command` type).
  bool free_form = false;
  // Runs in a child process unless the canvas says otherwise (plugins, commands).
  bool isolate_by_default = false;
  ModuleFn run;

  const ParamSpec* FindParam(std::string_view param) const;
  const PortSpec* FindInput(std::string_view port) const;
  const PortSpec* FindOutput(std::string_view port) const;
};

class ModuleRegistry {
 public:
  // A registry holding every built-in type.
  static ModuleRegistry WithBuiltins();

  // Adds a type. Throws std::invalid_argument if the name is taken or a declaration is
  // inconsistent (a default outside its range, a duplicate param or port).
  void Register(ModuleType type);
  // nullptr when unknown.
  const ModuleType* Find(std::string_view name) const;
  // Every registered name, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::shared_ptr<const ModuleType>, std::less<>> types_;
};

}  // namespace fai

#define FAI_PLUGIN extern "C" __attribute__((visibility("default"))) void fai_register_modules

#endif  // FAI_MODULE_H_
