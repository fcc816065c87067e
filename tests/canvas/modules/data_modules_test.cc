#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "canvas/modules/csv_table.h"
#include "canvas/modules/hdf5_table.h"
#include "canvas/modules/quant_test_util.h"

namespace fai::quant {
namespace {

namespace fs = std::filesystem;
using testing::ErrorOf;
using testing::Numbers;
using testing::RunModule;
using testing::Texts;

class DataModulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fai_quant_data_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Table Panel() {
    Table t;
    t.AddColumn("date", std::vector<std::string>{"2021-01-04", "2021-01-04", "2021-01-05",
                                                 "2021-01-05", "2021-01-06"});
    t.AddColumn("instrument", std::vector<std::string>{"A", "B,1", "A", "B,1", "A"});
    t.AddColumn("close", std::vector<double>{1.5, 0.1 + 0.2, -3e-300, 1e300, 42});
    t.AddColumn("volume", std::vector<double>{100, 200, 300, 400, 500});
    return t;
  }

  fs::path dir_;
};

TEST_F(DataModulesTest, CsvRoundTripsBitIdenticalWithRelativePaths) {
  ASSERT_TRUE(WriteCsvTable(Panel(), (dir_ / "panel.csv").string()).ok());
  auto out = RunModule("data.csv", {{"path", Value("panel.csv")}}, {}, 1, dir_.string());
  EXPECT_TRUE(out["data"].as_table() == Panel());
  EXPECT_NE(ErrorOf([&] {
              RunModule("data.csv", {{"path", Value("missing.csv")}}, {}, 1, dir_.string());
            }).find("missing.csv: cannot open"),
            std::string::npos);
}

TEST_F(DataModulesTest, CsvParsesQuotesMissingValuesAndReportsBadRows) {
  Result<Table> t = ParseCsvTable(
      "date,instrument,close,sector\r\n2021-01-04,\"A "
      "\"\"x\"\"\",1.5,tech\n2021-01-05,B,NA,\"a,b\"\n\n",
      "t.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(Texts(*t, "instrument"), (std::vector<std::string>{"A \"x\"", "B"}));
  EXPECT_EQ(Numbers(*t, "close")[0], 1.5);
  EXPECT_TRUE(std::isnan(Numbers(*t, "close")[1]));
  EXPECT_EQ(Texts(*t, "sector"), (std::vector<std::string>{"tech", "a,b"}));
  Result<Table> bad =
      ParseCsvTable("date,instrument,close\n2021-01-04,A,1\n2021-01-05,B\n", "bad.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "bad.csv:3: 2 fields, expected 3 as in the header");
  // A panel module also checks the key columns.
  std::ofstream(dir_ / "dates.csv") << "date,instrument,close\n04/01/2021,A,1\n";
  EXPECT_NE(ErrorOf([&] {
              RunModule("data.csv", {{"path", Value((dir_ / "dates.csv").string())}}, {});
            }).find("\"04/01/2021\" is not a date"),
            std::string::npos);
}

TEST_F(DataModulesTest, Hdf5RoundTripsAndReadsFixedLengthStrings) {
  const std::string path = (dir_ / "panel.h5").string();
  ASSERT_TRUE(WriteHdf5Table(Panel(), path, "prices").ok());
  auto out = RunModule("data.hdf5", {{"path", Value(path)}, {"dataset", Value("prices")}}, {});
  EXPECT_TRUE(out["data"].as_table() == Panel());
  EXPECT_NE(ErrorOf([&] {
              RunModule("data.hdf5", {{"path", Value(path)}}, {});
            }).find("no dataset \"panel\""),
            std::string::npos);

  // What h5py writes for a numpy record array: fixed-length strings and an int64 member.
  struct Row {
    char date[10];
    char instrument[4];
    int64_t volume;
  };
  const Row rows[2] = {{{'2', '0', '2', '1', '-', '0', '1', '-', '0', '4'}, "AB", 7},
                       {{'2', '0', '2', '1', '-', '0', '1', '-', '0', '5'}, "C", 9}};
  const hid_t date_type = H5Tcopy(H5T_C_S1), name_type = H5Tcopy(H5T_C_S1);
  H5Tset_size(date_type, 10);
  H5Tset_size(name_type, 4);
  H5Tset_strpad(name_type, H5T_STR_NULLPAD);
  const hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(Row));
  H5Tinsert(type, "date", HOFFSET(Row, date), date_type);
  H5Tinsert(type, "instrument", HOFFSET(Row, instrument), name_type);
  H5Tinsert(type, "volume", HOFFSET(Row, volume), H5T_NATIVE_INT64);
  const hsize_t n = 2;
  const hid_t file = H5Fcreate((dir_ / "h5py.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t dataset =
      H5Dcreate2(file, "panel", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows), 0);
  for (hid_t id : {dataset}) H5Dclose(id);
  H5Sclose(space);
  H5Fclose(file);
  for (hid_t id : {type, date_type, name_type}) H5Tclose(id);
  auto read = RunModule("data.hdf5", {{"path", Value("h5py.h5")}}, {}, 1, dir_.string());
  const Table& t = read["data"].as_table();
  EXPECT_EQ(Texts(t, "date"), (std::vector<std::string>{"2021-01-04", "2021-01-05"}));
  EXPECT_EQ(Texts(t, "instrument"), (std::vector<std::string>{"AB", "C"}));
  EXPECT_EQ(Numbers(t, "volume"), (std::vector<double>{7, 9}));
}

TEST_F(DataModulesTest, DropnaDropsRowsWithMissingNumbers) {
  Table t = Panel();
  std::get<std::vector<double>>(t.columns[2])[1] = std::nan("");
  std::get<std::vector<double>>(t.columns[3])[3] = INFINITY;
  auto all = RunModule("data.dropna", {}, {{"data", Value(t)}});
  EXPECT_EQ(Numbers(all["data"].as_table(), "volume"), (std::vector<double>{100, 300, 500}));
  auto close_only =
      RunModule("data.dropna", {{"columns", Value(List{Value("close")})}}, {{"data", Value(t)}});
  EXPECT_EQ(close_only["data"].as_table().rows(), 4u);
}

TEST_F(DataModulesTest, JoinMatchesOnDateAndInstrument) {
  Table right;
  right.AddColumn("instrument", std::vector<std::string>{"A", "A", "B,1"});
  right.AddColumn("date", std::vector<std::string>{"2021-01-06", "2021-01-04", "2021-01-05"});
  right.AddColumn("label", std::vector<double>{6, 4, 5});
  auto inner = RunModule("data.join", {}, {{"left", Value(Panel())}, {"right", Value(right)}});
  const Table& j = inner["data"].as_table();
  EXPECT_EQ(j.names, (std::vector<std::string>{"date", "instrument", "close", "volume", "label"}));
  EXPECT_EQ(Numbers(j, "volume"), (std::vector<double>{100, 400, 500}));
  EXPECT_EQ(Numbers(j, "label"), (std::vector<double>{4, 5, 6}));
  auto left = RunModule("data.join", {{"how", Value("left")}},
                        {{"left", Value(Panel())}, {"right", Value(right)}});
  EXPECT_EQ(left["data"].as_table().rows(), 5u);
  EXPECT_TRUE(std::isnan(Numbers(left["data"].as_table(), "label")[1]));
  EXPECT_NE(ErrorOf([&] {
              RunModule("data.join", {}, {{"left", Value(Panel())}, {"right", Value(Panel())}});
            }).find("column \"close\" is in both inputs"),
            std::string::npos);
}

TEST_F(DataModulesTest, SplitByDateRulesAndEmbargo) {
  auto by_date = RunModule("data.split_by_date", {{"split_date", Value("2021-01-05")}},
                           {{"data", Value(Panel())}});
  EXPECT_EQ(Texts(by_date["train"].as_table(), "date"),
            (std::vector<std::string>{"2021-01-04", "2021-01-04"}));
  EXPECT_EQ(by_date["test"].as_table().rows(), 3u);
  auto explicit_dates =
      RunModule("data.split_by_date",
                {{"train_end", Value("2021-01-04")}, {"test_start", Value("2021-01-06")}},
                {{"data", Value(Panel())}});
  EXPECT_EQ(explicit_dates["train"].as_table().rows(), 2u);
  EXPECT_EQ(Texts(explicit_dates["test"].as_table(), "date"),
            (std::vector<std::string>{"2021-01-06"}));
  // 3 dates: floor(0.67 * 3) = 2 train dates, minus a 1-date embargo.
  auto fraction =
      RunModule("data.split_by_date", {{"train_fraction", Value(0.67)}, {"gap", Value(1)}},
                {{"data", Value(Panel())}});
  EXPECT_EQ(Texts(fraction["train"].as_table(), "date"),
            (std::vector<std::string>{"2021-01-04", "2021-01-04"}));
  EXPECT_EQ(Texts(fraction["test"].as_table(), "date"), (std::vector<std::string>{"2021-01-06"}));
  EXPECT_NE(ErrorOf([] {
              RunModule("data.split_by_date", {{"split_date", Value("2020-01-01")}},
                        {{"data", Value(Panel())}});
            }).find("the train side is empty"),
            std::string::npos);
  EXPECT_EQ(ErrorOf([] {
              RunModule("data.split_by_date", {{"split_date", Value("2021-1-5")}},
                        {{"data", Value(Panel())}});
            }),
            "param \"split_date\": \"2021-1-5\" is not a date (expected YYYY-MM-DD)");
}

}  // namespace
}  // namespace fai::quant
