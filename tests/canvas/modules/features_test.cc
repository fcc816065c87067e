#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "canvas/modules/quant_test_util.h"

namespace fai::quant {
namespace {

using testing::BitIdentical;
using testing::ErrorOf;
using testing::Numbers;
using testing::RunModule;
using testing::Texts;

// Three instruments over 12 business days, rows deliberately not in date order.
struct SmallPanel {
  Table table;
  std::map<std::string, std::vector<double>> close, volume;  // per instrument, in date order
  std::vector<std::string> dates;
};

SmallPanel MakeSmallPanel() {
  SmallPanel p;
  for (int d = 0; d < 12; ++d)
    p.dates.push_back("2021-03-" + std::string(d + 1 < 10 ? "0" : "") + std::to_string(d + 1));
  const std::vector<std::string> names = {"AAA", "BBB", "CCC"};
  for (size_t i = 0; i < names.size(); ++i)
    for (int d = 0; d < 12; ++d) {
      p.close[names[i]].push_back(10.0 * (i + 1) + std::sin(0.7 * d + static_cast<double>(i)) +
                                  0.1 * d);
      p.volume[names[i]].push_back(1000.0 + 100 * ((d * 7 + static_cast<int>(i) * 3) % 5));
    }
  std::vector<std::string> date, instrument;
  std::vector<double> close, volume;
  for (int d = 11; d >= 0; --d)  // newest first
    for (size_t i = 0; i < names.size(); ++i) {
      date.push_back(p.dates[d]);
      instrument.push_back(names[(i + static_cast<size_t>(d)) % 3]);
      close.push_back(p.close[instrument.back()][d]);
      volume.push_back(p.volume[instrument.back()][d]);
    }
  p.table.AddColumn("date", date);
  p.table.AddColumn("instrument", instrument);
  p.table.AddColumn("close", close);
  p.table.AddColumn("volume", volume);
  return p;
}

int DateIndex(const SmallPanel& p, const std::string& date) {
  return static_cast<int>(std::find(p.dates.begin(), p.dates.end(), date) - p.dates.begin());
}

void ExpectSame(double actual, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << " = " << actual << ", expected NaN";
  } else {
    EXPECT_NEAR(actual, expected, 1e-12 * std::max(1.0, std::abs(expected))) << what;
  }
}

TEST(FeaturesBasicTest, MatchDirectComputationOnASmallPanel) {
  const SmallPanel p = MakeSmallPanel();
  auto out = RunModule("features.basic", {{"windows", Value(List{Value(3), Value(5)})}},
                       {{"data", Value(p.table)}});
  const Table& f = out["data"].as_table();
  EXPECT_EQ(Texts(f, "date"), Texts(p.table, "date"));  // input row order kept
  EXPECT_EQ(Texts(f, "instrument"), Texts(p.table, "instrument"));
  const double nan = std::nan("");
  for (size_t row = 0; row < f.rows(); ++row) {
    const std::string& name = Texts(f, "instrument")[row];
    const int d = DateIndex(p, Texts(f, "date")[row]);
    const std::vector<double>& c = p.close.at(name);
    const std::vector<double>& v = p.volume.at(name);
    const std::string where = name + " day " + std::to_string(d) + " ";
    ExpectSame(Numbers(f, "ret_1")[row], d >= 1 ? c[d] / c[d - 1] - 1 : nan, where + "ret_1");
    for (int w : {3, 5}) {
      const std::string s = std::to_string(w);
      ExpectSame(Numbers(f, "ret_" + s)[row], d >= w ? c[d] / c[d - w] - 1 : nan,
                 where + "ret_" + s);
      double ma = 0;
      for (int q = d - w + 1; q <= d; ++q) ma += q >= 0 ? c[q] / w : nan;
      ExpectSame(Numbers(f, "ma_ratio_" + s)[row], d >= w - 1 ? c[d] / ma - 1 : nan,
                 where + "ma_ratio_" + s);
      double vol = nan, volume_chg = nan;
      if (d >= w) {
        std::vector<double> r;
        for (int q = d - w + 1; q <= d; ++q) r.push_back(std::log(c[q] / c[q - 1]));
        double mean = 0, ss = 0;
        for (double x : r) mean += x / w;
        for (double x : r) ss += (x - mean) * (x - mean);
        vol = std::sqrt(ss / (w - 1));
        double previous = 0;
        for (int q = d - w; q < d; ++q) previous += v[q] / w;
        volume_chg = v[d] / previous - 1;
      }
      ExpectSame(Numbers(f, "vol_" + s)[row], vol, where + "vol_" + s);
      ExpectSame(Numbers(f, "volume_chg_" + s)[row], volume_chg, where + "volume_chg_" + s);
    }
  }
}

TEST(FeaturesBasicTest, RanksAreCrossSectionalPerDate) {
  const SmallPanel p = MakeSmallPanel();
  auto out =
      RunModule("features.basic", {{"windows", Value(List{Value(3)})}}, {{"data", Value(p.table)}});
  const Table& f = out["data"].as_table();
  // On each date, ret_3_rank orders the three instruments as ret_3 does: 0, 0.5, 1.
  for (size_t a = 0; a < f.rows(); ++a)
    for (size_t b = 0; b < f.rows(); ++b) {
      if (Texts(f, "date")[a] != Texts(f, "date")[b] || std::isnan(Numbers(f, "ret_3")[a]))
        continue;
      if (Numbers(f, "ret_3")[a] < Numbers(f, "ret_3")[b]) {
        EXPECT_GE(Numbers(f, "ret_3_rank")[b] - Numbers(f, "ret_3_rank")[a], 0.5)
            << a << " vs " << b;
      }
    }
  // The first date has no ret_1: its rank is NaN too.
  for (size_t r = 0; r < f.rows(); ++r)
    if (Texts(f, "date")[r] == "2021-03-01") {
      EXPECT_TRUE(std::isnan(Numbers(f, "ret_1_rank")[r]));
    }
  EXPECT_LT(f.Find("ret_1_rank"), f.Find("ret_3_rank"));
  auto plain =
      RunModule("features.basic", {{"windows", Value(List{Value(3)})}, {"ranks", Value(false)}},
                {{"data", Value(p.table)}});
  EXPECT_LT(plain["data"].as_table().Find("ret_3_rank"), 0);
}

TEST(FeaturesBasicTest, SameResultForAnyThreadCountAndClearErrors) {
  const SmallPanel p = MakeSmallPanel();
  const Value one = RunModule("features.basic", {}, {{"data", Value(p.table)}}, 1)["data"];
  const Value three = RunModule("features.basic", {}, {{"data", Value(p.table)}}, 3)["data"];
  for (const std::string& name : one.as_table().names)
    if (name != "date" && name != "instrument") {
      EXPECT_TRUE(BitIdentical(Numbers(one.as_table(), name), Numbers(three.as_table(), name)))
          << name;
    }
  EXPECT_NE(ErrorOf([&] {
              RunModule("features.basic", {{"price_column", Value("adj_close")}},
                        {{"data", Value(p.table)}});
            }).find("no column \"adj_close\""),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              RunModule("features.basic", {{"windows", Value(List{Value(3), Value(3)})}},
                        {{"data", Value(p.table)}});
            }).find("appears twice"),
            std::string::npos);
}

TEST(ForwardReturnTest, RawAndRankLabels) {
  const SmallPanel p = MakeSmallPanel();
  auto raw =
      RunModule("labels.forward_return", {{"horizon", Value(2)}}, {{"data", Value(p.table)}});
  const Table& t = raw["data"].as_table();
  EXPECT_EQ(t.names, (std::vector<std::string>{"date", "instrument", "label"}));
  for (size_t row = 0; row < t.rows(); ++row) {
    const std::vector<double>& c = p.close.at(Texts(t, "instrument")[row]);
    const int d = DateIndex(p, Texts(t, "date")[row]);
    ExpectSame(Numbers(t, "label")[row], d + 2 < 12 ? c[d + 2] / c[d] - 1 : std::nan(""), "label");
  }
  auto ranked = RunModule("labels.forward_return",
                          {{"horizon", Value(2)}, {"mode", Value("rank")}, {"name", Value("y")}},
                          {{"data", Value(p.table)}});
  const Table& r = ranked["data"].as_table();
  for (size_t a = 0; a < r.rows(); ++a) {
    const double label = Numbers(t, "label")[a];
    if (std::isnan(label)) {
      EXPECT_TRUE(std::isnan(Numbers(r, "y")[a]));
      continue;
    }
    int below = 0;
    for (size_t b = 0; b < r.rows(); ++b)
      if (Texts(t, "date")[b] == Texts(t, "date")[a] && Numbers(t, "label")[b] < label) ++below;
    EXPECT_EQ(Numbers(r, "y")[a], below * 0.5);
  }
}

}  // namespace
}  // namespace fai::quant
