#include "canvas/command_module.h"

#include <gtest/gtest.h>

namespace fai {
namespace {

using Kind = ArgvPiece::Kind;

TEST(ParseArgvTemplateTest, LiteralsPlaceholdersAndEscapes) {
  std::vector<ArgvPiece> pieces;
  ASSERT_EQ(ParseArgvTemplate("--lr={lr}", &pieces), "");
  EXPECT_EQ(pieces, (std::vector<ArgvPiece>{{Kind::kLiteral, "--lr="}, {Kind::kParam, "lr"}}));

  ASSERT_EQ(ParseArgvTemplate("{inputs.data}", &pieces), "");
  EXPECT_EQ(pieces, (std::vector<ArgvPiece>{{Kind::kInput, "data"}}));

  ASSERT_EQ(ParseArgvTemplate("{{\"a\": {x}}}", &pieces), "");
  EXPECT_EQ(pieces, (std::vector<ArgvPiece>{
                        {Kind::kLiteral, "{\"a\": "}, {Kind::kParam, "x"}, {Kind::kLiteral, "}"}}));

  ASSERT_EQ(ParseArgvTemplate("{canvas_dir}/fit.py", &pieces), "");
  EXPECT_EQ(pieces, (std::vector<ArgvPiece>{{Kind::kCanvasDir, "canvas_dir"},
                                            {Kind::kLiteral, "/fit.py"}}));

  ASSERT_EQ(ParseArgvTemplate("", &pieces), "");
  EXPECT_TRUE(pieces.empty());
}

TEST(ParseArgvTemplateTest, Malformed) {
  std::vector<ArgvPiece> pieces;
  EXPECT_EQ(ParseArgvTemplate("{lr", &pieces),
            "unmatched \"{\" at offset 0 (write \"{{\" for a literal brace)");
  EXPECT_EQ(ParseArgvTemplate("a{b{c}", &pieces),
            "unmatched \"{\" at offset 1 (write \"{{\" for a literal brace)");
  EXPECT_EQ(ParseArgvTemplate("x}", &pieces),
            "unmatched \"}\" at offset 1 (write \"}}\" for a literal brace)");
  EXPECT_EQ(ParseArgvTemplate("{}", &pieces),
            "empty placeholder \"{}\" (write \"{{}}\" for literal braces)");
}

Dict Params(List argv) {
  return Dict{{"argv", Value(std::move(argv))}, {"lr", Value(0.1)}, {"epochs", Value(3)}};
}

TEST(CheckCommandParamsTest, ValidEntry) {
  Dict params = Params({Value("python3"), Value("{canvas_dir}/train.py"), Value("--lr={lr}"),
                        Value("{inputs.data}")});
  params["env"] =
      Value(Dict{{"OMP_NUM_THREADS", Value("2")}, {"SEED", Value(7)}, {"DEBUG", Value(false)}});
  params["outputs"] = Value(List{Value("model"), Value("score")});
  EXPECT_TRUE(CheckCommandParams(params, {"data"}).empty());
}

TEST(CheckCommandParamsTest, ArgvMissingEmptyOrMistyped) {
  EXPECT_EQ(CheckCommandParams(Dict{}, {}),
            (std::vector<std::string>{
                "params.argv: missing (a command needs the program and its arguments, "
                "e.g. [\"python3\", \"train.py\"])"}));
  EXPECT_EQ(
      CheckCommandParams(Params({}), {}),
      (std::vector<std::string>{"params.argv: expected a non-empty list of strings, got list []"}));
  EXPECT_EQ(
      CheckCommandParams(Dict{{"argv", Value("python3 train.py")}}, {}),
      (std::vector<std::string>{
          "params.argv: expected a non-empty list of strings, got string \"python3 train.py\""}));
  EXPECT_EQ(
      CheckCommandParams(Params({Value("prog"), Value("--n"), Value(5), Value(true)}), {}),
      (std::vector<std::string>{
          "params.argv[2]: expected a string, got int 5 (write it as a string: \"5\")",
          "params.argv[3]: expected a string, got bool true (write it as a string: \"true\")"}));
  EXPECT_EQ(CheckCommandParams(Params({Value(""), Value("x")}), {}),
            (std::vector<std::string>{"params.argv[0]: the program to run is empty"}));
}

TEST(CheckCommandParamsTest, UnknownPlaceholders) {
  EXPECT_EQ(CheckCommandParams(Params({Value("prog"), Value("--lr"), Value("{lrr}")}), {}),
            (std::vector<std::string>{"params.argv[2]: unknown placeholder \"{lrr}\" (the entry "
                                      "has no param \"lrr\"); did you mean \"{lr}\"?"}));
  EXPECT_EQ(CheckCommandParams(Params({Value("prog"), Value("{inputs.dat}")}), {"data"}),
            (std::vector<std::string>{
                "params.argv[1]: unknown placeholder \"{inputs.dat}\" (no input \"dat\" is "
                "connected); did you mean \"{inputs.data}\"?"}));
  EXPECT_EQ(CheckCommandParams(Params({Value("prog"), Value("{inputs.data}")}), {}),
            (std::vector<std::string>{"params.argv[1]: unknown placeholder \"{inputs.data}\" (no "
                                      "input \"data\" is connected)"}));
  EXPECT_EQ(CheckCommandParams(Params({Value("prog"), Value("{argv}")}), {}),
            (std::vector<std::string>{
                "params.argv[1]: placeholder \"{argv}\" names a reserved param (argv, env "
                "and outputs cannot be substituted)"}));
  EXPECT_EQ(CheckCommandParams(Params({Value("prog"), Value("{lr")}), {}),
            (std::vector<std::string>{
                "params.argv[1]: unmatched \"{\" at offset 0 (write \"{{\" for a literal brace)"}));
}

TEST(CheckCommandParamsTest, EnvAndOutputs) {
  Dict params = Params({Value("prog")});
  params["env"] = Value(Dict{{"A", Value(List{})}, {"B=C", Value("x")}});
  params["outputs"] = Value(List{Value("model"), Value(3), Value("model"), Value("a b")});
  EXPECT_EQ(CheckCommandParams(params, {}),
            (std::vector<std::string>{
                "params.env.A: expected a string, number or bool, got list []",
                "params.env: invalid variable name \"B=C\"",
                "params.outputs[1]: expected a port name (a non-empty string), got int 3",
                "params.outputs[2]: duplicate output \"model\" (first at params.outputs[0])",
                "params.outputs[3]: a port name may not contain whitespace, got \"a b\""}));
  params["env"] = Value(List{});
  params["outputs"] = Value("model");
  EXPECT_EQ(CheckCommandParams(params, {}),
            (std::vector<std::string>{
                "params.env: expected a map of variable names to strings, got list []",
                "params.outputs: expected a list of output port names, got string \"model\""}));
}

TEST(CheckCommandParamsTest, CanvasDirIsBuiltInAndNotAParamName) {
  EXPECT_EQ(CheckCommandParams(Params({Value("python3"), Value("{canvas_dr}/x.py")}), {}),
            (std::vector<std::string>{
                "params.argv[1]: unknown placeholder \"{canvas_dr}\" (the entry has no param "
                "\"canvas_dr\"); did you mean \"{canvas_dir}\"?"}));
  Dict params = Params({Value("python3"), Value("x.py")});
  params["canvas_dir"] = Value("/tmp");
  EXPECT_EQ(CheckCommandParams(params, {}),
            (std::vector<std::string>{
                "params.canvas_dir: reserved name ({canvas_dir} is the directory of the canvas "
                "file); rename this param"}));
}

TEST(IsReservedCommandParamTest, Reserved) {
  EXPECT_TRUE(IsReservedCommandParam("argv"));
  EXPECT_TRUE(IsReservedCommandParam("env"));
  EXPECT_TRUE(IsReservedCommandParam("outputs"));
  EXPECT_FALSE(IsReservedCommandParam("lr"));
}

}  // namespace
}  // namespace fai
