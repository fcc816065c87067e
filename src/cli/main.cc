// fai-sweep: run a parameter sweep over a canvas (see README.md). Subcommands:
//   fai-sweep [run] CANVAS [GRID] [options]   run (or --dry-run: plan only)
//   fai-sweep validate CANVAS [GRID]          validate and print the plan
//   fai-sweep modules [TYPE]                  list module types
//   fai-sweep show|export|status RESULTS      read a result file
//   fai-sweep submit --cluster NAME CANVAS [GRID]  submit the sweep as a Slurm job
//   fai-sweep cluster list|show NAME|stop NAME     cluster profiles and their jobs
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/sweep_options.h"
#include "mpi_sched/runtime.h"

namespace {

void AddPlanOptions(CLI::App* app, fai::SweepOptions* o) {
  app->add_option("canvas", o->canvas_path, "Workflow canvas (canvas.json)")->check(CLI::ExistingFile);
  app->add_option("grid", o->grid_path, "Parameter grid (grid.yaml); without it the canvas runs once")
      ->check(CLI::ExistingFile);
  app->add_flag("--json", o->json, "Print the plan as one JSON object on stdout");
  app->add_flag("!--no-dedup", o->dedup, "Give every combination its own tasks (no shared work)");
  app->add_option("--show", o->show, "Combinations listed in the text plan")->capture_default_str();
  app->add_option("--plugin", o->plugins, "Shared library adding module types (repeatable)")->check(CLI::ExistingFile);
}

void AddRunOptions(CLI::App* app, fai::SweepOptions* o) {
  app->add_flag("--dry-run", o->dry_run, "Validate and print the plan; run nothing");
  app->add_option("-o,--output", o->output, "Result file (HDF5)")->capture_default_str();
  app->add_option("--run-dir", o->run_dir, "Directory for task working directories and logs [default: <output>.run]");
  app->add_option("--cpus-per-rank", o->capacity.cpus_per_rank,
                  "CPUs each worker rank offers [default: Slurm's SLURM_CPUS_PER_TASK, else the host's cores "
                  "shared among its worker ranks]")
      ->check(CLI::PositiveNumber);
  app->add_option("--gpus-per-rank", o->capacity.gpus_per_rank,
                  "GPUs each worker rank offers [default: CUDA_VISIBLE_DEVICES or Slurm's GPUs shared among the "
                  "host's worker ranks]")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--mem-per-rank", o->capacity.mem_per_rank,
                  "Memory each worker rank offers, e.g. 16G [default: Slurm's, else the host's memory shared "
                  "among its worker ranks]");
  app->add_option("--rows", o->table_rows, "Rows of the closing results table")->capture_default_str();
  app->add_flag("--fail-fast", o->fail_fast, "Start no new task after the first failure (the rest is skipped)");
  app->add_option("--save", o->save,
                  "Outputs to save beyond scalars and maps: globs over moduleId.port (m15.*, m12.importances), "
                  "`last` (every output of the canvas's last modules), `all` or `none`; repeatable or "
                  "comma-separated [default: last]")
      ->delimiter(',');
  app->add_option("--cluster", o->cluster,
                  "Cluster profile (a name from configs/clusters/ or a path): its price gives the usage report's "
                  "cost; `submit` asks Slurm for its nodes");
  app->add_option("--progress", o->progress,
                  "Progress while running: bar (a live line), plain (a line every 10 s), none [default: bar when "
                  "stderr is a terminal, else plain]")
      ->check(CLI::IsMember({"auto", "bar", "plain", "none"}));
  app->add_flag("-q,--quiet", o->quiet, "No progress output");
  app->add_flag("--fresh", o->fresh,
                "Start over: ignore (and clear) the journal of an earlier run on this output instead of resuming");
}

void AddQueryOptions(CLI::App* app, fai::ResultOptions* o) {
  app->add_option("--where", o->where,
                  "Keep rows where COLUMN OP VALUE holds (OP: == != < <= > >=), e.g. 'm12.iterations>4 and "
                  "status==ok'; repeatable");
  app->add_option("--sort", o->sort, "Order rows by this column, largest first (see --asc)");
  app->add_flag("--asc", o->ascending, "With --sort: smallest first");
  app->add_option("--top", o->top, "Keep the first N rows (after --sort)")->check(CLI::PositiveNumber);
  app->add_option("--columns", o->columns, "Only these columns (comma-separated)")->delimiter(',');
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fai-sweep: parameter sweeps over whole workflows on MPI clusters", "fai-sweep"};
  app.set_version_flag("--version", fai::kEngineVersion);
  app.require_subcommand(0, 1);
  app.footer(
      "Run `fai-sweep COMMAND --help` for a command's options.\n"
      "Exit status: 0 all combinations succeeded, 1 some failed, 2 bad input or usage.");

  fai::SweepOptions sweep;
  AddPlanOptions(&app, &sweep);
  AddRunOptions(&app, &sweep);

  CLI::App* run = app.add_subcommand("run", "Run the sweep (the default command)");
  AddPlanOptions(run, &sweep);
  AddRunOptions(run, &sweep);

  CLI::App* validate = app.add_subcommand("validate", "Validate a canvas and grid and print the plan");
  AddPlanOptions(validate, &sweep);
  validate->add_flag("--dry-run", sweep.dry_run, "Accepted for symmetry with `run`; validate never runs");

  std::string module_type;
  bool modules_json = false;
  CLI::App* modules = app.add_subcommand("modules", "List module types with their params and ports");
  modules->add_option("type", module_type, "Show only this type");
  modules->add_flag("--json", modules_json, "Print as JSON");
  fai::LogsOptions logs_options;
  CLI::App* logs = app.add_subcommand("logs", "Print the captured output of a combination's tasks");
  logs->add_option("results", logs_options.results, "Result file (results.h5)")->required()->check(CLI::ExistingFile);
  logs->add_option("--combo", logs_options.combo, "Combination id (or a unique prefix)")->required();
  logs->add_option("--module", logs_options.module, "Only this module's task");
  logs->add_option("--run-dir", logs_options.run_dir, "The run's directory [default: <results>.run]");

  std::vector<std::string> module_plugins;
  modules->add_option("--plugin", module_plugins, "Also list the types of this plugin library (repeatable)")
      ->check(CLI::ExistingFile);

  fai::ResultOptions results;
  CLI::App* show = app.add_subcommand("show", "Print a result file's summary table, or one combination's outputs");
  show->add_option("results", results.path, "Result file (results.h5)")->required();
  AddQueryOptions(show, &results);
  show->add_option("--combo", results.combo, "Print every saved output of this combination (an id or its prefix)");
  show->add_option("--max-rows", results.max_rows, "With --combo: rows of a matrix or table printed")
      ->capture_default_str();

  CLI::App* export_cmd = app.add_subcommand("export", "Write a result file's summary table as CSV or JSON");
  export_cmd->add_option("results", results.path, "Result file (results.h5)")->required();
  AddQueryOptions(export_cmd, &results);
  export_cmd->add_option("--csv", results.csv, "Write CSV to this file (- for stdout)");
  export_cmd->add_option("--json", results.json, "Write JSON (an array of row objects) to this file (- for stdout)");

  CLI::App* status = app.add_subcommand(
      "status", "Progress of a sweep (live from its journal while it runs): done, running, failed, remaining");
  status->add_option("results", results.path, "Result file (results.h5) of the sweep")->required();
  status->add_flag("--watch", results.watch, "Report again every --interval seconds until the sweep ends");
  status->add_option("--interval", results.interval_s, "Seconds between reports with --watch")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

  fai::SubmitOptions submit_options;
  CLI::App* submit = app.add_subcommand(
      "submit", "Write a Slurm job script for a cluster profile and submit it (--dry-run: print the script)");
  AddPlanOptions(submit, &sweep);
  AddRunOptions(submit, &sweep);
  submit->get_option("--cluster")->required();
  submit->get_option("--dry-run")->description("Print the job script; write and submit nothing");
  submit->add_option("--script", submit_options.script,
                     "Where to write the job script [default: <output stem>.sbatch beside the output]");
  submit->add_option("--template", submit_options.template_path,
                     "sbatch template [default: scripts/slurm/fai-sweep-cpu.sbatch, -gpu for GPU profiles]")
      ->check(CLI::ExistingFile);
  submit->add_flag("--wait", submit_options.wait, "Wait for the job to end; exit with its status");

  std::string cluster_action, cluster_name;
  CLI::App* cluster = app.add_subcommand("cluster", "Cluster profiles (configs/clusters/) and their Slurm jobs");
  cluster->require_subcommand(1);
  cluster->add_subcommand("list", "Every profile, with its running and queued jobs")
      ->callback([&] { cluster_action = "list"; });
  CLI::App* cluster_show = cluster->add_subcommand("show", "One profile in full, with its jobs");
  cluster_show->add_option("name", cluster_name, "Profile name or path")->required();
  cluster_show->callback([&] { cluster_action = "show"; });
  CLI::App* cluster_stop = cluster->add_subcommand("stop", "Cancel the profile's jobs (scancel)");
  cluster_stop->add_option("name", cluster_name, "Profile name or path")->required();
  cluster_stop->callback([&] { cluster_action = "stop"; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : fai::kExitBadInput;
  }

  if (logs->parsed()) return fai::LogsCommand(logs_options, std::cout, std::cerr);
  if (modules->parsed()) return fai::ModulesCommand(module_type, modules_json, module_plugins, std::cout, std::cerr);
  if (show->parsed()) return fai::ShowCommand(results, std::cout, std::cerr);
  if (export_cmd->parsed()) return fai::ExportCommand(results, std::cout, std::cerr);
  if (status->parsed()) return fai::StatusCommand(results, std::cout, std::cerr);
  if (cluster->parsed()) return fai::ClusterCommand(cluster_action, cluster_name, std::cout, std::cerr);
  if (submit->parsed())
    return fai::SubmitCommand(sweep, submit_options, fai::ForwardedRunArgs(*submit), std::cout, std::cerr);
  if (sweep.canvas_path.empty()) {
    std::cerr << "fai-sweep: error: no canvas given\n\n" << app.help();
    return fai::kExitBadInput;
  }
  if (validate->parsed() || sweep.dry_run) {
    // Under mpirun only rank 0 speaks; the others validate the same files and agree on the status.
    std::ostream quiet(nullptr);
    const bool leader = fai::LauncherRank() == 0;
    return fai::ValidateCommand(sweep, leader ? std::cout : quiet, leader ? std::cerr : quiet);
  }
  return fai::RunCommand(sweep, std::cout, std::cerr);
}
