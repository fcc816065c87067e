#include "cli/plan_report.h"

#include <iomanip>

#include "cli/text_table.h"
#include "common/value_json.h"

namespace fai {

namespace {
nlohmann::json ComboParams(const SweepPlan& plan, size_t i) {
  nlohmann::json params = nlohmann::json::object();
  for (const Assignment& a : plan.combo(i).values) params[plan.grid().keys()[a.key]] = ValueToJson(a.value);
  return params;
}
}  // namespace

nlohmann::json PlanToJson(const SweepPlan& plan, const PlanReportOptions& options) {
  const Canvas& canvas = plan.canvas();
  nlohmann::json j;
  j["canvas"] = canvas.path;
  j["grid"] = plan.grid().path();
  j["dedup"] = plan.options().dedup;
  j["combinations"] = plan.num_combos();
  j["distinct_tasks"] = plan.tasks().size();
  j["tasks_without_dedup"] = plan.TasksWithoutDedup();
  j["tasks_saved"] = plan.TasksSaved();
  j["keys"] = plan.grid().keys();
  const std::vector<uint64_t> per_module = plan.TasksPerModule();
  nlohmann::json tasks_per_module = nlohmann::json::object();
  nlohmann::json modules = nlohmann::json::array();
  for (size_t m = 0; m < canvas.modules.size(); ++m) {
    tasks_per_module[canvas.modules[m].id] = per_module[m];
    modules.push_back({{"id", canvas.modules[m].id}, {"type", canvas.modules[m].type->name},
                       {"tasks", per_module[m]}});
  }
  j["tasks_per_module"] = std::move(tasks_per_module);
  j["modules"] = std::move(modules);
  nlohmann::json combos = nlohmann::json::array();
  const size_t n = options.json_combos < 0 ? plan.num_combos()
                                           : std::min<size_t>(plan.num_combos(), options.json_combos);
  for (size_t i = 0; i < n; ++i) combos.push_back({{"id", plan.combo(i).id()}, {"params", ComboParams(plan, i)}});
  j["combos"] = std::move(combos);
  return j;
}

void PrintPlan(const SweepPlan& plan, const PlanReportOptions& options, std::ostream& out) {
  const Canvas& canvas = plan.canvas();
  const uint64_t without = plan.TasksWithoutDedup();
  out << "canvas          " << canvas.path << " (" << (canvas.name.empty() ? "unnamed" : canvas.name) << ", "
      << canvas.modules.size() << " modules)\n";
  out << "grid            " << (plan.grid().path().empty() ? "(none: one run)" : plan.grid().path()) << " ("
      << plan.grid().keys().size() << " swept keys)\n";
  out << "combinations    " << plan.num_combos() << "\n";
  out << "distinct tasks  " << plan.tasks().size() << "\n";
  out << "tasks saved     " << plan.TasksSaved() << " of " << without;
  if (without > 0) {
    out << " (" << std::fixed << std::setprecision(1) << 100.0 * plan.TasksSaved() / without << "%)";
    out.unsetf(std::ios::fixed);
  }
  out << (plan.options().dedup ? " by running shared work once" : " (dedup off: --no-dedup)") << "\n\n";

  TextTable modules({"module", "type", "tasks"});
  const std::vector<uint64_t> per_module = plan.TasksPerModule();
  for (size_t m = 0; m < canvas.modules.size(); ++m)
    modules.AddRow({canvas.modules[m].id, canvas.modules[m].type->name, std::to_string(per_module[m])});
  out << "tasks per module\n";
  modules.Print(out, "  ");

  const size_t shown = std::min(plan.num_combos(), options.max_combos);
  if (shown == 0) return;
  std::vector<std::string> header = {"combo"};
  for (const std::string& k : plan.grid().keys()) header.push_back(k);
  TextTable combos(header);
  for (size_t i = 0; i < shown; ++i) {
    std::vector<std::string> row = {plan.combo(i).id()};
    for (size_t k = 0; k < plan.grid().keys().size(); ++k) {
      const Value* v = plan.combo(i).Find(static_cast<int>(k));
      row.push_back(v ? v->ToDisplay() : "-");
    }
    combos.AddRow(std::move(row));
  }
  out << "\n" << (shown == plan.num_combos() ? "combinations" : "first " + std::to_string(shown) + " combinations")
      << "\n";
  combos.Print(out, "  ");
}

}  // namespace fai
