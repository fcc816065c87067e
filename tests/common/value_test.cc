#include "fai/value.h"

#include <gtest/gtest.h>

#include "common/content_hash.h"
#include "common/suggest.h"
#include "common/value_json.h"

namespace fai {
namespace {

std::string Encoded(const Value& v) {
  std::string s;
  v.Encode(&s);
  return s;
}

TEST(Value, IntsAndDoublesAreDistinct) {
  EXPECT_EQ(Value(4).kind(), ValueKind::kInt);
  EXPECT_EQ(Value(4.0).kind(), ValueKind::kDouble);
  EXPECT_FALSE(Value(4) == Value(4.0));
  EXPECT_NE(Encoded(Value(4)), Encoded(Value(4.0)));
  EXPECT_TRUE(Value(4).Matches(Value(4.0)));
  EXPECT_TRUE(Value(0.2).Matches(Value(0.1 + 0.1)));
  EXPECT_FALSE(Value(0.2).Matches(Value(0.2001)));
  EXPECT_FALSE(Value("4").Matches(Value(4)));
}

TEST(Value, EncodingIsCanonical) {
  Dict a{{"x", 1}, {"y", "b"}};
  Dict b;
  b["y"] = "b";
  b["x"] = 1;
  EXPECT_EQ(Encoded(Value(a)), Encoded(Value(b)));
  EXPECT_NE(Encoded(Value(List{Value("ab"), Value("c")})), Encoded(Value(List{Value("a"), Value("bc")})));
  EXPECT_EQ(Encoded(Value(0.0)), Encoded(Value(-0.0)));
}

TEST(Value, ToStringKeepsTypesVisible) {
  EXPECT_EQ(Value(4).ToString(), "4");
  EXPECT_EQ(Value(4.0).ToString(), "4.0");
  EXPECT_EQ(Value(0.25).ToString(), "0.25");
  EXPECT_EQ(Value("mse").ToString(), "\"mse\"");
  EXPECT_EQ(Value("mse").ToDisplay(), "mse");
  EXPECT_EQ(Value(List{Value(5), Value(10)}).ToString(), "[5, 10]");
  EXPECT_EQ(Value(Matrix::Zero(3, 4)).ToString(), "matrix(3x4)");
}

TEST(Value, JsonRoundTrip) {
  auto j = nlohmann::json::parse(R"({"a": 4, "b": 4.0, "c": "s", "d": [1, true, null], "e": {"f": -2}})");
  Value v = ValueFromJson(j);
  EXPECT_EQ(v.as_dict().at("a").kind(), ValueKind::kInt);
  EXPECT_EQ(v.as_dict().at("b").kind(), ValueKind::kDouble);
  EXPECT_EQ(v.as_dict().at("d").as_list()[1].as_bool(), true);
  EXPECT_EQ(v.as_dict().at("e").as_dict().at("f").as_int(), -2);
  EXPECT_EQ(ValueToJson(v), j);
}

TEST(Table, ColumnsAndRows) {
  Table t;
  t.AddColumn("date", std::vector<std::string>{"2020-01-01", "2020-01-02"});
  t.AddColumn("close", std::vector<double>{1.5, 2.5});
  EXPECT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.Find("close"), 1);
  EXPECT_EQ(t.Find("open"), -1);
  EXPECT_EQ(Value(t).ToString(), "table(2x2)");
}

TEST(ContentHash, DeterministicAndSensitive) {
  ContentHash a = ContentHash::Of("hello");
  EXPECT_EQ(a, ContentHash::Of("hello"));
  EXPECT_NE(a, ContentHash::Of("hellp"));
  EXPECT_EQ(a.Hex().size(), 32u);
  EXPECT_EQ(a.ShortHex(16), a.Hex().substr(0, 16));
  ContentHasher h1, h2;
  h1.Add("ab").Add("c");
  h2.Add("a").Add("bc");
  EXPECT_NE(h1.Finish(), h2.Finish());
}

TEST(Suggest, FindsCloseNames) {
  std::vector<std::string> params = {"iterations", "min_samples_per_leaf", "max_depth"};
  EXPECT_EQ(ClosestMatch("iteratons", params), "iterations");
  EXPECT_EQ(ClosestMatch("max_dpeth", params), "max_depth");
  EXPECT_EQ(ClosestMatch("Iterations", params), "iterations");
  EXPECT_EQ(ClosestMatch("learning_rate", params), "");
  EXPECT_EQ(DidYouMean("m21", {"m1", "m15"}), "; did you mean \"m1\"?");
  EXPECT_EQ(DidYouMean("zzz", {"m1", "m15"}), "");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("rnage", "range"), 1u);
  EXPECT_EQ(ClosestMatch("grdi", {"grid", "zip", "random"}), "grid");
}

}  // namespace
}  // namespace fai
