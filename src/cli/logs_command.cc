// `fai-sweep logs results.h5 --combo ID [--module m12]`: a task's captured output.
//
// The result file holds the run's canvas and grid, so the plan is rebuilt to find which task
// each module of the combination ran as; its directory under the run directory holds
// stdout.log / stderr.log (commands) and task.log (what an in-process module wrote to ctx.log()).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "canvas/canvas_parser.h"
#include "canvas/plugin_loader.h"
#include "cli/commands.h"
#include "common/suggest.h"
#include "dag/sweep_plan.h"
#include "io/result_reader.h"

namespace fai {

namespace fs = std::filesystem;

std::string DefaultRunDir(const std::string& output) {
  fs::path p(output);
  return (p.parent_path() / (p.stem().string() + ".run")).string();
}

std::string TasksDirectory(const std::string& run_dir) { return (fs::path(run_dir) / "tasks").string(); }

std::string TaskDirectory(const std::string& run_dir, const std::string& module_id, const std::string& key_hex) {
  return (fs::path(TasksDirectory(run_dir)) / key_hex.substr(0, 2) / (module_id + "-" + key_hex)).string();
}

namespace {

int Fail(const Status& s, std::ostream& err) {
  err << "fai-sweep: error: " << s.message() << "\n";
  return s.code() == Status::Code::kInvalidInput || s.code() == Status::Code::kNotFound ? kExitBadInput
                                                                                         : kExitFailures;
}

bool PrintFile(const fs::path& path, const std::string& title, std::ostream& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out << "--- " << title << " (" << path.string() << ")\n" << in.rdbuf();
  out << "\n";
  return true;
}

}  // namespace

int LogsCommand(const LogsOptions& options, std::ostream& out, std::ostream& err) {
  Result<std::unique_ptr<ResultReader>> reader = ResultReader::Open(options.results);
  if (!reader.ok()) return Fail(reader.status(), err);
  Result<ResultRunInfo> info = (*reader)->ReadRunInfo();
  if (!info.ok()) return Fail(info.status(), err);

  Result<ModuleRegistry> registry = RegistryForCanvas(info->canvas_path, {});
  if (!registry.ok()) return Fail(registry.status(), err);
  Result<Canvas> canvas = ParseCanvas(info->canvas_text, info->canvas_path, *registry);
  if (!canvas.ok()) return Fail(canvas.status().Prefixed(options.results + ": the stored canvas: "), err);
  Result<Grid> grid = info->grid_text.empty() ? Result<Grid>(Grid::Single()) : Grid::Parse(info->grid_text, info->grid_path);
  if (!grid.ok()) return Fail(grid.status().Prefixed(options.results + ": the stored grid: "), err);
  Result<SweepPlan> plan = SweepPlan::Build(*canvas, *grid, PlanOptions{.dedup = info->dedup});
  if (!plan.ok()) return Fail(plan.status(), err);

  // The combination: its id or a unique prefix of it.
  std::vector<size_t> matches;
  for (size_t c = 0; c < plan->num_combos(); ++c)
    if (plan->combo(c).id().rfind(options.combo, 0) == 0) matches.push_back(c);
  if (matches.size() != 1) {
    err << "fai-sweep: error: " << options.results << ": --combo " << options.combo << ": "
        << (matches.empty() ? "no such combination (see `fai-sweep show " + options.results + "`)"
                            : "ambiguous prefix; give more digits")
        << "\n";
    return kExitBadInput;
  }
  const size_t combo = matches.front();

  std::vector<int> modules;
  if (options.module.empty()) {
    for (size_t m = 0; m < canvas->modules.size(); ++m) modules.push_back(static_cast<int>(m));
  } else {
    const int m = canvas->IndexOf(options.module);
    if (m < 0) {
      err << "fai-sweep: error: --module " << options.module << ": the canvas has no such module"
          << DidYouMean(options.module, canvas->ModuleIds()) << "\n";
      return kExitBadInput;
    }
    modules.push_back(m);
  }

  const fs::path run_dir = options.run_dir.empty() ? DefaultRunDir(options.results) : options.run_dir;
  for (int m : modules) {
    const ModuleInstance& module = canvas->modules[m];
    const PlanTask& task = plan->tasks()[plan->TaskOf(combo, m)];
    const fs::path dir = TaskDirectory(run_dir.string(), module.id, task.key.ShortHex(16));
    out << "=== " << module.id << " (" << module.type->name << "), task " << task.key.ShortHex(16)
        << (task.num_combos > 1 ? ", shared by " + std::to_string(task.num_combos) + " combinations" : "") << "\n";
    bool any = PrintFile(dir / "stdout.log", "stdout", out);
    any = PrintFile(dir / "stderr.log", "stderr", out) || any;
    any = PrintFile(dir / "task.log", "log", out) || any;
    if (!any) out << "(no output captured in " << dir.string() << ")\n";
  }
  return kExitOk;
}

}  // namespace fai
