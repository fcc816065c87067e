// What `fai-sweep validate` and `fai-sweep ... --dry-run` print about a sweep plan.
#ifndef FAI_CLI_PLAN_REPORT_H_
#define FAI_CLI_PLAN_REPORT_H_

#include <nlohmann/json.hpp>
#include <ostream>

#include "dag/sweep_plan.h"

namespace fai {

struct PlanReportOptions {
  size_t max_combos = 10;   // combinations listed in the text form
  int64_t json_combos = -1; // combinations listed in the JSON form; -1: all
};

// The plan as one JSON object: combinations, distinct_tasks, tasks_saved, tasks_without_dedup,
// dedup, keys, tasks_per_module (module id -> count), modules, combos ([{id, params}]).
nlohmann::json PlanToJson(const SweepPlan& plan, const PlanReportOptions& options);

// The same as aligned text for a terminal.
void PrintPlan(const SweepPlan& plan, const PlanReportOptions& options, std::ostream& out);

}  // namespace fai

#endif  // FAI_CLI_PLAN_REPORT_H_
