// An example plugin: two module types added to fai-sweep from a shared library.
//
//   example.polynomial  y = a * x^degree + b, with x from its params or its `x` input
//   example.unstable    crashes (SIGSEGV) when asked: shows that a plugin crash costs one task
//
// Build: CMake builds it as build/examples/plugin_module/libfai_example_plugin.so. Use it with
// `fai-sweep --plugin path/to/libfai_example_plugin.so ...` or "plugins": ["..."] in the canvas.
#include <cmath>
#include <csignal>

#include "fai/module.h"

namespace {

fai::ParamSpec Param(const char* name, fai::ParamType type, fai::Value def, const char* help) {
  fai::ParamSpec p;
  p.name = name;
  p.type = type;
  p.default_value = std::move(def);
  p.help = help;
  return p;
}

void RunPolynomial(fai::TaskContext& ctx) {
  const double x = ctx.has_input("x") ? ctx.input("x").as_double() : ctx.float_param("x");
  const double y = ctx.float_param("a") * std::pow(x, static_cast<double>(ctx.int_param("degree"))) + ctx.float_param("b");
  ctx.log() << "polynomial at x=" << x << " is " << y << "\n";
  ctx.set_output("y", fai::Value(y));
}

void RunUnstable(fai::TaskContext& ctx) {
  if (ctx.bool_param("crash")) std::raise(SIGSEGV);
  ctx.set_output("survived", fai::Value(true));
}

}  // namespace

FAI_PLUGIN(fai::ModuleRegistry* registry) {
  fai::ModuleType poly;
  poly.name = "example.polynomial";
  poly.help = "y = a * x^degree + b (an example plugin type)";
  fai::ParamSpec degree = Param("degree", fai::ParamType::kInt, fai::Value(2), "the power of x");
  degree.min = 0;
  degree.max = 12;
  poly.params = {degree, Param("a", fai::ParamType::kFloat, fai::Value(1.0), "scale"),
                 Param("b", fai::ParamType::kFloat, fai::Value(0.0), "offset"),
                 Param("x", fai::ParamType::kFloat, fai::Value(2.0), "where to evaluate, unless `x` is connected")};
  poly.inputs = {{"x", "a number (overrides the param)", true}};
  poly.outputs = {{"y", "the value", false}};
  poly.run = RunPolynomial;
  registry->Register(poly);

  fai::ModuleType unstable;
  unstable.name = "example.unstable";
  unstable.help = "crashes with SIGSEGV when crash = true (an example plugin type)";
  unstable.params = {Param("crash", fai::ParamType::kBool, fai::Value(false), "segfault on purpose")};
  unstable.outputs = {{"survived", "true when it did not crash", false}};
  unstable.run = RunUnstable;
  registry->Register(unstable);
}
