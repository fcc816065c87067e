// ml.linear: fits a RidgeModel (linear_model.h) on a table.
#include <string>
#include <vector>

#include "canvas/modules/linear_model.h"
#include "canvas/modules/panel.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"

namespace fai::quant {

namespace {

void RunLinear(TaskContext& ctx) {
  const Table& train = InputTable(ctx, "train");
  const std::string& label = ctx.string_param("label");
  const std::vector<std::string> features =
      SelectFeatures(train, StringListValue(ctx, "features"), label);
  RidgeModel model =
      RidgeModel::Fit(features, ColumnPointers(train, features), NumericColumn(train, label),
                      ctx.float_param("alpha"), ctx.bool_param("fit_intercept"), ctx.threads());
  model.set_label(label);
  Dict coefficients;
  for (size_t f = 0; f < features.size(); ++f)
    coefficients[features[f]] = Value(model.coefficients()[f]);
  coefficients["intercept"] = Value(model.intercept());
  ctx.set_output("model", Value(model.ToBlob()));
  ctx.set_output("coefficients", Value(std::move(coefficients)));
}

}  // namespace

void RegisterLinearModule(ModuleRegistry& registry) {
  ModuleType type;
  type.name = "ml.linear";
  type.help = "Ridge regression on standardised features (alpha is unit-free)";
  type.params = {
      StringParam("label", "label", "the column to predict"),
      StringListParam("features", {}, "feature columns; empty: every numeric column but the label"),
      FloatParam("alpha", 1.0, 0, 1e12,
                 "L2 penalty on the standardised coefficients (0: least squares)"),
      BoolParam("fit_intercept", true,
                "fit an intercept (else the features and label are not centred)"),
  };
  type.inputs = {{"train", "table with the feature columns and the label", false}};
  type.outputs = {
      {"model", "blob fai.linear/1 (ml.predict reads it)", false},
      {"coefficients", "dict: feature -> coefficient on the original scale, and intercept", false}};
  type.run = RunLinear;
  registry.Register(std::move(type));
}

}  // namespace fai::quant
