// GridBlockSet: the parsed form of a grid (behind fai::Grid) and its lazy expansion.
//
// Every value a key takes is stored once and numbered (a value id); a block is a list of
// factors, each a table of value-id rows that set some keys together: a `grid` axis is a one-key
// factor, a `zip` group, a `random` block (its samples) and the `combinations` list are
// multi-key factors. A block's combinations are the product of its factors (a mixed-radix
// odometer, last factor fastest). Memory is O(values in the file), never O(combinations): the
// union across blocks asks each earlier block with the same keys whether it holds every factor
// row (a membership index per factor), and `exclude` is precomputed as per-row match flags.
//
// Built by the parser (AddKey, InternValue, blocks, excludes), then Finalize(); afterwards
// immutable, and ForEach / Count / CandidateValues may run from several threads at once.
#ifndef FAI_SWEEP_GRID_BLOCK_SET_H_
#define FAI_SWEEP_GRID_BLOCK_SET_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/status.h"
#include "fai/value.h"
#include "sweep/grid.h"

namespace fai {

// A swept key and every distinct value (by Value::Encode bytes) it takes anywhere in the file.
struct SweptKey {
  std::string name;                    // "m12.iterations"
  std::string hash_prefix;             // the length-prefixed name, as ContentHasher::Add writes it
  std::vector<Value> values;           // indexed by value id, in order of first appearance
  std::vector<std::string> encodings;  // Value::Encode of values[id]
};

// One odometer digit of a block: rows of value ids that set `keys` together.
struct Factor {
  enum class Source { kAxis, kZip, kRandom, kCombinations };

  Source source = Source::kAxis;
  std::string label;                 // its path in the file: "grid.m12.iterations", "zip[0]", ...
  std::vector<int> keys;             // the keys it sets (column order)
  std::vector<uint32_t> cells;       // rows() * keys.size() value ids, row-major
  std::vector<uint32_t> file_index;  // per row: its position in the file (for CandidateValue)
  std::vector<CandidateValue> extra_candidates;  // random: distribution bounds and choices

  // Membership index (also the within-factor dedup): by value id for a one-key factor, else the
  // set of packed rows.
  std::vector<bool> has_value;
  std::unordered_set<std::string> packed_rows;

  size_t rows() const { return file_index.size(); }
  uint32_t cell(size_t row, size_t column) const { return cells[row * keys.size() + column]; }
  // Appends the row `ids` (one value id per key) unless an equal row is already present; returns
  // whether it was appended. The first of equal rows is kept.
  bool AddRow(const uint32_t* ids, uint32_t index_in_file);
  // Whether the row `ids` is one of the factor's rows. `scratch` is caller-owned working space.
  bool HasRow(const uint32_t* ids, std::string* scratch) const;
};

// An `exclude` entry: a combination matching every (key, value) (Value::Matches) is dropped.
struct ExcludeEntry {
  std::vector<std::pair<int, Value>> matches;
  std::string where;  // "exclude[0]"
};

struct Block {
  std::string label;  // for messages: "the top-level block", "blocks[1]", "combinations"
  std::vector<Factor> factors;

  // Derived by GridBlockSet::Finalize.
  uint64_t size = 0;                        // product of the factors' rows
  std::vector<int> keys;                    // ascending key index: Combination::values order
  std::vector<std::vector<int>> positions;  // per factor, per column: position in `keys`
  std::vector<int> hash_order;              // positions in `keys`, ordered by key name
  std::vector<int> earlier;                 // earlier blocks with the same keys (so the same
                                            // positions): the union skips what they produce
  struct ExcludeCheck {                     // an exclude entry that can match here
    std::vector<std::pair<int, std::vector<bool>>> factor_rows;  // factor, per-row match flags
  };
  std::vector<ExcludeCheck> excludes;
  bool excluded_entirely = false;  // an exclude entry matches every combination
};

class GridBlockSet {
 public:
  GridBlockSet() = default;
  GridBlockSet(const GridBlockSet&) = delete;
  GridBlockSet& operator=(const GridBlockSet&) = delete;

  // Building (the parser). The index of `name`, added if new.
  int AddKey(const std::string& name);
  // The value id of `value` for `key`, added if new.
  uint32_t InternValue(int key, Value value);
  // Derives the blocks' indexes and checks sizes; errors (without the file name): a grid too
  // large for 64 bits, an empty grid (no blocks, or every combination excluded).
  Status Finalize();

  // Reading (after Finalize).
  int KeyIndex(std::string_view name) const;
  void ForEach(const std::function<bool(const Combination&)>& fn) const;
  uint64_t Count() const;
  std::vector<CandidateValue> CandidateValues() const;

  std::string path;
  std::string source_text;
  std::vector<std::string> key_names;  // mirrors keys[i].name, for Grid::keys()
  std::vector<SweptKey> keys;
  std::vector<Block> blocks;
  std::vector<ExcludeEntry> excludes;

 private:
  std::unordered_map<std::string, int> key_index_;
  std::vector<std::unordered_map<std::string, uint32_t>> value_ids_;  // building only
};

}  // namespace fai

#endif  // FAI_SWEEP_GRID_BLOCK_SET_H_
