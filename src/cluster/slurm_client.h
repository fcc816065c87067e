// SlurmClient: sbatch, squeue and scancel, run as child processes from argv lists (never a
// shell), behind a CommandRunner so tests can replace them with a fake.
//
// Not thread-safe; one client per thread. The CommandRunner must outlive the client.
#ifndef FAI_CLUSTER_SLURM_CLIENT_H_
#define FAI_CLUSTER_SLURM_CLIENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fai {

struct CommandOutcome {
  bool started = false;  // false: the program could not be run (not found, not executable)
  int exit_code = -1;    // exit status, or 128 + signal number
  std::string out;       // its stdout
  std::string err;       // its stderr (or why it did not start)
};

// Runs a program and collects its output. "Abstract so it can be mocked out for tests."
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // argv[0] is looked up in PATH. stdout and stderr are captured; stdin is /dev/null.
  virtual CommandOutcome Run(const std::vector<std::string>& argv) = 0;
};

// fork + execvp; waits for the child, at most `timeout_s` seconds when that is positive (then
// kills it: exit_code -1, err says so). Slurm's clients can hang for a minute on a broken setup.
class ProcessRunner : public CommandRunner {
 public:
  explicit ProcessRunner(double timeout_s = 0) : timeout_s_(timeout_s) {}
  CommandOutcome Run(const std::vector<std::string>& argv) override;

 private:
  double timeout_s_;
};

// One row of squeue.
struct SlurmJob {
  std::string id;
  std::string name;
  std::string state;       // PENDING, RUNNING, COMPLETING, ...
  std::string time_used;   // "1:02"
  std::string time_limit;  // "4:00:00"
  std::string nodes;       // node count
  std::string where;       // node list when running, the reason when pending
  std::string comment;     // "" when none

  bool queued() const {
    return state == "PENDING" || state == "CONFIGURING" || state == "REQUEUED";
  }
};

// Parses `squeue -h -o "%i|%j|%T|%M|%l|%D|%R|%k"` output. InvalidInput on a malformed line.
Result<std::vector<SlurmJob>> ParseSqueue(std::string_view text);

// The jobs of a profile: those carrying its comment (ProfileJobComment) or named fai-<profile>-...
std::vector<SlurmJob> JobsOfProfile(const std::vector<SlurmJob>& jobs, const std::string& profile);

class SlurmClient {
 public:
  explicit SlurmClient(CommandRunner* runner) : runner_(runner) {}

  // Submits a script; returns the job id. With `wait`, returns when the job has ended and sets
  // *job_exit to its exit status (sbatch --wait); the job's id is still returned.
  Result<std::string> Submit(const std::string& script_path, bool wait, int* job_exit);

  // The user's jobs. NotFound when squeue is not installed; IOError when it fails (no
  // controller, no configuration), with squeue's message.
  Result<std::vector<SlurmJob>> Queue();

  // Cancels jobs by id.
  Status Cancel(const std::vector<std::string>& ids);

 private:
  CommandRunner* runner_;
};

}  // namespace fai

#endif  // FAI_CLUSTER_SLURM_CLIENT_H_
