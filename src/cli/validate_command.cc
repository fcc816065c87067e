#include <iostream>

#include "canvas/canvas_parser.h"
#include "canvas/plugin_loader.h"
#include "cli/commands.h"
#include "cli/plan_report.h"
#include "dag/sweep_plan.h"

namespace fai {

namespace {
int ReportError(const Status& status, std::ostream& err) {
  err << "fai-sweep: error: " << status.message() << "\n";
  return status.code() == Status::Code::kInvalidInput ? kExitBadInput : kExitFailures;
}
}  // namespace

int ValidateCommand(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  Result<ModuleRegistry> loaded = RegistryForCanvas(options.canvas_path, options.plugins);
  if (!loaded.ok()) return ReportError(loaded.status(), err);
  const ModuleRegistry& registry = *loaded;
  Result<Canvas> canvas = LoadCanvas(options.canvas_path, registry);
  if (!canvas.ok()) return ReportError(canvas.status(), err);
  Result<Grid> grid = options.grid_path.empty() ? Result<Grid>(Grid::Single()) : Grid::Load(options.grid_path);
  if (!grid.ok()) return ReportError(grid.status(), err);
  Result<SweepPlan> plan = SweepPlan::Build(*canvas, *grid, PlanOptions{.dedup = options.dedup});
  if (!plan.ok()) return ReportError(plan.status(), err);

  PlanReportOptions report;
  report.max_combos = options.show;
  if (options.json) {
    out << PlanToJson(*plan, report).dump(2) << "\n";
  } else {
    PrintPlan(*plan, report, out);
  }
  return kExitOk;
}

}  // namespace fai
