#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "canvas/param_check.h"
#include "canvas/plugin_loader.h"
#include "cli/text_table.h"
#include "common/suggest.h"
#include "common/value_json.h"
#include "fai/module.h"

namespace fai {

namespace {

std::string RangeText(const ParamSpec& p) {
  if (!p.choices.empty()) return "one of " + QuotedList(p.choices);
  auto num = [&](double x) {
    return p.type == ParamType::kInt || p.type == ParamType::kIntList ? std::to_string(static_cast<int64_t>(x))
                                                                       : Value(x).ToString();
  };
  if (p.min && p.max) return "[" + num(*p.min) + ", " + num(*p.max) + "]";
  if (p.min) return ">= " + num(*p.min);
  if (p.max) return "<= " + num(*p.max);
  return "";
}

nlohmann::json TypeToJson(const ModuleType& t) {
  nlohmann::json j = {{"name", t.name}, {"version", t.version}, {"help", t.help}, {"free_form", t.free_form}};
  j["params"] = nlohmann::json::array();
  for (const ParamSpec& p : t.params) {
    nlohmann::json pj = {{"name", p.name}, {"type", ParamTypeName(p.type)}, {"required", IsRequiredParam(p)},
                         {"default", ValueToJson(p.default_value)}, {"help", p.help}};
    if (p.min) pj["min"] = *p.min;
    if (p.max) pj["max"] = *p.max;
    if (!p.choices.empty()) pj["choices"] = p.choices;
    j["params"].push_back(std::move(pj));
  }
  for (const char* kind : {"inputs", "outputs"}) {
    const auto& ports = std::string(kind) == "inputs" ? t.inputs : t.outputs;
    j[kind] = nlohmann::json::array();
    for (const PortSpec& p : ports) j[kind].push_back({{"name", p.name}, {"optional", p.optional}, {"help", p.help}});
  }
  j["resources"] = {{"num_cpus", t.default_resources.num_cpus}, {"num_gpus", t.default_resources.num_gpus},
                    {"memory_bytes", t.default_resources.memory_bytes}};
  return j;
}

void PrintType(const ModuleType& t, std::ostream& out) {
  out << t.name << "  (version " << t.version << ")\n  " << t.help << "\n";
  if (t.free_form) out << "  params and ports: free-form, from the canvas entry\n";
  if (!t.params.empty()) {
    TextTable params({"param", "type", "default", "allowed", "help"});
    for (const ParamSpec& p : t.params)
      params.AddRow({p.name, ParamTypeName(p.type), IsRequiredParam(p) ? "(required)" : p.default_value.ToString(),
                     RangeText(p), p.help});
    out << "\n";
    params.Print(out, "  ");
  }
  auto ports = [&](const char* title, const std::vector<PortSpec>& list) {
    if (list.empty()) return;
    out << "  " << title << ":";
    for (const PortSpec& p : list) out << " " << p.name << (p.optional ? " (optional)" : "");
    out << "\n";
  };
  out << "\n";
  ports("inputs ", t.inputs);
  ports("outputs", t.outputs);
}

}  // namespace

int ModulesCommand(const std::string& type, bool json, const std::vector<std::string>& plugins, std::ostream& out,
                   std::ostream& err) {
  ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  for (const std::string& path : plugins) {
    if (Status s = LoadPlugin(path, &registry); !s.ok()) {
      err << "fai-sweep: error: " << s.message() << "\n";
      return kExitBadInput;
    }
  }
  std::vector<std::string> names = registry.Names();
  if (!type.empty()) {
    if (registry.Find(type) == nullptr) {
      err << "fai-sweep: error: unknown module type \"" << type << "\"" << DidYouMean(type, names)
          << "; `fai-sweep modules` lists them all\n";
      return kExitBadInput;
    }
    names = {type};
  }
  if (json) {
    nlohmann::json all = nlohmann::json::array();
    for (const std::string& n : names) all.push_back(TypeToJson(*registry.Find(n)));
    out << all.dump(2) << "\n";
    return kExitOk;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out << "\n";
    PrintType(*registry.Find(names[i]), out);
  }
  return kExitOk;
}

}  // namespace fai
