#include "io/summary_table.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "io_test_util.h"

namespace fai {
namespace {

TEST(SummaryTable, WritesAChunkedCompoundDatasetAndReadsItBack) {
  TempDir dir;
  const std::string path = dir.File("s.h5");
  SummaryTable t;
  std::vector<Value> ids, ints, sparse, doubles, texts, bools;
  for (int i = 0; i < 5000; ++i) {
    ids.push_back("combo" + std::to_string(i));
    ints.push_back(Value(int64_t{i}));
    sparse.push_back(i % 7 == 0 ? Value() : Value(int64_t{i}));
    doubles.push_back(i % 11 == 0 ? Value() : Value(i * 0.1));
    texts.push_back(i % 3 == 0 ? "" : "err " + std::to_string(i));
    bools.push_back(i % 2 == 0);
  }
  t.AddColumn("combo", ids);
  t.AddColumn("m12.iterations", ints);
  t.AddColumn("m15.sharpe", doubles);
  t.AddColumn("error", texts);
  t.AddColumn("m1.flag", bools);
  t.AddColumn("m1.sparse", sparse);
  t.AddColumn("m1.none", std::vector<Value>(5000));
  ASSERT_TRUE(t.WriteHdf5(path).ok());

  // Chunked, as the layout promises.
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t ds = H5Dopen2(file, "summary", H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(ds);
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  H5Pclose(dcpl);
  H5Dclose(ds);
  H5Fclose(file);

  Result<SummaryTable> back = SummaryTable::ReadHdf5(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->rows(), 5000u);
  ASSERT_EQ(back->ColumnNames(),
            (std::vector<std::string>{"combo", "m12.iterations", "m15.sharpe", "error", "m1.flag",
                                      "m1.sparse", "m1.none"}));
  // Ints with some missing are NaN in a float column; nothing but missing stays int.
  EXPECT_EQ(back->columns()[5].type, SummaryColumn::Type::kFloat);
  EXPECT_EQ(back->columns()[6].type, SummaryColumn::Type::kInt);
  EXPECT_EQ(back->columns()[4].type, SummaryColumn::Type::kBool);
  EXPECT_EQ(back->columns()[1].type, SummaryColumn::Type::kInt);
  EXPECT_EQ(back->columns()[2].type, SummaryColumn::Type::kFloat);
  for (size_t r = 0; r < 5000; ++r) {
    EXPECT_TRUE(back->columns()[0].cells[r] == ids[r]);
    EXPECT_TRUE(back->columns()[1].cells[r] == ints[r]) << r;
    EXPECT_TRUE(back->columns()[2].cells[r] == doubles[r]) << r;
    EXPECT_TRUE(back->columns()[3].cells[r] == texts[r]) << r;
    EXPECT_TRUE(back->columns()[4].cells[r] == bools[r]) << r;
    EXPECT_TRUE(sparse[r].is_null()
                    ? back->columns()[5].cells[r].is_null()
                    : back->columns()[5].cells[r] == Value(static_cast<double>(sparse[r].as_int())))
        << r;
    EXPECT_TRUE(back->columns()[6].cells[r].is_null());
  }
}

TEST(SummaryTable, EmptyTableAndErrors) {
  TempDir dir;
  SummaryTable t;
  t.AddColumn("combo", {});
  ASSERT_TRUE(t.WriteHdf5(dir.File("e.h5")).ok());
  Result<SummaryTable> back = SummaryTable::ReadHdf5(dir.File("e.h5"));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->rows(), 0u);

  Result<SummaryTable> missing = SummaryTable::ReadHdf5(dir.File("none.h5"));
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  {
    std::ofstream f(dir.File("junk.h5"));
    f << "not hdf5";
  }
  Result<SummaryTable> junk = SummaryTable::ReadHdf5(dir.File("junk.h5"));
  EXPECT_EQ(junk.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(junk.status().message().find("not a readable HDF5 file"), std::string::npos);
}

TEST(SummaryTable, ATruncatedFileIsRefused) {
  TempDir dir;
  SummaryTable t;
  std::vector<Value> xs;
  for (int i = 0; i < 100000; ++i) xs.push_back(i * 1.0);
  t.AddColumn("x", xs);
  ASSERT_TRUE(t.WriteHdf5(dir.File("t.h5")).ok());
  std::filesystem::resize_file(dir.File("t.h5"), std::filesystem::file_size(dir.File("t.h5")) / 2);
  Result<SummaryTable> back = SummaryTable::ReadHdf5(dir.File("t.h5"));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), Status::Code::kInvalidInput);
}

}  // namespace
}  // namespace fai
