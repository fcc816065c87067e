// fai-sweep: run a parameter sweep over a canvas (see README.md). Subcommands:
//   fai-sweep [run] CANVAS [GRID] [options]   run (or --dry-run: plan only)
//   fai-sweep validate CANVAS [GRID]          validate and print the plan
//   fai-sweep modules [TYPE]                  list module types
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
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fai-sweep: parameter sweeps over whole workflows on MPI clusters", "fai-sweep"};
  app.set_version_flag("--version", "fai-sweep 0.1.0");
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : fai::kExitBadInput;
  }

  if (modules->parsed()) return fai::ModulesCommand(module_type, modules_json, std::cout, std::cerr);
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
