#include "canvas/command_exec.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "canvas/command_module.h"
#include "canvas/program_spawn.h"
#include "common/file_io.h"
#include "common/value_json.h"
#include "fai/task_failure.h"

extern char** environ;

namespace fai {

namespace fs = std::filesystem;

namespace {

std::string ShortestDouble(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(d);
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void WriteCsv(std::ostream& out, const Value& value) {
  if (value.kind() == ValueKind::kMatrix) {
    const Matrix& m = value.as_matrix();
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
      for (Eigen::Index c = 0; c < m.cols(); ++c) out << (c ? "," : "") << ShortestDouble(m(r, c));
      out << "\n";
    }
    return;
  }
  const Table& t = value.as_table();
  for (size_t c = 0; c < t.names.size(); ++c) out << (c ? "," : "") << CsvCell(t.names[c]);
  out << "\n";
  for (size_t r = 0; r < t.rows(); ++r) {
    for (size_t c = 0; c < t.columns.size(); ++c) {
      out << (c ? "," : "");
      if (const auto* nums = std::get_if<std::vector<double>>(&t.columns[c]))
        out << ShortestDouble((*nums)[r]);
      else
        out << CsvCell(std::get<std::vector<std::string>>(t.columns[c])[r]);
    }
    out << "\n";
  }
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The worker's environment as (name, "NAME=value") without the launcher's variables, read once:
// every task's program starts from it (the worker does not change its environment while it
// serves tasks).
const std::vector<std::pair<std::string, std::string>>& WorkerEnvironment() {
  static const std::vector<std::pair<std::string, std::string>> env = [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (char** e = environ; *e != nullptr; ++e) {
      const char* eq = std::strchr(*e, '=');
      if (eq == nullptr) continue;
      std::string name(*e, static_cast<size_t>(eq - *e));
      if (!IsLauncherVariable(name)) out.emplace_back(std::move(name), *e);
    }
    return out;
  }();
  return env;
}

// One of the program's output streams: read from a pipe and written to its log file, which is
// created on the first byte (a silent program leaves no file). The last bytes are kept for
// error messages.
class CapturedStream {
 public:
  static constexpr size_t kTailBytes = 2000;

  explicit CapturedStream(std::string log_path) : log_path_(std::move(log_path)) {
    int fds[2];
    // O_CLOEXEC: a program started by another thread at the same time must not inherit the
    // write end, or this stream would not see its end.
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    fcntl(read_fd_, F_SETFL, O_NONBLOCK);
  }
  CapturedStream(const CapturedStream&) = delete;
  CapturedStream& operator=(const CapturedStream&) = delete;
  ~CapturedStream() {
    CloseWriteEnd();
    if (read_fd_ >= 0) close(read_fd_);
    if (log_fd_ >= 0) close(log_fd_);
  }

  int read_fd() const { return read_fd_; }
  int write_fd() const { return write_fd_; }
  bool open() const { return read_fd_ >= 0; }
  void CloseWriteEnd() {
    if (write_fd_ >= 0) close(write_fd_);
    write_fd_ = -1;
  }

  // Moves what the pipe holds now to the log; closes the pipe at its end.
  void Drain() {
    char buf[1 << 16];
    while (read_fd_ >= 0) {
      const ssize_t n = read(read_fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (n <= 0) {
        close(read_fd_);
        read_fd_ = -1;
        return;
      }
      Keep(buf, static_cast<size_t>(n));
    }
  }

  // The last bytes written, without trailing blanks.
  std::string Tail() const {
    std::string text = truncated_ ? "..." + tail_ : tail_;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

 private:
  void Keep(const char* data, size_t n) {
    if (log_fd_ < 0 && !log_failed_) {
      log_fd_ = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      log_failed_ = log_fd_ < 0;
    }
    // A full disk costs the log, not the task.
    if (log_fd_ >= 0) (void)WriteAll(log_fd_, log_path_, std::string_view(data, n));
    tail_.append(data, n);
    if (tail_.size() > kTailBytes) {
      tail_.erase(0, tail_.size() - kTailBytes);
      truncated_ = true;
    }
  }

  std::string log_path_;
  int read_fd_ = -1;
  int write_fd_ = -1;
  int log_fd_ = -1;
  bool log_failed_ = false;
  std::string tail_;
  bool truncated_ = false;
};

// Waits for `pid` while moving its output to the logs. At the deadline (timeout_s > 0) kills its
// process group: SIGTERM, then SIGKILL after 2 s. Returns the wait status and sets *timed_out.
// Waking on the child's exit (`pidfd`, which it closes) or on its output, never by polling on a
// clock; without a pidfd (a kernel before 5.2) it looks every 10 ms.
int WaitAndCapture(pid_t pid, int pidfd, double timeout_s, CapturedStream* out, CapturedStream* err,
                   bool* timed_out) {
  using Clock = std::chrono::steady_clock;
  *timed_out = false;
  const auto start = Clock::now();
  bool terminated = false;
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    int wait_ms = pidfd >= 0 ? -1 : 10;
    if (timeout_s > 0) {
      const double left = (terminated ? timeout_s + 2.0 : timeout_s) - SecondsSince(start);
      if (left <= 0) {
        if (!terminated) {
          *timed_out = terminated = true;
          kill(-pid, SIGTERM);
          continue;
        }
        kill(-pid, SIGKILL);
      } else {
        const int left_ms = static_cast<int>(std::ceil(left * 1000));
        wait_ms = wait_ms < 0 ? left_ms : std::min(wait_ms, left_ms);
      }
    }
    pollfd fds[3];
    nfds_t n = 0;
    if (pidfd >= 0) fds[n++] = pollfd{pidfd, POLLIN, 0};
    if (out->open()) fds[n++] = pollfd{out->read_fd(), POLLIN, 0};
    if (err->open()) fds[n++] = pollfd{err->read_fd(), POLLIN, 0};
    if (poll(fds, n, wait_ms) < 0 && errno != EINTR)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // not a busy loop on a poll error
    out->Drain();
    err->Drain();
  }
  if (terminated) kill(-pid, SIGKILL);  // stragglers of the group
  if (pidfd >= 0) close(pidfd);
  // What the program wrote before it ended; a descendant still holding the pipes is not waited for.
  out->Drain();
  err->Drain();
  return status;
}

}  // namespace

bool IsLauncherVariable(std::string_view name) {
  for (std::string_view prefix : {"PMIX_", "PMI_", "PRTE_", "ORTE_"})
    if (name.starts_with(prefix)) return true;
  if (!name.starts_with("OMPI_")) return false;
  // The user's own settings stay: MCA parameters and the run-as-root permission. mpirun's
  // parameters that tie a process to its job go.
  if (name.starts_with("OMPI_ALLOW_RUN_AS_ROOT")) return false;
  constexpr std::string_view kMca = "OMPI_MCA_";
  if (!name.starts_with(kMca)) return true;
  const std::string_view param = name.substr(kMca.size());
  for (std::string_view job : {"ess", "orte_", "pmix", "prte_", "initial_wdir", "shmem_RUNTIME_QUERY_hint"})
    if (param.starts_with(job)) return true;
  return false;
}

std::string ArgvText(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull: return "";
    case ValueKind::kString: return value.as_string();
    case ValueKind::kDouble: return ShortestDouble(value.as_double());
    case ValueKind::kInt:
    case ValueKind::kBool: return value.ToString();
    default: return ValueToJson(value).dump();
  }
}

std::string WriteInputFile(const std::string& path_stem, const Value& value) {
  std::string path;
  std::ofstream out;
  switch (value.kind()) {
    case ValueKind::kMatrix:
    case ValueKind::kTable:
      path = path_stem + ".csv";
      out.open(path, std::ios::binary);
      WriteCsv(out, value);
      break;
    case ValueKind::kBlob:
      path = path_stem + ".bin";
      out.open(path, std::ios::binary);
      out << value.as_blob().bytes;
      break;
    default:
      path = path_stem + ".json";
      out.open(path, std::ios::binary);
      out << ValueToJson(value).dump();
  }
  out.close();
  if (!out) throw std::runtime_error("cannot write input file " + path);
  return path;
}

void RunCommandTask(TaskContext& ctx) {
  const Dict& params = ctx.params();
  std::string dir = ctx.work_dir();
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "fai-task-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("cannot create a task directory");
    dir = tmpl;
  }

  // Inputs to files.
  nlohmann::json input_paths = nlohmann::json::object();
  std::map<std::string, std::string> paths;
  if (!ctx.input_ports().empty()) fs::create_directories(fs::path(dir) / "inputs");
  for (const std::string& port : ctx.input_ports()) {
    paths[port] = WriteInputFile((fs::path(dir) / "inputs" / port).string(), ctx.input(port));
    input_paths[port] = paths[port];
  }

  // argv with placeholders substituted: each element stays one argument.
  std::vector<std::string> argv;
  for (const Value& element : params.at("argv").as_list()) {
    std::vector<ArgvPiece> pieces;
    const std::string problem = ParseArgvTemplate(element.as_string(), &pieces);
    if (!problem.empty()) throw std::runtime_error("params.argv: " + problem);
    std::string arg;
    for (const ArgvPiece& p : pieces) {
      switch (p.kind) {
        case ArgvPiece::Kind::kLiteral: arg += p.text; break;
        case ArgvPiece::Kind::kParam: arg += ArgvText(params.at(p.text)); break;
        case ArgvPiece::Kind::kInput: arg += paths.at(p.text); break;
        case ArgvPiece::Kind::kCanvasDir: arg += ctx.canvas_dir(); break;
      }
    }
    argv.push_back(std::move(arg));
  }

  // FAI_TASK: everything the program may want to know.
  nlohmann::json task;
  nlohmann::json user_params = nlohmann::json::object();
  for (const auto& [k, v] : params)
    if (!IsReservedCommandParam(k)) user_params[k] = ValueToJson(v);
  task["params"] = user_params;
  task["inputs"] = input_paths;
  task["combo"] = ctx.combo_id();
  task["work_dir"] = dir;
  task["argv"] = argv;
  task["resources"] = {{"num_cpus", ctx.num_cpus()}, {"gpus", ctx.gpu_ids()}};
  const std::string task_path = (fs::path(dir) / "task.json").string();
  const std::string output_path = (fs::path(dir) / "output.json").string();
  bool earlier_attempt = false;
  if (Status s = WriteWholeFile(task_path, task.dump(2) + "\n", &earlier_attempt); !s.ok())
    throw std::runtime_error(s.message());
  // What an earlier attempt left must not pass for this one's. An attempt writes nothing there
  // before task.json, so a new task.json means there is nothing to clear.
  if (earlier_attempt)
    for (const char* stale : {"/output.json", "/stdout.log", "/stderr.log"}) unlink((dir + stale).c_str());

  // Environment: the worker's, then the entry's env, then ours (later ones win).
  std::vector<std::pair<std::string, std::string>> own;
  if (auto it = params.find("env"); it != params.end() && it->second.kind() == ValueKind::kDict)
    for (const auto& [k, v] : it->second.as_dict()) own.emplace_back(k, ArgvText(v));
  own.emplace_back("FAI_TASK", task_path);
  own.emplace_back("FAI_OUTPUT", output_path);
  own.emplace_back("FAI_NUM_CPUS", ShortestDouble(ctx.num_cpus()));
  if (!ctx.physical_gpu_ids().empty()) {
    std::string devices;
    for (int id : ctx.physical_gpu_ids()) devices += (devices.empty() ? "" : ",") + std::to_string(id);
    own.emplace_back("CUDA_VISIBLE_DEVICES", devices);
  }
  std::vector<std::string> own_strings;
  for (size_t i = 0; i < own.size(); ++i) {
    const bool overridden = std::any_of(own.begin() + static_cast<std::ptrdiff_t>(i) + 1, own.end(),
                                        [&](const auto& later) { return later.first == own[i].first; });
    if (!overridden) own_strings.push_back(own[i].first + "=" + own[i].second);
  }

  std::vector<char*> c_argv, c_env;
  for (std::string& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  for (const auto& [key, entry] : WorkerEnvironment()) {
    const bool overridden = std::any_of(own.begin(), own.end(), [&](const auto& o) { return o.first == key; });
    if (!overridden) c_env.push_back(const_cast<char*>(entry.c_str()));
  }
  for (std::string& e : own_strings) c_env.push_back(e.data());
  c_env.push_back(nullptr);

  // stdout and stderr through pipes to stdout.log / stderr.log (made only when written to).
  CapturedStream out(dir + "/stdout.log");
  CapturedStream err(dir + "/stderr.log");
  SpawnRequest spawn;
  spawn.argv = c_argv.data();
  spawn.envp = c_env.data();
  spawn.dir = dir.c_str();
  spawn.stdout_fd = out.write_fd();
  spawn.stderr_fd = err.write_fd();
  int pidfd = -1;
  spawn.pidfd = &pidfd;
  int spawn_error = 0;
  const pid_t pid = SpawnProgram(spawn, &spawn_error);
  out.CloseWriteEnd();
  err.CloseWriteEnd();
  if (pid < 0) throw std::runtime_error("cannot start \"" + argv[0] + "\": " + std::strerror(spawn_error));

  bool timed_out = false;
  const int status = WaitAndCapture(pid, pidfd, ctx.timeout_s(), &out, &err, &timed_out);
  const std::string stderr_tail = err.Tail();
  const std::string detail = stderr_tail.empty() ? "" : "; stderr: " + stderr_tail;
  if (timed_out)
    throw TaskFailure(FailureKind::kTimeout, "timed out after " + ShortestDouble(ctx.timeout_s()) + " s" + detail);
  if (WIFSIGNALED(status))
    throw TaskFailure(FailureKind::kSignal, "killed by " + SignalName(WTERMSIG(status)) + detail);
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    throw std::runtime_error("exited with status " + std::to_string(WEXITSTATUS(status)) + detail);

  // Outputs: a JSON object in FAI_OUTPUT.
  if (std::ifstream in(output_path); in.is_open()) {
    nlohmann::json written = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!written.is_object())
      throw std::runtime_error("FAI_OUTPUT (" + output_path + ") does not hold a JSON object");
    for (auto it = written.begin(); it != written.end(); ++it) ctx.set_output(it.key(), ValueFromJson(it.value()));
    if (auto declared = params.find("outputs"); declared != params.end()) {
      for (const Value& port : declared->second.as_list())
        if (!written.contains(port.as_string()))
          throw std::runtime_error("declared output \"" + port.as_string() + "\" was not written to FAI_OUTPUT");
    }
  } else if (auto declared = params.find("outputs");
             declared != params.end() && !declared->second.as_list().empty()) {
    throw std::runtime_error("the program wrote no FAI_OUTPUT file, but declares outputs " +
                             declared->second.ToString());
  }
}

}  // namespace fai
