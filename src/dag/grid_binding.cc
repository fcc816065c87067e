#include "dag/grid_binding.h"

#include <algorithm>

#include "canvas/param_check.h"
#include "common/suggest.h"

namespace fai {

namespace {
const char* kReservedCommandParams[] = {"argv", "env", "outputs"};
}

Result<GridBinding> GridBinding::Bind(const Canvas& canvas, const Grid& grid) {
  GridBinding binding;
  std::vector<std::string> errors;
  const std::string file = grid.path().empty() ? "grid" : grid.path();
  std::vector<bool> key_ok(grid.keys().size(), false);

  for (const std::string& key : grid.keys()) {
    BoundKey bound;
    const size_t dot = key.find('.');
    const std::string module_id = key.substr(0, dot);
    bound.param = dot == std::string::npos ? "" : key.substr(dot + 1);
    bound.module = canvas.IndexOf(module_id);
    const size_t index = binding.keys_.size();
    if (bound.module < 0) {
      errors.push_back(file + ": key \"" + key + "\": the canvas has no module \"" + module_id +
                       "\"" + DidYouMean(module_id, canvas.ModuleIds()));
    } else {
      const ModuleInstance& m = canvas.modules[bound.module];
      std::vector<std::string> sweepable = m.SweepableParams();
      if (m.type->free_form) {
        bool reserved = std::find(std::begin(kReservedCommandParams), std::end(kReservedCommandParams),
                                  bound.param) != std::end(kReservedCommandParams);
        if (reserved) {
          errors.push_back(file + ": key \"" + key + "\": \"" + bound.param + "\" of module \"" +
                           module_id + "\" (" + m.type->name + ") cannot be swept; sweep a param " +
                           "that its argv uses as {" + "name} instead");
        } else if (std::find(sweepable.begin(), sweepable.end(), bound.param) == sweepable.end()) {
          errors.push_back(file + ": key \"" + key + "\": module \"" + module_id + "\" (" +
                           m.type->name + ") has no param \"" + bound.param +
                           "\"; a command module's sweepable params are those its canvas entry lists" +
                           DidYouMean(bound.param, sweepable));
        } else {
          key_ok[index] = true;
        }
      } else {
        bound.spec = m.type->FindParam(bound.param);
        if (bound.spec == nullptr) {
          errors.push_back(file + ": key \"" + key + "\": module \"" + module_id + "\" (" +
                           m.type->name + ") has no param \"" + bound.param + "\"" +
                           DidYouMean(bound.param, sweepable));
        } else {
          key_ok[index] = true;
        }
      }
    }
    binding.keys_.push_back(std::move(bound));
  }

  for (const CandidateValue& c : grid.CandidateValues()) {
    if (!key_ok[c.key] || binding.keys_[c.key].spec == nullptr) continue;
    Value coerced;
    std::string problem = CheckParamValue(*binding.keys_[c.key].spec, c.value, &coerced);
    if (!problem.empty()) {
      const BoundKey& b = binding.keys_[c.key];
      errors.push_back(file + ": " + c.where + ": key \"" + grid.keys()[c.key] + "\" (module \"" +
                       canvas.modules[b.module].id + "\", " + canvas.modules[b.module].type->name +
                       "): " + problem);
    }
  }

  if (!errors.empty()) {
    std::string msg;
    for (const std::string& e : errors) msg += (msg.empty() ? "" : "\n") + e;
    return Status::InvalidInput(msg);
  }
  return binding;
}

Value GridBinding::Coerce(int key, const Value& value) const {
  const ParamSpec* spec = keys_[key].spec;
  if (spec == nullptr) return value;
  Value coerced;
  if (!CheckParamValue(*spec, value, &coerced).empty()) return value;
  return coerced;
}

}  // namespace fai
