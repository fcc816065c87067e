#include "cluster/slurm_client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <sstream>

#include "cluster/sbatch_script.h"

namespace fai {

namespace {

void CloseQuietly(int fd) {
  if (fd >= 0) close(fd);
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The last line of a message: Slurm's tools end with the one that matters ("fatal: ...").
std::string LastLine(const std::string& text) {
  const std::string trimmed = Trim(text);
  const size_t nl = trimmed.rfind('\n');
  return nl == std::string::npos ? trimmed : trimmed.substr(nl + 1);
}

std::string Describe(const std::vector<std::string>& argv, const CommandOutcome& r) {
  std::string what = argv[0];
  if (!r.started) return what + ": " + Trim(r.err);
  std::string msg = LastLine(r.err);
  if (msg.empty()) msg = LastLine(r.out);
  return what + " failed (exit status " + std::to_string(r.exit_code) + ")" +
         (msg.empty() ? "" : ": " + msg);
}

}  // namespace

CommandOutcome ProcessRunner::Run(const std::vector<std::string>& argv) {
  CommandOutcome r;
  if (argv.empty()) {
    r.err = "no program given";
    return r;
  }
  int out_pipe[2], err_pipe[2], exec_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    r.err = std::strerror(errno);
    return r;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0 || pipe2(exec_pipe, O_CLOEXEC) != 0) {
    r.err = std::strerror(errno);
    CloseQuietly(out_pipe[0]);
    CloseQuietly(out_pipe[1]);
    return r;
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const pid_t pid = fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execvp(args[0], args.data());
    const int e = errno;
    ssize_t ignored = write(exec_pipe[1], &e, sizeof(e));
    (void)ignored;
    _exit(127);
  }
  CloseQuietly(out_pipe[1]);
  CloseQuietly(err_pipe[1]);
  CloseQuietly(exec_pipe[1]);
  if (pid < 0) {
    r.err = std::string("fork: ") + std::strerror(errno);
    CloseQuietly(out_pipe[0]);
    CloseQuietly(err_pipe[0]);
    CloseQuietly(exec_pipe[0]);
    return r;
  }

  // Drain both pipes until they close (a full pipe would block the child).
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[4096];
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s_);
  bool timed_out = false;
  while (open_fds > 0) {
    int wait_ms = -1;
    if (timeout_s_ > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        timed_out = true;
        kill(pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(left.count());
    }
    const int ready = poll(fds, 2, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (pollfd& f : fds) CloseQuietly(f.fd);
  int exec_errno = 0;
  const bool exec_failed =
      read(exec_pipe[0], &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno);
  CloseQuietly(exec_pipe[0]);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (exec_failed) {
    r.err = exec_errno == ENOENT ? "not found (is it installed and on PATH?)"
                                 : std::strerror(exec_errno);
    return r;
  }
  r.started = true;
  if (timed_out) {
    std::ostringstream msg;
    msg << "\ntimed out after " << timeout_s_ << " s";
    r.err += msg.str();
    return r;
  }
  r.exit_code = WIFEXITED(status)     ? WEXITSTATUS(status)
                : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                      : -1;
  return r;
}

Result<std::vector<SlurmJob>> ParseSqueue(std::string_view text) {
  std::vector<SlurmJob> jobs;
  std::stringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream fields(line);
    std::string item;
    while (std::getline(fields, item, '|')) f.push_back(item);
    if (!line.empty() && line.back() == '|') f.push_back("");
    if (f.size() < 8) return Status::InvalidInput("squeue: unexpected line \"" + line + "\"");
    SlurmJob job;
    job.id = f[0];
    job.name = f[1];
    job.state = f[2];
    job.time_used = f[3];
    job.time_limit = f[4];
    job.nodes = f[5];
    job.where = f[6];
    // The comment may itself hold '|'.
    for (size_t i = 7; i < f.size(); ++i) job.comment += (i > 7 ? "|" : "") + f[i];
    if (job.comment == "(null)") job.comment.clear();
    jobs.push_back(std::move(job));
  }
  return jobs;
}

std::vector<SlurmJob> JobsOfProfile(const std::vector<SlurmJob>& jobs, const std::string& profile) {
  std::vector<SlurmJob> out;
  const std::string prefix = "fai-" + profile + "-";
  for (const SlurmJob& j : jobs)
    if (j.comment == ProfileJobComment(profile) || j.name.rfind(prefix, 0) == 0) out.push_back(j);
  return out;
}

Result<std::string> SlurmClient::Submit(const std::string& script_path, bool wait, int* job_exit) {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  if (wait) argv.push_back("--wait");
  argv.push_back(script_path);
  const CommandOutcome r = runner_->Run(argv);
  // --parsable prints "ID" or "ID;CLUSTER" once the job is queued.
  std::string id = Trim(r.out);
  if (auto nl = id.find('\n'); nl != std::string::npos) id = id.substr(0, nl);
  if (auto semi = id.find(';'); semi != std::string::npos) id = id.substr(0, semi);
  const bool numeric = !id.empty() && id.find_first_not_of("0123456789_") == std::string::npos;
  if (!r.started) return Status::NotFound(Describe(argv, r));
  if (!numeric) return Status::IOError(Describe(argv, r));
  if (!wait && r.exit_code != 0) return Status::IOError(Describe(argv, r));
  if (job_exit) *job_exit = r.exit_code;
  return id;
}

Result<std::vector<SlurmJob>> SlurmClient::Queue() {
  const std::vector<std::string> argv = {"squeue", "--me", "-h", "-o", "%i|%j|%T|%M|%l|%D|%R|%k"};
  const CommandOutcome r = runner_->Run(argv);
  if (!r.started) return Status::NotFound(Describe(argv, r));
  if (r.exit_code != 0) return Status::IOError(Describe(argv, r));
  return ParseSqueue(r.out);
}

Status SlurmClient::Cancel(const std::vector<std::string>& ids) {
  if (ids.empty()) return Status::OK();
  std::vector<std::string> argv = {"scancel"};
  argv.insert(argv.end(), ids.begin(), ids.end());
  const CommandOutcome r = runner_->Run(argv);
  if (!r.started) return Status::NotFound(Describe(argv, r));
  if (r.exit_code != 0) return Status::IOError(Describe(argv, r));
  return Status::OK();
}

}  // namespace fai
