#include "canvas/param_check.h"

#include <gtest/gtest.h>

#include "canvas_test_util.h"

namespace fai {
namespace {

using testing::MakeParam;

std::string Check(const ParamSpec& spec, const Value& v, Value* out) {
  return CheckParamValue(spec, v, out);
}

TEST(CheckParamValueTest, IntAcceptsIntegersAndIntegralFloats) {
  ParamSpec spec = MakeParam("n", ParamType::kInt, Value(1), 1.0, 1000.0);
  Value out;
  EXPECT_EQ(Check(spec, Value(4), &out), "");
  EXPECT_EQ(out.kind(), ValueKind::kInt);
  EXPECT_EQ(out.as_int(), 4);
  EXPECT_EQ(Check(spec, Value(4.0), &out), "");
  EXPECT_EQ(out.kind(), ValueKind::kInt);
  EXPECT_EQ(out.as_int(), 4);
}

TEST(CheckParamValueTest, IntRejectsFractionsStringsAndBools) {
  ParamSpec spec = MakeParam("n", ParamType::kInt, Value(1));
  Value out;
  EXPECT_EQ(Check(spec, Value(4.5), &out), "expected int, got float 4.5");
  EXPECT_EQ(Check(spec, Value("ten"), &out), "expected int, got string \"ten\"");
  EXPECT_EQ(Check(spec, Value(true), &out), "expected int, got bool true");
  EXPECT_EQ(Check(spec, Value(), &out), "expected int, got null");
}

TEST(CheckParamValueTest, IntBounds) {
  Value out;
  EXPECT_EQ(Check(MakeParam("n", ParamType::kInt, Value(1), 1.0, 1000.0), Value(0), &out),
            "expected int in [1, 1000], got 0");
  EXPECT_EQ(Check(MakeParam("n", ParamType::kInt, Value(1), 1.0, 1000.0), Value(1001), &out),
            "expected int in [1, 1000], got 1001");
  EXPECT_EQ(Check(MakeParam("n", ParamType::kInt, Value(1), 1.0, 1000.0), Value(1000), &out), "");
  EXPECT_EQ(Check(MakeParam("n", ParamType::kInt, Value(1), 0.0), Value(-1), &out),
            "expected int >= 0, got -1");
  EXPECT_EQ(Check(MakeParam("n", ParamType::kInt, Value(1), std::nullopt, 5.0), Value(6), &out),
            "expected int <= 5, got 6");
}

TEST(CheckParamValueTest, FloatAcceptsIntsAndChecksBounds) {
  ParamSpec spec = MakeParam("x", ParamType::kFloat, Value(0.0), 0.0);
  Value out;
  EXPECT_EQ(Check(spec, Value(3), &out), "");
  EXPECT_EQ(out.kind(), ValueKind::kDouble);
  EXPECT_DOUBLE_EQ(out.as_double(), 3.0);
  EXPECT_EQ(Check(spec, Value(-1.5), &out), "expected float >= 0, got -1.5");
  EXPECT_EQ(Check(spec, Value("1"), &out), "expected float >= 0, got string \"1\"");
  EXPECT_EQ(Check(MakeParam("x", ParamType::kFloat, Value(0.5), 0.0, 0.5), Value(0.75), &out),
            "expected float in [0, 0.5], got 0.75");
}

TEST(CheckParamValueTest, StringChoicesWithSuggestion) {
  ParamSpec spec =
      MakeParam("c", ParamType::kString, Value("mse"), std::nullopt, std::nullopt, {"mse", "mae"});
  Value out;
  EXPECT_EQ(Check(spec, Value("mae"), &out), "");
  EXPECT_EQ(out, Value("mae"));
  EXPECT_EQ(Check(spec, Value("msa"), &out),
            "expected one of \"mse\", \"mae\", got \"msa\"; did you mean \"mse\"?");
  EXPECT_EQ(Check(spec, Value("gini"), &out), "expected one of \"mse\", \"mae\", got \"gini\"");
  EXPECT_EQ(Check(spec, Value(3), &out), "expected one of \"mse\", \"mae\", got int 3");
  EXPECT_EQ(Check(MakeParam("s", ParamType::kString, Value("")), Value(3), &out),
            "expected string, got int 3");
}

TEST(CheckParamValueTest, BoolOnlyBools) {
  ParamSpec spec = MakeParam("b", ParamType::kBool, Value(false));
  Value out;
  EXPECT_EQ(Check(spec, Value(true), &out), "");
  EXPECT_EQ(out, Value(true));
  EXPECT_EQ(Check(spec, Value(1), &out), "expected bool, got int 1");
  EXPECT_EQ(Check(spec, Value("true"), &out), "expected bool, got string \"true\"");
}

TEST(CheckParamValueTest, ListsCheckAndCoerceEveryElement) {
  Value out;
  ParamSpec ints = MakeParam("w", ParamType::kIntList, Value(List{}), 1.0);
  EXPECT_EQ(Check(ints, Value(List{Value(5), Value(10.0)}), &out), "");
  EXPECT_EQ(out, Value(List{Value(5), Value(10)}));
  EXPECT_EQ(Check(ints, Value(List{Value(5), Value(0)}), &out),
            "element [1]: expected int >= 1, got 0");
  EXPECT_EQ(Check(ints, Value(5), &out), "expected list of int, got int 5");

  ParamSpec floats = MakeParam("f", ParamType::kFloatList, Value(List{}));
  EXPECT_EQ(Check(floats, Value(List{Value(1), Value(0.5)}), &out), "");
  EXPECT_EQ(out, Value(List{Value(1.0), Value(0.5)}));

  ParamSpec strings =
      MakeParam("s", ParamType::kStringList, Value(List{}), std::nullopt, std::nullopt, {"a", "b"});
  EXPECT_EQ(Check(strings, Value(List{Value("a"), Value("zzz")}), &out),
            "element [1]: expected one of \"a\", \"b\", got \"zzz\"");
}

TEST(CheckParamValueTest, AnyTakesAnything) {
  ParamSpec spec = MakeParam("v", ParamType::kAny, Value());
  Value out;
  Value dict = Value(Dict{{"a", Value(1)}});
  EXPECT_EQ(Check(spec, dict, &out), "");
  EXPECT_EQ(out, dict);
}

TEST(IsRequiredParamTest, NullDefaultIsRequiredExceptForAny) {
  EXPECT_TRUE(IsRequiredParam(MakeParam("a", ParamType::kInt, Value())));
  EXPECT_FALSE(IsRequiredParam(MakeParam("a", ParamType::kInt, Value(0))));
  EXPECT_FALSE(IsRequiredParam(MakeParam("a", ParamType::kAny, Value())));
}

TEST(ParseMemorySizeTest, NumbersAndUnits) {
  uint64_t b = 0;
  ASSERT_TRUE(ParseMemorySize(Value(1000), &b));
  EXPECT_EQ(b, 1000u);
  ASSERT_TRUE(ParseMemorySize(Value("512M"), &b));
  EXPECT_EQ(b, 512ull << 20);
  ASSERT_TRUE(ParseMemorySize(Value("4G"), &b));
  EXPECT_EQ(b, 4ull << 30);
  ASSERT_TRUE(ParseMemorySize(Value("1.5GiB"), &b));
  EXPECT_EQ(b, 3ull << 29);
  ASSERT_TRUE(ParseMemorySize(Value("100KB"), &b));
  EXPECT_EQ(b, 102400u);
  ASSERT_TRUE(ParseMemorySize(Value("4 gb"), &b));
  EXPECT_EQ(b, 4ull << 30);
  ASSERT_TRUE(ParseMemorySize(Value("2T"), &b));
  EXPECT_EQ(b, 2ull << 40);
  ASSERT_TRUE(ParseMemorySize(Value("64"), &b));
  EXPECT_EQ(b, 64u);
}

TEST(ParseMemorySizeTest, RejectsInvalid) {
  uint64_t b = 7;
  EXPECT_FALSE(ParseMemorySize(Value("4X"), &b));
  EXPECT_FALSE(ParseMemorySize(Value("G"), &b));
  EXPECT_FALSE(ParseMemorySize(Value(""), &b));
  EXPECT_FALSE(ParseMemorySize(Value("-1G"), &b));
  EXPECT_FALSE(ParseMemorySize(Value(-5), &b));
  EXPECT_FALSE(ParseMemorySize(Value("1.2.3G"), &b));
  EXPECT_FALSE(ParseMemorySize(Value(true), &b));
  EXPECT_FALSE(ParseMemorySize(Value("99999999999T"), &b));
  EXPECT_EQ(b, 7u);
}

TEST(ParseDurationTest, NumbersAndUnits) {
  double s = 0;
  ASSERT_TRUE(ParseDuration(Value(90), &s));
  EXPECT_DOUBLE_EQ(s, 90);
  ASSERT_TRUE(ParseDuration(Value(2.5), &s));
  EXPECT_DOUBLE_EQ(s, 2.5);
  ASSERT_TRUE(ParseDuration(Value("90s"), &s));
  EXPECT_DOUBLE_EQ(s, 90);
  ASSERT_TRUE(ParseDuration(Value("5m"), &s));
  EXPECT_DOUBLE_EQ(s, 300);
  ASSERT_TRUE(ParseDuration(Value("2h"), &s));
  EXPECT_DOUBLE_EQ(s, 7200);
  ASSERT_TRUE(ParseDuration(Value("1h30m"), &s));
  EXPECT_DOUBLE_EQ(s, 5400);
  ASSERT_TRUE(ParseDuration(Value("250ms"), &s));
  EXPECT_DOUBLE_EQ(s, 0.25);
  ASSERT_TRUE(ParseDuration(Value("1.5h"), &s));
  EXPECT_DOUBLE_EQ(s, 5400);
  ASSERT_TRUE(ParseDuration(Value("45"), &s));
  EXPECT_DOUBLE_EQ(s, 45);
}

TEST(ParseDurationTest, RejectsInvalid) {
  double s = 7;
  EXPECT_FALSE(ParseDuration(Value("5x"), &s));
  EXPECT_FALSE(ParseDuration(Value(""), &s));
  EXPECT_FALSE(ParseDuration(Value("m"), &s));
  EXPECT_FALSE(ParseDuration(Value("-5s"), &s));
  EXPECT_FALSE(ParseDuration(Value(-1), &s));
  EXPECT_FALSE(ParseDuration(Value("1h 30m"), &s));
  EXPECT_FALSE(ParseDuration(Value(List{}), &s));
  EXPECT_DOUBLE_EQ(s, 7);
}

TEST(FormatBytesTest, HumanUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(100), "100 B");
  EXPECT_EQ(FormatBytes(4ull << 30), "4 GiB");
  EXPECT_EQ(FormatBytes(512ull << 20), "512 MiB");
  EXPECT_EQ(FormatBytes(3ull << 29), "1.5 GiB");
  uint64_t b = 0;
  ASSERT_TRUE(ParseMemorySize(Value(FormatBytes(3ull << 29)), &b));  // round trip
  EXPECT_EQ(b, 3ull << 29);
}

}  // namespace
}  // namespace fai
