// Grid: the parameter combinations described by grid.yaml (DESIGN §3), expanded lazily.
//
// A grid is a union of blocks. A block is the product of its `grid` axes, its `zip` groups
// (lists that vary together) and its `random` samples (drawn once, with the block's seed).
// The top-level `grid` / `zip` / `random` keys form the first block, each entry of `blocks`
// another, and `combinations` (explicit points) a last one. `exclude` removes every combination
// that matches all keys of an entry. A combination produced by an earlier block is not produced
// again by a later one (a union), checked by membership, so iteration keeps no per-combination
// state: memory does not grow with the number of combinations.
//
// Order: blocks in the order above; within a block, the last axis varies fastest.
//
// Combination ids are content hashes of the sorted (key, value) pairs, independent of position,
// so adding values to an axis keeps every earlier id. A Grid is immutable and may be iterated
// from several threads at once.
#ifndef FAI_SWEEP_GRID_H_
#define FAI_SWEEP_GRID_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/content_hash.h"
#include "common/status.h"
#include "fai/value.h"

namespace fai {

// One swept key's value in a combination. `key` indexes Grid::keys().
struct Assignment {
  int key = 0;
  Value value;
};

struct Combination {
  ContentHash hash;                 // of the sorted (key name, value) pairs
  std::vector<Assignment> values;   // sorted by key index

  // 16 hex digits: the combination id shown to users and used in result files.
  std::string id() const { return hash.ShortHex(16); }
  // nullptr when the combination does not set this key.
  const Value* Find(int key) const;
};

// Where a value a key can take comes from, for validation messages ("grid.m12.iterations[2]",
// "random.params.m12.max_depth (randint upper bound)", "combinations[3]").
struct CandidateValue {
  int key = 0;
  Value value;
  std::string where;
};

class GridBlockSet;  // internal representation

class Grid {
 public:
  // Parses YAML text; `filename` is for messages. Errors (InvalidInput) name the file, the
  // key and what was expected; malformed YAML gives line and column.
  static Result<Grid> Parse(std::string_view yaml_text, const std::string& filename);
  static Result<Grid> Load(const std::string& path);
  // The grid of a canvas run without a grid file: one combination that sets nothing.
  static Grid Single();

  Grid(Grid&&) noexcept;
  Grid& operator=(Grid&&) noexcept;
  ~Grid();

  // Every swept key, in order of first appearance in the file ("m12.iterations").
  const std::vector<std::string>& keys() const;
  // -1 when not a key of this grid.
  int KeyIndex(std::string_view key) const;
  const std::string& path() const;
  const std::string& source_text() const;

  // Calls fn for each combination in order until fn returns false.
  void ForEach(const std::function<bool(const Combination&)>& fn) const;
  // Number of combinations (iterates; O(1) memory).
  uint64_t Count() const;
  // Every value any key can take, without expanding the product: axis values, zip entries,
  // `combinations` entries, `exclude` values, random choices and distribution bounds.
  std::vector<CandidateValue> CandidateValues() const;

 private:
  Grid();
  std::unique_ptr<GridBlockSet> impl_;
};

}  // namespace fai

#endif  // FAI_SWEEP_GRID_H_
