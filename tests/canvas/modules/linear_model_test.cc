#include "canvas/modules/linear_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "canvas/modules/quant_test_util.h"
#include "canvas/modules/rng.h"

namespace fai::quant {
namespace {

using testing::BitIdentical;
using testing::Numbers;
using testing::RunModule;

// y = 1 + 2 a - 3 b (+ noise * N(0, 1)); c is constant.
Table LinearTable(size_t rows, double noise) {
  Rng rng(3);
  std::vector<double> a(rows), b(rows), c(rows, 5.0), y(rows);
  for (size_t r = 0; r < rows; ++r) {
    a[r] = 10 * rng.Uniform();
    b[r] = rng.Normal();
    y[r] = 1 + 2 * a[r] - 3 * b[r] + noise * rng.Normal();
  }
  Table t;
  t.AddColumn("a", std::move(a));
  t.AddColumn("b", std::move(b));
  t.AddColumn("c", std::move(c));
  t.AddColumn("label", std::move(y));
  return t;
}

TEST(LinearModelTest, RecoversExactCoefficients) {
  auto out =
      RunModule("ml.linear", {{"alpha", Value(0.0)}}, {{"train", Value(LinearTable(500, 0))}});
  const Dict& coefficients = out["coefficients"].as_dict();
  EXPECT_NEAR(coefficients.at("a").as_double(), 2, 1e-9);
  EXPECT_NEAR(coefficients.at("b").as_double(), -3, 1e-9);
  EXPECT_EQ(coefficients.at("c").as_double(), 0);  // constant: no information
  EXPECT_NEAR(coefficients.at("intercept").as_double(), 1, 1e-9);
  auto predicted =
      RunModule("ml.predict", {}, {{"model", out["model"]}, {"data", Value(LinearTable(10, 0))}});
  EXPECT_NEAR(predicted["metrics"].as_dict().at("r2").as_double(), 1, 1e-12);
}

TEST(LinearModelTest, PenaltyShrinksCoefficients) {
  const Table t = LinearTable(500, 1);
  const double plain =
      RunModule("ml.linear", {{"alpha", Value(0.0)}}, {{"train", Value(t)}})["coefficients"]
          .as_dict()
          .at("a")
          .as_double();
  const double shrunk =
      RunModule("ml.linear", {{"alpha", Value(1.0)}}, {{"train", Value(t)}})["coefficients"]
          .as_dict()
          .at("a")
          .as_double();
  EXPECT_GT(plain, 1.9);
  EXPECT_LT(shrunk, 0.8 * plain);
  EXPECT_GT(shrunk, 0);
}

TEST(LinearModelTest, BitIdenticalForAnyThreadCount) {
  const Table t = LinearTable(50000, 1);  // several row blocks
  const Value one = RunModule("ml.linear", {}, {{"train", Value(t)}}, 1)["model"];
  const Value four = RunModule("ml.linear", {}, {{"train", Value(t)}}, 4)["model"];
  EXPECT_EQ(one.as_blob().bytes, four.as_blob().bytes);
  const RidgeModel model = RidgeModel::FromBlob(one.as_blob());
  EXPECT_EQ(model.label(), "label");
  EXPECT_TRUE(
      BitIdentical(model.Predict({&Numbers(t, "a"), &Numbers(t, "b"), &Numbers(t, "c")}, 1),
                   model.Predict({&Numbers(t, "a"), &Numbers(t, "b"), &Numbers(t, "c")}, 3)));
}

}  // namespace
}  // namespace fai::quant
