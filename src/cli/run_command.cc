// `fai-sweep [run]`: the sweep driver. Rank 0 builds the plan, decides from the journal what is
// already done (resume), submits the rest to the Master, journals every finished task before it
// counts, and writes the result file as tasks end (io/sweep_results.h).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "canvas/canvas_parser.h"
#include "canvas/plugin_loader.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "cluster/cluster_catalog.h"
#include "cluster/cluster_profile.h"
#include "common/file_io.h"
#include "dag/sweep_plan.h"
#include "io/journal.h"
#include "io/progress.h"
#include "io/result_reader.h"
#include "io/result_writer.h"
#include "io/resume_plan.h"
#include "io/save_selection.h"
#include "io/sweep_results.h"
#include "io/usage_report.h"
#include "mpi_sched/runtime.h"

namespace fai {

namespace {

namespace fs = std::filesystem;

// The type of the tasks that feed a reused task's recorded outputs to the tasks that run
// (resume): it returns its `outputs` param as its outputs.
constexpr const char* kJournalReplayType = "fai.journal_replay";

// What identifies a run, as both the journal's start record and the result file store it.
template <typename RunFacts>
void DescribeRun(const SweepPlan& plan, const SaveSelection& save, RunFacts* facts) {
  facts->engine_version = kEngineVersion;
  facts->canvas_path = plan.canvas().path;
  facts->grid_path = plan.grid().path();
  facts->canvas_text = plan.canvas().source_text;
  facts->grid_text = plan.grid().source_text();
  facts->save_patterns = save.patterns();
  facts->dedup = plan.options().dedup;
}

ModuleType JournalReplayModule() {
  ModuleType type;
  type.name = kJournalReplayType;
  type.help = "Internal: feeds outputs recorded in the journal to the tasks that read them";
  type.free_form = true;
  type.run = [](TaskContext& ctx) {
    for (const auto& [port, value] : ctx.params().at("outputs").as_dict())
      ctx.set_output(port, value);
  };
  return type;
}

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

// Error before anything runs: a module whose request fits no worker.
std::string CheckFits(const Canvas& canvas, const std::vector<WorkerCapacity>& workers) {
  SlotLedger ledger(workers);
  std::string errors;
  for (const ModuleInstance& m : canvas.modules) {
    bool fits = false;
    for (size_t w = 0; w < ledger.size() && !fits; ++w)
      fits = ledger.FitsEmpty(static_cast<int>(w), m.resources);
    if (fits) continue;
    const int largest = ledger.LargestWorker();
    errors += (errors.empty() ? "" : "\n") + canvas.path + ": module \"" + m.id + "\" (" +
              m.type->name + "): resources: asks " + DescribeRequest(m.resources) +
              ", which fits no worker; the largest is " +
              (largest < 0 ? std::string("none") : workers[largest].ToString()) +
              " (see --cpus-per-rank, --gpus-per-rank, --mem-per-rank)";
  }
  return errors;
}

// The canvas's modules as the save selection sees them.
std::vector<SaveModule> SaveModules(const Canvas& canvas) {
  std::vector<bool> consumed(canvas.modules.size(), false);
  for (const ModuleInstance& m : canvas.modules)
    for (const InputRef& in : m.inputs)
      if (const int p = canvas.IndexOf(in.module); p >= 0) consumed[p] = true;
  std::vector<SaveModule> out;
  for (size_t i = 0; i < canvas.modules.size(); ++i) {
    const ModuleInstance& m = canvas.modules[i];
    out.push_back(SaveModule{m.id, m.OutputPorts(), m.type->free_form, !consumed[i]});
  }
  return out;
}

// "m2: 12, m3: 4" for the modules of the given tasks.
std::string CountByModule(const SweepPlan& plan, const std::vector<uint32_t>& tasks) {
  std::vector<size_t> counts(plan.canvas().modules.size(), 0);
  for (uint32_t t : tasks) ++counts[plan.tasks()[t].module];
  std::string s;
  for (size_t m = 0; m < counts.size(); ++m)
    if (counts[m] > 0)
      s += (s.empty() ? "" : ", ") + plan.canvas().modules[m].id + ": " + std::to_string(counts[m]);
  return s;
}

// What the journal says about a task key: its latest record.
struct PriorTask {
  bool ok = false;
  ShipRequest ship;
  std::vector<std::string> ports;  // the outputs its record holds
  uint64_t offset = 0;
  double wall_s = 0;
  std::string error;
};

struct JournalHistory {
  std::unordered_map<ContentHash, PriorTask, ContentHashHasher> tasks;
  std::optional<JournalRunStart> last_run;
  uint64_t records = 0;
  uint64_t runs = 0;
};

// Reads the journal back; a torn or damaged tail is reported on `err` and cut off.
Result<JournalHistory> ReadHistory(JournalWriter* writer, std::ostream& err) {
  JournalHistory history;
  Result<std::unique_ptr<JournalReader>> reader = JournalReader::Open(writer->path());
  if (!reader.ok()) return reader.status();
  JournalRecord record;
  uint64_t offset = 0;
  while ((*reader)->Next(&record, &offset)) {
    if (auto* task = std::get_if<JournalTask>(&record)) {
      ++history.records;
      PriorTask& prior = history.tasks[task->key];
      prior.ok = task->ok;
      prior.ship = ShipRequest{task->ship_all, task->ship};
      prior.ports.clear();
      for (const auto& [port, value] : task->outputs) prior.ports.push_back(port);
      prior.offset = offset;
      prior.wall_s = task->wall_s;
      prior.error = task->error;
    } else if (auto* run = std::get_if<JournalRunStart>(&record)) {
      ++history.runs;
      history.last_run = std::move(*run);
    }
  }
  if (!(*reader)->tail_problem().empty()) {
    err << "fai-sweep: warning: " << writer->path() << ": " << (*reader)->tail_problem()
        << " (a write cut short by a crash); keeping the " << history.records
        << " complete task records before it\n";
    if (Status s = writer->TruncateTo((*reader)->valid_bytes()); !s.ok()) return s;
  }
  return history;
}

void PrintResumeReport(const SweepPlan& plan, const SweepOptions& options,
                       const JournalHistory& history, const ResumeDecision& decision,
                       const std::vector<uint32_t>& to_run, std::ostream& out) {
  const std::string journal = JournalPathFor(options.output);
  out << "resume: " << journal << " holds " << history.tasks.size() << " finished task"
      << (history.tasks.size() == 1 ? "" : "s") << " from " << history.runs << " earlier run"
      << (history.runs == 1 ? "" : "s") << "\n";
  if (history.last_run) {
    const JournalRunStart& last = *history.last_run;
    std::vector<std::string> combos;
    for (size_t c = 0; c < plan.num_combos(); ++c) combos.push_back(plan.combo(c).id());
    const ComboDiff diff = DiffCombos(last.combos, combos);
    if (last.canvas_text != plan.canvas().source_text)
      out << "resume: the canvas changed since the last run\n";
    if (last.grid_text != plan.grid().source_text() || !diff.added.empty() || !diff.dropped.empty())
      out << "resume: the grid changed since the last run: " << diff.added.size()
          << " new combination" << (diff.added.size() == 1 ? "" : "s") << ", "
          << diff.dropped.size() << " dropped"
          << (diff.dropped.empty() ? ""
                                   : " (their tasks stay in the journal, not in the result file)")
          << "\n";
    if (last.dedup != plan.options().dedup)
      out << "resume: --no-dedup changed since the last run\n";
  }
  out << "resume: reusing " << decision.reused << " of " << plan.tasks().size() << " tasks; "
      << to_run.size() << " to run"
      << (to_run.empty() ? "" : " (" + CountByModule(plan, to_run) + ")") << "\n";
  if (!decision.replayed.empty())
    out << "resume: the recorded outputs of " << decision.replayed.size() << " reused task"
        << (decision.replayed.size() == 1 ? "" : "s")
        << " are fed from the journal to tasks that run (" << CountByModule(plan, decision.replayed)
        << ")\n";
  if (!decision.rerun_for_inputs.empty())
    out << "resume: " << decision.rerun_for_inputs.size()
        << (decision.rerun_for_inputs.size() == 1
                ? " finished task runs again because a task that runs reads an output of it"
                : " finished tasks run again because tasks that run read outputs of theirs")
        << " that lived only in a worker's memory ("
        << CountByModule(plan, decision.rerun_for_inputs)
        << "); --save those outputs to keep them in the journal\n";
}

// Thrown out of the result callback when a finished task cannot be journaled: the sweep stops.
struct JournalFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the driver needs besides the plan: resolved once on every rank, before MPI starts.
struct RunSetup {
  ProgressMode progress = ProgressMode::kPlain;
  std::optional<ClusterProfile> profile;  // --cluster
};

// Commands and isolated modules run in a task directory of their own, under the run directory.
bool HasTaskDirectory(const ModuleInstance& m) { return m.type->free_form || m.isolate; }

double CpusBusy(const SlotLedger& ledger) {
  double busy = 0;
  for (size_t w = 0; w < ledger.size(); ++w)
    busy += ledger.worker(static_cast<int>(w)).cpus - ledger.FreeCpus(static_cast<int>(w));
  return busy;
}

int Sweep(const SweepPlan& plan, const SaveSelection& save, const RunSetup& setup,
          const SweepOptions& options, Master& master, const std::vector<WorkerCapacity>& workers,
          std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  const Canvas& canvas = plan.canvas();
  if (std::string problem = CheckFits(canvas, workers); !problem.empty()) {
    err << "fai-sweep: error: " << problem << "\n";
    return kExitBadInput;
  }
  const std::string& output = options.output;
  const std::string journal_path = JournalPathFor(output);
  const std::string tmp_path = output + ".tmp";
  std::error_code ec;
  const fs::path output_dir = fs::path(output).parent_path();
  if (!output_dir.empty() && !fs::is_directory(output_dir, ec)) {
    err << "fai-sweep: error: -o " << output << ": the directory " << output_dir.string()
        << " does not exist\n";
    return kExitBadInput;
  }
  const std::string run_dir = options.run_dir.empty() ? DefaultRunDir(output) : options.run_dir;
  if (std::any_of(canvas.modules.begin(), canvas.modules.end(), HasTaskDirectory)) {
    if (Status s = CreateTopDirectory(TasksDirectory(run_dir)); !s.ok()) {
      err << "fai-sweep: error: the run directory " << run_dir
          << (options.run_dir.empty() ? " (next to -o)" : " (--run-dir)") << ": " << s.message() << "\n";
      return kExitBadInput;
    }
  }
  if (!options.fresh && fs::exists(output, ec) && !fs::exists(journal_path, ec)) {
    err << "fai-sweep: error: " << output << " exists but its journal " << journal_path
        << " does not, so this run cannot resume it; rerun with --fresh to replace it, or give "
           "another -o\n";
    return kExitBadInput;
  }

  // The journal: locked for this run; read back unless starting over.
  Result<std::unique_ptr<JournalWriter>> opened = JournalWriter::Open(journal_path);
  if (!opened.ok()) {
    err << "fai-sweep: error: " << opened.status().message() << "\n";
    return kExitBadInput;
  }
  JournalWriter& journal = **opened;
  JournalHistory history;
  if (options.fresh) {
    if (Status s = journal.Reset(); !s.ok()) {
      err << "fai-sweep: error: " << s.message() << "\n";
      return kExitBadInput;
    }
  } else {
    Result<JournalHistory> read = ReadHistory(&journal, err);
    if (!read.ok()) {
      err << "fai-sweep: error: " << read.status().message() << "\n";
      return kExitBadInput;
    }
    history = std::move(*read);
    if (fs::exists(output, ec)) {
      if (Result<std::unique_ptr<ResultReader>> r = ResultReader::Open(output); !r.ok())
        err << "fai-sweep: warning: " << r.status().message() << "; it will be rebuilt from "
            << journal_path << " (" << history.tasks.size() << " finished tasks)\n";
    }
  }
  fs::remove(tmp_path, ec);  // a leftover of a run killed while writing

  // What runs: tasks not finished, and finished producers that a running task reads from.
  const size_t num_tasks = plan.tasks().size();
  // A finished task can feed a task that runs from its record when that holds every output the
  // canvas reads from its module.
  std::vector<std::vector<std::string>> consumed(canvas.modules.size());
  for (const ModuleInstance& m : canvas.modules)
    for (const InputRef& in : m.inputs)
      if (const int p = canvas.IndexOf(in.module); p >= 0) consumed[p].push_back(in.output);
  std::vector<ResumeTask> resume(num_tasks);
  for (size_t t = 0; t < num_tasks; ++t) {
    const PlanTask& task = plan.tasks()[t];
    resume[t].inputs = task.inputs;
    auto it = history.tasks.find(task.key);
    if (it == history.tasks.end() || !it->second.ok ||
        !it->second.ship.Covers(save.ShipFor(task.module)))
      continue;
    resume[t].finished = true;
    const std::vector<std::string>& ports = it->second.ports;
    resume[t].replayable = std::all_of(
        consumed[task.module].begin(), consumed[task.module].end(),
        [&](const std::string& p) { return std::count(ports.begin(), ports.end(), p) > 0; });
  }
  const ResumeDecision decision = DecideResume(resume);
  std::vector<uint32_t> to_run;
  for (uint32_t t = 0; t < num_tasks; ++t)
    if (decision.action[t] == ResumeAction::kRun) to_run.push_back(t);
  if (history.runs > 0 || !history.tasks.empty())
    PrintResumeReport(plan, options, history, decision, to_run, out);

  std::vector<PlanTaskOutcome> outcomes(num_tasks);
  for (size_t t = 0; t < num_tasks; ++t) {
    if (decision.action[t] == ResumeAction::kRun) continue;
    const PriorTask& prior = history.tasks.at(plan.tasks()[t].key);
    outcomes[t] = PlanTaskOutcome{PlanTaskState::kSucceeded, "", prior.wall_s,
                                  static_cast<int64_t>(prior.offset), true};
  }
  history.tasks.clear();

  JournalRunStart start;
  DescribeRun(plan, save, &start);
  start.output = output;
  for (size_t c = 0; c < plan.num_combos(); ++c) start.combos.push_back(plan.combo(c).id());
  start.total_tasks = num_tasks;
  start.reused_tasks = decision.reused;
  start.tasks_to_run = to_run.size();
  start.started_unix = UnixNow();
  start.host = HostName();
  start.pid = static_cast<int64_t>(getpid());
  if (Result<uint64_t> s = journal.Append(start); !s.ok()) {
    err << "fai-sweep: error: " << s.status().message() << "\n";
    return kExitFailures;
  }
  start = JournalRunStart();

  master.set_options(MasterOptions{.fail_fast = options.fail_fast});

  // Submit what runs; master ids are dense in submission order.
  const std::string canvas_dir = fs::absolute(fs::path(canvas.path)).parent_path().string();
  std::vector<int64_t> master_id(num_tasks, -1);
  std::vector<uint32_t> plan_task_of;  // by master id
  std::vector<bool> is_replay;         // by master id
  Result<std::unique_ptr<JournalReader>> replay_reader =
      decision.replayed.empty() ? Result<std::unique_ptr<JournalReader>>(nullptr)
                                : JournalReader::Open(journal_path);
  if (!replay_reader.ok()) {
    err << "fai-sweep: error: " << replay_reader.status().message() << "\n";
    return kExitFailures;
  }
  for (uint32_t t = 0; t < num_tasks; ++t) {
    const ResumeAction action = decision.action[t];
    if (action == ResumeAction::kReuse) continue;
    const PlanTask& task = plan.tasks()[t];
    const ModuleInstance& m = canvas.modules[task.module];
    TaskOrder order;
    SchedulerTask sched;
    order.module_id = m.id;
    order.combo_id = plan.combo(task.first_combo).id();
    order.canvas_dir = canvas_dir;
    if (action == ResumeAction::kReplay) {
      // The recorded outputs its consumers read, handed to a worker as they were.
      Result<JournalRecord> record =
          (*replay_reader)->ReadAt(static_cast<uint64_t>(outcomes[t].journal_offset));
      if (!record.ok() || !std::holds_alternative<JournalTask>(*record)) {
        err << "fai-sweep: error: "
            << (record.ok() ? journal_path + ": not a task record" : record.status().message())
            << "\n";
        return kExitFailures;
      }
      Dict outputs;
      for (const std::string& port : consumed[task.module])
        outputs[port] = std::get<JournalTask>(*record).outputs.at(port);
      order.type = kJournalReplayType;
      order.params = Dict{{"outputs", Value(std::move(outputs))}};
      order.ship_scalars = false;
      sched.request.num_cpus = 0.01;
    } else {
      const ShipRequest& ship = save.ShipFor(task.module);
      order.type = m.type->name;
      order.params = plan.EffectiveParams(t);
      for (size_t i = 0; i < m.inputs.size(); ++i)
        order.inputs.push_back(InputBinding{m.inputs[i].port,
                                            static_cast<ObjectId>(master_id[task.inputs[i]]),
                                            m.inputs[i].output});
      if (HasTaskDirectory(m))
        order.work_dir = fs::absolute(TaskDirectory(run_dir, m.id, task.key.ShortHex(16))).string();
      order.timeout_s = m.timeout_s;
      order.isolate = m.isolate;
      order.retries = m.retries;
      order.retry_on_error = m.retry_on_error;
      order.ship_scalars = true;
      order.ship_all = ship.all;
      order.ship = ship.ports;
      sched.request = m.resources;
      // Out of process (a command, or a module in a child): it cannot wait for other tasks.
      sched.may_queue = HasTaskDirectory(m) || m.timeout_s > 0;
      for (uint32_t in : task.inputs) sched.deps.push_back(static_cast<ObjectId>(master_id[in]));
    }
    master_id[t] = static_cast<int64_t>(master.Submit(std::move(order), std::move(sched)));
    plan_task_of.push_back(t);
    is_replay.push_back(action == ResumeAction::kReplay);
  }
  replay_reader = Result<std::unique_ptr<JournalReader>>(nullptr);

  // Progress while tasks run (on stderr), and what the usage report needs.
  ProgressOptions progress_options;
  progress_options.mode = setup.progress;
  Progress progress(progress_options, &err);
  ProgressCounts counts;
  counts.total = to_run.size();
  for (const WorkerCapacity& w : workers) counts.cpus_total += w.cpus;
  std::vector<TaskUsage> task_usage;
  size_t peak_running = 0;

  // The result file is written as tasks end, under a temporary name (renamed into place at the
  // end); every finished task is journaled (durably) before it counts.
  SweepResultWriter results_writer(tmp_path, plan, save);
  std::string journal_error;
  progress.Start(counts);
  try {
    std::optional<ProgressTicker> ticker;
    if (setup.progress != ProgressMode::kNone)
      ticker.emplace(&progress, setup.progress == ProgressMode::kBar ? 0.1 : 1.0);
    master.RunUntilIdle([&](TaskResult&& r) {
      const uint32_t t = plan_task_of.at(r.task);
      PlanTaskOutcome& outcome = outcomes[t];
      if (is_replay[r.task]) {  // a reused task's outputs, fed again: nothing new to record
        if (r.state != TaskState::kSucceeded)
          err << "fai-sweep: warning: feeding the recorded outputs of "
              << canvas.modules[plan.tasks()[t].module].id
              << " from the journal failed: " << r.error << "\n";
        return;
      }
      outcome.error = r.error;
      outcome.wall_s = r.wall_s;
      counts.running = master.scheduler().running();
      counts.cpus_busy = CpusBusy(master.scheduler().ledger());
      if (r.state == TaskState::kSkipped) {
        outcome.state = PlanTaskState::kSkipped;
        results_writer.TaskEnded(t, {});
        ++counts.skipped;
        progress.Update(counts);
        return;
      }
      task_usage.push_back(TaskUsage{r.wall_s, r.grant.cpus(), r.grant.gpus()});
      const PlanTask& task = plan.tasks()[t];
      JournalTask record;
      record.key = task.key;
      record.module_id = canvas.modules[task.module].id;
      record.ok = r.state == TaskState::kSucceeded;
      record.error = r.error;
      record.wall_s = r.wall_s;
      record.finished_unix = UnixNow();
      record.rank = r.rank;
      // Tasks running once the master has refilled the slots this one freed: those running now
      // plus those ready, at most as many as have ever run at once.
      const size_t running_now = master.scheduler().running();
      peak_running = std::max(peak_running, running_now + 1);
      record.running =
          static_cast<uint32_t>(std::min(running_now + master.scheduler().ready(), peak_running));
      record.ship_all = save.ShipFor(task.module).all;
      record.ship = save.ShipFor(task.module).ports;
      record.outputs = std::move(r.shipped);
      Result<uint64_t> offset = journal.Append(record);
      if (!offset.ok()) throw JournalFailure(offset.status().message());
      outcome.state = record.ok ? PlanTaskState::kSucceeded : PlanTaskState::kFailed;
      outcome.journal_offset = static_cast<int64_t>(*offset);
      results_writer.TaskEnded(t, record.ok ? std::move(record.outputs) : Dict{});
      ++(record.ok ? counts.succeeded : counts.failed);
      progress.Update(counts);
    });
  } catch (const JournalFailure& e) {
    journal_error = e.what();
  }
  counts.running = 0;
  counts.cpus_busy = 0;
  progress.Update(counts);
  progress.Finish();
  if (!journal_error.empty()) {
    uint64_t recorded = 0;
    for (const PlanTaskOutcome& o : outcomes) recorded += o.journal_offset >= 0 ? 1 : 0;
    err << "fai-sweep: error: cannot record a finished task: " << journal_error << "\n"
        << "fai-sweep: the sweep stopped; nothing already recorded is lost (" << recorded << " of "
        << num_tasks << " tasks are in " << journal_path
        << "); free space and rerun the same command to resume\n";
    // Stop at once: tasks still running could not be recorded, and the Master has no way to drain
    // them from here (it stopped mid-batch). Under mpirun the launcher then ends the workers. The
    // result file begun so far goes (the rerun writes it anew).
    fs::remove(tmp_path, ec);
    out.flush();
    err.flush();
    std::fflush(nullptr);
    std::_Exit(kExitFailures);
  }
  if (!master.scheduler().ledger().IsFull() || !master.scheduler().ledger().Consistent()) {
    err << "fai-sweep: internal error: the slot ledger is not full at the end of the sweep\n";
    return kExitFailures;
  }

  // The usage report: what this run held and used.
  UsageInput usage_input;
  usage_input.tasks = std::move(task_usage);
  for (const WorkerCapacity& w : workers)
    usage_input.workers.push_back(
        WorkerUsage{w.host, w.cpus, static_cast<double>(w.gpu_ids.size())});
  usage_input.master_host = HostName();
  usage_input.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (const char* nodes = std::getenv("SLURM_JOB_NUM_NODES")) usage_input.nodes = std::atoi(nodes);
  if (setup.profile) {
    usage_input.price_per_node_minute = setup.profile->price_per_node_minute;
    usage_input.profile = setup.profile->name;
  }
  const UsageReport usage = ComputeUsage(usage_input);

  // The rest of the result file (what did not end in this run comes from the journal), written
  // on another thread while the workers and MPI shut down, then renamed into place.
  ResultRunInfo info;
  for (const auto& [name, value] : usage.Attributes()) info.attribute_groups["usage"][name] = value;
  DescribeRun(plan, save, &info);
  Result<std::unique_ptr<JournalReader>> reader = JournalReader::Open(journal_path);
  if (!reader.ok()) {
    err << "fai-sweep: error: " << reader.status().message() << "\n";
    return kExitFailures;
  }
  std::future<SweepResults> finishing = std::async(std::launch::async, [&] {
    return results_writer.Finish(outcomes, reader->get(), info);
  });
  master.Release();
  SweepResults results = finishing.get();
  Status written = results.written;
  if (written.ok()) written = CommitFile(tmp_path, output);
  if (!written.ok()) fs::remove(tmp_path, ec);
  JournalRunEnd end;
  end.finished_unix = UnixNow();
  end.succeeded = results.succeeded;
  end.failed = results.failed;
  end.skipped = results.skipped;
  end.written = written.ok();
  end.message = written.message();
  (void)journal.Append(end);  // advisory: `status` tells a finished run from a killed one

  // The closing table: every column but the long ones.
  const SummaryTable& table = results.summary;
  const size_t n = table.rows();
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
      row.push_back(v.is_null() ? "-"
                    : v.kind() == ValueKind::kDouble
                        ? Value(std::round(v.as_double() * 1e6) / 1e6).ToDisplay()
                        : v.ToDisplay());
    }
    text.AddRow(std::move(row));
  }
  if (options.table_rows > 0) {
    out << "\n";
    text.Print(out);
    if (n > options.table_rows) out << "... " << n - options.table_rows << " more rows in " << output << "\n";
  }
  const int errors_column = table.Find("error");
  for (size_t c = 0; c < n; ++c) {
    const Value& e = table.columns()[errors_column].cells[c];
    if (e.kind() == ValueKind::kString && !e.as_string().empty())
      err << "combo " << table.columns()[0].cells[c].ToDisplay() << " failed: " << e.as_string()
          << "\n";
  }
  out << "\n"
      << n << " combinations: " << results.succeeded << " succeeded, " << results.failed
      << " failed, " << results.skipped << " skipped; " << num_tasks
      << " tasks: " << decision.reused << " reused, " << to_run.size() << " run ("
      << plan.TasksSaved() << " saved by dedup) on " << workers.size() << " worker"
      << (workers.size() == 1 ? "" : "s");
  if (!written.ok()) {
    out << "\n";
    err << "fai-sweep: error: cannot write " << output << ": " << written.message() << "\n"
        << "fai-sweep: nothing is lost: every finished task is in " << journal_path
        << "; free space and rerun the same command to write " << output << "\n";
    return kExitFailures;
  }
  out << "; results in " << output << "\n";
  usage.Print(out);
  return results.failed + results.skipped == 0 ? kExitOk : kExitFailures;
}

}  // namespace

int RunCommand(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  const bool leader = LauncherRank() == 0;
  std::ostream null_stream(nullptr);
  std::ostream& rank_err = leader ? err : null_stream;

  Result<ModuleRegistry> loaded = RegistryForCanvas(options.canvas_path, options.plugins);
  if (!loaded.ok()) {
    rank_err << "fai-sweep: error: " << loaded.status().message() << "\n";
    return kExitBadInput;
  }
  ModuleRegistry& registry = *loaded;
  Result<Canvas> canvas = LoadCanvas(options.canvas_path, registry);
  if (!canvas.ok()) {
    rank_err << "fai-sweep: error: " << canvas.status().message() << "\n";
    return kExitBadInput;
  }
  registry.Register(JournalReplayModule());  // after parsing: not a type canvases may use
  Result<Grid> grid =
      options.grid_path.empty() ? Result<Grid>(Grid::Single()) : Grid::Load(options.grid_path);
  if (!grid.ok()) {
    rank_err << "fai-sweep: error: " << grid.status().message() << "\n";
    return kExitBadInput;
  }
  Result<SweepPlan> plan = SweepPlan::Build(*canvas, *grid, PlanOptions{.dedup = options.dedup});
  if (!plan.ok()) {
    rank_err << "fai-sweep: error: " << plan.status().message() << "\n";
    return kExitBadInput;
  }
  Result<SaveSelection> save = SaveSelection::Parse(options.save, SaveModules(*canvas));
  if (!save.ok()) {
    rank_err << "fai-sweep: error: " << save.status().message() << "\n";
    return kExitBadInput;
  }

  RunSetup setup;
  if (!ResolveProgressMode(options.progress, options.quiet, isatty(STDERR_FILENO) == 1,
                           &setup.progress)) {
    rank_err << "fai-sweep: error: --progress " << options.progress
             << ": expected auto, bar, plain or none\n";
    return kExitBadInput;
  }
  if (!options.cluster.empty()) {
    Result<std::string> path =
        ClusterCatalog(CatalogPlaces::FromProcess()).Resolve(options.cluster);
    Result<ClusterProfile> profile =
        path.ok() ? LoadClusterProfile(*path) : Result<ClusterProfile>(path.status());
    if (!profile.ok()) {
      rank_err << "fai-sweep: error: --cluster: " << profile.status().message() << "\n";
      return kExitBadInput;
    }
    setup.profile = std::move(*profile);
  }

  RuntimeOptions runtime;
  runtime.capacity = options.capacity;
  return RunRuntime(registry, runtime,
                    [&](Master& master, const std::vector<WorkerCapacity>& workers) {
                      return Sweep(*plan, *save, setup, options, master, workers, out, err);
                    });
}

}  // namespace fai
