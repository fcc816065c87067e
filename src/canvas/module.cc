// ParamTypeName, TaskContext's convenience accessors, ModuleType lookups and ModuleRegistry.
#include "fai/module.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "canvas/builtin_modules.h"
#include "canvas/modules/quant_modules.h"
#include "canvas/param_check.h"

namespace fai {

const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kInt:
      return "int";
    case ParamType::kFloat:
      return "float";
    case ParamType::kString:
      return "string";
    case ParamType::kBool:
      return "bool";
    case ParamType::kIntList:
      return "list of int";
    case ParamType::kFloatList:
      return "list of float";
    case ParamType::kStringList:
      return "list of string";
    case ParamType::kAny:
      return "any";
  }
  return "?";
}

// ---- TaskContext -------------------------------------------------------------------------

namespace {

[[noreturn]] void ThrowMistyped(std::string_view name, const char* expected, const Value& v) {
  throw std::invalid_argument("param \"" + std::string(name) + "\": expected " + expected +
                              ", got " + KindName(v.kind()) + " " + v.ToString());
}

}  // namespace

const Value& TaskContext::param(std::string_view name) const {
  const Dict& all = params();
  auto it = all.find(name);
  if (it == all.end())
    throw std::invalid_argument("param \"" + std::string(name) + "\" is not set");
  return it->second;
}

int64_t TaskContext::int_param(std::string_view name) const {
  const Value& v = param(name);
  if (v.kind() == ValueKind::kInt) return v.as_int();
  if (v.kind() == ValueKind::kDouble) {
    const double d = v.as_double();
    // An integral double (a swept 4.0) reads as an int, as the canvas coercion does.
    if (std::isfinite(d) && std::trunc(d) == d && std::abs(d) < 9.2e18)
      return static_cast<int64_t>(d);
  }
  ThrowMistyped(name, "int", v);
}

double TaskContext::float_param(std::string_view name) const {
  const Value& v = param(name);
  if (!v.is_number()) ThrowMistyped(name, "float", v);
  return v.as_double();
}

const std::string& TaskContext::string_param(std::string_view name) const {
  const Value& v = param(name);
  if (v.kind() != ValueKind::kString) ThrowMistyped(name, "string", v);
  return v.as_string();
}

bool TaskContext::bool_param(std::string_view name) const {
  const Value& v = param(name);
  if (v.kind() != ValueKind::kBool) ThrowMistyped(name, "bool", v);
  return v.as_bool();
}

int TaskContext::threads() const {
  const double n = std::floor(num_cpus());
  return n < 1 ? 1 : static_cast<int>(n);
}

// ---- ModuleType --------------------------------------------------------------------------

namespace {
template <typename Spec>
const Spec* FindByName(const std::vector<Spec>& specs, std::string_view name) {
  for (const Spec& s : specs)
    if (s.name == name) return &s;
  return nullptr;
}
}  // namespace

const ParamSpec* ModuleType::FindParam(std::string_view param) const {
  return FindByName(params, param);
}
const PortSpec* ModuleType::FindInput(std::string_view port) const {
  return FindByName(inputs, port);
}
const PortSpec* ModuleType::FindOutput(std::string_view port) const {
  return FindByName(outputs, port);
}

// ---- ModuleRegistry ----------------------------------------------------------------------

ModuleRegistry ModuleRegistry::WithBuiltins() {
  ModuleRegistry registry;
  RegisterCoreModules(registry);
  RegisterCommandModule(registry);
  RegisterQuantModules(registry);
  return registry;
}

namespace {

template <typename Spec>
void CheckUniqueNames(const std::string& type_name, const char* what,
                      const std::vector<Spec>& specs) {
  std::set<std::string, std::less<>> seen;
  for (const Spec& s : specs) {
    if (s.name.empty())
      throw std::invalid_argument("module type \"" + type_name + "\": a " + what + " has no name");
    if (!seen.insert(s.name).second)
      throw std::invalid_argument("module type \"" + type_name + "\": duplicate " + what + " \"" +
                                  s.name + "\"");
  }
}

}  // namespace

void ModuleRegistry::Register(ModuleType type) {
  if (type.name.empty()) throw std::invalid_argument("module type without a name");
  if (types_.count(type.name))
    throw std::invalid_argument("module type \"" + type.name + "\" is already registered");
  const std::string prefix = "module type \"" + type.name + "\": ";
  CheckUniqueNames(type.name, "param", type.params);
  CheckUniqueNames(type.name, "input port", type.inputs);
  CheckUniqueNames(type.name, "output port", type.outputs);
  for (ParamSpec& p : type.params) {
    const std::string where = prefix + "param \"" + p.name + "\": ";
    if (p.min && p.max && *p.min > *p.max) throw std::invalid_argument(where + "min is above max");
    const bool numeric = p.type == ParamType::kInt || p.type == ParamType::kFloat ||
                         p.type == ParamType::kIntList || p.type == ParamType::kFloatList;
    if ((p.min || p.max) && !numeric)
      throw std::invalid_argument(where + "bounds given for a " + ParamTypeName(p.type) + " param");
    const bool stringy = p.type == ParamType::kString || p.type == ParamType::kStringList;
    if (!p.choices.empty() && !stringy)
      throw std::invalid_argument(where + "choices given for a " + ParamTypeName(p.type) +
                                  " param");
    if (p.default_value.is_null()) continue;  // required (or, for kAny, null by default)
    // Defaults are stored coerced (an int default of a float param becomes a double).
    Value coerced;
    const std::string problem = CheckParamValue(p, p.default_value, &coerced);
    if (!problem.empty()) throw std::invalid_argument(where + "default: " + problem);
    p.default_value = std::move(coerced);
  }
  std::string name = type.name;
  types_.emplace(std::move(name), std::make_shared<const ModuleType>(std::move(type)));
}

const ModuleType* ModuleRegistry::Find(std::string_view name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> ModuleRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(types_.size());
  for (const auto& [name, type] : types_) names.push_back(name);
  return names;  // std::map keeps them sorted
}

}  // namespace fai
