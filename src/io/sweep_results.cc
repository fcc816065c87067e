#include "io/sweep_results.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

namespace fai {

namespace {

// A summary cell a task contributes: its usual column name (`m15.sharpe`), the unambiguous one
// used when the usual one is taken (`m15.metrics.sharpe`), and the value.
struct Metric {
  std::string name;
  std::string full_name;
  Value value;
};
using Metrics = std::vector<Metric>;

// The summary columns a task's saved outputs contribute.
void CollectMetrics(const std::string& module_id, const Dict& outputs, Metrics* out) {
  for (const auto& [port, value] : outputs) {
    if (value.is_scalar()) {
      out->push_back(Metric{module_id + "." + port, module_id + ".outputs." + port, value});
    } else if (value.kind() == ValueKind::kDict) {
      for (const auto& [k, v] : value.as_dict())
        if (v.is_scalar())
          out->push_back(Metric{module_id + "." + k, module_id + "." + port + "." + k, v});
    }
  }
}

}  // namespace

const char* PlanTaskStateName(PlanTaskState state) {
  switch (state) {
    case PlanTaskState::kSucceeded:
      return "ok";
    case PlanTaskState::kFailed:
      return "failed";
    case PlanTaskState::kSkipped:
      return "skipped";
    case PlanTaskState::kNotRun:
      return "not run";
  }
  return "?";
}

SweepResults WriteSweepResults(const std::string& path, const SweepPlan& plan,
                               const SaveSelection& save,
                               const std::vector<PlanTaskOutcome>& outcomes, JournalReader* journal,
                               const ResultRunInfo& info) {
  SweepResults results;
  const Canvas& canvas = plan.canvas();
  std::unique_ptr<ResultWriter> writer;
  auto fail = [&](Status s) {
    if (results.written.ok()) results.written = std::move(s);
    writer.reset();
  };
  if (Result<std::unique_ptr<ResultWriter>> w = ResultWriter::Create(path); w.ok()) {
    writer = std::move(*w);
  } else {
    fail(w.status());
  }

  // Tasks: saved outputs back from the journal, into their groups; their metric columns.
  const size_t num_tasks = plan.tasks().size();
  std::vector<Metrics> task_metrics(num_tasks);
  std::vector<std::string> keys(num_tasks);
  std::vector<Value> index_keys, index_modules, index_status, index_wall, index_combos,
      index_errors;
  for (size_t t = 0; t < num_tasks; ++t) {
    const PlanTask& task = plan.tasks()[t];
    const int module = task.module;
    const std::string& module_id = canvas.modules[module].id;
    const PlanTaskOutcome& outcome = outcomes[t];
    keys[t] = task.key.Hex();
    Dict saved;
    if (outcome.state == PlanTaskState::kSucceeded && outcome.journal_offset >= 0) {
      Result<JournalRecord> record = journal->ReadAt(static_cast<uint64_t>(outcome.journal_offset));
      if (!record.ok()) {
        fail(record.status());
      } else if (auto* done = std::get_if<JournalTask>(&*record)) {
        for (auto& [port, value] : done->outputs)
          if (save.Saves(module, port, value)) saved.emplace(port, std::move(value));
      }
    }
    CollectMetrics(module_id, saved, &task_metrics[t]);
    if (writer) {
      if (Status s = writer->WriteTask(module_id, keys[t], saved); !s.ok()) fail(s);
    }
    index_keys.push_back(keys[t]);
    index_modules.push_back(module_id);
    index_status.push_back(PlanTaskStateName(outcome.state));
    index_wall.push_back(outcome.wall_s);
    index_combos.push_back(static_cast<int64_t>(task.num_combos));
    index_errors.push_back(outcome.error);
  }

  // Column names: `m.key`, unless a swept key, a fixed column or another output has it.
  const size_t num_keys = plan.grid().keys().size();
  std::map<std::string, std::set<std::string>> sources;
  for (const Metrics& metrics : task_metrics)
    for (const Metric& m : metrics) sources[m.name].insert(m.full_name);
  std::set<std::string> taken(plan.grid().keys().begin(), plan.grid().keys().end());
  taken.insert({"combo", "status", "wall_s", "error"});
  for (Metrics& metrics : task_metrics)
    for (Metric& m : metrics)
      if (taken.count(m.name) || sources[m.name].size() > 1) m.name = m.full_name;

  // Combinations: status, wall time, metrics, swept params; a group linking their tasks.
  const size_t n = plan.num_combos();
  std::vector<Value> ids, statuses, walls, errors;
  std::vector<std::vector<Value>> params(num_keys);
  std::map<std::string, std::vector<Value>> metric_columns;
  for (size_t c = 0; c < n; ++c) {
    double wall = 0;
    std::string status = "ok", error;
    std::vector<ComboModule> members;
    for (size_t m = 0; m < canvas.modules.size(); ++m) {
      const uint32_t t = plan.TaskOf(c, static_cast<int>(m));
      const PlanTaskOutcome& outcome = outcomes[t];
      wall += outcome.wall_s;
      for (const Metric& metric : task_metrics[t]) {
        std::vector<Value>& column = metric_columns[metric.name];
        column.resize(n);
        column[c] = metric.value;
      }
      members.push_back(ComboModule{canvas.modules[m].id, keys[t]});
      if (outcome.state == PlanTaskState::kFailed && status != "failed") {
        status = "failed";
        error = canvas.modules[m].id + ": " + outcome.error;
      } else if ((outcome.state == PlanTaskState::kSkipped ||
                  outcome.state == PlanTaskState::kNotRun) &&
                 status == "ok") {
        status = outcome.state == PlanTaskState::kSkipped ? "skipped" : "not run";
      }
    }
    (status == "ok" ? results.succeeded : status == "failed" ? results.failed : results.skipped)++;
    std::vector<std::pair<std::string, Value>> combo_params;
    for (size_t k = 0; k < num_keys; ++k) {
      const BoundKey& bound = plan.binding().keys()[k];
      const Value* v = plan.combo(c).Find(static_cast<int>(k));
      params[k].push_back(v ? plan.binding().Coerce(static_cast<int>(k), *v)
                            : plan.EffectiveParams(c, bound.module)[bound.param]);
      combo_params.emplace_back(plan.grid().keys()[k], params[k].back());
    }
    const std::string id = plan.combo(c).id();
    if (writer) {
      if (Status s = writer->WriteCombo(id, combo_params, members); !s.ok()) fail(s);
    }
    ids.push_back(id);
    statuses.push_back(status);
    walls.push_back(wall);
    errors.push_back(error);
  }

  SummaryTable& table = results.summary;
  table.AddColumn("combo", std::move(ids));
  table.AddColumn("status", std::move(statuses));
  for (size_t k = 0; k < num_keys; ++k)
    table.AddColumn(plan.grid().keys()[k], std::move(params[k]));
  for (auto& [name, cells] : metric_columns) {
    cells.resize(n);
    table.AddColumn(name, std::move(cells));
  }
  table.AddColumn("wall_s", std::move(walls));
  table.AddTypedColumn("error", SummaryColumn::Type::kString, std::move(errors));

  if (writer) {
    SummaryTable index;
    index.AddTypedColumn("key", SummaryColumn::Type::kString, std::move(index_keys));
    index.AddTypedColumn("module", SummaryColumn::Type::kString, std::move(index_modules));
    index.AddTypedColumn("status", SummaryColumn::Type::kString, std::move(index_status));
    index.AddTypedColumn("wall_s", SummaryColumn::Type::kFloat, std::move(index_wall));
    index.AddTypedColumn("combos", SummaryColumn::Type::kInt, std::move(index_combos));
    index.AddTypedColumn("error", SummaryColumn::Type::kString, std::move(index_errors));
    Status s = writer->WriteSummary(table);
    if (s.ok()) s = writer->WriteTaskIndex(index);
    if (s.ok()) s = writer->WriteRunInfo(info);
    if (s.ok()) s = writer->Close();
    if (!s.ok()) fail(s);
  }
  return results;
}

}  // namespace fai
