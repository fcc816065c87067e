#include "canvas/modules/random_forest.h"

#include <gtest/gtest.h>

#include <cmath>

#include "canvas/modules/quant_test_util.h"
#include "canvas/modules/rng.h"

namespace fai::quant {
namespace {

using testing::BitIdentical;
using testing::ErrorOf;
using testing::Numbers;
using testing::RunModule;

// x0..x4 uniform in [0, 1]; y = sin(2 pi x0) + 2 x1^2 + x2 x3 (x4 plays no part); no noise.
Table NoiselessTable(size_t rows, uint64_t seed) {
  Rng rng(seed);
  std::vector<std::vector<double>> x(5, std::vector<double>(rows));
  std::vector<double> y(rows);
  for (size_t r = 0; r < rows; ++r) {
    for (auto& column : x) column[r] = rng.Uniform();
    y[r] = std::sin(2 * M_PI * x[0][r]) + 2 * x[1][r] * x[1][r] + x[2][r] * x[3][r];
  }
  Table t;
  for (size_t f = 0; f < x.size(); ++f) t.AddColumn("x" + std::to_string(f), std::move(x[f]));
  t.AddColumn("label", std::move(y));
  return t;
}

double RSquared(const std::vector<double>& prediction, const std::vector<double>& truth) {
  double mean = 0;
  for (double v : truth) mean += v / static_cast<double>(truth.size());
  double residual = 0, total = 0;
  for (size_t r = 0; r < truth.size(); ++r) {
    residual += (truth[r] - prediction[r]) * (truth[r] - prediction[r]);
    total += (truth[r] - mean) * (truth[r] - mean);
  }
  return 1 - residual / total;
}

std::vector<std::string> FeatureNames() { return {"x0", "x1", "x2", "x3", "x4"}; }

RandomForest::Columns Columns(const Table& t) {
  RandomForest::Columns columns;
  for (const std::string& name : FeatureNames()) columns.push_back(&Numbers(t, name));
  return columns;
}

TEST(RandomForestTest, FitsANoiselessFunctionOnHeldOutRows) {
  const Table train = NoiselessTable(20000, 1), test = NoiselessTable(5000, 2);
  ForestOptions options;
  options.trees = 20;
  options.min_samples_per_leaf = 3;
  options.seed = 11;
  const RandomForest forest =
      RandomForest::Fit(FeatureNames(), Columns(train), Numbers(train, "label"), options, 2);
  const double r2 = RSquared(forest.Predict(Columns(test), 2), Numbers(test, "label"));
  EXPECT_GE(r2, 0.95);
  // The irrelevant feature x4 earns almost nothing; shares sum to 1.
  const std::vector<double> importance = forest.Importances();
  double sum = 0;
  for (double v : importance) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_LT(importance[4], 0.02);
  EXPECT_GT(importance[0], importance[4] * 10);
}

TEST(RandomForestTest, ModuleResultsAreBitIdenticalForAnyThreadCount) {
  const Table train = NoiselessTable(6000, 3), test = NoiselessTable(2000, 4);
  const Dict params = {{"iterations", Value(7)},
                       {"min_samples_per_leaf", Value(5)},
                       {"feature_fraction", Value(0.6)},
                       {"row_fraction", Value(0.8)},
                       {"seed", Value(5)}};
  std::vector<Value> models, predictions;
  for (double cpus : {1.0, 2.0, 4.0}) {
    auto fit = RunModule("ml.random_forest", params, {{"train", Value(train)}}, cpus);
    auto predicted =
        RunModule("ml.predict", {}, {{"model", fit["model"]}, {"data", Value(test)}}, cpus);
    models.push_back(fit["model"]);
    predictions.push_back(predicted["predictions"]);
  }
  for (size_t k = 1; k < models.size(); ++k) {
    EXPECT_EQ(models[k].as_blob().bytes, models[0].as_blob().bytes)
        << "threads differ at run " << k;
    EXPECT_TRUE(BitIdentical(Numbers(predictions[k].as_table(), "prediction"),
                             Numbers(predictions[0].as_table(), "prediction")));
  }
  // A different seed gives a different forest.
  Dict other = params;
  other["seed"] = Value(6);
  EXPECT_NE(
      RunModule("ml.random_forest", other, {{"train", Value(train)}})["model"].as_blob().bytes,
      models[0].as_blob().bytes);
}

TEST(RandomForestTest, ModuleOutputsBlobImportancesAndPredictionsWithLabel) {
  Table train = NoiselessTable(3000, 5);
  train.AddColumn("date", std::vector<std::string>(train.rows(), "2020-01-02"));
  auto fit = RunModule("ml.random_forest", {{"iterations", Value(3)}}, {{"train", Value(train)}});
  EXPECT_EQ(fit["model"].as_blob().type, "fai.random_forest/1");
  const Dict& importances = fit["importances"].as_dict();
  EXPECT_EQ(importances.size(), 5u);  // x0..x4: numeric columns but the label
  EXPECT_EQ(importances.count("label"), 0u);
  auto predicted = RunModule("ml.predict", {}, {{"model", fit["model"]}, {"data", Value(train)}});
  const Table& table = predicted["predictions"].as_table();
  EXPECT_EQ(table.names, (std::vector<std::string>{"date", "prediction", "label"}));
  EXPECT_GT(predicted["metrics"].as_dict().at("r2").as_double(), 0.8);
  auto metrics_only = RunModule("ml.predict", {{"table", Value(false)}},
                                {{"model", fit["model"]}, {"data", Value(train)}});
  EXPECT_EQ(metrics_only.count("predictions"), 0u);
  EXPECT_EQ(metrics_only["metrics"], predicted["metrics"]);
}

TEST(RandomForestTest, BlobRoundTripsAndDamageIsDetected) {
  const Table train = NoiselessTable(2000, 6);
  ForestOptions options;
  options.trees = 4;
  RandomForest forest =
      RandomForest::Fit(FeatureNames(), Columns(train), Numbers(train, "label"), options, 1);
  forest.set_label("label");
  const Blob blob = forest.ToBlob();
  const RandomForest back = RandomForest::FromBlob(blob);
  EXPECT_EQ(back.label(), "label");
  EXPECT_EQ(back.feature_names(), FeatureNames());
  EXPECT_TRUE(BitIdentical(back.Predict(Columns(train), 1), forest.Predict(Columns(train), 1)));
  Blob truncated = blob;
  truncated.bytes.resize(blob.bytes.size() / 2);
  EXPECT_NE(ErrorOf([&] { RandomForest::FromBlob(truncated); }).find("truncated or damaged"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              RandomForest::FromBlob(Blob{"other/1", blob.bytes});
            }).find("fai.random_forest/1"),
            std::string::npos);
}

TEST(RandomForestTest, DepthAndLeafLimitsHold) {
  const Table train = NoiselessTable(2000, 7);
  ForestOptions options;
  options.trees = 3;
  options.max_depth = 1;
  RandomForest stumps =
      RandomForest::Fit(FeatureNames(), Columns(train), Numbers(train, "label"), options, 1);
  EXPECT_EQ(stumps.num_nodes(), 3u * 3u);  // a root and two leaves per tree
  options.max_depth = 0;
  options.min_samples_per_leaf = 1001;  // no split leaves both sides >= 1001 of 2000 rows
  options.bootstrap = false;
  RandomForest single =
      RandomForest::Fit(FeatureNames(), Columns(train), Numbers(train, "label"), options, 1);
  EXPECT_EQ(single.num_nodes(), 3u);
  double mean = 0;
  for (double v : Numbers(train, "label")) mean += v;
  mean /= static_cast<double>(train.rows());
  EXPECT_NEAR(single.Predict(Columns(train), 1)[0], mean, 1e-12);
}

TEST(RandomForestTest, RejectsNonFiniteValuesNamingTheFeature) {
  Table train = NoiselessTable(100, 8);
  std::get<std::vector<double>>(train.columns[2])[17] = std::nan("");
  const std::string error = ErrorOf([&] {
    RunModule("ml.random_forest", {}, {{"train", Value(train)}});
  });
  EXPECT_NE(error.find("feature \"x2\" is not finite at row 17"), std::string::npos) << error;
  EXPECT_NE(ErrorOf([&] {
              RunModule("ml.random_forest", {{"label", Value("nope")}}, {{"train", Value(train)}});
            }).find("no column \"nope\""),
            std::string::npos);
}

}  // namespace
}  // namespace fai::quant
