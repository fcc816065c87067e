#include "io/sweep_results.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "common/hdf5_lock.h"

namespace fai {

namespace {

// The swept params of combination `c`, named as in the grid.
std::vector<std::pair<std::string, Value>> ComboParams(const SweepPlan& plan, size_t c) {
  std::vector<std::pair<std::string, Value>> params;
  for (size_t k = 0; k < plan.grid().keys().size(); ++k) {
    const BoundKey& bound = plan.binding().keys()[k];
    const Value* v = plan.combo(c).Find(static_cast<int>(k));
    params.emplace_back(plan.grid().keys()[k], v ? plan.binding().Coerce(static_cast<int>(k), *v)
                                                 : plan.EffectiveParams(c, bound.module)[bound.param]);
  }
  return params;
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

void SweepResultWriter::CollectMetrics(const std::string& module_id, const Dict& outputs,
                                       std::vector<Metric>* out) {
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

SweepResultWriter::SweepResultWriter(const std::string& path, const SweepPlan& plan,
                                     const SaveSelection& save, uint64_t max_queued_bytes)
    : path_(path), plan_(plan), save_(save), max_queued_bytes_(max_queued_bytes) {
  const size_t num_tasks = plan.tasks().size();
  const size_t modules = plan.canvas().modules.size();
  metrics_.resize(num_tasks);
  keys_.reserve(num_tasks);
  for (const PlanTask& task : plan.tasks()) keys_.push_back(task.key.Hex());
  task_written_.assign(num_tasks, false);
  combo_pending_.assign(plan.num_combos(), static_cast<uint32_t>(modules));
  // The combinations of each task, grouped by task.
  combos_begin_.assign(num_tasks + 1, 0);
  for (size_t t = 0; t < num_tasks; ++t)
    combos_begin_[t + 1] = combos_begin_[t] + plan.tasks()[t].num_combos;
  combos_.resize(combos_begin_[num_tasks]);
  std::vector<uint64_t> next(combos_begin_.begin(), combos_begin_.end() - 1);
  for (size_t c = 0; c < plan.num_combos(); ++c)
    for (size_t m = 0; m < modules; ++m)
      combos_[next[plan.TaskOf(c, static_cast<int>(m))]++] = static_cast<uint32_t>(c);
  {
    std::lock_guard<std::mutex> lock(Hdf5Lock());
    Result<std::unique_ptr<ResultWriter>> w = ResultWriter::Create(path);
    if (w.ok())
      writer_ = std::move(*w);
    else
      failure_ = w.status();
  }
  thread_ = std::thread([this] { Loop(); });
}

SweepResultWriter::~SweepResultWriter() {
  StopThread();
  if (!finished_) {
    std::lock_guard<std::mutex> lock(Hdf5Lock());
    writer_.reset();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
}

void SweepResultWriter::TaskEnded(uint32_t t, Dict outputs) {
  uint64_t bytes = 0;
  for (const auto& [port, value] : outputs) bytes += port.size() + value.ByteSize();
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queued_bytes_ + bytes > max_queued_bytes_) return;  // Finish reads it from the journal
    queued_bytes_ += bytes;
    queue_.push_back(Ended{t, std::move(outputs), bytes});
    // The thread sleeps on an empty queue, then gathers for a while: woken for the first task
    // and when a batch is full, not once per task.
    wake = queue_.size() == 1 || queue_.size() == kBatch;
  }
  if (wake) queued_.notify_one();
}

void SweepResultWriter::StopThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  queued_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SweepResultWriter::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    queued_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    queued_.wait_for(lock, kGather, [&] { return closing_ || queue_.size() >= kBatch; });
    if (queue_.empty()) return;  // closing, and everything queued is written
    std::deque<Ended> batch = std::exchange(queue_, {});
    lock.unlock();
    uint64_t written = 0;
    for (Ended& e : batch) {
      WriteTask(e.task, std::move(e.outputs));
      written += e.bytes;
    }
    lock.lock();
    queued_bytes_ -= written;
  }
}

void SweepResultWriter::WriteTask(uint32_t t, Dict outputs) {
  if (task_written_[t]) return;
  task_written_[t] = true;
  const PlanTask& task = plan_.tasks()[t];
  const std::string& module_id = plan_.canvas().modules[task.module].id;
  Dict saved;
  for (auto& [port, value] : outputs)
    if (save_.Saves(task.module, port, value)) saved.emplace(port, std::move(value));
  CollectMetrics(module_id, saved, &metrics_[t]);
  std::lock_guard<std::mutex> lock(Hdf5Lock());
  if (writer_) {
    if (Status s = writer_->WriteTask(module_id, keys_[t], saved); !s.ok()) Fail(s);
  }
  for (uint64_t i = combos_begin_[t]; i < combos_begin_[t + 1]; ++i)
    if (--combo_pending_[combos_[i]] == 0) WriteCombo(combos_[i]);
}

void SweepResultWriter::WriteCombo(uint32_t c) {
  if (!writer_) return;
  const std::vector<ModuleInstance>& modules = plan_.canvas().modules;
  std::vector<ComboModule> members;
  for (size_t m = 0; m < modules.size(); ++m)
    members.push_back(ComboModule{modules[m].id, keys_[plan_.TaskOf(c, static_cast<int>(m))]});
  if (Status s = writer_->WriteCombo(plan_.combo(c).id(), ComboParams(plan_, c), members); !s.ok())
    Fail(s);
}

void SweepResultWriter::Fail(Status s) {
  if (failure_.ok()) failure_ = std::move(s);
  writer_.reset();
}

SweepResults SweepResultWriter::Finish(const std::vector<PlanTaskOutcome>& outcomes,
                                       JournalReader* journal, const ResultRunInfo& info) {
  StopThread();
  finished_ = true;

  // Tasks that did not end in this run: a reused one's saved outputs come back from the journal.
  const Canvas& canvas = plan_.canvas();
  const size_t num_tasks = plan_.tasks().size();
  for (uint32_t t = 0; t < num_tasks; ++t) {
    if (task_written_[t]) continue;
    Dict outputs;
    const PlanTaskOutcome& outcome = outcomes[t];
    if (outcome.state == PlanTaskState::kSucceeded && outcome.journal_offset >= 0) {
      Result<JournalRecord> record = journal->ReadAt(static_cast<uint64_t>(outcome.journal_offset));
      if (!record.ok()) {
        std::lock_guard<std::mutex> lock(Hdf5Lock());
        Fail(record.status());
      } else if (auto* done = std::get_if<JournalTask>(&*record)) {
        outputs = std::move(done->outputs);
      }
    }
    WriteTask(t, std::move(outputs));
  }

  // /task_index: one row per task.
  std::vector<Value> index_keys, index_modules, index_status, index_wall, index_combos,
      index_errors;
  for (size_t t = 0; t < num_tasks; ++t) {
    const PlanTask& task = plan_.tasks()[t];
    const PlanTaskOutcome& outcome = outcomes[t];
    index_keys.push_back(keys_[t]);
    index_modules.push_back(canvas.modules[task.module].id);
    index_status.push_back(PlanTaskStateName(outcome.state));
    index_wall.push_back(outcome.wall_s);
    index_combos.push_back(static_cast<int64_t>(task.num_combos));
    index_errors.push_back(outcome.error);
  }

  // Column names: `m.key`, unless a swept key, a fixed column or another output has it.
  const size_t num_keys = plan_.grid().keys().size();
  std::map<std::string, std::set<std::string>> sources;
  for (const std::vector<Metric>& metrics : metrics_)
    for (const Metric& m : metrics) sources[m.name].insert(m.full_name);
  std::set<std::string> taken(plan_.grid().keys().begin(), plan_.grid().keys().end());
  taken.insert({"combo", "status", "wall_s", "error"});
  for (std::vector<Metric>& metrics : metrics_)
    for (Metric& m : metrics)
      if (taken.count(m.name) || sources[m.name].size() > 1) m.name = m.full_name;

  // /summary: one row per combination with its status, wall time, metrics and swept params.
  SweepResults results;
  const size_t n = plan_.num_combos();
  std::vector<Value> ids, statuses, walls, errors;
  std::vector<std::vector<Value>> params(num_keys);
  std::map<std::string, std::vector<Value>> metric_columns;
  for (size_t c = 0; c < n; ++c) {
    double wall = 0;
    std::string status = "ok", error;
    for (size_t m = 0; m < canvas.modules.size(); ++m) {
      const uint32_t t = plan_.TaskOf(c, static_cast<int>(m));
      const PlanTaskOutcome& outcome = outcomes[t];
      wall += outcome.wall_s;
      for (const Metric& metric : metrics_[t]) {
        std::vector<Value>& column = metric_columns[metric.name];
        column.resize(n);
        column[c] = metric.value;
      }
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
    std::vector<std::pair<std::string, Value>> combo_params = ComboParams(plan_, c);
    for (size_t k = 0; k < num_keys; ++k) params[k].push_back(std::move(combo_params[k].second));
    ids.push_back(plan_.combo(c).id());
    statuses.push_back(status);
    walls.push_back(wall);
    errors.push_back(error);
  }

  SummaryTable& table = results.summary;
  table.AddColumn("combo", std::move(ids));
  table.AddColumn("status", std::move(statuses));
  for (size_t k = 0; k < num_keys; ++k)
    table.AddColumn(plan_.grid().keys()[k], std::move(params[k]));
  for (auto& [name, cells] : metric_columns) {
    cells.resize(n);
    table.AddColumn(name, std::move(cells));
  }
  table.AddColumn("wall_s", std::move(walls));
  table.AddTypedColumn("error", SummaryColumn::Type::kString, std::move(errors));

  std::lock_guard<std::mutex> lock(Hdf5Lock());
  if (writer_) {
    SummaryTable index;
    index.AddTypedColumn("key", SummaryColumn::Type::kString, std::move(index_keys));
    index.AddTypedColumn("module", SummaryColumn::Type::kString, std::move(index_modules));
    index.AddTypedColumn("status", SummaryColumn::Type::kString, std::move(index_status));
    index.AddTypedColumn("wall_s", SummaryColumn::Type::kFloat, std::move(index_wall));
    index.AddTypedColumn("combos", SummaryColumn::Type::kInt, std::move(index_combos));
    index.AddTypedColumn("error", SummaryColumn::Type::kString, std::move(index_errors));
    Status s = writer_->WriteSummary(table);
    if (s.ok()) s = writer_->WriteTaskIndex(index);
    if (s.ok()) s = writer_->WriteRunInfo(info);
    if (s.ok()) s = writer_->Close();
    if (!s.ok()) Fail(s);
  }
  writer_.reset();
  results.written = failure_;
  return results;
}

}  // namespace fai
