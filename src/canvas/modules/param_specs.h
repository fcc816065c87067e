// Short constructors for the ParamSpecs of the quant modules: every param gets a type, a
// default, a range where it is a number and a line of help. Header-only, no state.
#ifndef FAI_CANVAS_MODULES_PARAM_SPECS_H_
#define FAI_CANVAS_MODULES_PARAM_SPECS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fai/module.h"

namespace fai::quant {

inline ParamSpec IntParam(std::string name, int64_t default_value, double min, double max,
                          std::string help) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kInt;
  p.default_value = Value(default_value);
  p.min = min;
  p.max = max;
  p.help = std::move(help);
  return p;
}

inline ParamSpec FloatParam(std::string name, double default_value, double min, double max,
                            std::string help) {
  ParamSpec p = IntParam(std::move(name), 0, min, max, std::move(help));
  p.type = ParamType::kFloat;
  p.default_value = Value(default_value);
  return p;
}

// `choices` empty: any string.
inline ParamSpec StringParam(std::string name, std::string default_value, std::string help,
                             std::vector<std::string> choices = {}) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kString;
  p.default_value = Value(std::move(default_value));
  p.choices = std::move(choices);
  p.help = std::move(help);
  return p;
}

// A string param the canvas must set (no default).
inline ParamSpec RequiredStringParam(std::string name, std::string help) {
  ParamSpec p = StringParam(std::move(name), "", std::move(help));
  p.default_value = Value();
  return p;
}

inline ParamSpec BoolParam(std::string name, bool default_value, std::string help) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kBool;
  p.default_value = Value(default_value);
  p.help = std::move(help);
  return p;
}

inline ParamSpec IntListParam(std::string name, std::vector<int64_t> default_value, double min,
                              double max, std::string help) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kIntList;
  List list;
  for (int64_t v : default_value) list.push_back(Value(v));
  p.default_value = Value(std::move(list));
  p.min = min;
  p.max = max;
  p.help = std::move(help);
  return p;
}

inline ParamSpec StringListParam(std::string name, std::vector<std::string> default_value,
                                 std::string help) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kStringList;
  List list;
  for (std::string& v : default_value) list.push_back(Value(std::move(v)));
  p.default_value = Value(std::move(list));
  p.help = std::move(help);
  return p;
}

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_PARAM_SPECS_H_
