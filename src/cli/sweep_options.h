// SweepOptions: everything `fai-sweep [run]` and `fai-sweep validate` take, filled from flags in
// one place (cli/main.cc). Every field has a default.
#ifndef FAI_CLI_SWEEP_OPTIONS_H_
#define FAI_CLI_SWEEP_OPTIONS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "mpi_sched/capacity.h"

namespace fai {

struct SweepOptions {
  std::string canvas_path;            // canvas.json
  std::string grid_path;              // grid.yaml; empty: run the canvas once
  bool dry_run = false;               // validate and print the plan, run nothing
  bool json = false;                  // print the plan as one JSON object
  bool dedup = true;                  // --no-dedup: every combination runs its whole canvas
  size_t show = 10;                   // combinations listed in the text plan
  std::vector<std::string> plugins;   // --plugin: shared libraries adding module types
  bool fail_fast = false;             // --fail-fast: start nothing new after the first failure
  std::string output = "results.h5";  // -o/--output: the result file
  std::string run_dir;                // task directories and logs; default: <output stem>.run
  std::vector<std::string> save;      // --save: outputs to save beyond scalars and maps (see
                                      // io/save_selection.h); empty: `last`
  bool fresh = false;                 // --fresh: ignore the journal of an earlier run, start over
  CapacityFlags capacity;             // --cpus-per-rank, --gpus-per-rank, --mem-per-rank
  size_t table_rows = 20;             // rows of the closing results table
  std::string cluster;                // --cluster: a profile's name or path (price for the usage
                                      // report; `submit`: the allocation to ask for)
  std::string progress = "auto";      // --progress: auto (bar on a terminal, else plain), bar, plain, none
  bool quiet = false;                 // --quiet: no progress output
};

}  // namespace fai

#endif  // FAI_CLI_SWEEP_OPTIONS_H_
