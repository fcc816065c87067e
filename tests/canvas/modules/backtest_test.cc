#include "canvas/modules/backtest.h"

#include <gtest/gtest.h>

#include <cmath>

#include "canvas/modules/quant_test_util.h"

namespace fai::quant {
namespace {

using testing::ErrorOf;
using testing::Numbers;
using testing::RunModule;
using testing::Texts;

// Three instruments over four dates. Next-day returns:
//   A: +10%, -10%, -10%     B: 0, +10%, +10%     C: -5%, +5%, +10%
Table Prices() {
  Table t;
  t.AddColumn("date",
              std::vector<std::string>{"2021-01-04", "2021-01-04", "2021-01-04", "2021-01-05",
                                       "2021-01-05", "2021-01-05", "2021-01-06", "2021-01-06",
                                       "2021-01-06", "2021-01-07", "2021-01-07", "2021-01-07"});
  t.AddColumn("instrument",
              std::vector<std::string>{"A", "B", "C", "A", "B", "C", "A", "B", "C", "A", "B", "C"});
  t.AddColumn("close",
              std::vector<double>{100, 50, 20, 110, 50, 19, 99, 55, 19.95, 89.1, 60.5, 21.945});
  return t;
}

// Day 1 ranks A > B > C, day 2 B > C > A, day 3 A > C > B; day 4 has no next price.
Table Predictions() {
  Table t;
  t.AddColumn("date",
              std::vector<std::string>{"2021-01-04", "2021-01-04", "2021-01-04", "2021-01-05",
                                       "2021-01-05", "2021-01-05", "2021-01-06", "2021-01-06",
                                       "2021-01-06", "2021-01-07", "2021-01-07", "2021-01-07"});
  t.AddColumn("instrument",
              std::vector<std::string>{"C", "B", "A", "A", "B", "C", "A", "B", "C", "A", "B", "C"});
  t.AddColumn("prediction",
              std::vector<double>{0.1, 0.5, 0.9, 0.2, 0.8, 0.7, 0.9, 0.1, 0.8, 0.5, 0.5, 0.5});
  return t;
}

TEST(BacktestTest, MetricsMatchAHandComputedSeries) {
  auto out = RunModule("backtest.topk", {{"top_k", Value(2)}, {"cost_bps", Value(10.0)}},
                       {{"predictions", Value(Predictions())}, {"data", Value(Prices())}});
  // Day 1: hold A, B from cash: gross (0.10 + 0) / 2 = 0.05, traded 1.0, cost 0.001.
  // Day 2: A -> C: gross (0.10 + 0.05) / 2 = 0.075, traded 0.5 + 0.5 = 1.0.
  // Day 3: B -> A: gross (-0.10 + 0.10) / 2 = 0, traded 1.0.
  const std::vector<double> r = {0.049, 0.074, -0.001};
  const Table& equity = out["equity"].as_table();
  EXPECT_EQ(Texts(equity, "date"),
            (std::vector<std::string>{"2021-01-04", "2021-01-05", "2021-01-06"}));
  const std::vector<double>& daily = Numbers(equity, "daily_return");
  ASSERT_EQ(daily.size(), 3u);
  for (size_t t = 0; t < 3; ++t) EXPECT_NEAR(daily[t], r[t], 1e-12) << "day " << t;
  const double e2 = 1.049 * 1.074, e3 = 1.049 * 1.074 * 0.999;
  EXPECT_NEAR(Numbers(equity, "equity")[2], e3, 1e-12);

  const Dict& m = out["metrics"].as_dict();
  const double mean = (0.049 + 0.074 - 0.001) / 3;
  const double std = std::sqrt(
      (std::pow(0.049 - mean, 2) + std::pow(0.074 - mean, 2) + std::pow(-0.001 - mean, 2)) / 2);
  EXPECT_NEAR(m.at("total_return").as_double(), e3 - 1, 1e-12);
  EXPECT_NEAR(m.at("annual_return").as_double(), std::pow(e3, 252.0 / 3) - 1, 1e-9);
  EXPECT_NEAR(m.at("annual_volatility").as_double(), std * std::sqrt(252.0), 1e-12);
  EXPECT_NEAR(m.at("sharpe").as_double(), mean / std * std::sqrt(252.0), 1e-9);
  EXPECT_NEAR(m.at("max_drawdown").as_double(), 1 - e3 / e2, 1e-12);
  EXPECT_NEAR(m.at("turnover").as_double(), 0.5, 1e-12);
  EXPECT_NEAR(m.at("win_rate").as_double(), 2.0 / 3, 1e-12);
  // Daily rank ICs: 1, 1, and day 3 (predictions A .9, B .1, C .8; returns A -0.1, B 0.1, C 0.1)
  // -1.5 / sqrt(2 * 1.5).
  const double ic3 = -1.5 / std::sqrt(3.0), ic_mean = (2 + ic3) / 3;
  const double ic_std = std::sqrt((2 * std::pow(1 - ic_mean, 2) + std::pow(ic3 - ic_mean, 2)) / 2);
  EXPECT_NEAR(m.at("ic_mean").as_double(), ic_mean, 1e-12);
  EXPECT_NEAR(m.at("ic_ir").as_double(), ic_mean / ic_std, 1e-12);
}

TEST(BacktestTest, CostsScaleWithTradedWeight) {
  auto free = RunModule("backtest.topk", {{"top_k", Value(2)}, {"cost_bps", Value(0.0)}},
                        {{"predictions", Value(Predictions())}, {"data", Value(Prices())}});
  auto costly = RunModule("backtest.topk", {{"top_k", Value(2)}, {"cost_bps", Value(50.0)}},
                          {{"predictions", Value(Predictions())}, {"data", Value(Prices())}});
  const auto& a = Numbers(free["equity"].as_table(), "daily_return");
  const auto& b = Numbers(costly["equity"].as_table(), "daily_return");
  for (size_t t = 0; t < a.size(); ++t)
    EXPECT_NEAR(a[t] - b[t], 1.0 * 0.005, 1e-12);  // traded 1.0 every day
}

TEST(BacktestTest, UsesTheLabelAsReturnWithoutPrices) {
  Table predictions = Predictions();
  predictions.AddColumn(
      "label", std::vector<double>{-0.05, 0, 0.10, -0.10, 0.10, 0.05, -0.10, 0.10, 0.10, 0, 0, 0});
  auto out = RunModule("backtest.topk", {{"top_k", Value(1)}, {"cost_bps", Value(0.0)}},
                       {{"predictions", Value(predictions)}});
  // Top 1 each day: A (+0.10), B (+0.10), A (-0.10), then A by the instrument tie-break (0).
  const auto& daily = Numbers(out["equity"].as_table(), "daily_return");
  ASSERT_EQ(daily.size(), 4u);  // day 4's returns are 0 but known: it stays
  EXPECT_NEAR(daily[0], 0.10, 1e-15);
  EXPECT_NEAR(daily[1], 0.10, 1e-15);
  EXPECT_NEAR(daily[2], -0.10, 1e-15);
  EXPECT_EQ(daily[3], 0.0);
}

TEST(BacktestTest, NeedsPricesOrALabel) {
  EXPECT_NE(ErrorOf([] {
              RunModule("backtest.topk", {}, {{"predictions", Value(Predictions())}});
            }).find("connect input \"data\""),
            std::string::npos);
}

}  // namespace
}  // namespace fai::quant
