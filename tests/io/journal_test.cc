#include "io/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "io_test_util.h"

namespace fai {
namespace {

JournalTask Task(uint64_t n, Dict outputs = {}) {
  JournalTask t;
  t.key = ContentHash{n, n * 7};
  t.module_id = "m" + std::to_string(n);
  t.ok = n % 5 != 0;
  t.error = t.ok ? "" : "boom";
  t.wall_s = 0.25 * n;
  t.outputs = std::move(outputs);
  t.ship = {"equity"};
  return t;
}

std::vector<JournalRecord> ReadAll(const std::string& path, std::string* problem = nullptr,
                                   uint64_t* valid = nullptr) {
  Result<std::unique_ptr<JournalReader>> r = JournalReader::Open(path);
  EXPECT_TRUE(r.ok()) << r.status().message();
  std::vector<JournalRecord> out;
  JournalRecord rec;
  uint64_t offset = 0;
  while ((*r)->Next(&rec, &offset)) out.push_back(rec);
  if (problem) *problem = (*r)->tail_problem();
  if (valid) *valid = (*r)->valid_bytes();
  return out;
}

void Truncate(const std::string& path, uint64_t size) { std::filesystem::resize_file(path, size); }

TEST(Journal, RecordsComeBackInOrderWithTheirContent) {
  TempDir dir;
  const std::string path = dir.File("r.h5.journal");
  Matrix m(2, 2);
  m << 1, 2, 3, 4;
  std::vector<uint64_t> offsets;
  {
    auto w = JournalWriter::Open(path);
    ASSERT_TRUE(w.ok()) << w.status().message();
    JournalRunStart start;
    start.combos = {"a", "b"};
    start.total_tasks = 3;
    ASSERT_TRUE((*w)->Append(start).ok());
    for (uint64_t i = 1; i <= 5; ++i) {
      Result<uint64_t> off = (*w)->Append(Task(i, Dict{{"sharpe", 0.5 * i}, {"equity", m}}));
      ASSERT_TRUE(off.ok());
      offsets.push_back(*off);
    }
    JournalRunEnd end;
    end.succeeded = 2;
    ASSERT_TRUE((*w)->Append(end).ok());
  }
  std::string problem;
  auto records = ReadAll(path, &problem);
  EXPECT_EQ(problem, "");
  ASSERT_EQ(records.size(), 7u);
  EXPECT_EQ(std::get<JournalRunStart>(records[0]).combos, (std::vector<std::string>{"a", "b"}));
  const JournalTask& t3 = std::get<JournalTask>(records[3]);
  EXPECT_EQ(t3.key, (ContentHash{3, 21}));
  EXPECT_EQ(t3.module_id, "m3");
  EXPECT_TRUE(t3.outputs.at("equity") == Value(m));
  EXPECT_FALSE(std::get<JournalTask>(records[5]).ok);
  EXPECT_EQ(std::get<JournalRunEnd>(records[6]).succeeded, 2u);

  auto reader = JournalReader::Open(path);
  ASSERT_TRUE(reader.ok());
  Result<JournalRecord> again = (*reader)->ReadAt(offsets[1]);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(std::get<JournalTask>(*again).module_id, "m2");
  EXPECT_FALSE((*reader)->ReadAt(offsets[1] + 3).ok());
}

TEST(Journal, ATornTailIsReportedAndCutOffWithNothingBeforeItLost) {
  TempDir dir;
  const std::string path = dir.File("t.journal");
  uint64_t good_end = 0;
  {
    auto w = JournalWriter::Open(path);
    ASSERT_TRUE(w.ok());
    for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE((*w)->Append(Task(i)).ok());
    good_end = (*w)->size();
    ASSERT_TRUE((*w)->Append(Task(4, Dict{{"x", std::string(1000, 'y')}})).ok());
  }
  const uint64_t full = std::filesystem::file_size(path);
  // Cut the last record anywhere: inside its frame, inside its payload, one byte short.
  for (uint64_t cut : {good_end + 1, good_end + 10, good_end + 100, full - 1}) {
    std::filesystem::copy_file(path, path + ".cut",
                               std::filesystem::copy_options::overwrite_existing);
    Truncate(path + ".cut", cut);
    std::string problem;
    uint64_t valid = 0;
    auto records = ReadAll(path + ".cut", &problem, &valid);
    EXPECT_EQ(records.size(), 3u) << cut;
    EXPECT_EQ(valid, good_end);
    EXPECT_NE(problem.find("cut short"), std::string::npos) << problem;
    // The writer cuts it off and appends after the good records.
    auto w = JournalWriter::Open(path + ".cut");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->TruncateTo(valid).ok());
    ASSERT_TRUE((*w)->Append(Task(9)).ok());
    w->reset();
    records = ReadAll(path + ".cut", &problem);
    EXPECT_EQ(problem, "");
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(std::get<JournalTask>(records[3]).module_id, "m9");
  }
}

TEST(Journal, AFlippedByteFailsTheChecksum) {
  TempDir dir;
  const std::string path = dir.File("c.journal");
  uint64_t second = 0;
  {
    auto w = JournalWriter::Open(path);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(Task(1)).ok());
    second = (*w)->size();
    ASSERT_TRUE((*w)->Append(Task(2)).ok());
    ASSERT_TRUE((*w)->Append(Task(3)).ok());
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(second + 20));
    f.put('\x5a');
  }
  std::string problem;
  auto records = ReadAll(path, &problem);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_NE(problem.find("checksum"), std::string::npos) << problem;
}

TEST(Journal, ASecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
  TempDir dir;
  const std::string path = dir.File("l.journal");
  auto first = JournalWriter::Open(path);
  ASSERT_TRUE(first.ok());
  auto second = JournalWriter::Open(path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(second.status().message().find("another fai-sweep"), std::string::npos);
  first->reset();
  EXPECT_TRUE(JournalWriter::Open(path).ok());
}

TEST(Journal, NotAJournalIsRefusedAndLeftAlone) {
  TempDir dir;
  const std::string path = dir.File("x.journal");
  std::ofstream(path) << "hello, this is not a journal at all";
  auto w = JournalWriter::Open(path);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("not a fai-sweep journal"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(path), 35u);
  EXPECT_FALSE(JournalReader::Open(path).ok());
}

TEST(Journal, AnEmptyOrHeaderlessFileStartsFresh) {
  TempDir dir;
  const std::string path = dir.File("e.journal");
  std::ofstream(path).close();
  EXPECT_TRUE(ReadAll(path).empty());
  auto w = JournalWriter::Open(path);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)->size(), kJournalHeaderBytes);
  ASSERT_TRUE((*w)->Append(Task(1)).ok());
  ASSERT_TRUE((*w)->Reset().ok());
  w->reset();
  EXPECT_TRUE(ReadAll(path).empty());
}

TEST(Journal, AReaderSeesRecordsAppendedWhileItReads) {
  TempDir dir;
  const std::string path = dir.File("live.journal");
  auto w = JournalWriter::Open(path);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append(Task(1)).ok());
  auto r = JournalReader::Open(path);
  ASSERT_TRUE(r.ok());
  JournalRecord rec;
  uint64_t offset = 0;
  EXPECT_TRUE((*r)->Next(&rec, &offset));
  EXPECT_FALSE((*r)->Next(&rec, &offset));
  ASSERT_TRUE((*w)->Append(Task(2)).ok());
  EXPECT_TRUE((*r)->Next(&rec, &offset));
  EXPECT_EQ(std::get<JournalTask>(rec).module_id, "m2");
}

TEST(Journal, MissingJournalIsNotFound) {
  TempDir dir;
  auto r = JournalReader::Open(dir.File("none"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace fai
