// SbatchScript: renders the job script `fai-sweep submit` hands to sbatch, from a template in
// scripts/slurm/ and a cluster profile.
//
// A template is an ordinary sbatch script that also works by hand
// (`sbatch scripts/slurm/fai-sweep-cpu.sbatch canvas.json grid.yaml -o results.h5`): its body runs
// `$FAI_SWEEP "$@"` under mpirun. Rendering changes only its header:
//   - each `#SBATCH --option[=value]` line of an option the profile sets gets the profile's value;
//     options the profile sets that the template lacks are added after its last #SBATCH line;
//   - a block after the #SBATCH lines sets FAI_SWEEP, the working directory and the sweep's
//     arguments (`set -- ...`, each single-quoted), so that `sbatch SCRIPT` alone reruns the same
//     command on the same output: resubmitting after a time limit resumes the sweep.
// Templates use long options only (`--nodes=2`, not `-N 2`) in their #SBATCH lines.
// Plain logic; stateless; thread-safe.
#ifndef FAI_CLUSTER_SBATCH_SCRIPT_H_
#define FAI_CLUSTER_SBATCH_SCRIPT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cluster/cluster_profile.h"
#include "common/status.h"

namespace fai {

// What one submitted sweep runs.
struct SweepJob {
  std::string job_name;                 // fai-<profile>-<output stem>
  std::string fai_sweep;                // absolute path of the fai-sweep executable
  std::vector<std::string> sweep_args;  // its arguments (canvas, grid, options), absolute paths
  std::string work_dir;                 // the job's working directory (--chdir)
  std::string log_path;                 // Slurm's --output (may hold %j)
};

// The job name of a sweep: "fai-<profile>-<stem of output>", characters outside
// [A-Za-z0-9_.-] replaced by '_'.
std::string SweepJobName(const std::string& profile, const std::string& output);

// The comment every job of a profile carries ("fai-sweep:<profile>"), to find them again.
std::string ProfileJobComment(const std::string& profile);

// The sbatch options a profile and a job set, as (option, value) pairs: ("--nodes", "2").
// A value of "" stands for a flag without a value.
std::vector<std::pair<std::string, std::string>> SbatchOptionsFor(const ClusterProfile& profile,
                                                                  const SweepJob& job);

// Renders the template. InvalidInput when the template has no #SBATCH header or no body.
Result<std::string> RenderSbatchScript(std::string_view template_text,
                                       const ClusterProfile& profile, const SweepJob& job);

// `text` as one single-quoted shell word ('it'\''s').
std::string ShellQuote(std::string_view text);

}  // namespace fai

#endif  // FAI_CLUSTER_SBATCH_SCRIPT_H_
