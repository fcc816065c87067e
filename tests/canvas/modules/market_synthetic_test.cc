#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "canvas/modules/panel.h"
#include "canvas/modules/quant_test_util.h"

namespace fai::quant {
namespace {

using testing::ErrorOf;
using testing::Numbers;
using testing::RunModule;
using testing::Texts;

Table Market(const Dict& params, double cpus = 1) {
  return RunModule("market.synthetic", params, {}, cpus)["data"].as_table();
}

TEST(MarketSyntheticTest, BusinessDayPanelWithConsistentBars) {
  // 2021-01-01 is a Friday: business days 1, 4-8, 11, 12.
  const Table t = Market({{"start_date", Value("2021-01-01")},
                          {"end_date", Value("2021-01-12")},
                          {"instruments", Value(5)}});
  EXPECT_EQ(t.names, (std::vector<std::string>{"date", "instrument", "open", "high", "low", "close",
                                               "volume"}));
  ASSERT_EQ(t.rows(), 8u * 5u);
  const std::set<std::string> dates(Texts(t, "date").begin(), Texts(t, "date").end());
  EXPECT_EQ(dates, (std::set<std::string>{"2021-01-01", "2021-01-04", "2021-01-05", "2021-01-06",
                                          "2021-01-07", "2021-01-08", "2021-01-11", "2021-01-12"}));
  EXPECT_EQ(Texts(t, "date")[0], "2021-01-01");
  EXPECT_EQ(Texts(t, "instrument")[0], "S0000");
  EXPECT_EQ(Texts(t, "instrument")[4], "S0004");
  for (size_t r = 0; r < t.rows(); ++r) {
    const double open = Numbers(t, "open")[r], close = Numbers(t, "close")[r];
    EXPECT_GE(Numbers(t, "high")[r], std::max(open, close));
    EXPECT_LE(Numbers(t, "low")[r], std::min(open, close));
    EXPECT_GT(Numbers(t, "low")[r], 0);
    EXPECT_GT(Numbers(t, "volume")[r], 0);
  }
}

TEST(MarketSyntheticTest, SameSeedSamePanelForAnyThreadCount) {
  const Dict params = {{"start_date", Value("2020-01-01")},
                       {"end_date", Value("2020-03-31")},
                       {"instruments", Value(30)}};
  const Table one = Market(params, 1), four = Market(params, 4);
  EXPECT_TRUE(one == four);
  Dict other = params;
  other["seed"] = Value(8);
  EXPECT_FALSE(Market(other) == one);
}

TEST(MarketSyntheticTest, OverlappingDateRangesShareTheirReturnsAndVolumes) {
  const Table early = Market({{"start_date", Value("2021-01-01")},
                              {"end_date", Value("2021-03-31")},
                              {"instruments", Value(4)}});
  const Table late = Market({{"start_date", Value("2021-02-15")},
                             {"end_date", Value("2021-05-31")},
                             {"instruments", Value(4)}});
  // Rows are date-major with 4 instruments: the shared dates start at row `offset` of `early`.
  const auto& dates = Texts(early, "date");
  const size_t offset = static_cast<size_t>(
      std::find(dates.begin(), dates.end(), Texts(late, "date")[0]) - dates.begin());
  ASSERT_LT(offset, early.rows());
  size_t compared = 0;
  for (size_t r = offset + 4; r < early.rows(); ++r) {
    const size_t q = r - offset;
    ASSERT_EQ(Texts(late, "date")[q], dates[r]);
    ASSERT_EQ(Texts(late, "instrument")[q], Texts(early, "instrument")[r]);
    EXPECT_EQ(Numbers(late, "volume")[q], Numbers(early, "volume")[r]);
    const double early_return = Numbers(early, "close")[r] / Numbers(early, "close")[r - 4];
    const double late_return = Numbers(late, "close")[q] / Numbers(late, "close")[q - 4];
    EXPECT_NEAR(late_return, early_return, 1e-12);
    EXPECT_NEAR(Numbers(late, "high")[q] / Numbers(late, "close")[q],
                Numbers(early, "high")[r] / Numbers(early, "close")[r], 1e-12);
    ++compared;
  }
  EXPECT_GT(compared, 100u);
  // Ranges of the same length but different dates are different draws.
  const Table other = Market({{"start_date", Value("2021-04-01")},
                              {"end_date", Value("2021-06-29")},
                              {"instruments", Value(4)}});
  ASSERT_EQ(other.rows(), early.rows());
  EXPECT_NE(Numbers(other, "volume"), Numbers(early, "volume"));
}

TEST(MarketSyntheticTest, RejectsBadDatesClearly) {
  EXPECT_EQ(ErrorOf([] {
              Market({{"start_date", Value("2021-02-30")}});
            }),
            "param \"start_date\": \"2021-02-30\" is not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(ErrorOf([] {
              Market({{"end_date", Value("31/12/2022")}});
            }),
            "param \"end_date\": \"31/12/2022\" is not a date (expected YYYY-MM-DD)");
  EXPECT_NE(ErrorOf([] {
              Market({{"start_date", Value("2022-01-01")}, {"end_date", Value("2021-01-01")}});
            }).find("is after end_date"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              Market({{"start_date", Value("2022-01-01")}, {"end_date", Value("2022-01-02")}});
            }).find("no business day"),
            std::string::npos);
}

// Daily log returns per instrument, in date order.
std::vector<std::vector<double>> LogReturns(const Table& t) {
  const PanelIndex index = PanelIndex::Build(t);
  std::vector<std::vector<double>> out(index.instruments().size());
  for (size_t i = 0; i < out.size(); ++i) {
    const auto& rows = index.rows_of_instrument(i);
    for (size_t p = 1; p < rows.size(); ++p)
      out[i].push_back(std::log(Numbers(t, "close")[rows[p]] / Numbers(t, "close")[rows[p - 1]]));
  }
  return out;
}

// Mean over instruments of the kurtosis of their daily returns (3 for a normal).
double Kurtosis(const std::vector<std::vector<double>>& series) {
  double total = 0;
  for (const auto& s : series) {
    const double n = static_cast<double>(s.size());
    double mean = 0, m2 = 0, m4 = 0;
    for (double x : s) mean += x / n;
    for (double x : s) {
      m2 += std::pow(x - mean, 2) / n;
      m4 += std::pow(x - mean, 4) / n;
    }
    total += m4 / (m2 * m2);
  }
  return total / static_cast<double>(series.size());
}

TEST(MarketSyntheticTest, FatTailsAndPredictableReversal) {
  const Dict base = {{"start_date", Value("2020-01-01")},
                     {"end_date", Value("2021-12-31")},
                     {"instruments", Value(100)},
                     {"factors", Value(0)},
                     {"intraday_steps", Value(1)}};
  Dict thin = base;
  thin["tail_dof"] = Value(1000.0);
  EXPECT_GT(Kurtosis(LogReturns(Market(base))), 4.0);  // Student-t with 4 degrees of freedom
  EXPECT_LT(Kurtosis(LogReturns(Market(thin))), 3.3);

  // The 5-day reversal predicts the next day: mean daily rank IC of -(past 5-day return).
  auto MeanIc = [&](double signal) {
    Dict params = base;
    params["signal"] = Value(signal);
    const std::vector<std::vector<double>> r = LogReturns(Market(params));
    double sum = 0;
    int days = 0;
    for (size_t t = 5; t + 1 < r[0].size(); ++t) {
      std::vector<double> score, next;
      for (const auto& s : r) {
        score.push_back(-(s[t] + s[t - 1] + s[t - 2] + s[t - 3] + s[t - 4]));
        next.push_back(s[t + 1]);
      }
      sum += SpearmanCorrelation(score, next);
      ++days;
    }
    return sum / days;
  };
  EXPECT_GT(MeanIc(0.1), 0.04);
  EXPECT_LT(std::abs(MeanIc(0.0)), 0.015);
}

}  // namespace
}  // namespace fai::quant
