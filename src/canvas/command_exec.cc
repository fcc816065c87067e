#include "canvas/command_exec.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "canvas/command_module.h"
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

std::string Tail(const std::string& path, size_t max_bytes = 2000) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// Waits for `pid`; at the deadline kills its process group. Returns the wait status and sets
// *timed_out.
int WaitWithTimeout(pid_t pid, double timeout_s, bool* timed_out) {
  *timed_out = false;
  int status = 0;
  if (timeout_s <= 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  auto poll = std::chrono::milliseconds(1);
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return status;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(poll);
    poll = std::min(poll * 2, std::chrono::milliseconds(50));
  }
  *timed_out = true;
  kill(-pid, SIGTERM);
  const auto grace = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < grace) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      kill(-pid, SIGKILL);  // stragglers of the group
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(-pid, SIGKILL);
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

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
  fs::create_directories(fs::path(dir) / "inputs");

  // Inputs to files.
  nlohmann::json input_paths = nlohmann::json::object();
  std::map<std::string, std::string> paths;
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
  std::ofstream(task_path) << task.dump(2) << "\n";
  fs::remove(output_path);

  // Environment: the worker's, then the entry's env, then ours.
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq) env[std::string(*e, static_cast<size_t>(eq - *e))] = eq + 1;
  }
  if (auto it = params.find("env"); it != params.end() && it->second.kind() == ValueKind::kDict)
    for (const auto& [k, v] : it->second.as_dict()) env[k] = ArgvText(v);
  env["FAI_TASK"] = task_path;
  env["FAI_OUTPUT"] = output_path;
  env["FAI_NUM_CPUS"] = ShortestDouble(ctx.num_cpus());
  if (!ctx.physical_gpu_ids().empty()) {
    std::string devices;
    for (int id : ctx.physical_gpu_ids()) devices += (devices.empty() ? "" : ",") + std::to_string(id);
    env["CUDA_VISIBLE_DEVICES"] = devices;
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);

  std::vector<char*> c_argv, c_env;
  for (std::string& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  for (std::string& e : env_strings) c_env.push_back(e.data());
  c_env.push_back(nullptr);

  const std::string out_log = (fs::path(dir) / "stdout.log").string();
  const std::string err_log = (fs::path(dir) / "stderr.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);  // its own process group, killed as a whole
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("cannot start \"" + argv[0] + "\": " + std::strerror(rc));

  bool timed_out = false;
  const int status = WaitWithTimeout(pid, ctx.timeout_s(), &timed_out);
  const std::string stderr_tail = Tail(err_log);
  const std::string detail = stderr_tail.empty() ? "" : "; stderr: " + stderr_tail;
  if (timed_out)
    throw TaskFailure(FailureKind::kTimeout, "timed out after " + ShortestDouble(ctx.timeout_s()) + " s" + detail);
  if (WIFSIGNALED(status))
    throw TaskFailure(FailureKind::kSignal, "killed by " + SignalName(WTERMSIG(status)) + detail);
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    throw std::runtime_error("exited with status " + std::to_string(WEXITSTATUS(status)) + detail);

  // Outputs: a JSON object in FAI_OUTPUT.
  if (fs::exists(output_path)) {
    std::ifstream in(output_path);
    nlohmann::json out = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!out.is_object())
      throw std::runtime_error("FAI_OUTPUT (" + output_path + ") does not hold a JSON object");
    for (auto it = out.begin(); it != out.end(); ++it) ctx.set_output(it.key(), ValueFromJson(it.value()));
    if (auto declared = params.find("outputs"); declared != params.end()) {
      for (const Value& port : declared->second.as_list())
        if (!out.contains(port.as_string()))
          throw std::runtime_error("declared output \"" + port.as_string() + "\" was not written to FAI_OUTPUT");
    }
  } else if (auto declared = params.find("outputs");
             declared != params.end() && !declared->second.as_list().empty()) {
    throw std::runtime_error("the program wrote no FAI_OUTPUT file, but declares outputs " +
                             declared->second.ToString());
  }
}

}  // namespace fai
