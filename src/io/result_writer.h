// ResultWriter: writes a run's result file (DESIGN §7). Only rank 0 writes it, while the run goes
// (SweepResultWriter, sweep_results.h); the file is built under a temporary name and moved into
// place with CommitFile, so a reader never finds a partial file under the final name.
//
// Layout (h5py paths):
//   /summary                  compound dataset, one row per combination (see summary_table.h)
//   /combos/<combo id>        group per combination: its swept params as attributes (named as in
//                             the grid: "m12.iterations"); one member per canvas module, a hard
//                             link to that module's task group (its status, wall_s and error are
//                             in its /summary row)
//   /tasks/<module>/<key>     group per distinct task (key: 32 hex digits of its content key)
//                             holding its saved outputs (see h5_value.h: scalars as attributes,
//                             maps as subgroups, matrices, tables, lists, blobs as datasets); a
//                             task shared by many combinations is stored once and linked from each
//   /task_index               compound dataset, one row per task: key, module, status, wall_s,
//                             combos (how many combinations use it), error
//   /run                      group: datasets `canvas` and `grid` (the files' text) and attributes
//                             engine_version, canvas_path, grid_path, save, dedup
//   /usage                    group: the usage report's figures as attributes (cli, usage_report.h)
// Not thread-safe; callers hold Hdf5Lock() (common/hdf5_lock.h).
#ifndef FAI_IO_RESULT_WRITER_H_
#define FAI_IO_RESULT_WRITER_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "fai/value.h"
#include "io/h5_id.h"
#include "io/summary_table.h"

namespace fai {

struct ResultRunInfo {
  std::string engine_version;
  std::string canvas_path, grid_path;
  std::string canvas_text, grid_text;
  std::vector<std::string> save_patterns;
  bool dedup = true;
  // Further top-level groups holding attributes only, by name (/usage: the run's usage report).
  std::map<std::string, Dict> attribute_groups;
};

// One member of a combination group: module `module_id` ran as task `task_key`.
struct ComboModule {
  std::string module_id;
  std::string task_key;
};

class ResultWriter {
 public:
  // Creates (truncating) the file at `path`.
  static Result<std::unique_ptr<ResultWriter>> Create(const std::string& path);
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  Status WriteRunInfo(const ResultRunInfo& info);
  // Adds /tasks/<module_id>/<task_key> with `outputs` (each stored by WriteH5Value).
  Status WriteTask(const std::string& module_id, const std::string& task_key, const Dict& outputs);
  // Adds /combos/<combo_id>. REQUIRES: every task it names was written.
  Status WriteCombo(const std::string& combo_id,
                    const std::vector<std::pair<std::string, Value>>& params,
                    const std::vector<ComboModule>& modules);
  Status WriteSummary(const SummaryTable& summary);
  Status WriteTaskIndex(const SummaryTable& index);
  // Flushes and closes the file (CommitFile makes it durable). The writer is unusable after.
  Status Close();

 private:
  ResultWriter(std::string path, H5Id file) : path_(std::move(path)), file_(std::move(file)) {}
  Status Fail(const std::string& what) const;
  std::string path_;
  H5Id file_;
  H5Id combos_, tasks_;
  std::map<std::string, H5Id, std::less<>> module_groups_;
};

// Makes `tmp_path` durable and renames it to `final_path` in one atomic step, then makes the
// rename durable (fsync of the directory).
Status CommitFile(const std::string& tmp_path, const std::string& final_path);

}  // namespace fai

#endif  // FAI_IO_RESULT_WRITER_H_
