#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <stdexcept>

#include "canvas/command_module.h"
#include "canvas_test_util.h"
#include "fai/module.h"

namespace fai {
namespace {

using testing::MakeParam;

ModuleType SimpleType(const std::string& name) {
  ModuleType t;
  t.name = name;
  t.params = {MakeParam("n", ParamType::kInt, Value(1), 1.0, 10.0)};
  t.inputs = {{"in", "", false}};
  t.outputs = {{"out", "", false}};
  t.run = [](TaskContext&) {};
  return t;
}

std::string RegisterError(ModuleType type) {
  ModuleRegistry registry;
  try {
    registry.Register(std::move(type));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(ParamTypeNameTest, Names) {
  EXPECT_STREQ(ParamTypeName(ParamType::kInt), "int");
  EXPECT_STREQ(ParamTypeName(ParamType::kFloat), "float");
  EXPECT_STREQ(ParamTypeName(ParamType::kString), "string");
  EXPECT_STREQ(ParamTypeName(ParamType::kBool), "bool");
  EXPECT_STREQ(ParamTypeName(ParamType::kIntList), "list of int");
  EXPECT_STREQ(ParamTypeName(ParamType::kFloatList), "list of float");
  EXPECT_STREQ(ParamTypeName(ParamType::kStringList), "list of string");
  EXPECT_STREQ(ParamTypeName(ParamType::kAny), "any");
}

TEST(ModuleRegistryTest, RegisterFindAndNames) {
  ModuleRegistry registry;
  registry.Register(SimpleType("zeta"));
  registry.Register(SimpleType("alpha"));
  ASSERT_NE(registry.Find("zeta"), nullptr);
  EXPECT_EQ(registry.Find("zeta")->name, "zeta");
  EXPECT_EQ(registry.Find("beta"), nullptr);
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"alpha", "zeta"}));
  const ModuleType* t = registry.Find("alpha");
  ASSERT_NE(t->FindParam("n"), nullptr);
  EXPECT_EQ(t->FindParam("n")->name, "n");
  EXPECT_EQ(t->FindParam("m"), nullptr);
  ASSERT_NE(t->FindInput("in"), nullptr);
  EXPECT_EQ(t->FindInput("out"), nullptr);
  ASSERT_NE(t->FindOutput("out"), nullptr);
  EXPECT_EQ(t->FindOutput("in"), nullptr);
}

TEST(ModuleRegistryTest, RejectsTakenName) {
  ModuleRegistry registry;
  registry.Register(SimpleType("a"));
  try {
    registry.Register(SimpleType("a"));
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "module type \"a\" is already registered");
  }
}

TEST(ModuleRegistryTest, RejectsInconsistentDeclarations) {
  ModuleType t = SimpleType("t");
  t.params[0].default_value = Value(0);
  EXPECT_EQ(RegisterError(t),
            "module type \"t\": param \"n\": default: expected int in [1, 10], got 0");

  t = SimpleType("t");
  t.params.push_back(MakeParam("n", ParamType::kFloat, Value(0.5)));
  EXPECT_EQ(RegisterError(t), "module type \"t\": duplicate param \"n\"");

  t = SimpleType("t");
  t.inputs.push_back({"in", "", true});
  EXPECT_EQ(RegisterError(t), "module type \"t\": duplicate input port \"in\"");

  t = SimpleType("t");
  t.outputs.push_back({"out", "", false});
  EXPECT_EQ(RegisterError(t), "module type \"t\": duplicate output port \"out\"");

  t = SimpleType("t");
  t.params[0].min = 5;
  t.params[0].max = 2;
  EXPECT_EQ(RegisterError(t), "module type \"t\": param \"n\": min is above max");

  t = SimpleType("t");
  t.params.push_back(
      MakeParam("c", ParamType::kString, Value("zzz"), std::nullopt, std::nullopt, {"a", "b"}));
  EXPECT_EQ(RegisterError(t),
            "module type \"t\": param \"c\": default: expected one of \"a\", \"b\", got \"zzz\"");

  t = SimpleType("t");
  t.params.push_back(MakeParam("b", ParamType::kBool, Value(false), 0.0));
  EXPECT_EQ(RegisterError(t), "module type \"t\": param \"b\": bounds given for a bool param");

  t = SimpleType("t");
  t.params.push_back(MakeParam("", ParamType::kBool, Value(false)));
  EXPECT_EQ(RegisterError(t), "module type \"t\": a param has no name");

  EXPECT_EQ(RegisterError(SimpleType("")), "module type without a name");
  EXPECT_EQ(RegisterError(SimpleType("ok")), "");
}

TEST(ModuleRegistryTest, DefaultsAreStoredCoerced) {
  ModuleRegistry registry;
  ModuleType t = SimpleType("t");
  t.params.push_back(MakeParam("f", ParamType::kFloat, Value(1)));
  t.params.push_back(MakeParam("i", ParamType::kInt, Value(3.0)));
  registry.Register(t);
  EXPECT_EQ(registry.Find("t")->FindParam("f")->default_value, Value(1.0));
  EXPECT_EQ(registry.Find("t")->FindParam("i")->default_value, Value(3));
}

TEST(ModuleRegistryTest, BuiltinsHoldNoopAndCommand) {
  ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  const ModuleType* noop = registry.Find("noop");
  ASSERT_NE(noop, nullptr);
  EXPECT_FALSE(noop->free_form);
  EXPECT_NE(noop->help.find("test"), std::string::npos);
  ASSERT_NE(noop->FindParam("sleep_ms"), nullptr);
  EXPECT_EQ(noop->FindParam("sleep_ms")->default_value, Value(0.0));
  EXPECT_EQ(noop->FindParam("payload_bytes")->default_value, Value(0));
  EXPECT_EQ(noop->FindParam("fail")->default_value, Value(false));
  EXPECT_TRUE(noop->FindParam("value")->default_value.is_null());
  ASSERT_NE(noop->FindInput("in3"), nullptr);
  EXPECT_TRUE(noop->FindInput("in3")->optional);
  EXPECT_NE(noop->FindOutput("payload"), nullptr);
  EXPECT_TRUE(static_cast<bool>(noop->run));

  const ModuleType* command = registry.Find(kCommandTypeName);
  ASSERT_NE(command, nullptr);
  EXPECT_TRUE(command->free_form);
  EXPECT_TRUE(command->isolate_by_default);
  EXPECT_TRUE(static_cast<bool>(command->run));  // runs its program (canvas/command_exec.h)
}

// A TaskContext over plain maps.
class FakeContext : public TaskContext {
 public:
  Dict params_;
  std::map<std::string, Value, std::less<>> inputs_;
  std::map<std::string, Value> outputs_;
  double cpus_ = 1;
  std::vector<int> gpus_;
  std::string combo_ = "c0", dir_;
  std::ostringstream log_;

  const Dict& params() const override { return params_; }
  const Value& input(std::string_view port) const override {
    auto it = inputs_.find(port);
    if (it == inputs_.end()) throw std::out_of_range("input");
    return it->second;
  }
  bool has_input(std::string_view port) const override {
    return inputs_.find(port) != inputs_.end();
  }
  void set_output(const std::string& port, Value value) override {
    outputs_[port] = std::move(value);
  }
  double num_cpus() const override { return cpus_; }
  const std::vector<int>& gpu_ids() const override { return gpus_; }
  const std::string& combo_id() const override { return combo_; }
  const std::string& work_dir() const override { return dir_; }
  const std::string& canvas_dir() const override { return dir_; }
  std::vector<std::string> input_ports() const override { return {}; }
  const std::vector<int>& physical_gpu_ids() const override { return gpus_; }
  double timeout_s() const override { return 0; }
  std::ostream& log() override { return log_; }
};

template <typename F>
std::string InvalidArgument(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(TaskContextTest, TypedAccessors) {
  FakeContext ctx;
  ctx.params_ = {{"i", Value(4)},
                 {"f", Value(0.5)},
                 {"s", Value("abc")},
                 {"b", Value(true)},
                 {"g", Value(6.0)}};
  EXPECT_EQ(ctx.int_param("i"), 4);
  EXPECT_EQ(ctx.int_param("g"), 6);  // an integral double reads as an int
  EXPECT_DOUBLE_EQ(ctx.float_param("f"), 0.5);
  EXPECT_DOUBLE_EQ(ctx.float_param("i"), 4.0);
  EXPECT_EQ(ctx.string_param("s"), "abc");
  EXPECT_TRUE(ctx.bool_param("b"));
  EXPECT_EQ(ctx.param("s"), Value("abc"));
  EXPECT_EQ(InvalidArgument([&] { ctx.param("nope"); }), "param \"nope\" is not set");
  EXPECT_EQ(InvalidArgument([&] { ctx.int_param("f"); }),
            "param \"f\": expected int, got float 0.5");
  EXPECT_EQ(InvalidArgument([&] { ctx.string_param("i"); }),
            "param \"i\": expected string, got int 4");
  EXPECT_EQ(InvalidArgument([&] { ctx.bool_param("s"); }),
            "param \"s\": expected bool, got string \"abc\"");
  EXPECT_EQ(InvalidArgument([&] { ctx.float_param("b"); }),
            "param \"b\": expected float, got bool true");
}

TEST(TaskContextTest, Threads) {
  FakeContext ctx;
  ctx.cpus_ = 0.25;
  EXPECT_EQ(ctx.threads(), 1);
  ctx.cpus_ = 2.5;
  EXPECT_EQ(ctx.threads(), 2);
  ctx.cpus_ = 8;
  EXPECT_EQ(ctx.threads(), 8);
}

TEST(NoopModuleTest, EchoesParamsAndEmitsPayload) {
  ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  const ModuleType* noop = registry.Find("noop");
  FakeContext ctx;
  ctx.params_ = {{"value", Value("v")},
                 {"sleep_ms", Value(20.0)},
                 {"fail", Value(false)},
                 {"payload_bytes", Value(5)}};
  ctx.inputs_ = {{"in", Value(1)}, {"in3", Value(2)}};
  const auto start = std::chrono::steady_clock::now();
  noop->run(ctx);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
  ASSERT_EQ(ctx.outputs_.count("out"), 1u);
  const Dict& out = ctx.outputs_["out"].as_dict();
  EXPECT_EQ(out.at("value"), Value("v"));
  EXPECT_EQ(out.at("payload_bytes"), Value(5));
  EXPECT_EQ(out.at("inputs"), Value(2));
  EXPECT_EQ(ctx.outputs_["payload"], Value(std::string(5, 'x')));
}

TEST(NoopModuleTest, FailsWhenAsked) {
  ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  FakeContext ctx;
  ctx.params_ = {{"value", Value()},
                 {"sleep_ms", Value(0.0)},
                 {"fail", Value(true)},
                 {"payload_bytes", Value(0)}};
  EXPECT_THROW(registry.Find("noop")->run(ctx), std::runtime_error);
  EXPECT_TRUE(ctx.outputs_.empty());
}

}  // namespace
}  // namespace fai
