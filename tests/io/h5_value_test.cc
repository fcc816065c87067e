#include "io/h5_value.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <limits>

#include "io/h5_file.h"
#include "io_test_util.h"

namespace fai {
namespace {

Dict RoundTrip(const std::string& path, const Dict& values) {
  {
    Result<H5Id> file = CreateH5File(path);
    EXPECT_TRUE(file.ok()) << file.status().message();
    H5Id group(H5Gcreate2(file->get(), "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    for (const auto& [k, v] : values) {
      Status s = WriteH5Value(group.get(), k, v);
      EXPECT_TRUE(s.ok()) << k << ": " << s.message();
    }
  }
  Result<H5Id> file = OpenH5File(path);
  EXPECT_TRUE(file.ok()) << file.status().message();
  H5Id group(H5Gopen2(file->get(), "g", H5P_DEFAULT), H5Gclose);
  Result<Dict> back = ReadH5Group(group.get());
  EXPECT_TRUE(back.ok()) << back.status().message();
  return back.ok() ? *back : Dict();
}

TEST(H5Value, EveryKindComesBackExactly) {
  TempDir dir;
  Matrix m(3, 2);
  m << 1.5, -2, 3, 4e-300, std::numeric_limits<double>::quiet_NaN(), 6;
  Table t;
  t.AddColumn("date", std::vector<std::string>{"2020-01-01", "2020-01-02"});
  t.AddColumn("equity", std::vector<double>{1.0, 1.0125});
  Dict values{
      {"null", Value()},
      {"yes", Value(true)},
      {"int", Value(int64_t{-7})},
      {"big", Value(std::numeric_limits<int64_t>::max())},
      {"pi", Value(3.141592653589793)},
      {"tiny", Value(5e-324)},
      {"nan", Value(std::numeric_limits<double>::quiet_NaN())},
      {"text", Value("h\xC3\xA9llo, w\"orld")},
      {"long", Value(std::string(40000, 'x'))},
      {"ints", Value(List{1, 2, 3})},
      {"doubles", Value(List{0.5, 0.25})},
      {"bools", Value(List{true, false})},
      {"strings", Value(List{"a", "", "c"})},
      {"mixed", Value(List{1, "two", 3.0, List{4, 5}})},
      {"empty_list", Value(List{})},
      {"map",
       Value(Dict{{"sharpe", 1.25}, {"trades", 10}, {"name", "x"}, {"nested", Dict{{"a", 1}}}})},
      {"metrics",
       Value(Dict{{"sharpe", 1.25}, {"trades", 10}, {"name", "x\xC3\xA9"}, {"ok", true}})},
      {"with_null", Value(Dict{{"a", Value()}, {"b", 2}})},
      {"matrix", Value(m)},
      {"empty_matrix", Value(Matrix(0, 3))},
      {"table", Value(t)},
      {"empty_table", Value(Table())},
      {"blob", Value(Blob{"fai.random_forest/1", std::string("\0\1\2\xff", 4)})},
      {"a/b", Value(1)},
      {"", Value(2)},
      {"fai.kind", Value(3)},
      {"100%", Value(4)},
  };
  const Dict back = RoundTrip(dir.File("v.h5"), values);
  ASSERT_EQ(back.size(), values.size());
  for (const auto& [k, v] : values) {
    auto it = back.find(k);
    ASSERT_NE(it, back.end()) << k;
    if (k == "empty_list") {
      EXPECT_EQ(it->second.kind(), ValueKind::kList);
      EXPECT_TRUE(it->second.as_list().empty());
      continue;
    }
    EXPECT_TRUE(it->second == v) << k << ": wrote " << v.ToString() << ", read "
                                 << it->second.ToString();
  }
}

TEST(H5Value, AMapOfScalarsIsOneCompoundDataset) {
  TempDir dir;
  const std::string path = dir.File("m.h5");
  {
    Result<H5Id> file = CreateH5File(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(
        WriteH5Value(file->get(), "metrics", Value(Dict{{"sharpe", 1.5}, {"trades", 3}})).ok());
  }
  Result<H5Id> file = OpenH5File(path);
  ASSERT_TRUE(file.ok());
  H5O_info_t info;
  ASSERT_GE(H5Oget_info_by_name(file->get(), "metrics", &info, H5P_DEFAULT), 0);
  EXPECT_EQ(info.type, H5O_TYPE_DATASET);
}

TEST(H5Value, NamesAreEscapedAndBack) {
  for (const std::string key : {"plain", "a/b", "", ".", "fai.x", "50%", "%2F"}) {
    EXPECT_EQ(UnescapeH5Name(EscapeH5Name(key)), key) << key;
    EXPECT_EQ(EscapeH5Name(key).find('/'), std::string::npos);
  }
}

TEST(H5Value, MissingAttributeIsNotFound) {
  TempDir dir;
  Result<H5Id> file = CreateH5File(dir.File("a.h5"));
  ASSERT_TRUE(file.ok());
  Result<Value> v = ReadH5Attribute(file->get(), "nope");
  EXPECT_FALSE(v.ok());
}

}  // namespace
}  // namespace fai
