// ml.predict: applies a model blob (ml.random_forest or ml.linear) to a table.
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "canvas/modules/linear_model.h"
#include "canvas/modules/panel.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"
#include "canvas/modules/random_forest.h"

namespace fai::quant {

namespace {

struct ModelOutput {
  std::vector<double> prediction;
  std::string label;
};

ModelOutput PredictWithBlob(const Blob& blob, const Table& data, int threads) {
  if (blob.type == RandomForest::kBlobType) {
    const RandomForest forest = RandomForest::FromBlob(blob);
    return {forest.Predict(ColumnPointers(data, forest.feature_names()), threads), forest.label()};
  }
  if (blob.type == RidgeModel::kBlobType) {
    const RidgeModel model = RidgeModel::FromBlob(blob);
    return {model.Predict(ColumnPointers(data, model.feature_names()), threads), model.label()};
  }
  throw std::invalid_argument("input \"model\": unknown model type \"" + blob.type +
                              "\" (expected " + RandomForest::kBlobType + " or " +
                              RidgeModel::kBlobType + ")");
}

// R^2 and RMSE over the rows where both are finite.
Dict FitMetrics(const std::vector<double>& prediction, const std::vector<double>& label) {
  double sum = 0, count = 0;
  for (size_t r = 0; r < label.size(); ++r)
    if (std::isfinite(label[r]) && std::isfinite(prediction[r])) {
      sum += label[r];
      ++count;
    }
  double residual = 0, total = 0;
  const double mean = count > 0 ? sum / count : 0;
  for (size_t r = 0; r < label.size(); ++r)
    if (std::isfinite(label[r]) && std::isfinite(prediction[r])) {
      residual += (label[r] - prediction[r]) * (label[r] - prediction[r]);
      total += (label[r] - mean) * (label[r] - mean);
    }
  Dict metrics;
  metrics["r2"] = Value(total > 0 ? 1 - residual / total : std::nan(""));
  metrics["rmse"] = Value(count > 0 ? std::sqrt(residual / count) : std::nan(""));
  return metrics;
}

void RunPredict(TaskContext& ctx) {
  const Value& model = ctx.input("model");
  if (model.kind() != ValueKind::kBlob)
    throw std::invalid_argument(std::string("input \"model\": expected a model blob, got ") +
                                KindName(model.kind()));
  const Table& data = InputTable(ctx, "data");
  ModelOutput output = PredictWithBlob(model.as_blob(), data, ctx.threads());
  const bool has_label = !output.label.empty() && data.Find(output.label) >= 0;
  if (has_label)
    ctx.set_output("metrics",
                   Value(FitMetrics(output.prediction, NumericColumn(data, output.label))));
  if (!ctx.bool_param("table")) return;
  Table predictions;
  for (const char* key : {kDateColumn, kInstrumentColumn})
    if (data.Find(key) >= 0) predictions.AddColumn(key, TextColumn(data, key));
  predictions.AddColumn("prediction", std::move(output.prediction));
  if (has_label) predictions.AddColumn("label", NumericColumn(data, output.label));
  ctx.set_output("predictions", Value(std::move(predictions)));
}

}  // namespace

void RegisterPredictModule(ModuleRegistry& registry) {
  ModuleType type;
  type.name = "ml.predict";
  type.help = "Predictions of a fitted model (ml.random_forest, ml.linear) on a table";
  type.params = {BoolParam("table", true,
                           "emit the predictions table (false: only the metrics, e.g. in-sample)")};
  type.inputs = {{"model", "a model blob", false},
                 {"data", "table with the model's feature columns", false}};
  type.outputs = {
      {"predictions",
       "table: date, instrument, prediction, and label when the data has it (if table)", false},
      {"metrics", "dict: r2, rmse against the label (only when the data has it)", false}};
  type.run = RunPredict;
  registry.Register(std::move(type));
}

}  // namespace fai::quant
