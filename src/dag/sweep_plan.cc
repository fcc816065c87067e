#include "dag/sweep_plan.h"

#include <limits>
#include <string>
#include <unordered_map>

namespace fai {

namespace {

ContentHash TaskKey(const ModuleInstance& m, const Dict& params, const std::vector<ContentHash>& input_keys,
                    const ContentHash* combo) {
  ContentHasher h;
  h.Add("fai.task/1").Add(m.type->name).Add(static_cast<uint64_t>(m.type->version));
  std::string encoded;
  Value(params).Encode(&encoded);
  h.Add(encoded);
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    h.Add(m.inputs[i].port).Add(input_keys[i].Hex()).Add(m.inputs[i].output);
  }
  if (combo != nullptr) h.Add(combo->Hex());
  return h.Finish();
}

}  // namespace

Dict SweepPlan::EffectiveParams(size_t combo, int module) const {
  Dict params = canvas_->modules[module].params;
  for (const Assignment& a : combos_[combo].values) {
    const BoundKey& b = binding_.keys()[a.key];
    if (b.module == module) params[b.param] = binding_.Coerce(a.key, a.value);
  }
  return params;
}

Dict SweepPlan::EffectiveParams(uint32_t task) const {
  return EffectiveParams(tasks_[task].first_combo, tasks_[task].module);
}

std::vector<uint64_t> SweepPlan::TasksPerModule() const {
  std::vector<uint64_t> counts(modules_, 0);
  for (const PlanTask& t : tasks_) ++counts[t.module];
  return counts;
}

Result<SweepPlan> SweepPlan::Build(const Canvas& canvas, const Grid& grid, const PlanOptions& options) {
  Result<GridBinding> binding = GridBinding::Bind(canvas, grid);
  if (!binding.ok()) return binding.status();

  SweepPlan plan;
  plan.canvas_ = &canvas;
  plan.grid_ = &grid;
  plan.binding_ = std::move(*binding);
  plan.options_ = options;
  plan.modules_ = canvas.modules.size();

  const std::vector<int> order = canvas.TopologicalOrder();
  const std::vector<std::vector<int>> preds = canvas.Predecessors();
  const size_t num_keys = grid.keys().size();

  // affected[m][k]: grid key k changes module m's params or those of one of its ancestors.
  std::vector<std::vector<bool>> affected(plan.modules_, std::vector<bool>(num_keys, false));
  for (size_t k = 0; k < num_keys; ++k) affected[plan.binding_.keys()[k].module][k] = true;
  for (int m : order)
    for (int p : preds[m])
      for (size_t k = 0; k < num_keys; ++k)
        if (affected[p][k]) affected[m][k] = true;

  // Input producers by canvas input entry.
  std::vector<std::vector<int>> input_modules(plan.modules_);
  for (size_t m = 0; m < plan.modules_; ++m)
    for (const InputRef& in : canvas.modules[m].inputs) input_modules[m].push_back(canvas.IndexOf(in.module));

  std::unordered_map<ContentHash, uint32_t, ContentHashHasher> task_by_key;
  std::vector<int64_t> unaffected_task(plan.modules_, -1);  // memo for modules no swept key touches
  std::vector<uint32_t> row(plan.modules_);
  std::vector<ContentHash> input_keys;
  Status status;

  grid.ForEach([&](const Combination& combo) {
    if (plan.combos_.size() >= std::numeric_limits<uint32_t>::max()) {
      status = Status::InvalidInput(grid.path() + ": the grid has more than 4294967295 combinations");
      return false;
    }
    const uint32_t combo_index = static_cast<uint32_t>(plan.combos_.size());
    plan.combos_.push_back(combo);
    for (int m : order) {
      bool touched = !options.dedup;
      for (const Assignment& a : combo.values) touched = touched || affected[m][a.key];
      if (!touched && unaffected_task[m] >= 0) {
        row[m] = static_cast<uint32_t>(unaffected_task[m]);
        ++plan.tasks_[row[m]].num_combos;
        continue;
      }
      const ModuleInstance& module = canvas.modules[m];
      input_keys.clear();
      for (int p : input_modules[m]) input_keys.push_back(plan.tasks_[row[p]].key);
      const ContentHash key = TaskKey(module, plan.EffectiveParams(combo_index, m), input_keys,
                                      options.dedup ? nullptr : &combo.hash);
      auto [it, inserted] = task_by_key.try_emplace(key, static_cast<uint32_t>(plan.tasks_.size()));
      if (inserted) {
        PlanTask task;
        task.key = key;
        task.module = m;
        task.first_combo = combo_index;
        for (int p : input_modules[m]) task.inputs.push_back(row[p]);
        plan.tasks_.push_back(std::move(task));
      }
      row[m] = it->second;
      ++plan.tasks_[row[m]].num_combos;
      if (!touched) unaffected_task[m] = row[m];
    }
    plan.task_of_.insert(plan.task_of_.end(), row.begin(), row.end());
    return true;
  });
  if (!status.ok()) return status;
  if (plan.combos_.empty()) return Status::InvalidInput(grid.path() + ": the grid is empty: it has no combinations");
  return plan;
}

}  // namespace fai
