#include "sweep/grid_generators.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>

#include "sweep/yaml_value.h"

namespace fai {
namespace {

TEST(GridGenerators, IntRangeAtTheEdgesOfInt64) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  Result<std::vector<Value>> top = RangeValues({Value(max - 2), Value(max)});
  ASSERT_TRUE(top.ok()) << top.status().message();
  EXPECT_EQ(*top, (std::vector<Value>{Value(max - 2), Value(max - 1)}));
  Result<std::vector<Value>> down = RangeValues({Value(min + 4), Value(min), Value(int64_t{-2})});
  ASSERT_TRUE(down.ok()) << down.status().message();
  EXPECT_EQ(*down, (std::vector<Value>{Value(min + 4), Value(min + 2)}));
  // The whole int64 span is far over the cap, and is reported without overflowing.
  Result<std::vector<Value>> all = RangeValues({Value(min), Value(max)});
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(
      all.status().message(),
      "range gives 18446744073709551615 values, more than the limit of 10000000 for one axis");
}

TEST(GridGenerators, MixedIntAndFloatArgumentsGiveFloats) {
  Result<std::vector<Value>> r = RangeValues({Value(0), Value(2), Value(0.5)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<Value>{Value(0.0), Value(0.5), Value(1.0), Value(1.5)}));
  EXPECT_FALSE(RangeValues({Value(0.0), Value(1e300), Value(1e-300)}).ok());
  EXPECT_FALSE(RangeValues({Value(true), Value(3)}).ok());
}

TEST(GridGenerators, SampleStreamBounds) {
  SampleStream s(42, 0);
  std::set<uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const double u = s.Uniform01();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    const uint64_t b = s.Below(3);
    EXPECT_LT(b, 3u);
    seen.insert(b);
    const int64_t full =
        s.IntInclusive(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
    (void)full;  // every int64 is valid; it must simply not hang or trap
    EXPECT_EQ(s.IntInclusive(-5, -5), -5);
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST(GridGenerators, SampleStreamsAreIndependentOfEachOther) {
  SampleStream a(7, 0), b(7, 1), c(7, 0), d(uint64_t{7} << 32, 0);
  const double a0 = a.Uniform01(), b0 = b.Uniform01(), c0 = c.Uniform01(), d0 = d.Uniform01();
  EXPECT_EQ(a0, c0);
  EXPECT_NE(a0, b0);
  EXPECT_NE(a0, d0);  // the high half of the seed counts too
}

TEST(GridGenerators, DistributionArguments) {
  EXPECT_TRUE(Distribution::Make("uniform", {Value(1), Value(1)}).ok());  // a constant is fine
  EXPECT_EQ(Distribution::Make("uniform", {Value(2), Value(1)}).status().message(),
            "uniform: low must not exceed high, got [2, 1]");
  EXPECT_EQ(Distribution::Make("choice", {}).status().message(),
            "expected {choice: [value, ...]} with at least one value");
  Result<Distribution> d = Distribution::Make("loguniform", {Value(1e-3), Value(1e-3)});
  ASSERT_TRUE(d.ok());
  SampleStream s(0, 0);
  EXPECT_EQ(d->Draw(&s), Value(1e-3));  // clamped into its bounds despite exp(log(x)) rounding
}

TEST(GridYamlScalars, PlainScalarTyping) {
  auto typed = [](std::string_view text) {
    Value v;
    Status s = PlainScalarToValue(text, "k", &v);
    return s.ok() ? std::string(KindName(v.kind())) + ":" + v.ToString() : "error:" + s.message();
  };
  EXPECT_EQ(typed("12"), "int:12");
  EXPECT_EQ(typed("-0"), "int:0");
  EXPECT_EQ(typed("0x10"), "int:16");
  EXPECT_EQ(typed("0o10"), "int:8");
  EXPECT_EQ(typed("0x"), "string:\"0x\"");
  EXPECT_EQ(typed("-0x10"), "string:\"-0x10\"");  // not in the core schema
  EXPECT_EQ(typed("9223372036854775807"), "int:9223372036854775807");
  EXPECT_EQ(typed("-9223372036854775808"), "int:-9223372036854775808");
  EXPECT_EQ(typed("0x8000000000000000").rfind("error:k: the integer 0x8000000000000000", 0), 0u);
  EXPECT_EQ(typed("1e5"), "float:100000.0");
  EXPECT_EQ(typed("+.5"), "float:0.5");
  EXPECT_EQ(typed("-.INF"), "float:-inf");
  EXPECT_EQ(typed(".NaN"), "float:nan");
  EXPECT_EQ(typed("-.nan"), "string:\"-.nan\"");
  EXPECT_EQ(typed("1e400").rfind("error:k: the number 1e400 is out of the range", 0), 0u);
  EXPECT_EQ(typed("1.2.3"), "string:\"1.2.3\"");
  EXPECT_EQ(typed("e5"), "string:\"e5\"");
  EXPECT_EQ(typed("."), "string:\".\"");
  EXPECT_EQ(typed("Null"), "null:null");
  EXPECT_EQ(typed("tRUE"), "string:\"tRUE\"");
}

}  // namespace
}  // namespace fai
