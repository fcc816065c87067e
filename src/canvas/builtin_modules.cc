#include "canvas/builtin_modules.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace fai {

namespace {

ParamSpec Param(std::string name, ParamType type, Value default_value, std::string help,
                std::optional<double> min = std::nullopt) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.min = min;
  p.help = std::move(help);
  return p;
}

void RunNoop(TaskContext& ctx) {
  const double sleep_ms = ctx.float_param("sleep_ms");
  if (sleep_ms > 0)
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(sleep_ms));
  if (ctx.bool_param("fail")) throw std::runtime_error("noop: failing as asked (fail = true)");
  Dict out = ctx.params();
  int64_t inputs = 0;
  for (const char* port : {"in", "in2", "in3"}) inputs += ctx.has_input(port) ? 1 : 0;
  out["inputs"] = Value(inputs);
  const int64_t payload_bytes = ctx.int_param("payload_bytes");
  ctx.set_output("out", Value(std::move(out)));
  ctx.set_output("payload", Value(std::string(static_cast<size_t>(payload_bytes), 'x')));
}

}  // namespace

void RegisterCoreModules(ModuleRegistry& registry) {
  ModuleType noop;
  noop.name = "noop";
  noop.help =
      "Does nothing useful: serves tests and benchmarks (sleeps, fails or emits a payload on "
      "request)";
  noop.params = {
      Param("value", ParamType::kAny, Value(), "any value, echoed in `out`"),
      Param("sleep_ms", ParamType::kFloat, Value(0.0), "milliseconds to sleep", 0.0),
      Param("fail", ParamType::kBool, Value(false), "throw instead of finishing"),
      Param("payload_bytes", ParamType::kInt, Value(int64_t{0}), "size of the `payload` output",
            0.0),
  };
  noop.inputs = {{"in", "any value (ignored)", true},
                 {"in2", "any value (ignored)", true},
                 {"in3", "any value (ignored)", true}};
  noop.outputs = {{"out", "its params and the number of connected inputs", false},
                  {"payload", "a string of payload_bytes bytes", false}};
  noop.run = RunNoop;
  registry.Register(std::move(noop));
}

}  // namespace fai
