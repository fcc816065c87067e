#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>

#include "io/result_reader.h"
#include "io/result_writer.h"
#include "io_test_util.h"

namespace fai {
namespace {

// Two combinations sharing a data task, each with its own model task.
std::string WriteSample(const TempDir& dir) {
  const std::string path = dir.File("r.h5.tmp");
  auto w = ResultWriter::Create(path);
  EXPECT_TRUE(w.ok()) << w.status().message();
  Matrix equity(3, 1);
  equity << 1.0, 1.01, 1.02;
  EXPECT_TRUE((*w)->WriteTask("m1", "aaaa", Dict{{"rows", 100}}).ok());
  EXPECT_TRUE(
      (*w)->WriteTask("m2", "bbbb", Dict{{"metrics", Dict{{"sharpe", 1.5}}}, {"equity", equity}})
          .ok());
  EXPECT_TRUE((*w)->WriteTask("m2", "cccc", Dict{{"metrics", Dict{{"sharpe", -0.5}}}}).ok());
  EXPECT_TRUE(
      (*w)->WriteCombo("0123456789abcdef", {{"m2.k", 1}}, {{"m1", "aaaa"}, {"m2", "bbbb"}}).ok());
  EXPECT_TRUE(
      (*w)->WriteCombo("0123ffff89abcdef", {{"m2.k", 2}}, {{"m1", "aaaa"}, {"m2", "cccc"}}).ok());
  SummaryTable summary;
  summary.AddColumn("combo", {"0123456789abcdef", "0123ffff89abcdef"});
  summary.AddColumn("status", {"ok", "ok"});
  summary.AddColumn("m2.k", {1, 2});
  summary.AddColumn("m2.sharpe", {1.5, -0.5});
  EXPECT_TRUE((*w)->WriteSummary(summary).ok());
  ResultRunInfo info;
  info.engine_version = "fai-sweep 9.9.9";
  info.canvas_text = "{\"version\": 1}";
  info.grid_text = "grid: {}";
  info.save_patterns = {"last"};
  info.attribute_groups["usage"]["nodes"] = 1;
  EXPECT_TRUE((*w)->WriteRunInfo(info).ok());
  EXPECT_TRUE((*w)->Close().ok());
  EXPECT_TRUE(CommitFile(path, dir.File("r.h5")).ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  return dir.File("r.h5");
}

haddr_t Address(hid_t file, const char* path) {
  H5O_info_t info;
  EXPECT_GE(H5Oget_info_by_name(file, path, &info, H5P_DEFAULT), 0) << path;
  return info.addr;
}

TEST(ResultStore, SharedTasksAreHardLinkedNotCopied) {
  TempDir dir;
  const std::string path = WriteSample(dir);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_EQ(Address(file, "/combos/0123456789abcdef/m1"), Address(file, "/tasks/m1/aaaa"));
  EXPECT_EQ(Address(file, "/combos/0123ffff89abcdef/m1"), Address(file, "/tasks/m1/aaaa"));
  EXPECT_NE(Address(file, "/combos/0123456789abcdef/m2"),
            Address(file, "/combos/0123ffff89abcdef/m2"));
  H5Fclose(file);
}

TEST(ResultStore, ReaderFindsCombinationsByIdOrPrefix) {
  TempDir dir;
  const std::string path = WriteSample(dir);
  auto reader = ResultReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  Result<ComboResults> combo = (*reader)->ReadCombo("012345");
  ASSERT_TRUE(combo.ok()) << combo.status().message();
  EXPECT_EQ(combo->id, "0123456789abcdef");
  EXPECT_TRUE(combo->params.at("m2.k") == Value(1));
  EXPECT_TRUE(combo->summary.at("m2.sharpe") == Value(1.5));
  ASSERT_EQ(combo->modules.size(), 2u);
  EXPECT_EQ(combo->modules[1].first, "m2");
  EXPECT_TRUE(combo->modules[1].second.at("metrics") == Value(Dict{{"sharpe", 1.5}}));
  EXPECT_EQ(combo->modules[1].second.at("equity").as_matrix().rows(), 3);

  Result<ComboResults> ambiguous = (*reader)->ReadCombo("0123");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(ambiguous.status().message().find("give more digits"), std::string::npos);
  EXPECT_EQ((*reader)->ReadCombo("ffff").status().code(), Status::Code::kNotFound);

  Result<ResultRunInfo> info = (*reader)->ReadRunInfo();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->engine_version, "fai-sweep 9.9.9");
  EXPECT_EQ(info->canvas_text, "{\"version\": 1}");
  EXPECT_EQ(info->save_patterns, std::vector<std::string>{"last"});
  Result<SummaryTable> summary = (*reader)->ReadSummary();
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->rows(), 2u);
}

TEST(ResultStore, ANonResultFileIsRefused) {
  TempDir dir;
  SummaryTable t;
  t.AddColumn("x", {1});
  ASSERT_TRUE(t.WriteHdf5(dir.File("other.h5"), "other").ok());
  auto reader = ResultReader::Open(dir.File("other.h5"));
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("not a fai-sweep result file"), std::string::npos);
  EXPECT_EQ(ResultReader::Open(dir.File("none.h5")).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace fai
