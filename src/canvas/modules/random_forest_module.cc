// ml.random_forest: fits a RandomForest (random_forest.h) on a table.
#include <string>
#include <vector>

#include "canvas/modules/panel.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"
#include "canvas/modules/random_forest.h"

namespace fai::quant {

namespace {

void RunRandomForest(TaskContext& ctx) {
  const Table& train = InputTable(ctx, "train");
  const std::string& label = ctx.string_param("label");
  const std::vector<std::string> features =
      SelectFeatures(train, StringListValue(ctx, "features"), label);
  ForestOptions options;
  options.trees = static_cast<int>(ctx.int_param("iterations"));
  options.min_samples_per_leaf = static_cast<int>(ctx.int_param("min_samples_per_leaf"));
  options.max_depth = static_cast<int>(ctx.int_param("max_depth"));
  options.feature_fraction = ctx.float_param("feature_fraction");
  options.row_fraction = ctx.float_param("row_fraction");
  options.bootstrap = ctx.bool_param("bootstrap");
  options.max_bins = static_cast<int>(ctx.int_param("max_bins"));
  options.seed = static_cast<uint64_t>(ctx.int_param("seed"));
  RandomForest forest = RandomForest::Fit(features, ColumnPointers(train, features),
                                          NumericColumn(train, label), options, ctx.threads());
  forest.set_label(label);
  ctx.log() << "ml.random_forest: " << forest.num_trees() << " trees, " << forest.num_nodes()
            << " nodes, " << features.size() << " features, " << train.rows() << " rows, "
            << ctx.threads() << " threads\n";
  Dict importances;
  const std::vector<double> shares = forest.Importances();
  for (size_t f = 0; f < features.size(); ++f) importances[features[f]] = Value(shares[f]);
  ctx.set_output("model", Value(forest.ToBlob()));
  ctx.set_output("importances", Value(std::move(importances)));
}

}  // namespace

void RegisterRandomForestModule(ModuleRegistry& registry) {
  ModuleType type;
  type.name = "ml.random_forest";
  type.help = "Regression random forest with histogram-based splits; trees are built in parallel";
  type.params = {
      StringParam("label", "label", "the column to predict"),
      StringListParam("features", {}, "feature columns; empty: every numeric column but the label"),
      IntParam("iterations", 10, 1, 10000, "number of trees"),
      IntParam("min_samples_per_leaf", 20, 1, 1e9, "fewest distinct training rows in a leaf"),
      IntParam("max_depth", 0, 0, 64, "greatest depth of a leaf (1: stumps); 0: unlimited"),
      FloatParam("feature_fraction", 1.0, 0.001, 1.0, "share of the features tried at each split"),
      FloatParam("row_fraction", 1.0, 0.001, 1.0,
                 "rows drawn per tree, as a share of the train rows"),
      BoolParam("bootstrap", true, "draw rows with replacement (false: without)"),
      IntParam("max_bins", 255, 2, 255, "quantile bins per feature for split finding"),
      IntParam("seed", 0, 0, 9.0e15,
               "random seed of the row and feature draws (tree t uses stream t)"),
  };
  type.inputs = {{"train", "table with the feature columns and the label", false}};
  type.outputs = {
      {"model", "blob fai.random_forest/1 (ml.predict reads it)", false},
      {"importances", "dict: feature -> share of the total squared-error decrease", false}};
  type.run = RunRandomForest;
  registry.Register(std::move(type));
}

}  // namespace fai::quant
