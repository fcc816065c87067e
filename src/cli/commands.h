// The fai-sweep subcommands, as functions returning the process exit status:
// 0 success, 1 some combinations failed, 2 bad input or usage (nothing run, nothing damaged).
#ifndef FAI_CLI_COMMANDS_H_
#define FAI_CLI_COMMANDS_H_

#include <ostream>
#include <string>

#include "cli/result_options.h"
#include "cli/sweep_options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace fai {

constexpr int kExitOk = 0;
constexpr int kExitFailures = 1;
constexpr int kExitBadInput = 2;

// The engine's name and version, as `--version` prints it and result files record it.
constexpr const char* kEngineVersion = "fai-sweep 0.1.0";

// `fai-sweep validate` and `fai-sweep CANVAS GRID --dry-run`: load, validate, print the plan.
int ValidateCommand(const SweepOptions& options, std::ostream& out, std::ostream& err);

// `fai-sweep [run] CANVAS [GRID]`: run the sweep on every rank (rank 0 prints and writes).
int RunCommand(const SweepOptions& options, std::ostream& out, std::ostream& err);

// `fai-sweep show results.h5 [--where ...] [--sort COL] [--top N]`: the summary as a table;
// `--combo ID`: every saved output of one combination.
int ShowCommand(const ResultOptions& options, std::ostream& out, std::ostream& err);

// `fai-sweep export results.h5 --csv FILE | --json FILE`: the summary, filtered like `show`.
int ExportCommand(const ResultOptions& options, std::ostream& out, std::ostream& err);

// `fai-sweep status results.h5`: done / running / failed / remaining and throughput, read from
// the journal (live while a sweep runs), else from the result file.
int StatusCommand(const ResultOptions& options, std::ostream& out, std::ostream& err);

struct LogsOptions {
  std::string results;   // the result file
  std::string combo;     // --combo: a combination id or a unique prefix
  std::string module;    // --module: only this module; "": every module of the combination
  std::string run_dir;   // --run-dir: where the run kept its task directories; "": <results stem>.run
};

// `fai-sweep logs results.h5 --combo ID [--module m12]`: the captured output of a combination's tasks.
int LogsCommand(const LogsOptions& options, std::ostream& out, std::ostream& err);

// <output stem>.run next to the output: where a run keeps task directories and logs by default.
std::string DefaultRunDir(const std::string& output);
// <run dir>/tasks: holds the task directories, 256 subdirectories of them, which it asks the
// filesystem to spread over the disk (CreateTopDirectory).
std::string TasksDirectory(const std::string& run_dir);
// A task's working directory: <run dir>/tasks/<first 2 hex digits of its key>/<module>-<key>.
// The 256 subdirectories keep every directory small on large sweeps (the layout of git's objects
// and Nextflow's work directory). On ext4 each lands apart from the others, away from the block
// groups where earlier runs' task directories were deleted: ext4 without a journal checks every
// inode freed in the last minutes, one by one, before it hands out a new one there.
std::string TaskDirectory(const std::string& run_dir, const std::string& module_id, const std::string& key_hex);

// `fai-sweep modules [TYPE]`: every module type with its params and ports.
// Types from `plugins` are listed too.
int ModulesCommand(const std::string& type, bool json, const std::vector<std::string>& plugins, std::ostream& out,
                   std::ostream& err);

// What `fai-sweep submit` takes beyond the run options.
struct SubmitOptions {
  std::string script;         // --script: where the job script goes; default <output stem>.sbatch beside it
  std::string template_path;  // --template: an sbatch template instead of scripts/slurm's
  bool wait = false;          // --wait: return when the job has ended, with its exit status
};

// `fai-sweep submit --cluster PROFILE CANVAS [GRID] [run options]`: checks the sweep and the
// profile (quota, a node fits every module), writes the job script from scripts/slurm/ and runs
// sbatch; --dry-run prints the script instead. `forwarded` are the run options to give fai-sweep
// inside the job (ForwardedRunArgs).
int SubmitCommand(const SweepOptions& sweep, const SubmitOptions& submit, const std::vector<std::string>& forwarded,
                  std::ostream& out, std::ostream& err);

// The positionals and options given to `submit` that the job's fai-sweep must get too, paths
// made absolute; submit's own options (--cluster, --dry-run, --script, --template, --wait,
// --json, --show) left out.
std::vector<std::string> ForwardedRunArgs(const CLI::App& submit);

// `fai-sweep cluster list | show NAME | stop NAME`: the profiles in configs/clusters/ with their
// Slurm jobs (when squeue works), one profile in full, or scancel of a profile's jobs.
int ClusterCommand(const std::string& action, const std::string& name, std::ostream& out, std::ostream& err);

}  // namespace fai

#endif  // FAI_CLI_COMMANDS_H_
