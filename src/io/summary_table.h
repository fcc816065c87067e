// SummaryTable: the /summary table of a run (DESIGN §7) — one row per combination, typed columns
// (`combo`, `status`, every swept key, every scalar output as `moduleId.name`, `wall_s`, `error`)
// — and writing it to an HDF5 file as one compound dataset that h5py reads as a structured array.
// Plain data; the writer is the only part touching HDF5.
#ifndef FAI_IO_SUMMARY_TABLE_H_
#define FAI_IO_SUMMARY_TABLE_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "fai/value.h"

namespace fai {

struct SummaryColumn {
  enum class Type { kInt, kFloat, kString };
  std::string name;
  Type type = Type::kFloat;
  std::vector<Value> cells;  // one per row; null: missing (NaN, INT64_MIN, "" in the file)
};

class SummaryTable {
 public:
  // Adds a column whose type is inferred from its cells: all ints -> int, all numbers (or bools)
  // -> float, anything else -> string. Missing cells are null.
  void AddColumn(std::string name, std::vector<Value> cells);
  const std::vector<SummaryColumn>& columns() const { return columns_; }
  size_t rows() const { return columns_.empty() ? 0 : columns_.front().cells.size(); }
  int Find(const std::string& name) const;

  // Writes the table as dataset `name` of the file at `path` (creating or truncating the file
  // when `truncate`, else adding to it). Strings are fixed-length, NUL-padded.
  Status WriteHdf5(const std::string& path, const std::string& name = "summary", bool truncate = true) const;

 private:
  std::vector<SummaryColumn> columns_;
};

}  // namespace fai

#endif  // FAI_IO_SUMMARY_TABLE_H_
