#include <filesystem>
#include <iostream>
#include <map>

#include "canvas/canvas_parser.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "dag/sweep_plan.h"
#include "io/summary_table.h"
#include "mpi_sched/runtime.h"

namespace fai {

namespace {

namespace fs = std::filesystem;

struct TaskRecord {
  TaskState state = TaskState::kWaiting;
  std::string error;
  double wall_s = 0;
  Dict shipped;
};

std::string DefaultRunDir(const std::string& output) {
  fs::path p(output);
  return (p.parent_path() / (p.stem().string() + ".run")).string();
}

// Error before anything runs: a module whose request fits no worker.
std::string CheckFits(const Canvas& canvas, const std::vector<WorkerCapacity>& workers) {
  SlotLedger ledger(workers);
  std::string errors;
  for (const ModuleInstance& m : canvas.modules) {
    bool fits = false;
    for (size_t w = 0; w < ledger.size() && !fits; ++w) fits = ledger.FitsEmpty(static_cast<int>(w), m.resources);
    if (fits) continue;
    const int largest = ledger.LargestWorker();
    errors += (errors.empty() ? "" : "\n") + canvas.path + ": module \"" + m.id + "\" (" + m.type->name +
              "): resources: asks " + DescribeRequest(m.resources) + ", which fits no worker; the largest is " +
              (largest < 0 ? std::string("none") : workers[largest].ToString()) +
              " (see --cpus-per-rank, --gpus-per-rank, --mem-per-rank)";
  }
  return errors;
}

// Scalar outputs of a task as summary columns: a scalar port `p` is `m.p`; a map of scalars
// contributes one column per key (`m15.sharpe`).
void CollectMetrics(const std::string& module_id, const Dict& shipped, std::map<std::string, Value>* row) {
  for (const auto& [port, value] : shipped) {
    if (value.is_scalar()) {
      (*row)[module_id + "." + port] = value;
    } else if (value.kind() == ValueKind::kDict) {
      for (const auto& [k, v] : value.as_dict())
        if (v.is_scalar()) (*row)[module_id + "." + k] = v;
    }
  }
}

int Sweep(const SweepPlan& plan, const SweepOptions& options, Master& master,
          const std::vector<WorkerCapacity>& workers, std::ostream& out, std::ostream& err) {
  const Canvas& canvas = plan.canvas();
  if (std::string problem = CheckFits(canvas, workers); !problem.empty()) {
    err << "fai-sweep: error: " << problem << "\n";
    return kExitBadInput;
  }
  const std::string run_dir = options.run_dir.empty() ? DefaultRunDir(options.output) : options.run_dir;
  const std::string canvas_dir = fs::absolute(fs::path(canvas.path)).parent_path().string();

  for (uint32_t t = 0; t < plan.tasks().size(); ++t) {
    const PlanTask& task = plan.tasks()[t];
    const ModuleInstance& m = canvas.modules[task.module];
    TaskOrder order;
    order.type = m.type->name;
    order.module_id = m.id;
    order.params = plan.EffectiveParams(t);
    for (size_t i = 0; i < m.inputs.size(); ++i)
      order.inputs.push_back(InputBinding{m.inputs[i].port, task.inputs[i], m.inputs[i].output});
    order.combo_id = plan.combo(task.first_combo).id();
    order.canvas_dir = canvas_dir;
    if (m.type->free_form || m.isolate)
      order.work_dir = fs::absolute(fs::path(run_dir) / "tasks" / (m.id + "-" + task.key.ShortHex(16))).string();
    order.timeout_s = m.timeout_s;
    order.isolate = m.isolate;
    SchedulerTask sched;
    sched.request = m.resources;
    for (uint32_t in : task.inputs) sched.deps.push_back(in);
    const uint64_t id = master.Submit(std::move(order), std::move(sched));
    (void)id;  // ids follow plan order: task t has id t
  }

  std::vector<TaskRecord> records(plan.tasks().size());
  master.RunUntilIdle([&](TaskResult&& r) {
    TaskRecord& rec = records[r.task];
    rec.state = r.state;
    rec.error = std::move(r.error);
    rec.wall_s = r.wall_s;
    rec.shipped = std::move(r.shipped);
  });
  if (!master.scheduler().ledger().IsFull() || !master.scheduler().ledger().Consistent()) {
    err << "fai-sweep: internal error: the slot ledger is not full at the end of the sweep\n";
    return kExitFailures;
  }

  // One row per combination.
  const size_t n = plan.num_combos();
  std::vector<std::map<std::string, Value>> metrics(n);
  std::vector<Value> ids, statuses, walls, errors;
  size_t succeeded = 0, failed = 0, skipped = 0;
  for (size_t c = 0; c < n; ++c) {
    double wall = 0;
    std::string status = "ok", error;
    for (size_t m = 0; m < canvas.modules.size(); ++m) {
      const TaskRecord& rec = records[plan.TaskOf(c, static_cast<int>(m))];
      wall += rec.wall_s;
      CollectMetrics(canvas.modules[m].id, rec.shipped, &metrics[c]);
      if (rec.state == TaskState::kFailed && status != "failed") {
        status = "failed";
        error = canvas.modules[m].id + ": " + rec.error;
      } else if (rec.state == TaskState::kSkipped && status == "ok") {
        status = "skipped";
      }
    }
    (status == "ok" ? succeeded : status == "failed" ? failed : skipped)++;
    ids.push_back(plan.combo(c).id());
    statuses.push_back(status);
    walls.push_back(wall);
    errors.push_back(error);
  }

  SummaryTable table;
  table.AddColumn("combo", ids);
  table.AddColumn("status", statuses);
  for (size_t k = 0; k < plan.grid().keys().size(); ++k) {
    std::vector<Value> cells;
    const BoundKey& bound = plan.binding().keys()[k];
    for (size_t c = 0; c < n; ++c) {
      // The effective value: the combination's, else the canvas's.
      const Value* v = plan.combo(c).Find(static_cast<int>(k));
      cells.push_back(v ? plan.binding().Coerce(static_cast<int>(k), *v)
                        : plan.EffectiveParams(c, bound.module)[bound.param]);
    }
    table.AddColumn(plan.grid().keys()[k], std::move(cells));
  }
  std::vector<std::string> metric_names;
  for (const auto& row : metrics)
    for (const auto& [name, v] : row)
      if (std::find(metric_names.begin(), metric_names.end(), name) == metric_names.end()) metric_names.push_back(name);
  std::sort(metric_names.begin(), metric_names.end());
  for (const std::string& name : metric_names) {
    std::vector<Value> cells;
    for (size_t c = 0; c < n; ++c) {
      auto it = metrics[c].find(name);
      cells.push_back(it == metrics[c].end() ? Value() : it->second);
    }
    table.AddColumn(name, std::move(cells));
  }
  table.AddColumn("wall_s", walls);
  table.AddColumn("error", errors);

  // Written under a temporary name, then renamed: never a partial file under the final name.
  const std::string tmp = options.output + ".tmp";
  Status written = table.WriteHdf5(tmp);
  if (written.ok()) {
    std::error_code ec;
    fs::rename(tmp, options.output, ec);
    if (ec) written = Status::IOError(options.output + ": " + ec.message());
  }
  if (!written.ok()) {
    err << "fai-sweep: error: " << written.message() << "\n";
    return kExitFailures;
  }

  // The closing table: every column but the long ones.
  std::vector<std::string> header;
  std::vector<size_t> shown;
  for (size_t i = 0; i < table.columns().size(); ++i) {
    if (table.columns()[i].name == "error") continue;
    header.push_back(table.columns()[i].name);
    shown.push_back(i);
  }
  TextTable text(header);
  for (size_t r = 0; r < n && r < options.table_rows; ++r) {
    std::vector<std::string> row;
    for (size_t i : shown) {
      const Value& v = table.columns()[i].cells[r];
      row.push_back(v.is_null() ? "-" : v.kind() == ValueKind::kDouble ? Value(std::round(v.as_double() * 1e6) / 1e6).ToDisplay() : v.ToDisplay());
    }
    text.AddRow(std::move(row));
  }
  out << "\n";
  text.Print(out);
  if (n > options.table_rows) out << "... " << n - options.table_rows << " more rows in " << options.output << "\n";
  for (size_t c = 0; c < n; ++c)
    if (!errors[c].as_string().empty()) err << "combo " << ids[c].as_string() << " failed: " << errors[c].as_string() << "\n";
  out << "\n" << n << " combinations: " << succeeded << " succeeded, " << failed << " failed, " << skipped
      << " skipped; " << plan.tasks().size() << " tasks run (" << plan.TasksSaved() << " saved by dedup) on "
      << workers.size() << " worker" << (workers.size() == 1 ? "" : "s") << "; results in " << options.output << "\n";
  return failed + skipped == 0 ? kExitOk : kExitFailures;
}

}  // namespace

int RunCommand(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  const bool leader = LauncherRank() == 0;
  std::ostream null_stream(nullptr);
  std::ostream& rank_err = leader ? err : null_stream;

  const ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  Result<Canvas> canvas = LoadCanvas(options.canvas_path, registry);
  if (!canvas.ok()) {
    rank_err << "fai-sweep: error: " << canvas.status().message() << "\n";
    return kExitBadInput;
  }
  Result<Grid> grid = options.grid_path.empty() ? Result<Grid>(Grid::Single()) : Grid::Load(options.grid_path);
  if (!grid.ok()) {
    rank_err << "fai-sweep: error: " << grid.status().message() << "\n";
    return kExitBadInput;
  }
  Result<SweepPlan> plan = SweepPlan::Build(*canvas, *grid, PlanOptions{.dedup = options.dedup});
  if (!plan.ok()) {
    rank_err << "fai-sweep: error: " << plan.status().message() << "\n";
    return kExitBadInput;
  }

  RuntimeOptions runtime;
  runtime.capacity = options.capacity;
  return RunRuntime(registry, runtime, [&](Master& master, const std::vector<WorkerCapacity>& workers) {
    return Sweep(*plan, options, master, workers, out, err);
  });
}

}  // namespace fai
