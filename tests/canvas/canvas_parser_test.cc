#include "canvas/canvas_parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "canvas_test_util.h"

namespace fai {
namespace {

class CanvasParserTest : public ::testing::Test {
 protected:
  Result<Canvas> Parse(const std::string& text) {
    return ParseCanvas(text, "canvas.json", registry_);
  }

  // The error message of a canvas that must not parse.
  std::string Errors(const std::string& text) {
    Result<Canvas> r = Parse(text);
    EXPECT_FALSE(r.ok()) << "parsed although invalid: " << text;
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
    return r.status().message();
  }

  // The errors of a canvas with these module entries (a JSON list's contents).
  std::string ModuleErrors(const std::string& modules) {
    return Errors(R"({"version": 1, "name": "t", "modules": [)" + modules + "]}");
  }

  Canvas MustParse(const std::string& text) {
    Result<Canvas> r = Parse(text);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : Canvas();
  }

  ModuleRegistry registry_ = testing::MakeTestRegistry();
};

const char kSeedCanvas[] = R"({
  "version": 1,
  "name": "rf_strategy",
  "description": "the seed example, cut down",
  "modules": [
    {"id": "m1",  "type": "market.synthetic", "params": {"start_date": "2019-01-01", "instruments": 300, "seed": 7}},
    {"id": "m3",  "type": "features.basic",   "inputs": {"data": "m1.data"}, "params": {"windows": [5, 10.0, 20]}},
    {"id": "m12", "type": "ml.random_forest", "inputs": {"train": "m3.features"},
     "params": {"iterations": 10.0, "min_samples_per_leaf": 100},
     "resources": {"num_gpus": 0.25, "memory": "4G"}, "timeout": "5m", "retries": 2, "retry_on_error": true,
     "label": "forest"},
    {"id": "m15", "type": "backtest.topk",    "inputs": {"predictions": "m12.predictions", "data": "m1.data"},
     "params": {"top_k": 20}, "resources": {"num_cpus": 0.5}, "isolation": "process"}
  ]
})";

TEST_F(CanvasParserTest, ValidCanvasWithDefaultsFilled) {
  Canvas c = MustParse(kSeedCanvas);
  EXPECT_EQ(c.name, "rf_strategy");
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.path, "canvas.json");
  EXPECT_EQ(c.source_text, kSeedCanvas);
  EXPECT_TRUE(c.plugins.empty());
  ASSERT_EQ(c.ModuleIds(), (std::vector<std::string>{"m1", "m3", "m12", "m15"}));

  const ModuleInstance& m1 = c.modules[0];
  EXPECT_EQ(m1.type, registry_.Find("market.synthetic"));
  EXPECT_EQ(m1.params, (Dict{{"start_date", Value("2019-01-01")},
                             {"end_date", Value("2022-12-31")},
                             {"instruments", Value(300)},
                             {"seed", Value(7)}}));
  EXPECT_TRUE(m1.inputs.empty());
  EXPECT_DOUBLE_EQ(m1.resources.num_cpus, 1);
  EXPECT_FALSE(m1.isolate);

  EXPECT_EQ(c.modules[1].params.at("windows"), Value(List{Value(5), Value(10), Value(20)}));

  const ModuleInstance& m12 = *c.Find("m12");
  EXPECT_EQ(m12.params, (Dict{{"iterations", Value(10)},
                              {"min_samples_per_leaf", Value(100)},
                              {"criterion", Value("mse")},
                              {"feature_fraction", Value(1.0)}}));
  EXPECT_DOUBLE_EQ(m12.resources.num_cpus, 2);  // the type's default
  EXPECT_DOUBLE_EQ(m12.resources.num_gpus, 0.25);
  EXPECT_EQ(m12.resources.memory_bytes, 4ull << 30);
  EXPECT_DOUBLE_EQ(m12.timeout_s, 300);
  EXPECT_EQ(m12.retries, 2);
  EXPECT_TRUE(m12.retry_on_error);
  ASSERT_EQ(m12.inputs.size(), 1u);
  EXPECT_EQ(m12.inputs[0].port, "train");
  EXPECT_EQ(m12.inputs[0].module, "m3");
  EXPECT_EQ(m12.inputs[0].output, "features");

  const ModuleInstance& m15 = c.modules[3];
  ASSERT_EQ(m15.inputs.size(), 2u);  // sorted by port
  EXPECT_EQ(m15.inputs[0].port, "data");
  EXPECT_EQ(m15.inputs[0].module, "m1");
  EXPECT_EQ(m15.inputs[1].port, "predictions");
  EXPECT_EQ(m15.inputs[1].module, "m12");
  EXPECT_DOUBLE_EQ(m15.resources.num_cpus, 0.5);
  EXPECT_TRUE(m15.isolate);
  EXPECT_EQ(m15.timeout_s, 0);
  EXPECT_EQ(m15.retries, 0);

  EXPECT_EQ(c.TopologicalOrder(), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(c.Predecessors()[3], (std::vector<int>{0, 2}));
}

TEST_F(CanvasParserTest, NoopWithoutParamsGetsDefaults) {
  Canvas c = MustParse(R"({"version": 1, "name": "n", "modules": [{"id": "a", "type": "noop"}]})");
  ASSERT_EQ(c.modules.size(), 1u);
  EXPECT_EQ(c.modules[0].params, (Dict{{"value", Value()},
                                       {"sleep_ms", Value(0.0)},
                                       {"fail", Value(false)},
                                       {"payload_bytes", Value(0)}}));
}

TEST_F(CanvasParserTest, NameDefaultsToTheFileStem) {
  Canvas c = MustParse(R"({"version": 1, "modules": [{"id": "a", "type": "noop"}]})");
  EXPECT_EQ(c.name, "canvas");
}

TEST_F(CanvasParserTest, MalformedJsonGivesLineAndColumn) {
  const std::string text =
      "{\n  \"version\": 1,\n  \"modules\": [\n    {\"id\": \"m1\",, \"type\": \"noop\"}\n  ]\n}\n";
  const std::string message = Errors(text);
  EXPECT_EQ(
      message.rfind("canvas.json:4:17: malformed JSON: syntax error while parsing object key", 0),
      0u)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST_F(CanvasParserTest, MalformedJsonLineColumnAgreesWithNlohmann) {
  for (const std::string text : {"{\"version\": 1,\n\"modules\": [1, 2,]}", "{\n\n   nope}",
                                 "{\"a\": 1", "[\n{\"x\": tru}]"}) {
    const std::string message = Errors(text);
    std::smatch ours;
    ASSERT_TRUE(std::regex_search(message, ours,
                                  std::regex("^canvas\\.json:(\\d+):(\\d+): malformed JSON: ")))
        << message;
    std::smatch theirs;
    try {
      nlohmann::json parsed = nlohmann::json::parse(text);
      ADD_FAILURE() << "nlohmann parsed " << parsed.dump();
    } catch (const nlohmann::json::parse_error& e) {
      const std::string what = e.what();
      ASSERT_TRUE(std::regex_search(what, theirs, std::regex("line (\\d+), column (\\d+)")))
          << what;
      EXPECT_EQ(ours[1].str(), theirs[1].str()) << message << " vs " << what;
      EXPECT_EQ(ours[2].str(), theirs[2].str()) << message << " vs " << what;
    }
  }
}

TEST_F(CanvasParserTest, TopLevelMustBeAnObject) {
  EXPECT_EQ(Errors("[1, 2]"),
            "canvas.json: expected a JSON object with \"version\" and \"modules\" at the top "
            "level, got a list");
}

TEST_F(CanvasParserTest, UnknownTopLevelKey) {
  EXPECT_EQ(Errors(R"({"version": 1, "names": "x", "modules": [{"id": "a", "type": "noop"}]})"),
            "canvas.json: names: unknown top-level key; did you mean \"name\"?");
  EXPECT_EQ(Errors(R"({"version": 1, "modul": [{"id": "a", "type": "noop"}]})"),
            "canvas.json: modul: unknown top-level key; did you mean \"modules\"?\n"
            "canvas.json: modules: missing (a non-empty list of module entries)");
  EXPECT_EQ(Errors(R"({"version": 1, "zzzzzz": 1, "modules": [{"id": "a", "type": "noop"}]})"),
            "canvas.json: zzzzzz: unknown top-level key (expected \"version\", \"name\", "
            "\"description\", "
            "\"plugins\", \"modules\")");
}

TEST_F(CanvasParserTest, VersionNameAndPlugins) {
  EXPECT_EQ(Errors(R"({"modules": [{"id": "a", "type": "noop"}]})"),
            "canvas.json: version: missing (expected 1)");
  EXPECT_EQ(Errors(R"({"version": 2, "modules": [{"id": "a", "type": "noop"}]})"),
            "canvas.json: version: expected 1, got int 2");
  EXPECT_EQ(Errors(R"({"version": 1, "name": 3, "modules": [{"id": "a", "type": "noop"}]})"),
            "canvas.json: name: expected a non-empty string, got int 3");
  EXPECT_EQ(
      Errors(
          R"({"version": 1, "plugins": ["libx.so", 4], "modules": [{"id": "a", "type": "noop"}]})"),
      "canvas.json: plugins[1]: expected a shared library path (a non-empty string), got int 4");
  Canvas c = MustParse(
      R"({"version": 1, "plugins": ["libx.so"], "modules": [{"id": "a", "type": "noop"}]})");
  EXPECT_EQ(c.plugins, (std::vector<std::string>{"libx.so"}));
}

TEST_F(CanvasParserTest, ModulesMustBeANonEmptyList) {
  EXPECT_EQ(Errors(R"({"version": 1, "modules": []})"),
            "canvas.json: modules: expected a non-empty list of module entries, got an empty list");
  EXPECT_EQ(Errors(R"({"version": 1})"),
            "canvas.json: modules: missing (a non-empty list of module entries)");
  EXPECT_EQ(ModuleErrors(R"("m1")"),
            "canvas.json: modules[0]: expected a module entry (an object), got string \"m1\"");
}

TEST_F(CanvasParserTest, UnknownModuleKey) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop", "param": {}})"),
            "canvas.json: module \"m1\": param: unknown key; did you mean \"params\"?");
}

TEST_F(CanvasParserTest, IdProblems) {
  EXPECT_EQ(ModuleErrors(R"({"type": "noop"})"), "canvas.json: modules[0]: id: missing");
  EXPECT_EQ(ModuleErrors(R"({"id": 3, "type": "noop"})"),
            "canvas.json: modules[0]: id: expected a string, got int 3");
  EXPECT_EQ(ModuleErrors(R"({"id": "m.1", "type": "noop"})"),
            "canvas.json: modules[0]: id: invalid id \"m.1\" (must be non-empty, without '.' or "
            "whitespace)");
  EXPECT_EQ(ModuleErrors(R"({"id": "a b", "type": "noop"})"),
            "canvas.json: modules[0]: id: invalid id \"a b\" (must be non-empty, without '.' or "
            "whitespace)");
  EXPECT_EQ(ModuleErrors(R"({"id": "", "type": "noop"})"),
            "canvas.json: modules[0]: id: invalid id \"\" (must be non-empty, without '.' or "
            "whitespace)");
}

TEST_F(CanvasParserTest, DuplicateId) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop"}, {"id": "m4", "type": "noop"},
                            {"id": "m2", "type": "noop"}, {"id": "m4", "type": "noop"})"),
            "canvas.json: modules[3]: duplicate id \"m4\" (first at modules[1])");
}

TEST_F(CanvasParserTest, UnknownType) {
  EXPECT_EQ(
      ModuleErrors(R"({"id": "m1", "type": "ml.random_forrest"})"),
      "canvas.json: module \"m1\": type: unknown module type \"ml.random_forrest\"; did you mean "
      "\"ml.random_forest\"?");
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "quantum.annealer"})"),
            "canvas.json: module \"m1\": type: unknown module type \"quantum.annealer\" (see "
            "`fai-sweep modules` "
            "for the types)");
  EXPECT_EQ(ModuleErrors(R"({"id": "m1"})"),
            "canvas.json: module \"m1\": type: missing (see `fai-sweep modules` for the types)");
}

TEST_F(CanvasParserTest, UnknownParam) {
  EXPECT_EQ(
      ModuleErrors(R"({"id": "m1", "type": "market.synthetic", "params": {"start_date": "2019"}},
                            {"id": "m12", "type": "ml.random_forest", "inputs": {"train": "m1.data"},
                             "params": {"iteratons": 10}})"),
      "canvas.json: module \"m12\" (ml.random_forest): params.iteratons: unknown param; did you "
      "mean "
      "\"iterations\"?");
  EXPECT_EQ(
      ModuleErrors(
          R"({"id": "m1", "type": "backtest.topk", "inputs": {"predictions": "m0.x", "data": "m0.y"},
                             "params": {"zzzzz": 1}}, {"id": "m0", "type": "noop"})"),
      "canvas.json: module \"m1\" (backtest.topk): params.zzzzz: unknown param (its params: "
      "\"top_k\")\n"
      "canvas.json: module \"m1\": inputs.data: module \"m0\" (noop) has no output \"y\" (its "
      "outputs: "
      "\"out\", \"payload\")\n"
      "canvas.json: module \"m1\": inputs.predictions: module \"m0\" (noop) has no output \"x\" "
      "(its "
      "outputs: \"out\", \"payload\")");
}

TEST_F(CanvasParserTest, ParamWrongTypeOrRange) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "market.synthetic",
                             "params": {"start_date": "2019", "instruments": 0, "seed": "seven"}})"),
            "canvas.json: module \"m1\" (market.synthetic): params.instruments: expected int in "
            "[1, 10000], got 0\n"
            "canvas.json: module \"m1\" (market.synthetic): params.seed: expected int, got string "
            "\"seven\"");
  EXPECT_EQ(
      ModuleErrors(R"({"id": "m1", "type": "noop", "params": {"sleep_ms": -1.5, "fail": "no"}})"),
      "canvas.json: module \"m1\" (noop): params.fail: expected bool, got string \"no\"\n"
      "canvas.json: module \"m1\" (noop): params.sleep_ms: expected float >= 0, got -1.5");
  EXPECT_EQ(ModuleErrors(R"({"id": "m0", "type": "market.synthetic", "params": {"start_date": "x"}},
                            {"id": "m12", "type": "ml.random_forest", "inputs": {"train": "m0.data"},
                             "params": {"criterion": "msa"}})"),
            "canvas.json: module \"m12\" (ml.random_forest): params.criterion: expected one of "
            "\"mse\", \"mae\", "
            "got \"msa\"; did you mean \"mse\"?");
  EXPECT_EQ(ModuleErrors(R"({"id": "m0", "type": "market.synthetic", "params": {"start_date": "x"}},
                            {"id": "m3", "type": "features.basic", "inputs": {"data": "m0.data"},
                             "params": {"windows": [5, 0]}})"),
            "canvas.json: module \"m3\" (features.basic): params.windows: element [1]: expected "
            "int >= 1, got 0");
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop", "params": [1]})"),
            "canvas.json: module \"m1\" (noop): params: expected an object, got a list");
}

TEST_F(CanvasParserTest, MissingRequiredParam) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "market.synthetic"})"),
            "canvas.json: module \"m1\" (market.synthetic): params.start_date: missing required "
            "param (string)");
}

TEST_F(CanvasParserTest, InputFromMissingModule) {
  EXPECT_EQ(
      ModuleErrors(
          R"({"id": "m1", "type": "noop"}, {"id": "m15", "type": "noop", "inputs": {"in": "m9.out"}})"),
      "canvas.json: module \"m15\": inputs.in: module \"m9\" does not exist; did you mean \"m1\"?");
  EXPECT_EQ(
      ModuleErrors(
          R"({"id": "load", "type": "noop"}, {"id": "m15", "type": "noop", "inputs": {"in": "xyz.out"}})"),
      "canvas.json: module \"m15\": inputs.in: module \"xyz\" does not exist");
}

TEST_F(CanvasParserTest, UnknownInputPort) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m0", "type": "market.synthetic", "params": {"start_date": "x"}},
                            {"id": "m3", "type": "features.basic", "inputs": {"dta": "m0.data"}})"),
            "canvas.json: module \"m3\": inputs.dta: features.basic has no input port \"dta\"; did "
            "you mean \"data\"?\n"
            "canvas.json: module \"m3\": inputs.data: required input of features.basic is not "
            "connected (add "
            "\"data\": \"<module>.<output>\")");
  EXPECT_EQ(ModuleErrors(R"({"id": "m0", "type": "market.synthetic", "params": {"start_date": "x"},
                             "inputs": {"x": "m1.out"}}, {"id": "m1", "type": "noop"})"),
            "canvas.json: module \"m0\": inputs.x: market.synthetic has no input port \"x\" (it "
            "takes no inputs)");
}

TEST_F(CanvasParserTest, UnknownProducerOutput) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "market.synthetic", "params": {"start_date": "x"}},
                            {"id": "m3", "type": "features.basic", "inputs": {"data": "m1.dat"}})"),
            "canvas.json: module \"m3\": inputs.data: module \"m1\" (market.synthetic) has no "
            "output \"dat\"; "
            "did you mean \"data\"?");
}

TEST_F(CanvasParserTest, MalformedInputReference) {
  EXPECT_EQ(
      ModuleErrors(
          R"({"id": "m1", "type": "noop"}, {"id": "m2", "type": "noop", "inputs": {"in": "m1", "in2": 4, "in3": ".out"}})"),
      "canvas.json: module \"m2\": inputs.in: expected \"module.output\", got string \"m1\"\n"
      "canvas.json: module \"m2\": inputs.in2: expected \"module.output\", got int 4\n"
      "canvas.json: module \"m2\": inputs.in3: expected \"module.output\", got string \".out\"");
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop", "inputs": ["m0.out"]})"),
            "canvas.json: module \"m1\": inputs: expected an object (port -> \"module.output\"), "
            "got a list");
}

TEST_F(CanvasParserTest, RequiredInputNotConnected) {
  EXPECT_EQ(
      ModuleErrors(
          R"({"id": "m15", "type": "backtest.topk", "inputs": {"data": "m15x.y"}}, {"id": "m15x", "type": "noop"})"),
      "canvas.json: module \"m15\": inputs.predictions: required input of backtest.topk is not "
      "connected (add "
      "\"predictions\": \"<module>.<output>\")\n"
      "canvas.json: module \"m15\": inputs.data: module \"m15x\" (noop) has no output \"y\" (its "
      "outputs: "
      "\"out\", \"payload\")");
}

TEST_F(CanvasParserTest, SelfInputIsACycle) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop", "inputs": {"in": "m1.out"}})"),
            "canvas.json: cycle: m1 -> m1");
}

TEST_F(CanvasParserTest, CycleIsPrintedAsAPath) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop"},
                            {"id": "m3", "type": "noop", "inputs": {"in": "m1.out", "in2": "m5.out"}},
                            {"id": "m5", "type": "noop", "inputs": {"in": "m3.out"}})"),
            "canvas.json: cycle: m3 -> m5 -> m3");
  // Starts at the module first in the file, in data-flow order.
  EXPECT_EQ(ModuleErrors(R"({"id": "c", "type": "noop", "inputs": {"in": "b.out"}},
                            {"id": "a", "type": "noop", "inputs": {"in": "c.out"}},
                            {"id": "b", "type": "noop", "inputs": {"in": "a.out"}})"),
            "canvas.json: cycle: c -> a -> b -> c");
}

TEST_F(CanvasParserTest, ResourceProblems) {
  EXPECT_EQ(
      ModuleErrors(R"({"id": "m1", "type": "noop",
                             "resources": {"num_cpus": 0, "num_gpus": 1.5, "memory": "4X", "gpus": 1}})"),
      "canvas.json: module \"m1\": resources.gpus: unknown resource; did you mean \"num_gpus\"?\n"
      "canvas.json: module \"m1\": resources.memory: expected a size such as \"512M\", \"4G\", "
      "\"1.5GiB\" or a "
      "number of bytes, got string \"4X\"\n"
      "canvas.json: module \"m1\": resources.num_cpus: expected a number > 0, got int 0\n"
      "canvas.json: module \"m1\": resources.num_gpus: a request above one GPU must be a whole "
      "number, got "
      "float 1.5");
  EXPECT_EQ(
      ModuleErrors(
          R"({"id": "m1", "type": "noop", "resources": {"num_gpus": -1, "num_cpus": "2"}})"),
      "canvas.json: module \"m1\": resources.num_cpus: expected a number > 0, got string \"2\"\n"
      "canvas.json: module \"m1\": resources.num_gpus: expected a number >= 0, got int -1");
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop", "resources": 2})"),
            "canvas.json: module \"m1\": resources: expected an object (num_cpus, num_gpus, "
            "memory), got int 2");
  Canvas c = MustParse(R"({"version": 1, "modules": [{"id": "m1", "type": "noop",
                           "resources": {"num_cpus": 0.25, "num_gpus": 2, "memory": 1048576}}]})");
  EXPECT_DOUBLE_EQ(c.modules[0].resources.num_cpus, 0.25);
  EXPECT_DOUBLE_EQ(c.modules[0].resources.num_gpus, 2);
  EXPECT_EQ(c.modules[0].resources.memory_bytes, 1048576u);
}

TEST_F(CanvasParserTest, RunOptionProblems) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop", "timeout": "5x", "retries": -1,
                             "retry_on_error": "yes", "isolation": "proces", "label": 3})"),
            "canvas.json: module \"m1\": timeout: expected a duration > 0 (seconds, or a string "
            "such as \"90s\", "
            "\"5m\", \"1h30m\"), got string \"5x\"\n"
            "canvas.json: module \"m1\": retries: expected int in [0, 1000], got -1\n"
            "canvas.json: module \"m1\": retry_on_error: expected bool, got string \"yes\"\n"
            "canvas.json: module \"m1\": isolation: expected one of \"process\", \"thread\", got "
            "\"proces\"; did you "
            "mean \"process\"?\n"
            "canvas.json: module \"m1\": label: expected a string, got int 3");
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop", "timeout": 0})"),
            "canvas.json: module \"m1\": timeout: expected a duration > 0 (seconds, or a string "
            "such as \"90s\", "
            "\"5m\", \"1h30m\"), got int 0");
  Canvas c = MustParse(
      R"({"version": 1, "modules": [{"id": "m1", "type": "noop", "timeout": 1.5, "retries": 3.0,
                           "isolation": "process"}]})");
  EXPECT_DOUBLE_EQ(c.modules[0].timeout_s, 1.5);
  EXPECT_EQ(c.modules[0].retries, 3);
  EXPECT_TRUE(c.modules[0].isolate);
}

TEST_F(CanvasParserTest, DuplicateJsonKeys) {
  EXPECT_EQ(
      ModuleErrors(R"({"id": "m1", "type": "noop", "params": {"sleep_ms": 1, "sleep_ms": 2}})"),
      "canvas.json: module \"m1\": params: duplicate key \"sleep_ms\"");
  EXPECT_EQ(Errors(R"({"version": 1, "version": 1, "modules": [{"id": "a", "type": "noop"}]})"),
            "canvas.json: duplicate key \"version\"");
}

const char kCommandCanvas[] = R"({
  "version": 1,
  "name": "cmd",
  "modules": [
    {"id": "m1", "type": "noop"},
    {"id": "m2", "type": "command", "inputs": {"data": "m1.out"},
     "params": {"argv": ["python3", "train.py", "--lr", "{lr}", "--data", "{inputs.data}"], "lr": 0.1,
                "env": {"OMP_NUM_THREADS": "2"}, "outputs": ["score", "model"]}},
    {"id": "m3", "type": "noop", "inputs": {"in": "m2.score"}}
  ]
})";

TEST_F(CanvasParserTest, CommandEntry) {
  Canvas c = MustParse(kCommandCanvas);
  const ModuleInstance& m2 = c.modules[1];
  EXPECT_EQ(m2.type->name, "command");
  EXPECT_TRUE(m2.isolate);
  EXPECT_EQ(m2.params.size(), 4u);  // exactly the entry's params, nothing filled in
  EXPECT_EQ(m2.params.at("lr"), Value(0.1));
  EXPECT_EQ(m2.OutputPorts(), (std::vector<std::string>{"score", "model"}));
  EXPECT_EQ(m2.SweepableParams(), (std::vector<std::string>{"lr"}));
  ASSERT_EQ(m2.inputs.size(), 1u);
  EXPECT_EQ(m2.inputs[0].port, "data");
}

TEST_F(CanvasParserTest, CommandProblemsNameTheModule) {
  EXPECT_EQ(ModuleErrors(R"({"id": "m1", "type": "noop"},
                            {"id": "m2", "type": "command", "inputs": {"data": "m1.out"},
                             "params": {"argv": ["python3", "--lr", "{lrr}", 3, "{inputs.dat}"], "lr": 0.1}})"),
            "canvas.json: module \"m2\" (command): params.argv[2]: unknown placeholder \"{lrr}\" "
            "(the entry has no "
            "param \"lrr\"); did you mean \"{lr}\"?\n"
            "canvas.json: module \"m2\" (command): params.argv[3]: expected a string, got int 3 "
            "(write it as a "
            "string: \"3\")\n"
            "canvas.json: module \"m2\" (command): params.argv[4]: unknown placeholder "
            "\"{inputs.dat}\" (no input "
            "\"dat\" is connected); did you mean \"{inputs.data}\"?");
  EXPECT_EQ(ModuleErrors(R"({"id": "m2", "type": "command", "params": {"lr": 0.1}})"),
            "canvas.json: module \"m2\" (command): params.argv: missing (a command needs the "
            "program and its "
            "arguments, e.g. [\"python3\", \"train.py\"])");
  EXPECT_EQ(
      ModuleErrors(
          R"({"id": "m2", "type": "command", "params": {"argv": ["x"]}, "isolation": "thread"})"),
      "canvas.json: module \"m2\": isolation: a command always runs in its own process (\"thread\" "
      "is not "
      "allowed)");
}

TEST_F(CanvasParserTest, CommandOutputsAreTheOnlyPortsOthersMayTake) {
  EXPECT_EQ(ModuleErrors(
                R"({"id": "m2", "type": "command", "params": {"argv": ["x"], "outputs": ["score"]}},
                            {"id": "m3", "type": "noop", "inputs": {"in": "m2.scores"}})"),
            "canvas.json: module \"m3\": inputs.in: module \"m2\" (command) has no output "
            "\"scores\"; did you mean "
            "\"score\"?");
  EXPECT_EQ(ModuleErrors(R"({"id": "m2", "type": "command", "params": {"argv": ["x"]}},
                            {"id": "m3", "type": "noop", "inputs": {"in": "m2.score"}})"),
            "canvas.json: module \"m3\": inputs.in: module \"m2\" (command) has no outputs (list "
            "them in its "
            "params.outputs)");
}

TEST_F(CanvasParserTest, CollectsEveryErrorAndSkipsDependentChecks) {
  const std::string message = ModuleErrors(R"(
    {"id": "m1", "type": "noop", "params": {"sleep_ms": -1}},
    {"id": "m2", "type": "no.such.type", "params": {"anything": 1}},
    {"id": "m3", "type": "noop", "inputs": {"in": "m2.whatever", "in2": "m1.out"}},
    {"id": "m1", "type": "noop"},
    {"id": "m4", "type": "noop", "retries": "x"})");
  EXPECT_EQ(message,
            "canvas.json: modules[3]: duplicate id \"m1\" (first at modules[0])\n"
            "canvas.json: module \"m1\" (noop): params.sleep_ms: expected float >= 0, got -1\n"
            "canvas.json: module \"m2\": type: unknown module type \"no.such.type\" (see "
            "`fai-sweep modules` for the "
            "types)\n"
            "canvas.json: module \"m4\": retries: expected int in [0, 1000], got string \"x\"");
}

TEST_F(CanvasParserTest, LoadCanvasReadsTheFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "fai_canvas_parser_test.json").string();
  {
    std::ofstream out(path);
    out << kCommandCanvas;
  }
  Result<Canvas> c = LoadCanvas(path, registry_);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->path, path);
  EXPECT_EQ(c->source_text, kCommandCanvas);
  {
    std::ofstream out(path);
    out << R"({"version": 1, "modules": [{"id": "a", "type": "nop"}]})";
  }
  Result<Canvas> bad = LoadCanvas(path, registry_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            path + ": module \"a\": type: unknown module type \"nop\"; did you mean \"noop\"?");
  std::remove(path.c_str());
}

TEST_F(CanvasParserTest, LoadCanvasMissingFile) {
  Result<Canvas> c = LoadCanvas("/nonexistent/dir/canvas.json", registry_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(
      c.status().message().rfind("/nonexistent/dir/canvas.json: cannot read the canvas file", 0),
      0u)
      << c.status().message();
}

}  // namespace
}  // namespace fai
