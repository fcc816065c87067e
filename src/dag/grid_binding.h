// GridBinding: ties each swept key of a grid (`m12.iterations`) to a canvas module and param,
// checking every value the key can take against the param's declaration before anything runs.
#ifndef FAI_DAG_GRID_BINDING_H_
#define FAI_DAG_GRID_BINDING_H_

#include <string>
#include <vector>

#include "canvas/canvas.h"
#include "common/status.h"
#include "fai/value.h"
#include "sweep/grid.h"

namespace fai {

struct BoundKey {
  int module = 0;                    // index into canvas.modules
  std::string param;                 // "iterations"
  const ParamSpec* spec = nullptr;   // nullptr for free-form (command) params
};

class GridBinding {
 public:
  // Errors (InvalidInput, one per line) name the grid file and the key: a module the canvas
  // lacks, a param its type lacks (both with did-you-mean), a reserved command param, or a value
  // of the wrong type or out of range (with where it comes from in the grid).
  static Result<GridBinding> Bind(const Canvas& canvas, const Grid& grid);

  // Indexed like grid.keys().
  const std::vector<BoundKey>& keys() const { return keys_; }

  // `value` for key `key`, coerced to the param's declared type (4.0 -> 4 for an int param).
  // REQUIRES: the value came from the bound grid (already checked).
  Value Coerce(int key, const Value& value) const;

 private:
  std::vector<BoundKey> keys_;
};

}  // namespace fai

#endif  // FAI_DAG_GRID_BINDING_H_
