#include "io/resume_plan.h"

#include <algorithm>
#include <unordered_set>

namespace fai {

size_t ResumeDecision::to_run() const {
  return static_cast<size_t>(std::count(action.begin(), action.end(), ResumeAction::kRun));
}

ResumeDecision DecideResume(const std::vector<ResumeTask>& tasks) {
  ResumeDecision d;
  d.action.assign(tasks.size(), ResumeAction::kReuse);
  for (size_t t = 0; t < tasks.size(); ++t)
    if (!tasks[t].finished) d.action[t] = ResumeAction::kRun;
  // Consumers come after producers: walking backwards, a task's action is final before its
  // producers are visited.
  for (size_t t = tasks.size(); t-- > 0;) {
    if (d.action[t] != ResumeAction::kRun) continue;
    for (uint32_t in : tasks[t].inputs)
      if (d.action[in] == ResumeAction::kReuse)
        d.action[in] = tasks[in].replayable ? ResumeAction::kReplay : ResumeAction::kRun;
  }
  for (size_t t = 0; t < tasks.size(); ++t) {
    if (!tasks[t].finished) continue;
    if (d.action[t] == ResumeAction::kRun) {
      d.rerun_for_inputs.push_back(static_cast<uint32_t>(t));
    } else {
      ++d.reused;
      if (d.action[t] == ResumeAction::kReplay) d.replayed.push_back(static_cast<uint32_t>(t));
    }
  }
  return d;
}

ComboDiff DiffCombos(const std::vector<std::string>& before, const std::vector<std::string>& now) {
  ComboDiff diff;
  const std::unordered_set<std::string> old_set(before.begin(), before.end());
  const std::unordered_set<std::string> new_set(now.begin(), now.end());
  for (const std::string& id : now)
    if (!old_set.count(id)) diff.added.push_back(id);
  for (const std::string& id : before)
    if (!new_set.count(id)) diff.dropped.push_back(id);
  return diff;
}

}  // namespace fai
