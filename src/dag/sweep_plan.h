// SweepPlan: canvas × combinations → the deduplicated task graph (DESIGN §4).
//
// For combination c, module m has effective params P(m,c) (canvas params overridden by c) and
// task key K(m,c) = hash(type, type version, P(m,c), K(inputs)). The plan's tasks are the distinct
// keys: work shared by many combinations appears once. With dedup off, the combination's id is
// part of every key, so each combination gets its own tasks.
//
// Tasks are stored in an order where every producer precedes its consumers. A task keeps the
// index of the first combination that uses it; its params are recomputed from there on demand,
// so a plan holds no per-task copy of params. The Canvas and Grid passed to Build must outlive
// the plan. Immutable after Build; safe to read from several threads.
#ifndef FAI_DAG_SWEEP_PLAN_H_
#define FAI_DAG_SWEEP_PLAN_H_

#include <cstdint>
#include <vector>

#include "canvas/canvas.h"
#include "common/content_hash.h"
#include "common/status.h"
#include "dag/grid_binding.h"
#include "sweep/grid.h"

namespace fai {

struct PlanOptions {
  bool dedup = true;  // run work shared by several combinations once
};

struct PlanTask {
  ContentHash key;                // content key K(m,c)
  int module = 0;                 // index into canvas.modules
  uint32_t first_combo = 0;       // the first combination that uses this task
  uint32_t num_combos = 0;        // how many combinations use it
  std::vector<uint32_t> inputs;   // producer task per entry of the module's `inputs`
};

class SweepPlan {
 public:
  // Binds the grid to the canvas (errors as GridBinding::Bind), expands every combination and
  // builds the task graph.
  static Result<SweepPlan> Build(const Canvas& canvas, const Grid& grid, const PlanOptions& options);

  const Canvas& canvas() const { return *canvas_; }
  const Grid& grid() const { return *grid_; }
  const GridBinding& binding() const { return binding_; }
  const PlanOptions& options() const { return options_; }

  size_t num_combos() const { return combos_.size(); }
  const Combination& combo(size_t i) const { return combos_[i]; }
  const std::vector<PlanTask>& tasks() const { return tasks_; }
  // The task that module `module` of combination `combo` maps to.
  uint32_t TaskOf(size_t combo, int module) const { return task_of_[combo * modules_ + module]; }

  // P(m,c) of the task: its module's canvas params overridden by its first combination.
  Dict EffectiveParams(uint32_t task) const;
  // Params of `module` under combination `combo`.
  Dict EffectiveParams(size_t combo, int module) const;

  uint64_t TasksWithoutDedup() const { return static_cast<uint64_t>(combos_.size()) * modules_; }
  uint64_t TasksSaved() const { return TasksWithoutDedup() - tasks_.size(); }
  // Distinct tasks per module, indexed like canvas.modules.
  std::vector<uint64_t> TasksPerModule() const;

 private:
  SweepPlan() = default;

  const Canvas* canvas_ = nullptr;
  const Grid* grid_ = nullptr;
  GridBinding binding_;
  PlanOptions options_;
  size_t modules_ = 0;
  std::vector<Combination> combos_;
  std::vector<PlanTask> tasks_;
  std::vector<uint32_t> task_of_;  // combos × modules
};

}  // namespace fai

#endif  // FAI_DAG_SWEEP_PLAN_H_
