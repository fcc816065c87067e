#include "io/resume_plan.h"

#include <gtest/gtest.h>

namespace fai {
namespace {

using A = ResumeAction;

// data(0) -> features(1) -> model A(2), model B(3) -> backtest A(4), backtest B(5)
std::vector<ResumeTask> Chain(std::vector<bool> finished, std::vector<bool> replayable = {}) {
  std::vector<std::vector<uint32_t>> inputs = {{}, {0}, {1}, {1}, {2, 0}, {3, 0}};
  std::vector<ResumeTask> tasks;
  for (size_t i = 0; i < inputs.size(); ++i)
    tasks.push_back(ResumeTask{finished[i], !replayable.empty() && replayable[i], inputs[i]});
  return tasks;
}

TEST(ResumePlan, NothingFinishedRunsEverything) {
  ResumeDecision d = DecideResume(Chain({false, false, false, false, false, false}));
  EXPECT_EQ(d.action, std::vector<A>(6, A::kRun));
  EXPECT_EQ(d.reused, 0u);
  EXPECT_EQ(d.to_run(), 6u);
  EXPECT_TRUE(d.rerun_for_inputs.empty());
}

TEST(ResumePlan, EverythingFinishedRunsNothing) {
  ResumeDecision d = DecideResume(Chain({true, true, true, true, true, true}));
  EXPECT_EQ(d.action, std::vector<A>(6, A::kReuse));
  EXPECT_EQ(d.reused, 6u);
  EXPECT_EQ(d.to_run(), 0u);
}

TEST(ResumePlan, UnrecordedOutputsOfFinishedProducersAreRecomputedUpTheGraph) {
  // Branch B's backtest did not finish: it reads model B (finished, its output not recorded,
  // so model B runs again, and with it the features it reads) and the data.
  ResumeDecision d = DecideResume(Chain({true, true, true, true, true, false}));
  EXPECT_EQ(d.action, (std::vector<A>{A::kRun, A::kRun, A::kReuse, A::kRun, A::kReuse, A::kRun}));
  EXPECT_EQ(d.rerun_for_inputs, (std::vector<uint32_t>{0, 1, 3}));
  EXPECT_EQ(d.reused, 2u);
}

TEST(ResumePlan, RecordedOutputsAreReplayedInsteadOfRecomputed) {
  // Model B's and the data's outputs are in the journal: fed from there, nothing upstream runs.
  ResumeDecision d = DecideResume(
      Chain({true, true, true, true, true, false}, {true, false, false, true, false, false}));
  EXPECT_EQ(d.action,
            (std::vector<A>{A::kReplay, A::kReuse, A::kReuse, A::kReplay, A::kReuse, A::kRun}));
  EXPECT_EQ(d.replayed, (std::vector<uint32_t>{0, 3}));
  EXPECT_TRUE(d.rerun_for_inputs.empty());
  EXPECT_EQ(d.reused, 5u);
  EXPECT_EQ(d.to_run(), 1u);
  // A replayable producer that must run anyway (not finished) still pulls its own inputs.
  d = DecideResume(
      Chain({true, true, true, false, true, false}, {true, true, true, true, true, true}));
  EXPECT_EQ(d.action,
            (std::vector<A>{A::kReplay, A::kReplay, A::kReuse, A::kRun, A::kReuse, A::kRun}));
}

TEST(ResumePlan, ComboDiff) {
  ComboDiff d = DiffCombos({"a", "b", "c"}, {"b", "c", "d", "e"});
  EXPECT_EQ(d.added, (std::vector<std::string>{"d", "e"}));
  EXPECT_EQ(d.dropped, (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace fai
