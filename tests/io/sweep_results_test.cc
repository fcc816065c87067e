// SweepResultWriter: the file written while tasks end (in any order) holds every task and
// combination group and the right /summary; a writer that is not finished leaves no file.
#include "io/sweep_results.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>

#include "canvas/canvas_parser.h"
#include "io/journal.h"
#include "io/result_reader.h"
#include "io_test_util.h"

namespace fai {
namespace {

// data (shared by every combination) -> model (one per combination).
class SweepResultWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"t.data", "t.model"}) {
      ModuleType t;
      t.name = name;
      t.help = "test type";
      ParamSpec k;
      k.name = "k";
      k.type = ParamType::kInt;
      k.default_value = 1;
      t.params = {k};
      if (std::string(name) == "t.model") t.inputs.push_back({"data", "", false});
      t.outputs.push_back({std::string(name) == "t.model" ? "score" : "data", "", false});
      t.run = [](TaskContext&) {};
      registry_.Register(t);
    }
    auto canvas = ParseCanvas(R"({"version": 1, "modules": [
        {"id": "d", "type": "t.data"},
        {"id": "m", "type": "t.model", "inputs": {"data": "d.data"}}]})",
                              "canvas.json", registry_);
    ASSERT_TRUE(canvas.ok()) << canvas.status().message();
    canvas_ = std::move(*canvas);
    auto grid = Grid::Parse("grid:\n  m.k: [1, 2, 3, 4]\n", "grid.yaml");
    ASSERT_TRUE(grid.ok()) << grid.status().message();
    grid_ = std::make_unique<Grid>(std::move(*grid));
    auto plan = SweepPlan::Build(canvas_, *grid_, PlanOptions{});
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    plan_ = std::make_unique<SweepPlan>(std::move(*plan));
    auto save = SaveSelection::Parse({}, {{"d", {"data"}, false, false}, {"m", {"score"}, false, true}});
    ASSERT_TRUE(save.ok()) << save.status().message();
    save_ = std::make_unique<SaveSelection>(std::move(*save));
  }

  // The model task's score: 10 times its k.
  Dict Outputs(uint32_t t) const {
    const PlanTask& task = plan_->tasks()[t];
    if (task.module == 0) return Dict{{"data", 1}};
    return Dict{{"score", 10 * plan_->EffectiveParams(t).at("k").as_int()}};
  }

  // Commits the file at `path` and reads every combination back: its k, the shared data task's
  // output and its model's score.
  void ExpectEveryCombination(const std::string& path) {
    ASSERT_TRUE(CommitFile(path, dir_.File("r.h5")).ok());
    auto reader = ResultReader::Open(dir_.File("r.h5"));
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    for (size_t c = 0; c < plan_->num_combos(); ++c) {
      auto combo = (*reader)->ReadCombo(plan_->combo(c).id());
      ASSERT_TRUE(combo.ok()) << combo.status().message();
      const int64_t k = plan_->combo(c).Find(0)->as_int();
      EXPECT_EQ(combo->params.at("m.k").as_int(), k);
      ASSERT_EQ(combo->modules.size(), 2u);
      EXPECT_EQ(combo->modules[0].first, "d");
      EXPECT_EQ(combo->modules[0].second.at("data").as_int(), 1);
      EXPECT_EQ(combo->modules[1].first, "m");
      EXPECT_EQ(combo->modules[1].second.at("score").as_int(), 10 * k);
    }
  }

  ModuleRegistry registry_;
  Canvas canvas_;
  std::unique_ptr<Grid> grid_;
  std::unique_ptr<SweepPlan> plan_;
  std::unique_ptr<SaveSelection> save_;
  TempDir dir_;
};

TEST_F(SweepResultWriterTest, TasksEndingInAnyOrderMakeTheWholeFile) {
  const size_t n = plan_->tasks().size();
  ASSERT_EQ(n, 5u);  // one data task, four model tasks
  std::vector<PlanTaskOutcome> outcomes(n);
  const std::string path = dir_.File("r.h5.tmp");
  SweepResults results;
  {
    SweepResultWriter writer(path, *plan_, *save_);
    // Model tasks first, in reverse: no combination is complete before the data task ends.
    for (uint32_t t = static_cast<uint32_t>(n); t-- > 0;) {
      outcomes[t].state = PlanTaskState::kSucceeded;
      outcomes[t].wall_s = 0.5;
      if (plan_->tasks()[t].module == 1) writer.TaskEnded(t, Outputs(t));
    }
    for (uint32_t t = 0; t < n; ++t)
      if (plan_->tasks()[t].module == 0) writer.TaskEnded(t, Outputs(t));
    results = writer.Finish(outcomes, nullptr, ResultRunInfo{});
  }
  ASSERT_TRUE(results.written.ok()) << results.written.message();
  EXPECT_EQ(results.succeeded, 4u);
  ExpectEveryCombination(path);
  const SummaryTable& summary = results.summary;
  const auto column = [&](const std::string& name) {
    auto it = std::find_if(summary.columns().begin(), summary.columns().end(),
                           [&](const SummaryColumn& col) { return col.name == name; });
    EXPECT_NE(it, summary.columns().end()) << name;
    return it->cells;
  };
  for (size_t c = 0; c < plan_->num_combos(); ++c) {
    EXPECT_EQ(column("m.score")[c].as_int(), 10 * column("m.k")[c].as_int());
    EXPECT_DOUBLE_EQ(column("wall_s")[c].as_double(), 1.0);  // its two tasks
  }
}

TEST_F(SweepResultWriterTest, TasksPastTheQueueLimitComeFromTheJournal) {
  const size_t n = plan_->tasks().size();
  auto journal = JournalWriter::Open(dir_.File("r.h5.journal"));
  ASSERT_TRUE(journal.ok()) << journal.status().message();
  std::vector<PlanTaskOutcome> outcomes(n);
  const std::string path = dir_.File("r.h5.tmp");
  SweepResults results;
  {
    SweepResultWriter writer(path, *plan_, *save_, /*max_queued_bytes=*/0);  // nothing fits
    for (uint32_t t = 0; t < n; ++t) {
      JournalTask record;
      record.key = plan_->tasks()[t].key;
      record.module_id = canvas_.modules[plan_->tasks()[t].module].id;
      record.outputs = Outputs(t);
      Result<uint64_t> offset = (*journal)->Append(record);
      ASSERT_TRUE(offset.ok()) << offset.status().message();
      outcomes[t] = PlanTaskOutcome{PlanTaskState::kSucceeded, "", 0.25, static_cast<int64_t>(*offset)};
      // Not what was journaled: the file must hold the journal's outputs.
      writer.TaskEnded(t, Dict{{plan_->tasks()[t].module == 0 ? "data" : "score", -1}});
    }
    auto reader = JournalReader::Open(dir_.File("r.h5.journal"));
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    results = writer.Finish(outcomes, reader->get(), ResultRunInfo{});
  }
  ASSERT_TRUE(results.written.ok()) << results.written.message();
  ExpectEveryCombination(path);
}

TEST_F(SweepResultWriterTest, NotFinishedLeavesNoFile) {
  const std::string path = dir_.File("r.h5.tmp");
  {
    SweepResultWriter writer(path, *plan_, *save_);
    writer.TaskEnded(0, Outputs(0));
    EXPECT_TRUE(std::filesystem::exists(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace fai
