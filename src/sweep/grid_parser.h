// Reads a grid.yaml document (DESIGN §3) into a GridBlockSet.
//
// Sections: `grid`, `zip`, `random` (the first block), `blocks` (more blocks), `combinations`
// (explicit points, a last block) and `exclude`. Every value is typed by the YAML 1.2 core
// schema (yaml_value.h); axes are lists, single values or {range|linspace|logspace: [...]};
// random samples are drawn here, once. Keys are registered in order of first appearance.
//
// Errors are Status::InvalidInput naming the path of the offending key ("grid.m12.iterations",
// "combinations[3]") and what was expected, with a did-you-mean where one fits; the caller puts
// the file name in front. Stateless apart from the set it fills.
#ifndef FAI_SWEEP_GRID_PARSER_H_
#define FAI_SWEEP_GRID_PARSER_H_

#include <yaml-cpp/yaml.h>

#include "common/status.h"
#include "sweep/grid_block_set.h"

namespace fai {

// Fills `set` (empty on entry) from `root` and finalizes it. On error `set` is unusable.
Status ParseGridDocument(const YAML::Node& root, GridBlockSet* set);

}  // namespace fai

#endif  // FAI_SWEEP_GRID_PARSER_H_
