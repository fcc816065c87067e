// A registry for canvas tests: the built-ins plus small stand-ins for the seed example's types.
#ifndef FAI_TESTS_CANVAS_CANVAS_TEST_UTIL_H_
#define FAI_TESTS_CANVAS_CANVAS_TEST_UTIL_H_

#include <optional>
#include <string>
#include <vector>

#include "canvas/builtin_modules.h"
#include "fai/module.h"

namespace fai::testing {

inline ParamSpec MakeParam(std::string name, ParamType type, Value default_value,
                           std::optional<double> min = std::nullopt,
                           std::optional<double> max = std::nullopt,
                           std::vector<std::string> choices = {}) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.min = min;
  p.max = max;
  p.choices = std::move(choices);
  return p;
}

inline ModuleRegistry MakeTestRegistry() {
  ModuleRegistry registry;
  RegisterCoreModules(registry);
  RegisterCommandModule(registry);
  auto noop_run = [](TaskContext&) {};

  ModuleType market;
  market.name = "market.synthetic";
  market.params = {MakeParam("start_date", ParamType::kString, Value()),
                   MakeParam("end_date", ParamType::kString, Value("2022-12-31")),
                   MakeParam("instruments", ParamType::kInt, Value(100), 1.0, 10000.0),
                   MakeParam("seed", ParamType::kInt, Value(0))};
  market.outputs = {{"data", "prices", false}};
  market.run = noop_run;
  registry.Register(market);

  ModuleType features;
  features.name = "features.basic";
  features.params = {
      MakeParam("windows", ParamType::kIntList, Value(List{Value(5), Value(10)}), 1.0)};
  features.inputs = {{"data", "prices", false}};
  features.outputs = {{"features", "a table", false}};
  features.run = noop_run;
  registry.Register(features);

  ModuleType forest;
  forest.name = "ml.random_forest";
  forest.params = {MakeParam("iterations", ParamType::kInt, Value(10), 1.0, 1000.0),
                   MakeParam("min_samples_per_leaf", ParamType::kInt, Value(100), 1.0),
                   MakeParam("criterion", ParamType::kString, Value("mse"), std::nullopt,
                             std::nullopt, {"mse", "mae"}),
                   MakeParam("feature_fraction", ParamType::kFloat, Value(1), 0.0, 1.0)};
  forest.inputs = {{"train", "training table", false}, {"valid", "validation table", true}};
  forest.outputs = {{"model", "the forest", false}, {"predictions", "a table", false}};
  forest.default_resources.num_cpus = 2;
  forest.run = noop_run;
  registry.Register(forest);

  ModuleType topk;
  topk.name = "backtest.topk";
  topk.params = {MakeParam("top_k", ParamType::kInt, Value(20), 1.0, 1000.0)};
  topk.inputs = {{"predictions", "", false}, {"data", "", false}};
  topk.outputs = {{"metrics", "", false}};
  topk.run = noop_run;
  registry.Register(topk);
  return registry;
}

}  // namespace fai::testing

#endif  // FAI_TESTS_CANVAS_CANVAS_TEST_UTIL_H_
