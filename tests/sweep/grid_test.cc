#include "sweep/grid.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "common/content_hash.h"

namespace fai {
namespace {

// Parses or fails the test with the error message.
Grid MustParse(const std::string& yaml) {
  Result<Grid> grid = Grid::Parse(yaml, "grid.yaml");
  if (!grid.ok()) {
    ADD_FAILURE() << grid.status().message() << "\nin:\n" << yaml;
    return Grid::Single();
  }
  return std::move(grid).value();
}

// The error message of a grid that must not parse (an InvalidInput).
std::string ParseError(const std::string& yaml) {
  Result<Grid> grid = Grid::Parse(yaml, "grid.yaml");
  if (grid.ok()) {
    ADD_FAILURE() << "parsed, expected an error:\n" << yaml;
    return "";
  }
  EXPECT_EQ(grid.status().code(), Status::Code::kInvalidInput);
  return grid.status().message();
}

// Every combination as "key=value key=value" (keys in Grid::keys() order, values by ToString,
// so 4, 4.0 and "4" differ).
std::vector<std::string> Expand(const Grid& grid) {
  std::vector<std::string> out;
  grid.ForEach([&](const Combination& c) {
    std::string s;
    for (const Assignment& a : c.values) {
      if (!s.empty()) s += " ";
      s += grid.keys()[a.key] + "=" + a.value.ToString();
    }
    out.push_back(s);
    return true;
  });
  return out;
}

std::vector<std::string> Ids(const Grid& grid) {
  std::vector<std::string> out;
  grid.ForEach([&](const Combination& c) {
    out.push_back(c.id());
    return true;
  });
  return out;
}

// The values one key takes, in order of combinations.
std::vector<Value> ValuesOf(const Grid& grid, const std::string& key) {
  std::vector<Value> out;
  const int k = grid.KeyIndex(key);
  EXPECT_GE(k, 0) << key;
  grid.ForEach([&](const Combination& c) {
    const Value* v = c.Find(k);
    out.push_back(v ? *v : Value("<unset>"));
    return true;
  });
  return out;
}

std::vector<double> Doubles(const std::vector<Value>& values) {
  std::vector<double> out;
  for (const Value& v : values) {
    EXPECT_EQ(v.kind(), ValueKind::kDouble) << v.ToString();
    out.push_back(v.kind() == ValueKind::kDouble ? v.as_double() : NAN);
  }
  return out;
}

std::vector<int64_t> Ints(const std::vector<Value>& values) {
  std::vector<int64_t> out;
  for (const Value& v : values) {
    EXPECT_EQ(v.kind(), ValueKind::kInt) << v.ToString();
    out.push_back(v.kind() == ValueKind::kInt ? v.as_int() : -999);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Expansion kinds.

TEST(GridExpand, CartesianProductLastAxisVariesFastest) {
  Grid grid = MustParse(
      "grid:\n"
      "  m12.iterations: [4, 9]\n"
      "  m12.min_samples_per_leaf: [50, 200]\n");
  EXPECT_EQ(grid.keys(), (std::vector<std::string>{"m12.iterations", "m12.min_samples_per_leaf"}));
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{
                              "m12.iterations=4 m12.min_samples_per_leaf=50",
                              "m12.iterations=4 m12.min_samples_per_leaf=200",
                              "m12.iterations=9 m12.min_samples_per_leaf=50",
                              "m12.iterations=9 m12.min_samples_per_leaf=200",
                          }));
  EXPECT_EQ(grid.Count(), 4u);
  EXPECT_EQ(grid.path(), "grid.yaml");
  EXPECT_EQ(grid.KeyIndex("m12.min_samples_per_leaf"), 1);
  EXPECT_EQ(grid.KeyIndex("m12.nope"), -1);
}

TEST(GridExpand, SingleScalarIsOneValue) {
  Grid grid = MustParse("grid: {m1.seed: 7, m12.criterion: gini}\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{"m1.seed=7 m12.criterion=\"gini\""}));
}

TEST(GridExpand, RangeOfIntsStaysInts) {
  Grid grid = MustParse("grid: {m12.iterations: {range: [2, 10, 2]}}\n");
  EXPECT_EQ(Ints(ValuesOf(grid, "m12.iterations")), (std::vector<int64_t>{2, 4, 6, 8}));
}

TEST(GridExpand, RangeForms) {
  EXPECT_EQ(Ints(ValuesOf(MustParse("grid: {m.a: {range: [3]}}"), "m.a")),
            (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(Ints(ValuesOf(MustParse("grid: {m.a: {range: [-2, 2]}}"), "m.a")),
            (std::vector<int64_t>{-2, -1, 0, 1}));
  EXPECT_EQ(Ints(ValuesOf(MustParse("grid: {m.a: {range: [10, 0, -3]}}"), "m.a")),
            (std::vector<int64_t>{10, 7, 4, 1}));
  EXPECT_EQ(Ints(ValuesOf(MustParse("grid: {m.a: {range: [1, 8, 3]}}"), "m.a")),
            (std::vector<int64_t>{1, 4, 7}));
}

TEST(GridExpand, RangeOfFloatsIsStartPlusIStep) {
  // start + i*step, not accumulated: 3*0.1 is 0.30000000000000004, stop 1.0 excluded.
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {range: [0, 1, 0.1]}}"), "m.a")),
            (std::vector<double>{0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001,
                                 0.7000000000000001, 0.8, 0.9}));
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {range: [1.5, -0.5, -0.5]}}"), "m.a")),
            (std::vector<double>{1.5, 1.0, 0.5, 0.0}));
  // (1.3 - 1.0) / 0.1 is 3.0000000000000004, so numpy.arange also gives 1.3; stop stays excluded.
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {range: [1.0, 1.3, 0.1]}}"), "m.a")),
            (std::vector<double>{1.0, 1.1, 1.2}));
}

TEST(GridExpand, LinspaceMatchesNumpy) {
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {linspace: [0.2, 1.0, 5]}}"), "m.a")),
            (std::vector<double>{0.2, 0.4, 0.6000000000000001, 0.8, 1.0}));
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {linspace: [0, 1, 7]}}"), "m.a")),
            (std::vector<double>{0.0, 0.16666666666666666, 0.3333333333333333, 0.5,
                                 0.6666666666666666, 0.8333333333333333, 1.0}));
  // Int arguments still give doubles (numpy's default dtype); num 1 gives [start].
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {linspace: [10, 20, 3]}}"), "m.a")),
            (std::vector<double>{10.0, 15.0, 20.0}));
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {linspace: [3, 9, 1]}}"), "m.a")),
            (std::vector<double>{3.0}));
}

TEST(GridExpand, LogspaceIsPowersOfTheBase) {
  std::vector<double> alpha =
      Doubles(ValuesOf(MustParse("grid: {m10.alpha: {logspace: [-4, -1, 4]}}"), "m10.alpha"));
  ASSERT_EQ(alpha.size(), 4u);
  EXPECT_DOUBLE_EQ(alpha[0], 1e-4);
  EXPECT_DOUBLE_EQ(alpha[1], 1e-3);
  EXPECT_DOUBLE_EQ(alpha[2], 1e-2);
  EXPECT_DOUBLE_EQ(alpha[3], 1e-1);
  EXPECT_EQ(Doubles(ValuesOf(MustParse("grid: {m.a: {logspace: [0, 3, 4, 2]}}"), "m.a")),
            (std::vector<double>{1.0, 2.0, 4.0, 8.0}));
}

TEST(GridExpand, AxisValuesAreDeduplicatedFirstKept) {
  // 2 and 2.0 are different values (an int and a float); the repeated ones go.
  Grid grid = MustParse("grid: {m.a: [2, 1, 2, 2.0, 1, \"2\"]}\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{"m.a=2", "m.a=1", "m.a=2.0", "m.a=\"2\""}));
}

TEST(GridExpand, ListValuedParams) {
  Grid grid = MustParse("grid:\n  m3.windows: [[5, 10], [5, 10, 20], [5, 10]]\n  m1.x: [1]\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{"m3.windows=[5, 10] m1.x=1",
                                                    "m3.windows=[5, 10, 20] m1.x=1"}));
  std::vector<Value> windows = ValuesOf(grid, "m3.windows");
  ASSERT_EQ(windows[1].kind(), ValueKind::kList);
  EXPECT_EQ(windows[1].as_list()[2].kind(), ValueKind::kInt);
}

TEST(GridExpand, ZipGroupsVaryTogether) {
  Grid grid = MustParse(
      "grid: {m12.iterations: [4, 9]}\n"
      "zip:\n"
      "  - {m1.start_date: [\"2019-01-01\", \"2020-01-01\"], m1.end_date: [2019-12-31, "
      "2020-12-31]}\n");
  EXPECT_EQ(Expand(grid),
            (std::vector<std::string>{
                "m12.iterations=4 m1.start_date=\"2019-01-01\" m1.end_date=\"2019-12-31\"",
                "m12.iterations=4 m1.start_date=\"2020-01-01\" m1.end_date=\"2020-12-31\"",
                "m12.iterations=9 m1.start_date=\"2019-01-01\" m1.end_date=\"2019-12-31\"",
                "m12.iterations=9 m1.start_date=\"2020-01-01\" m1.end_date=\"2020-12-31\"",
            }));
}

TEST(GridExpand, ZipAcceptsOneMapAndGeneratorsAndDropsRepeatedRows) {
  Grid grid = MustParse(
      "zip:\n"
      "  m.a: [0, 1, 0, 2]\n"
      "  m.b: [x, y, x, y]\n");
  EXPECT_EQ(Expand(grid),
            (std::vector<std::string>{"m.a=0 m.b=\"x\"", "m.a=1 m.b=\"y\"", "m.a=2 m.b=\"y\""}));
  Grid generated = MustParse("zip: {m.a: {range: [0, 3]}, m.b: {linspace: [0, 1, 3]}}\n");
  EXPECT_EQ(Expand(generated),
            (std::vector<std::string>{"m.a=0 m.b=0.0", "m.a=1 m.b=0.5", "m.a=2 m.b=1.0"}));
}

TEST(GridExpand, SeveralZipGroupsMultiply) {
  Grid grid = MustParse(
      "zip:\n"
      "  - {m.a: [1, 2], m.b: [3, 4]}\n"
      "  - {m.c: [5, 6]}\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{"m.a=1 m.b=3 m.c=5", "m.a=1 m.b=3 m.c=6",
                                                    "m.a=2 m.b=4 m.c=5", "m.a=2 m.b=4 m.c=6"}));
}

TEST(GridExpand, CombinationsInFileOrderWithoutRepeats) {
  Grid grid = MustParse(
      "combinations:\n"
      "  - {m12.iterations: 4, m12.min_samples_per_leaf: 50}\n"
      "  - {m12.min_samples_per_leaf: 200, m12.iterations: 9}\n"
      "  - {m12.iterations: 4, m12.min_samples_per_leaf: 50}\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{
                              "m12.iterations=4 m12.min_samples_per_leaf=50",
                              "m12.iterations=9 m12.min_samples_per_leaf=200",
                          }));
}

TEST(GridExpand, SectionOrderFollowsTheFile) {
  // Keys are numbered by first appearance; blocks come in the fixed order grid, blocks,
  // combinations whatever the order of the sections.
  Grid grid = MustParse(
      "combinations: [{m.z: 1}]\n"
      "blocks: [{grid: {m.y: [2]}}]\n"
      "grid: {m.x: [3]}\n");
  EXPECT_EQ(grid.keys(), (std::vector<std::string>{"m.z", "m.y", "m.x"}));
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{"m.x=3", "m.y=2", "m.z=1"}));
}

// ---------------------------------------------------------------------------------------------
// YAML typing (core schema).

TEST(GridYamlTyping, PlainScalarsFollowTheCoreSchema) {
  // One list-valued value, so that nothing is deduplicated.
  Grid grid = MustParse(
      "grid:\n"
      "  m.v: [[4, \"4\", 1e-4, 1.0e-4, true, False, 1.5, .5, 0x1F, 0o17, -.inf, .nan, ~, null,\n"
      "         hello, 'true', +3, -7, yes, 1., 2019-01-01, '', 0.1e+2, TRUE, NULL, 1_000]]\n");
  std::vector<Value> values = ValuesOf(grid, "m.v");
  ASSERT_EQ(values.size(), 1u);
  ASSERT_EQ(values[0].kind(), ValueKind::kList);
  const List& v = values[0].as_list();
  ASSERT_EQ(v.size(), 26u);
  EXPECT_EQ(v[0], Value(4));
  EXPECT_EQ(v[0].kind(), ValueKind::kInt);
  EXPECT_EQ(v[1], Value("4"));
  EXPECT_EQ(v[2], Value(1e-4));
  EXPECT_EQ(v[3], Value(1e-4));
  EXPECT_EQ(v[4], Value(true));
  EXPECT_EQ(v[5], Value(false));
  EXPECT_EQ(v[6], Value(1.5));
  EXPECT_EQ(v[7], Value(0.5));
  EXPECT_EQ(v[8], Value(31));
  EXPECT_EQ(v[9], Value(15));
  EXPECT_EQ(v[10], Value(-std::numeric_limits<double>::infinity()));
  ASSERT_EQ(v[11].kind(), ValueKind::kDouble);
  EXPECT_TRUE(std::isnan(v[11].as_double()));
  EXPECT_TRUE(v[12].is_null());
  EXPECT_TRUE(v[13].is_null());
  EXPECT_EQ(v[14], Value("hello"));
  EXPECT_EQ(v[15], Value("true"));
  EXPECT_EQ(v[16], Value(3));
  EXPECT_EQ(v[17], Value(-7));
  EXPECT_EQ(v[18], Value("yes"));  // YAML 1.1 booleans are strings in 1.2
  EXPECT_EQ(v[19], Value(1.0));
  EXPECT_EQ(v[20], Value("2019-01-01"));
  EXPECT_EQ(v[21], Value(""));
  EXPECT_EQ(v[22], Value(10.0));
  EXPECT_EQ(v[23], Value(true));
  EXPECT_TRUE(v[24].is_null());
  EXPECT_EQ(v[25], Value("1_000"));  // not an int in the 1.2 core schema
}

TEST(GridYamlTyping, QuotedAndTaggedScalars) {
  Grid grid = MustParse(
      "grid:\n"
      "  m.v: [\"12\", '1e-4', !!str 5, !!float 3, !!int \"8\", \"null\"]\n");
  std::vector<Value> v = ValuesOf(grid, "m.v");
  EXPECT_EQ(v, (std::vector<Value>{Value("12"), Value("1e-4"), Value("5"), Value(3.0), Value(8),
                                   Value("null")}));
}

TEST(GridYamlTyping, NestedMapsBecomeDicts) {
  Grid grid = MustParse("grid: {m.opt: [{lr: 0.1, name: adam}]}\n");
  std::vector<Value> v = ValuesOf(grid, "m.opt");
  ASSERT_EQ(v.size(), 1u);
  ASSERT_EQ(v[0].kind(), ValueKind::kDict);
  EXPECT_EQ(v[0].as_dict().at("lr"), Value(0.1));
  EXPECT_EQ(v[0].as_dict().at("name"), Value("adam"));
}

// ---------------------------------------------------------------------------------------------
// Random sampling.

const char kRandomGrid[] =
    "random:\n"
    "  samples: %d\n"
    "  seed: 7\n"
    "  params:\n"
    "    m12.max_depth: {randint: [2, 12]}\n"
    "    m10.alpha: {loguniform: [1.0e-4, 1.0e-1]}\n"
    "    m12.feature_fraction: {uniform: [0.3, 1.0]}\n"
    "    m12.criterion: {choice: [mse, mae]}\n";

std::string RandomGrid(int samples) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), kRandomGrid, samples);
  return buf;
}

TEST(GridRandom, DrawsTypedValuesWithinBounds) {
  Grid grid = MustParse(RandomGrid(200));
  EXPECT_EQ(grid.Count(), 200u);  // continuous draws never repeat
  grid.ForEach([&](const Combination& c) {
    const Value& depth = *c.Find(grid.KeyIndex("m12.max_depth"));
    const Value& alpha = *c.Find(grid.KeyIndex("m10.alpha"));
    const Value& fraction = *c.Find(grid.KeyIndex("m12.feature_fraction"));
    const Value& criterion = *c.Find(grid.KeyIndex("m12.criterion"));
    EXPECT_EQ(depth.kind(), ValueKind::kInt);
    EXPECT_GE(depth.as_int(), 2);
    EXPECT_LE(depth.as_int(), 12);
    EXPECT_EQ(alpha.kind(), ValueKind::kDouble);
    EXPECT_GE(alpha.as_double(), 1e-4);
    EXPECT_LE(alpha.as_double(), 1e-1);
    EXPECT_EQ(fraction.kind(), ValueKind::kDouble);
    EXPECT_GE(fraction.as_double(), 0.3);
    EXPECT_LT(fraction.as_double(), 1.0);
    EXPECT_TRUE(criterion == Value("mse") || criterion == Value("mae")) << criterion.ToString();
    return true;
  });
  // randint is inclusive at both ends, and both choices come up.
  std::set<int64_t> depths;
  std::set<std::string> criteria;
  for (const Value& v : ValuesOf(grid, "m12.max_depth")) depths.insert(v.as_int());
  for (const Value& v : ValuesOf(grid, "m12.criterion")) criteria.insert(v.as_string());
  EXPECT_EQ(depths.size(), 11u);
  EXPECT_EQ(criteria.size(), 2u);
}

TEST(GridRandom, DeterministicAndPrefixStable) {
  std::vector<std::string> five = Expand(MustParse(RandomGrid(5)));
  std::vector<std::string> ten = Expand(MustParse(RandomGrid(10)));
  EXPECT_EQ(five, Expand(MustParse(RandomGrid(5))));
  ASSERT_EQ(five.size(), 5u);
  ASSERT_EQ(ten.size(), 10u);
  EXPECT_EQ(std::vector<std::string>(ten.begin(), ten.begin() + 5), five);
  // Another seed, other points.
  std::string other = RandomGrid(5);
  other.replace(other.find("seed: 7"), 7, "seed: 8");
  EXPECT_NE(Expand(MustParse(other)), five);
}

TEST(GridRandom, PortableGoldenDraws) {
  // mt19937_64 over seed_seq{seed lo, seed hi, i lo, i hi} and our own mapping to values are
  // fixed by the standard: these are the same on every platform and must never change.
  Grid grid = MustParse(
      "random:\n"
      "  samples: 3\n"
      "  params:\n"
      "    m.i: {randint: [0, 1000000]}\n"
      "    m.u: {uniform: [0, 1]}\n");
  EXPECT_EQ(Ints(ValuesOf(grid, "m.i")), (std::vector<int64_t>{82205, 77320, 177450}));
  EXPECT_EQ(Doubles(ValuesOf(grid, "m.u")),
            (std::vector<double>{0.54400915354222323, 0.38548085193157033, 0.58945948931246805}));
}

TEST(GridRandom, RepeatedSamplesAreDropped) {
  Grid grid = MustParse(
      "random:\n"
      "  samples: 50\n"
      "  seed: 1\n"
      "  params: {m.c: {choice: [a, b]}, m.d: {randint: [0, 1]}}\n");
  EXPECT_EQ(grid.Count(), 4u);
  std::set<std::string> rows;
  for (const std::string& row : Expand(grid)) rows.insert(row);
  EXPECT_EQ(rows.size(), 4u);
}

TEST(GridRandom, CombinesWithAxesAsOneFactor) {
  Grid grid = MustParse(
      "grid: {m.a: [1, 2]}\n"
      "random: {samples: 3, params: {m.u: {uniform: [0, 1]}}}\n");
  std::vector<Value> a = ValuesOf(grid, "m.a");
  EXPECT_EQ(Ints(a), (std::vector<int64_t>{1, 1, 1, 2, 2, 2}));
  std::vector<Value> u = ValuesOf(grid, "m.u");
  EXPECT_EQ(u[0], u[3]);
  EXPECT_EQ(u[2], u[5]);
  EXPECT_NE(u[0], u[1]);
}

// ---------------------------------------------------------------------------------------------
// Exclude and union.

TEST(GridExclude, MatchesIntsAndFloatsByValue) {
  Grid grid = MustParse(
      "grid:\n"
      "  m12.iterations: {range: [2, 10, 2]}\n"
      "  m12.feature_fraction: [0.2, 1]\n"
      "exclude:\n"
      "  - {m12.iterations: 2.0, m12.feature_fraction: 0.2}\n"
      "  - {m12.iterations: 8, m12.feature_fraction: 1.0}\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{
                              "m12.iterations=2 m12.feature_fraction=1",
                              "m12.iterations=4 m12.feature_fraction=0.2",
                              "m12.iterations=4 m12.feature_fraction=1",
                              "m12.iterations=6 m12.feature_fraction=0.2",
                              "m12.iterations=6 m12.feature_fraction=1",
                              "m12.iterations=8 m12.feature_fraction=0.2",
                          }));
  EXPECT_EQ(grid.Count(), 6u);
}

TEST(GridExclude, PartialEntriesAndZipAndStringsMatchExactly) {
  Grid grid = MustParse(
      "grid: {m.a: [1, 2, 3]}\n"
      "zip: {m.b: [x, y], m.c: [10, 20]}\n"
      "exclude:\n"
      "  - {m.a: 2}\n"
      "  - {m.b: y, m.a: 3}\n"
      "  - {m.b: \"10\"}\n");  // a string never matches an int
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{
                              "m.a=1 m.b=\"x\" m.c=10",
                              "m.a=1 m.b=\"y\" m.c=20",
                              "m.a=3 m.b=\"x\" m.c=10",
                          }));
  EXPECT_EQ(grid.Count(), 3u);
}

TEST(GridExclude, OnlyAppliesWhereAllItsKeysAreSet) {
  Grid grid = MustParse(
      "grid: {m.a: [1, 2]}\n"
      "blocks: [{grid: {m.a: [1, 2], m.b: [5]}}]\n"
      "exclude: [{m.a: 1, m.b: 5}]\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{"m.a=1", "m.a=2", "m.a=2 m.b=5"}));
}

TEST(GridUnion, LaterBlocksSkipWhatEarlierOnesProduce) {
  Grid grid = MustParse(
      "grid: {m1.a: [1, 2]}\n"
      "blocks:\n"
      "  - grid: {m1.a: [2, 3]}\n"
      "combinations:\n"
      "  - {m1.a: 3}\n"
      "  - {m1.a: 4}\n"
      "  - {m1.a: 1.0}\n");  // 1.0 is not 1: a different combination
  EXPECT_EQ(Expand(grid),
            (std::vector<std::string>{"m1.a=1", "m1.a=2", "m1.a=3", "m1.a=4", "m1.a=1.0"}));
  EXPECT_EQ(grid.Count(), 5u);
}

TEST(GridUnion, DifferentFactorShapesSameKeys) {
  // Block 0 is a zip (the diagonal); block 1 the full product of the same keys: it adds the
  // off-diagonal points only. Block 2 sets other keys, so nothing of it is a repeat.
  Grid grid = MustParse(
      "zip: {m.a: [1, 2], m.b: [x, y]}\n"
      "blocks:\n"
      "  - grid: {m.b: [x, y], m.a: [1, 2]}\n"
      "  - grid: {m.a: [1]}\n");
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{
                              "m.a=1 m.b=\"x\"",
                              "m.a=2 m.b=\"y\"",
                              "m.a=2 m.b=\"x\"",
                              "m.a=1 m.b=\"y\"",
                              "m.a=1",
                          }));
  EXPECT_EQ(grid.Count(), 5u);
}

TEST(GridUnion, RandomBlocksAndCombinationsDedupAgainstEarlierRows) {
  Grid grid = MustParse(
      "random: {samples: 20, seed: 3, params: {m.d: {randint: [1, 3]}}}\n"
      "combinations: [{m.d: 1}, {m.d: 2}, {m.d: 3}, {m.d: 4}]\n");
  EXPECT_EQ(grid.Count(), 4u);
  std::vector<int64_t> d = Ints(ValuesOf(grid, "m.d"));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(std::set<int64_t>(d.begin(), d.end()), (std::set<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(d.back(), 4);
}

// ---------------------------------------------------------------------------------------------
// Combination ids.

TEST(GridIds, IdIsTheHashOfSortedKeyValuePairs) {
  Grid grid = MustParse("grid: {m12.min_samples_per_leaf: [50], m12.iterations: [4]}\n");
  std::string v4, v50;
  Value(4).Encode(&v4);
  Value(50).Encode(&v50);
  ContentHasher hasher;
  hasher.Add("m12.iterations").AddRaw(v4).Add("m12.min_samples_per_leaf").AddRaw(v50);
  std::vector<ContentHash> hashes;
  grid.ForEach([&](const Combination& c) {
    hashes.push_back(c.hash);
    return true;
  });
  ASSERT_EQ(hashes.size(), 1u);
  EXPECT_EQ(hashes[0], hasher.Finish());
  EXPECT_EQ(Ids(grid)[0], hasher.Finish().ShortHex(16));
  EXPECT_EQ(Ids(grid)[0].size(), 16u);
}

TEST(GridIds, StableWhenTheGridGrows) {
  std::vector<std::string> small =
      Ids(MustParse("grid: {m12.iterations: [4, 9], m12.min_samples_per_leaf: [50, 200]}\n"));
  std::vector<std::string> grown =
      Ids(MustParse("grid: {m12.iterations: [4, 9, 16], m12.min_samples_per_leaf: [50, 200]}\n"));
  ASSERT_EQ(small.size(), 4u);
  ASSERT_EQ(grown.size(), 6u);
  std::set<std::string> grown_set(grown.begin(), grown.end());
  EXPECT_EQ(grown_set.size(), 6u);
  for (const std::string& id : small) EXPECT_TRUE(grown_set.count(id)) << id;
}

TEST(GridIds, IndependentOfKeyOrderAndForm) {
  std::vector<std::string> ab = Ids(MustParse("grid: {m.a: [1, 2], m.b: [x, y]}\n"));
  std::vector<std::string> ba = Ids(MustParse("grid: {m.b: [x, y], m.a: [1, 2]}\n"));
  std::vector<std::string> listed = Ids(MustParse(
      "combinations: [{m.b: y, m.a: 2}, {m.a: 1, m.b: x}, {m.a: 2, m.b: x}, {m.a: 1, m.b: y}]\n"));
  EXPECT_EQ(std::set<std::string>(ab.begin(), ab.end()),
            std::set<std::string>(ba.begin(), ba.end()));
  EXPECT_EQ(std::set<std::string>(ab.begin(), ab.end()),
            std::set<std::string>(listed.begin(), listed.end()));
  EXPECT_NE(ab, ba);  // the order of iteration does follow the file
}

TEST(GridIds, TypesMatter) {
  std::vector<std::string> ids = Ids(MustParse("grid: {m.a: [4, 4.0, \"4\"]}\n"));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 3u);
}

// ---------------------------------------------------------------------------------------------
// Laziness, counting, the API around it.

TEST(GridLazy, CountOfAHugeGridIsImmediate) {
  Grid grid = MustParse(
      "grid:\n"
      "  m.a: {range: [0, 10000]}\n"
      "  m.b: {range: [0, 10000]}\n"
      "  m.c: {range: [0, 10000]}\n");
  EXPECT_EQ(grid.Count(), 1'000'000'000'000u);
  int seen = 0;
  grid.ForEach([&](const Combination& c) {
    EXPECT_EQ(c.values[2].value, Value(seen));
    return ++seen < 3;  // stops the walk
  });
  EXPECT_EQ(seen, 3);
}

TEST(GridLazy, ABlockExcludedEntirelyIsSkippedWithoutWalkingIt) {
  Grid grid = MustParse(
      "grid:\n"
      "  m.a: {range: [0, 10000]}\n"
      "  m.b: {range: [0, 10000]}\n"
      "  m.c: {range: [0, 10000]}\n"
      "  m.d: [7]\n"
      "blocks: [{grid: {m.e: [1]}}]\n"
      "exclude: [{m.d: 7.0}]\n");
  EXPECT_EQ(grid.Count(), 1u);
  EXPECT_EQ(Expand(grid), (std::vector<std::string>{"m.e=1"}));
}

TEST(GridLazy, CountAgreesWithForEach) {
  Grid grid = MustParse(
      "grid: {m.a: {range: [0, 30]}, m.b: {range: [0, 20]}}\n"
      "blocks: [{grid: {m.a: {range: [10, 40]}, m.b: {range: [0, 20, 2]}}}]\n"
      "exclude: [{m.a: 5}, {m.b: 3, m.a: 35}, {m.b: 4, m.a: 35}]\n");
  uint64_t n = 0;
  std::set<std::string> ids;
  grid.ForEach([&](const Combination& c) {
    ++n;
    ids.insert(c.id());
    return true;
  });
  // 30*20 - 20 (a=5) + 10*10 new (a 30..39, even b) - 1 (a=35, b=4)
  EXPECT_EQ(n, 679u);
  EXPECT_EQ(grid.Count(), n);
  EXPECT_EQ(ids.size(), n);
}

TEST(GridLazy, FindReturnsNullForUnsetKeys) {
  Grid grid = MustParse("grid: {m.a: [1]}\nblocks: [{grid: {m.b: [2]}}]\n");
  std::vector<std::string> found;
  grid.ForEach([&](const Combination& c) {
    const Value* b = c.Find(grid.KeyIndex("m.b"));
    found.push_back(b == nullptr ? "unset" : b->ToString());
    return true;
  });
  EXPECT_EQ(found, (std::vector<std::string>{"unset", "2"}));
}

TEST(GridSingle, OneCombinationThatSetsNothing) {
  Grid grid = Grid::Single();
  EXPECT_TRUE(grid.keys().empty());
  EXPECT_EQ(grid.Count(), 1u);
  std::vector<Combination> combos;
  grid.ForEach([&](const Combination& c) {
    combos.push_back(c);
    return true;
  });
  ASSERT_EQ(combos.size(), 1u);
  EXPECT_TRUE(combos[0].values.empty());
  EXPECT_EQ(combos[0].hash, ContentHasher().Finish());
  EXPECT_TRUE(grid.CandidateValues().empty());
}

TEST(GridLoad, ReadsAFileAndKeepsItsText) {
  char path[] = "/tmp/grid_test_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  const std::string text = "grid: {m.a: [1, 2]}\n";
  std::ofstream(path) << text;
  Result<Grid> grid = Grid::Load(path);
  ASSERT_TRUE(grid.ok()) << grid.status().message();
  EXPECT_EQ(grid->path(), path);
  EXPECT_EQ(grid->source_text(), text);
  EXPECT_EQ(grid->Count(), 2u);
  std::remove(path);
  Result<Grid> directory = Grid::Load("/tmp");
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().message(), "/tmp: is a directory, expected a grid file (grid.yaml)");
  Result<Grid> missing = Grid::Load(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
}

TEST(GridCandidates, EveryValueWithWhereItComesFrom) {
  Grid grid = MustParse(
      "grid: {m12.iterations: [4, 9]}\n"
      "zip: [{m1.a: [x, y], m1.b: [1, 2]}]\n"
      "random:\n"
      "  samples: 4\n"
      "  params:\n"
      "    m12.max_depth: {randint: [2, 12]}\n"
      "    m12.frac: {uniform: [0, 1]}\n"
      "    m12.crit: {choice: [mse, mae]}\n"
      "blocks: [{grid: {m12.iterations: {range: [1, 3]}}}]\n"
      "combinations: [{m12.iterations: 100}]\n"
      "exclude: [{m12.iterations: 9}]\n");
  std::vector<std::string> got;
  for (const CandidateValue& c : grid.CandidateValues()) {
    got.push_back(c.where + " " + grid.keys()[c.key] + "=" + c.value.ToString());
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "grid.m12.iterations[0] m12.iterations=4",
                     "grid.m12.iterations[1] m12.iterations=9",
                     "zip[0].m1.a[0] m1.a=\"x\"",
                     "zip[0].m1.b[0] m1.b=1",
                     "zip[0].m1.a[1] m1.a=\"y\"",
                     "zip[0].m1.b[1] m1.b=2",
                     "random.params.m12.max_depth (randint lower bound) m12.max_depth=2",
                     "random.params.m12.max_depth (randint upper bound) m12.max_depth=12",
                     "random.params.m12.frac (uniform lower bound) m12.frac=0.0",
                     "random.params.m12.frac (uniform upper bound) m12.frac=1.0",
                     "random.params.m12.crit (choice 0) m12.crit=\"mse\"",
                     "random.params.m12.crit (choice 1) m12.crit=\"mae\"",
                     "blocks[0].grid.m12.iterations[0] m12.iterations=1",
                     "blocks[0].grid.m12.iterations[1] m12.iterations=2",
                     "combinations[0] m12.iterations=100",
                     "exclude[0] m12.iterations=9",
                 }));
}

// ---------------------------------------------------------------------------------------------
// Errors: each names the file, the key (or section) and what was expected.

TEST(GridErrors, AxisWithAMisspeltGenerator) {
  EXPECT_EQ(ParseError("grid:\n  m12.iterations: {rnage: [1, 5]}\n"),
            "grid.yaml: grid.m12.iterations: expected a list of values or "
            "{range|linspace|logspace: [...]}, got a map with key \"rnage\"; did you mean "
            "\"range\"?");
}

TEST(GridErrors, UnknownSectionsSuggest) {
  EXPECT_EQ(ParseError("grdi:\n  m12.iterations: [1]\n"),
            "grid.yaml: grdi: unknown section, expected one of \"grid\", \"zip\", \"random\", "
            "\"blocks\", \"combinations\", \"exclude\"; did you mean \"grid\"?");
  std::string swept = ParseError("m12.iterations: [1, 2]\n");
  EXPECT_NE(swept.find("grid.yaml: m12.iterations: not a section; swept keys go under \"grid:\""),
            std::string::npos)
      << swept;
  std::string in_block = ParseError("blocks:\n  - zpi: {m.a: [1]}\n");
  EXPECT_NE(in_block.find("grid.yaml: blocks[0].zpi: unknown section"), std::string::npos)
      << in_block;
  EXPECT_NE(in_block.find("did you mean \"zip\"?"), std::string::npos) << in_block;
  std::string exclude_in_block = ParseError("blocks:\n  - {grid: {m.a: [1]}, exclude: []}\n");
  EXPECT_NE(exclude_in_block.find("blocks[0].exclude: \"exclude\" is a top-level section"),
            std::string::npos)
      << exclude_in_block;
}

TEST(GridErrors, KeysMustBeModuleDotParam) {
  EXPECT_EQ(ParseError("grid: {iterations: [1]}\n"),
            "grid.yaml: grid.iterations: expected a key of the form moduleId.param (like "
            "m12.iterations)");
  EXPECT_EQ(ParseError("grid: {m12.: [1]}\n"),
            "grid.yaml: grid.m12.: expected a key of the form moduleId.param (like "
            "m12.iterations)");
  EXPECT_NE(
      ParseError("combinations: [{.x: 1}]\n").find("grid.yaml: combinations[0]..x: expected a key"),
      std::string::npos);
}

TEST(GridErrors, EmptyAndNullAxes) {
  EXPECT_EQ(ParseError("grid:\n  m12.iterations: []\n"),
            "grid.yaml: grid.m12.iterations: expected a list of values or "
            "{range|linspace|logspace: [...]}, got an empty list");
  EXPECT_EQ(ParseError("grid:\n  m12.iterations:\n"),
            "grid.yaml: grid.m12.iterations: expected a list of values or "
            "{range|linspace|logspace: [...]}, got nothing (null); write [null] to sweep a null "
            "value");
}

TEST(GridErrors, GeneratorArguments) {
  EXPECT_EQ(ParseError("grid: {m.a: {range: [0, 5, 0]}}\n"),
            "grid.yaml: grid.m.a: range: step must not be 0");
  EXPECT_EQ(ParseError("grid: {m.a: {range: [5, 0]}}\n"),
            "grid.yaml: grid.m.a: range [5, 0, 1] is empty (stop is excluded; a negative step "
            "counts down)");
  EXPECT_EQ(ParseError("grid: {m.a: {range: [0, x]}}\n"),
            "grid.yaml: grid.m.a: expected {range: [start, stop]} or {range: [start, stop, "
            "step]} with numbers, got [0, \"x\"]");
  EXPECT_EQ(ParseError("grid: {m.a: {linspace: [0, 1, 0]}}\n"),
            "grid.yaml: grid.m.a: linspace: num must be a positive integer, got 0");
  EXPECT_EQ(ParseError("grid: {m.a: {linspace: [0, 1]}}\n"),
            "grid.yaml: grid.m.a: expected {linspace: [start, stop, num]} with finite numbers, "
            "got [0, 1]");
  EXPECT_EQ(ParseError("grid: {m.a: {logspace: [0, 1, 3, -2]}}\n"),
            "grid.yaml: grid.m.a: logspace: base must be a positive number, got -2");
  EXPECT_EQ(ParseError("grid: {m.a: {range: 5}}\n"),
            "grid.yaml: grid.m.a: expected {range: [...]} with a list of arguments, got 5 (int)");
}

TEST(GridErrors, GeneratedAxisCap) {
  EXPECT_EQ(ParseError("grid: {m.a: {range: [0, 20000000]}}\n"),
            "grid.yaml: grid.m.a: range gives 20000000 values, more than the limit of 10000000 "
            "for one axis");
  EXPECT_EQ(ParseError("grid: {m.a: {linspace: [0, 1, 10000001]}}\n"),
            "grid.yaml: grid.m.a: linspace gives 10000001 values, more than the limit of "
            "10000000 for one axis");
}

TEST(GridErrors, ZipLengthMismatch) {
  EXPECT_EQ(ParseError("zip:\n  - {m1.a: [1, 2], m1.b: [1, 2, 3]}\n"),
            "grid.yaml: zip[0]: expected lists of equal lengths (a zip group varies them "
            "together), got m1.a has 2, m1.b has 3");
}

TEST(GridErrors, CombinationsRule) {
  EXPECT_EQ(ParseError("combinations:\n"
                       "  - {m12.iterations: 4, m12.min_samples_per_leaf: 50}\n"
                       "  - {m12.iterations: 9}\n"),
            "grid.yaml: combinations[1]: missing key \"m12.min_samples_per_leaf\"; every entry "
            "must name every key of the list exactly once (keys: \"m12.iterations\", "
            "\"m12.min_samples_per_leaf\")");
  EXPECT_EQ(ParseError("combinations:\n"
                       "  - {m12.iterations: 4}\n"
                       "  - {m12.iterations: 9, m12.iterations: 10}\n"),
            "grid.yaml: combinations[1]: key \"m12.iterations\" appears twice; every entry must "
            "name every key of the list exactly once");
  // A key only a later entry names is missing from the earlier ones.
  EXPECT_NE(ParseError("combinations: [{m.a: 1}, {m.a: 2, m.b: 3}]\n")
                .find("grid.yaml: combinations[0]: missing key \"m.b\""),
            std::string::npos);
  EXPECT_EQ(ParseError("combinations: [[1, 2]]\n"),
            "grid.yaml: combinations[0]: expected a map of moduleId.param -> value, got a list");
}

TEST(GridErrors, DuplicateKeys) {
  EXPECT_EQ(ParseError("grid:\n  m.a: [1]\n  m.a: [2]\n"),
            "grid.yaml: grid: key \"m.a\" appears twice");
  EXPECT_EQ(ParseError("grid: {m.a: [1]}\nzip: {m.a: [1, 2], m.b: [3, 4]}\n"),
            "grid.yaml: zip.m.a: the key is already swept in this block by grid.m.a; a key may "
            "appear once per block (use \"blocks\" for a union)");
  EXPECT_NE(ParseError("grid: {m.a: [1]}\nrandom: {samples: 2, params: {m.a: {uniform: [0, 1]}}}\n")
                .find("grid.yaml: random.params.m.a: the key is already swept in this block by "
                      "grid.m.a"),
            std::string::npos);
  EXPECT_EQ(ParseError("grid: {m.a: [1]}\ngrid: {m.b: [1]}\n"),
            "grid.yaml: key \"grid\" appears twice; each section may appear once");
}

TEST(GridErrors, ExcludeKeysMustBeSwept) {
  EXPECT_EQ(ParseError("grid: {m12.iterations: [1, 2]}\nexclude: [{m12.iteration: 1}]\n"),
            "grid.yaml: exclude[0].m12.iteration: not a swept key; an exclude entry names keys "
            "the grid sweeps; did you mean \"m12.iterations\"?");
}

TEST(GridErrors, RandomSpecs) {
  EXPECT_EQ(ParseError("random: {samples: 3, params: {m.a: {unifrom: [0, 1]}}}\n"),
            "grid.yaml: random.params.m.a: expected {uniform|loguniform|randint|choice: [...]}, "
            "got a map with key \"unifrom\"; did you mean \"uniform\"?");
  EXPECT_EQ(ParseError("random: {samples: 3, params: {m.a: {loguniform: [0, 1]}}}\n"),
            "grid.yaml: random.params.m.a: loguniform: bounds must be positive, got [0, 1]");
  EXPECT_EQ(ParseError("random: {samples: 3, params: {m.a: {randint: [1, 2.5]}}}\n"),
            "grid.yaml: random.params.m.a: expected {randint: [low, high]} with integers (both "
            "inclusive), got [1, 2.5]");
  EXPECT_EQ(ParseError("random: {params: {m.a: {choice: [1]}}}\n"),
            "grid.yaml: random: missing \"samples\"; expected {samples: N, seed: S, params: "
            "{moduleId.param: {uniform|loguniform|randint|choice: [...]}}}");
  EXPECT_EQ(ParseError("random: {samples: 0, params: {m.a: {choice: [1]}}}\n"),
            "grid.yaml: random.samples: expected a number of samples from 1 to 10000000, got 0 "
            "(int)");
  EXPECT_EQ(ParseError("random: {samples: 2, sed: 1, params: {m.a: {choice: [1]}}}\n"),
            "grid.yaml: random.sed: unknown field, expected \"samples\", \"seed\", \"params\"; "
            "did you mean \"seed\"?");
}

TEST(GridErrors, ScalarsOutOfRange) {
  EXPECT_NE(ParseError("grid: {m.a: [99999999999999999999]}\n")
                .find("grid.yaml: grid.m.a[0]: the integer 99999999999999999999 does not fit in 64 "
                      "bits"),
            std::string::npos);
}

TEST(GridErrors, MalformedYamlGivesLineAndColumn) {
  EXPECT_EQ(ParseError("grid:\n  m12.iterations: [4, 9\n  m12.min: [1]\n"),
            "grid.yaml:3:10: malformed YAML: end of sequence flow not found");
  std::string msg = ParseError("grid:\n  m.a: [1]\n m.b: [2]\n");
  EXPECT_EQ(msg.rfind("grid.yaml:3:", 0), 0u) << msg;
  EXPECT_NE(msg.find("malformed YAML: "), std::string::npos) << msg;
}

TEST(GridErrors, EmptyGrids) {
  EXPECT_EQ(ParseError(""),
            "grid.yaml: the grid is empty: the file has no sections (expected \"grid\", \"zip\", "
            "\"random\", \"blocks\", \"combinations\", \"exclude\")");
  EXPECT_EQ(ParseError("# nothing yet\n"), ParseError(""));
  EXPECT_EQ(ParseError("grid:\n"),
            "grid.yaml: the grid is empty: the file sets no \"grid\", \"zip\", \"random\", "
            "\"blocks\" or \"combinations\" (expected at least one swept key)");
  EXPECT_EQ(ParseError("grid: {m.a: [1, 2], m.b: [3]}\nexclude: [{m.b: 3.0}]\n"),
            "grid.yaml: the grid is empty: \"exclude\" removes every combination");
  EXPECT_EQ(
      ParseError("blocks: [{}]\n"),
      "grid.yaml: blocks[0]: an empty block: expected \"grid\", \"zip\" or \"random\" with at "
      "least one key");
  EXPECT_EQ(ParseError("[1, 2]\n"),
            "grid.yaml: expected a map of sections (\"grid\", \"zip\", \"random\", \"blocks\", "
            "\"combinations\", \"exclude\"), got a list");
}

TEST(GridErrors, ProductOverflow) {
  std::string yaml = "grid:\n";
  for (int i = 0; i < 64; ++i) yaml += "  m.k" + std::to_string(i) + ": [0, 1]\n";
  Result<Grid> max_ok = Grid::Parse(yaml.substr(0, yaml.rfind("  m.k63")), "grid.yaml");
  ASSERT_TRUE(max_ok.ok()) << max_ok.status().message();
  EXPECT_EQ(max_ok->Count(), uint64_t{1} << 63);
  EXPECT_EQ(ParseError(yaml),
            "grid.yaml: the grid is too large: the top-level block has more than 2^64 "
            "combinations (the product of its axes)");
  std::string two_blocks = "grid:\n";
  for (int i = 0; i < 63; ++i) two_blocks += "  m.k" + std::to_string(i) + ": [0, 1]\n";
  two_blocks += "blocks:\n  - grid:\n";
  for (int i = 0; i < 63; ++i) two_blocks += "      m.j" + std::to_string(i) + ": [0, 1]\n";
  two_blocks += "  - grid: {m.z: [1]}\n";
  EXPECT_EQ(ParseError(two_blocks),
            "grid.yaml: the grid is too large: its blocks together have more than 2^64 "
            "combinations");
}

}  // namespace
}  // namespace fai
