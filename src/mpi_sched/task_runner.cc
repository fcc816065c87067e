#include "mpi_sched/task_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <exception>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>

#include "common/file_io.h"
#include "common/value_serialization.h"

namespace fai {

namespace {

class OrderContext : public TaskContext {
 public:
  OrderContext(const TaskOrder& order, const InputObjects& objects) : order_(order) {
    for (const InputBinding& in : order.inputs) {
      const Dict& d = *objects.at(in.object);
      auto it = d.find(in.output);
      inputs_[in.port] = it == d.end() ? &null_ : &it->second;
    }
    // The task sees its devices numbered from 0.
    gpu_ids_.resize(order.gpus.size());
    std::iota(gpu_ids_.begin(), gpu_ids_.end(), 0);
  }

  const Dict& params() const override { return order_.params; }
  const Value& input(std::string_view port) const override {
    auto it = inputs_.find(port);
    if (it == inputs_.end()) throw std::out_of_range("input port \"" + std::string(port) + "\" is not connected");
    return *it->second;
  }
  bool has_input(std::string_view port) const override { return inputs_.find(port) != inputs_.end(); }
  std::vector<std::string> input_ports() const override {
    std::vector<std::string> ports;
    for (const auto& [port, value] : inputs_) ports.push_back(port);
    return ports;
  }
  void set_output(const std::string& port, Value value) override { outputs_[port] = std::move(value); }
  double num_cpus() const override { return order_.cpus; }
  const std::vector<int>& gpu_ids() const override { return gpu_ids_; }
  const std::vector<int>& physical_gpu_ids() const override { return order_.gpus; }
  double timeout_s() const override { return order_.timeout_s; }
  const std::string& combo_id() const override { return order_.combo_id; }
  const std::string& work_dir() const override { return order_.work_dir; }
  const std::string& canvas_dir() const override { return order_.canvas_dir; }
  std::ostream& log() override {
    if (!log_) log_ = std::make_unique<std::ostringstream>();
    return *log_;
  }

  Dict TakeOutputs() { return std::move(outputs_); }
  std::string LogText() const { return log_ ? log_->str() : ""; }

 private:
  const TaskOrder& order_;
  std::map<std::string, const Value*, std::less<>> inputs_;
  std::vector<int> gpu_ids_;
  Dict outputs_;
  std::unique_ptr<std::ostringstream> log_;  // made on first use
  const Value null_;
};

// Scalars and maps of scalars go back to rank 0 by default; long strings (a payload) do not.
constexpr size_t kMaxShippedString = 64 << 10;

bool IsScalarLike(const Value& v) {
  if (v.kind() == ValueKind::kString) return v.as_string().size() <= kMaxShippedString;
  if (v.is_scalar()) return true;
  if (v.kind() != ValueKind::kDict) return false;
  return std::all_of(v.as_dict().begin(), v.as_dict().end(), [](const auto& kv) { return kv.second.is_scalar(); });
}

}  // namespace

namespace {

// Runs the module in this thread, turning exceptions into a failed outcome.
TaskOutcome RunInThread(const ModuleType& type, OrderContext& ctx) {
  TaskOutcome outcome;
  try {
    type.run(ctx);
    outcome.outputs = ctx.TakeOutputs();
  } catch (const TaskFailure& e) {
    outcome.ok = false;
    outcome.failure = e.kind();
    outcome.error = e.what();
  } catch (const std::exception& e) {
    outcome.ok = false;
    outcome.failure = FailureKind::kError;
    outcome.error = e.what();
  } catch (...) {
    outcome.ok = false;
    outcome.failure = FailureKind::kError;
    outcome.error = "unknown exception";
  }
  return outcome;
}

struct ChildReport {
  bool ok = true;
  uint8_t failure = 0;
  std::string error;
  Dict outputs;
  std::string log;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & ok & failure & error & outputs & log;
  }
};

// Runs the module in a forked child so that a crash or a hang costs only this task. The child
// sends its outcome back through a pipe and leaves with _exit (no atexit handlers, no MPI).
TaskOutcome RunInChild(const ModuleType& type, OrderContext& ctx, double timeout_s, std::string* log) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    setpgid(0, 0);
    TaskOutcome outcome = RunInThread(type, ctx);
    ChildReport report{outcome.ok, static_cast<uint8_t>(outcome.failure), outcome.error, std::move(outcome.outputs),
                       ctx.LogText()};
    _exit(WriteAll(fds[1], "the report pipe", ToBytes(report)).ok() ? 0 : 3);
  }
  close(fds[1]);
  // Read everything the child sends (it may exceed a pipe's buffer), minding the deadline.
  std::string bytes;
  bool timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  char buf[1 << 16];
  while (true) {
    int wait_ms = -1;
    if (timeout_s > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<int64_t>(left.count() + 1, 1000));
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  TaskOutcome outcome;
  outcome.ok = false;
  if (timed_out) {
    outcome.failure = FailureKind::kTimeout;
    outcome.error = "timed out after " + std::to_string(timeout_s) + " s (child process killed)";
  } else if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    outcome.failure = FailureKind::kSignal;
    outcome.error = std::string("the module's process was killed by ") + (name ? std::string("SIG") + name : "a signal");
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || bytes.empty()) {
    outcome.failure = FailureKind::kLost;
    outcome.error = "the module's process ended without reporting (exit status " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
  } else {
    ChildReport report;
    FromBytes(bytes, &report);
    outcome.ok = report.ok;
    outcome.failure = static_cast<FailureKind>(report.failure);
    outcome.error = std::move(report.error);
    outcome.outputs = std::move(report.outputs);
    *log = std::move(report.log);
  }
  return outcome;
}

}  // namespace

TaskOutcome RunTaskOrder(const ModuleRegistry& registry, const TaskOrder& order, const InputObjects& inputs) {
  const ModuleType* type = registry.Find(order.type);
  if (type == nullptr || !type->run) {
    TaskOutcome outcome;
    outcome.ok = false;
    outcome.failure = FailureKind::kError;
    outcome.error = "module type \"" + order.type + "\" is not available on this rank";
    return outcome;
  }
  OrderContext ctx(order, inputs);
  if (!order.work_dir.empty()) {  // made here, on the task's thread, not on the communication thread
    // One mkdir(2) in the usual case (the parent exists); the parents too when they do not.
    std::error_code ec;
    if (!std::filesystem::create_directory(order.work_dir, ec) && ec)
      std::filesystem::create_directories(order.work_dir, ec);
    if (ec) {
      TaskOutcome outcome;
      outcome.ok = false;
      outcome.failure = FailureKind::kError;
      outcome.error = "cannot create the task's directory " + order.work_dir + ": " + ec.message();
      return outcome;
    }
  }
  // Commands isolate themselves; other modules run in a child when asked or when they have a
  // timeout (a thread cannot be stopped).
  const bool child = !type->free_form && (order.isolate || order.timeout_s > 0);
  std::string log;
  TaskOutcome outcome;
  try {
    outcome = child ? RunInChild(*type, ctx, order.timeout_s, &log) : RunInThread(*type, ctx);
  } catch (const std::exception& e) {
    outcome.ok = false;
    outcome.failure = FailureKind::kLost;
    outcome.error = e.what();
  }
  if (!child) log = ctx.LogText();
  if (!order.work_dir.empty() && !log.empty()) {
    std::ofstream(order.work_dir + "/task.log", std::ios::app) << log;
  }
  return outcome;
}

Dict SelectShipped(const TaskOrder& order, const Dict& outputs) {
  Dict shipped;
  for (const auto& [port, value] : outputs) {
    const bool named = std::find(order.ship.begin(), order.ship.end(), port) != order.ship.end();
    const bool small = order.ship_below_bytes > 0 && value.ByteSize() < order.ship_below_bytes;
    if (order.ship_all || named || small || (order.ship_scalars && IsScalarLike(value))) shipped[port] = value;
  }
  return shipped;
}

}  // namespace fai
