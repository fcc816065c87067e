#include "canvas/modules/quant_modules.h"

#include <gtest/gtest.h>

#include "canvas/modules/quant_test_util.h"

namespace fai::quant {
namespace {

const std::vector<std::string> kQuantTypes = {
    "backtest.topk",    "data.csv",           "data.dropna",    "data.hdf5",
    "data.join",        "data.split_by_date", "features.basic", "labels.forward_return",
    "market.synthetic", "ml.linear",          "ml.predict",     "ml.random_forest"};

TEST(QuantModulesTest, EveryTypeDeclaresTypedDocumentedBoundedParams) {
  // Register() itself rejects defaults outside their ranges, duplicate names and bad choices.
  ModuleRegistry registry;
  RegisterQuantModules(registry);
  EXPECT_EQ(registry.Names(), kQuantTypes);
  for (const std::string& name : registry.Names()) {
    const ModuleType* type = registry.Find(name);
    EXPECT_FALSE(type->help.empty()) << name;
    EXPECT_TRUE(static_cast<bool>(type->run)) << name;
    EXPECT_FALSE(type->outputs.empty()) << name;
    for (const ParamSpec& p : type->params) {
      EXPECT_FALSE(p.help.empty()) << name << "." << p.name;
      EXPECT_NE(p.type, ParamType::kAny) << name << "." << p.name;
      const bool numeric =
          p.type == ParamType::kInt || p.type == ParamType::kFloat || p.type == ParamType::kIntList;
      if (numeric) {
        EXPECT_TRUE(p.min.has_value() && p.max.has_value())
            << name << "." << p.name << " needs a range";
      }
    }
  }
  EXPECT_THROW(RegisterQuantModules(registry), std::invalid_argument);  // names are taken
}

TEST(QuantModulesTest, BuiltinsIncludeTheQuantLibrary) {
  const ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  for (const std::string& name : kQuantTypes) EXPECT_NE(registry.Find(name), nullptr) << name;
  EXPECT_EQ(registry.Find("ml.random_forest")->FindParam("iterations")->default_value, Value(10));
}

}  // namespace
}  // namespace fai::quant
