#include "canvas/json_reader.h"

#include <gtest/gtest.h>

namespace fai {
namespace {

TEST(ReadJsonTest, ParsesValidText) {
  nlohmann::json j;
  std::vector<DuplicateJsonKey> duplicates;
  std::string error;
  ASSERT_TRUE(ReadJson(R"({"a": [1, {"b": 2}]})", &j, &duplicates, &error));
  EXPECT_EQ(j["a"][1]["b"], 2);
  EXPECT_TRUE(duplicates.empty());
  EXPECT_EQ(error, "");
}

TEST(ReadJsonTest, SyntaxErrorHasLineAndColumn) {
  nlohmann::json j;
  std::vector<DuplicateJsonKey> duplicates;
  std::string error;
  ASSERT_FALSE(ReadJson("{\n  \"a\": 1,\n  \"b\" 2\n}", &j, &duplicates, &error));
  EXPECT_EQ(error.rfind("3:7: syntax error while parsing object separator", 0), 0u) << error;
  ASSERT_FALSE(ReadJson("", &j, &duplicates, &error));
  EXPECT_EQ(error.rfind("1:1: ", 0), 0u) << error;
}

TEST(ReadJsonTest, FindsDuplicateKeysWithTheirPath) {
  nlohmann::json j;
  std::vector<DuplicateJsonKey> duplicates;
  std::string error;
  ASSERT_TRUE(ReadJson(R"({"x": 1, "m": [{"a": 1}, 7, [], {"p": {"k": 1, "k": 2}}], "x": 2})", &j,
                       &duplicates, &error));
  ASSERT_EQ(duplicates.size(), 2u);
  EXPECT_EQ(JsonPathText(duplicates[0].path), "m[3].p");
  EXPECT_EQ(JsonPathText(duplicates[0].path, 2), "p");
  EXPECT_EQ(duplicates[0].key, "k");
  EXPECT_TRUE(duplicates[1].path.empty());
  EXPECT_EQ(duplicates[1].key, "x");
  EXPECT_EQ(j["x"], 2);  // nlohmann keeps the last
}

TEST(DescribeJsonTest, KindsAndValues) {
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("3")), "int 3");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("1.5")), "float 1.5");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("\"x\"")), "string \"x\"");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("true")), "bool true");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("null")), "null");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("[]")), "an empty list");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("[1]")), "a list");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse("{}")), "an empty object");
  EXPECT_EQ(DescribeJson(nlohmann::json::parse(R"({"a": 1})")), "an object");
  EXPECT_EQ(DescribeJson(std::string(100, 'a')), "string \"" + std::string(56, 'a') + "...");
}

}  // namespace
}  // namespace fai
