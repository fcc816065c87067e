#include "io/save_selection.h"

#include <gtest/gtest.h>

namespace fai {
namespace {

std::vector<SaveModule> Modules() {
  return {{"m1", {"data"}, false, false},
          {"m12", {"model", "importances"}, false, false},
          {"m15", {"metrics", "equity", "trades"}, false, true},
          {"cmd", {}, true, true}};
}

TEST(SaveSelection, DefaultSavesTheLastModulesOutputs) {
  auto s = SaveSelection::Parse({}, Modules());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->patterns(), std::vector<std::string>{"last"});
  EXPECT_FALSE(s->ShipFor(0).all);
  EXPECT_TRUE(s->ShipFor(0).ports.empty());
  EXPECT_TRUE(s->ShipFor(2).all);
  EXPECT_TRUE(s->ShipFor(3).all);  // free-form: ports known at run time
  EXPECT_TRUE(s->Saves(2, "equity", Value(Matrix(2, 2))));
  EXPECT_FALSE(s->Saves(1, "model", Value(Blob{"rf", "x"})));
  // Scalars and maps always.
  EXPECT_TRUE(s->Saves(1, "score", Value(0.5)));
  EXPECT_TRUE(s->Saves(0, "stats", Value(Dict{{"rows", 10}})));
  EXPECT_FALSE(s->Saves(0, "big", Value(std::string(kMaxScalarStringBytes + 1, 'x'))));
}

TEST(SaveSelection, PatternsSelectPortsAndShipThem) {
  auto s = SaveSelection::Parse({"m12.importances", "m1"}, Modules());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->ShipFor(1).ports, std::vector<std::string>{"importances"});
  EXPECT_TRUE(s->ShipFor(0).all);
  EXPECT_FALSE(s->ShipFor(2).all);
  EXPECT_TRUE(s->Saves(1, "importances", Value(List{0.5, 0.5})));
  EXPECT_FALSE(s->Saves(2, "equity", Value(Matrix(2, 2))));

  s = SaveSelection::Parse({"m15.eq*,*.model"}, Modules());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->ShipFor(2).ports, std::vector<std::string>{"equity"});
  EXPECT_EQ(s->ShipFor(1).ports, std::vector<std::string>{"model"});
  EXPECT_EQ(s->patterns(), (std::vector<std::string>{"m15.eq*", "*.model"}));

  s = SaveSelection::Parse({"none"}, Modules());
  ASSERT_TRUE(s.ok());
  for (int m = 0; m < 4; ++m) EXPECT_FALSE(s->ShipFor(m).all || !s->ShipFor(m).ports.empty());
  s = SaveSelection::Parse({"all"}, Modules());
  ASSERT_TRUE(s.ok());
  for (int m = 0; m < 4; ++m) EXPECT_TRUE(s->ShipFor(m).all);
}

TEST(SaveSelection, PatternsThatMatchNothingAreErrors) {
  auto s = SaveSelection::Parse({"m13.*"}, Modules());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.status().message().find("--save m13.*"), std::string::npos) << s.status().message();
  s = SaveSelection::Parse({"m15.equty"}, Modules());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("did you mean \"m15.equity\""), std::string::npos)
      << s.status().message();
  // A free-form module's ports are unknown until it runs: any port pattern is accepted.
  EXPECT_TRUE(SaveSelection::Parse({"cmd.anything"}, Modules()).ok());
}

TEST(SaveSelection, ShipRequestCovers) {
  EXPECT_TRUE((ShipRequest{true, {}}).Covers(ShipRequest{false, {"a"}}));
  EXPECT_TRUE((ShipRequest{false, {"a", "b"}}).Covers(ShipRequest{false, {"b"}}));
  EXPECT_FALSE((ShipRequest{false, {"a"}}).Covers(ShipRequest{false, {"b"}}));
  EXPECT_FALSE((ShipRequest{false, {"a"}}).Covers(ShipRequest{true, {}}));
  EXPECT_TRUE((ShipRequest{}).Covers(ShipRequest{}));
}

}  // namespace
}  // namespace fai
