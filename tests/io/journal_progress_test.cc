#include "io/journal_progress.h"

#include <gtest/gtest.h>

#include "io_test_util.h"

namespace fai {
namespace {

TEST(JournalProgress, CountsTheLatestRun) {
  TempDir dir;
  const std::string path = dir.File("r.h5.journal");
  auto w = JournalWriter::Open(path);
  ASSERT_TRUE(w.ok());
  JournalRunStart first;
  first.total_tasks = 3;
  ASSERT_TRUE((*w)->Append(first).ok());
  JournalTask task;
  ASSERT_TRUE((*w)->Append(task).ok());

  JournalRunStart second;  // a resume: 1 reused, 4 to run of 5
  second.total_tasks = 5;
  second.reused_tasks = 1;
  second.tasks_to_run = 4;
  second.combos = {"a", "b"};
  second.started_unix = 1000;
  ASSERT_TRUE((*w)->Append(second).ok());
  task.running = 2;
  task.finished_unix = 1010;
  ASSERT_TRUE((*w)->Append(task).ok());
  task.ok = false;
  task.running = 1;
  task.finished_unix = 1012;
  ASSERT_TRUE((*w)->Append(task).ok());

  Result<JournalProgress> p = ReadJournalProgress(path);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->has_run);
  EXPECT_EQ(p->combinations, 2u);
  EXPECT_EQ(p->done, 1u);
  EXPECT_EQ(p->failed, 1u);
  EXPECT_EQ(p->running, 1u);
  EXPECT_EQ(p->Remaining(), 2u);
  EXPECT_DOUBLE_EQ(p->last_record_unix, 1012);
  EXPECT_FALSE(p->end.has_value());

  JournalRunEnd end;
  end.succeeded = 1;
  end.failed = 1;
  ASSERT_TRUE((*w)->Append(end).ok());
  p = ReadJournalProgress(path);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->end.has_value());
  EXPECT_EQ(p->running, 0u);
  EXPECT_EQ(ReadJournalProgress(dir.File("none")).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace fai
