// `fai-sweep submit --cluster PROFILE CANVAS [GRID] [run options]`: checks the sweep and the
// profile, renders the job script from scripts/slurm/ and hands it to sbatch.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "canvas/canvas_parser.h"
#include "canvas/param_check.h"
#include "canvas/plugin_loader.h"
#include "cli/commands.h"
#include "cluster/cluster_catalog.h"
#include "cluster/cluster_profile.h"
#include "cluster/sbatch_script.h"
#include "cluster/slurm_client.h"
#include "dag/sweep_plan.h"

namespace fai {

namespace fs = std::filesystem;

namespace {

int Fail(const Status& status, std::ostream& err) {
  err << "fai-sweep: error: " << status.message() << "\n";
  return status.code() == Status::Code::kInvalidInput ? kExitBadInput : kExitFailures;
}

std::string Absolute(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::absolute(fs::path(path), ec);
  return ec ? path : p.lexically_normal().string();
}

// A module whose request no node of the profile can hold: the job could never finish it.
std::string CheckFitsNode(const Canvas& canvas, const ClusterProfile& p) {
  std::string errors;
  for (const ModuleInstance& m : canvas.modules) {
    const Resources& r = m.resources;
    std::string why;
    if (r.num_cpus > p.cpus_per_node) why = std::to_string(p.cpus_per_node) + " CPUs";
    if (r.num_gpus > p.gpus_per_node)
      why += (why.empty() ? "" : ", ") + std::to_string(p.gpus_per_node) + " GPUs";
    if (p.memory_per_node > 0 && r.memory_bytes > p.memory_per_node)
      why += (why.empty() ? "" : ", ") + FormatBytes(p.memory_per_node);
    if (why.empty()) continue;
    errors += (errors.empty() ? "" : "\n") + canvas.path + ": module \"" + m.id + "\" (" +
              m.type->name + "): resources: asks " + DescribeRequest(r) +
              ", more than a node of profile \"" + p.name + "\" has (" + why + ")";
  }
  return errors;
}

// Where sbatch writes the job's output: beside the results, "<stem>.slurm-<job id>.log".
std::string LogPattern(const std::string& output) {
  const fs::path p(output);
  return (p.parent_path() / (p.stem().string() + ".slurm-%j.log")).string();
}

std::string DefaultScriptPath(const std::string& output) {
  const fs::path p(output);
  return (p.parent_path() / (p.stem().string() + ".sbatch")).string();
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::vector<std::string> ForwardedRunArgs(const CLI::App& submit) {
  // Options that only matter to `submit` itself, or that are rewritten by it.
  static const std::set<std::string> kNotForwarded = {
      "--cluster", "--dry-run", "--json", "--show", "--script", "--template", "--wait", "--help"};
  // Options whose values are paths: made absolute, the job runs elsewhere.
  static const std::set<std::string> kPaths = {"canvas", "grid", "--output", "--run-dir",
                                               "--plugin"};
  std::vector<std::string> positionals, options;
  for (const CLI::Option* opt : submit.get_options()) {
    if (opt->count() == 0) continue;
    const std::string name = opt->get_name();
    if (kNotForwarded.count(name)) continue;
    const bool path = kPaths.count(name) > 0;
    if (opt->get_positional()) {
      for (const std::string& v : opt->results()) positionals.push_back(path ? Absolute(v) : v);
      continue;
    }
    if (opt->get_expected_max() == 0) {  // a flag: repeat it as given
      for (size_t i = 0; i < opt->count(); ++i) options.push_back(name);
      continue;
    }
    for (const std::string& v : opt->results()) {
      options.push_back(name);
      options.push_back(path ? Absolute(v) : v);
    }
  }
  positionals.insert(positionals.end(), options.begin(), options.end());
  return positionals;
}

int SubmitCommand(const SweepOptions& sweep, const SubmitOptions& submit,
                  const std::vector<std::string>& forwarded, std::ostream& out, std::ostream& err) {
  // The profile.
  const ClusterCatalog catalog(CatalogPlaces::FromProcess());
  Result<std::string> profile_path = catalog.Resolve(sweep.cluster);
  if (!profile_path.ok()) return Fail(profile_path.status(), err);
  Result<ClusterProfile> profile = LoadClusterProfile(*profile_path);
  if (!profile.ok()) return Fail(Status::InvalidInput(profile.status().message()), err);
  if (Status quota = CheckQuota(*profile); !quota.ok()) return Fail(quota, err);

  // The sweep: checked here, before it waits in a queue.
  Result<ModuleRegistry> registry = RegistryForCanvas(sweep.canvas_path, sweep.plugins);
  if (!registry.ok()) return Fail(registry.status(), err);
  Result<Canvas> canvas = LoadCanvas(sweep.canvas_path, *registry);
  if (!canvas.ok()) return Fail(canvas.status(), err);
  Result<Grid> grid =
      sweep.grid_path.empty() ? Result<Grid>(Grid::Single()) : Grid::Load(sweep.grid_path);
  if (!grid.ok()) return Fail(grid.status(), err);
  Result<SweepPlan> plan = SweepPlan::Build(*canvas, *grid, PlanOptions{.dedup = sweep.dedup});
  if (!plan.ok()) return Fail(plan.status(), err);
  if (std::string problem = CheckFitsNode(*canvas, *profile); !problem.empty())
    return Fail(Status::InvalidInput(problem), err);
  if (sweep.fresh)
    return Fail(Status::InvalidInput(
                    "submit: --fresh would make every resubmission of the job start over; remove " +
                    sweep.output + " and its journal instead, then submit"),
                err);

  // The job.
  const std::string output = Absolute(sweep.output);
  SweepJob job;
  job.job_name = SweepJobName(profile->name, output);
  std::error_code ec;
  job.fai_sweep = fs::read_symlink("/proc/self/exe", ec).string();
  if (ec) job.fai_sweep = "fai-sweep";
  job.work_dir = fs::current_path(ec).string();
  job.log_path = LogPattern(output);
  job.sweep_args = forwarded;
  if (std::find(forwarded.begin(), forwarded.end(), "--output") == forwarded.end()) {
    job.sweep_args.push_back("--output");
    job.sweep_args.push_back(output);
  }
  job.sweep_args.push_back("--cluster");
  job.sweep_args.push_back(*profile_path);

  Result<std::string> template_path = submit.template_path.empty()
                                          ? catalog.TemplatePath(profile->gpus_per_node > 0)
                                          : submit.template_path;
  if (!template_path.ok()) return Fail(Status::InvalidInput(template_path.status().message()), err);
  std::ifstream template_file(*template_path);
  if (!template_file)
    return Fail(Status::InvalidInput(*template_path + ": cannot read the sbatch template"), err);
  std::stringstream template_text;
  template_text << template_file.rdbuf();
  Result<std::string> script = RenderSbatchScript(template_text.str(), *profile, job);
  if (!script.ok()) return Fail(script.status().Prefixed(*template_path + ": "), err);

  if (sweep.dry_run) {
    out << *script;
    return kExitOk;
  }

  const std::string script_path =
      Absolute(submit.script.empty() ? DefaultScriptPath(output) : submit.script);
  {
    std::ofstream file(script_path, std::ios::trunc);
    file << *script;
    if (!file.flush())
      return Fail(Status::IOError(script_path + ": cannot write the job script"), err);
  }
  chmod(script_path.c_str(), 0755);

  ProcessRunner runner(submit.wait ? 0 : 60);  // --wait: as long as the job runs
  SlurmClient slurm(&runner);
  if (submit.wait)
    out << "submitting " << script_path << " and waiting for the job to end ..." << std::endl;
  int job_exit = 0;
  Result<std::string> id = slurm.Submit(script_path, submit.wait, &job_exit);
  if (!id.ok()) {
    err << "fai-sweep: error: " << id.status().message() << "\n"
        << "fai-sweep: the job script is " << script_path << "; submit it with: sbatch "
        << script_path << "\n";
    return kExitFailures;
  }
  const std::string log = ReplaceAll(job.log_path, "%j", *id);
  out << "submitted job " << *id << " (" << job.job_name << ") on profile " << profile->name << ": "
      << profile->nodes << (profile->nodes == 1 ? " node" : " nodes") << " x "
      << profile->cpus_per_node << " CPUs";
  if (profile->gpus_per_node > 0) out << ", " << profile->gpus_per_node << " GPUs";
  if (!profile->time_limit.empty()) out << ", time limit " << profile->time_limit;
  out << "\n  script   " << script_path << "   (resubmit it to resume: sbatch " << script_path
      << ")"
      << "\n  log      " << log << "\n  results  " << output << "\n";
  if (!submit.wait) {
    out << "follow it with `fai-sweep cluster list` or `fai-sweep status " << output
        << "`; stop it with `fai-sweep cluster stop " << profile->name << "`\n";
    return kExitOk;
  }
  out << "job " << *id << " ended with exit status " << job_exit << "\n";
  return job_exit == kExitOk || job_exit == kExitFailures || job_exit == kExitBadInput
             ? job_exit
             : kExitFailures;
}

}  // namespace fai
