// SummaryTable: the /summary table of a run (DESIGN §7) — one row per combination, typed columns
// (`combo`, `status`, every swept key, every scalar output as `moduleId.name`, `wall_s`, `error`)
// — and its HDF5 form: one chunked compound dataset that h5py reads as a structured array, so
// `pd.DataFrame(h5py.File("results.h5")["summary"][()])` is the whole table.
//
// Column types in the file: int64 (missing: INT64_MIN), float64 (missing: NaN), bool (h5py's
// enum bool, numpy bool in Python) and fixed-length NUL-padded UTF-8 strings (missing: ""). Plain
// data; only the Write/Read functions touch HDF5.
#ifndef FAI_IO_SUMMARY_TABLE_H_
#define FAI_IO_SUMMARY_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "fai/value.h"

namespace fai {

struct SummaryColumn {
  enum class Type { kInt, kFloat, kBool, kString };
  std::string name;
  Type type = Type::kFloat;
  std::vector<Value> cells;  // one per row; null: missing
};

class SummaryTable {
 public:
  // Adds a column whose type is inferred from its cells: all ints (none missing) -> int, all
  // bools (none missing) -> bool, numbers and bools -> float (missing: NaN, as pandas has it),
  // anything else -> string; nothing but missing cells -> int. Missing cells are null.
  void AddColumn(std::string name, std::vector<Value> cells);
  // Adds a column of a given type. REQUIRES: every non-null cell fits the type.
  void AddTypedColumn(std::string name, SummaryColumn::Type type, std::vector<Value> cells);
  const std::vector<SummaryColumn>& columns() const { return columns_; }
  size_t rows() const { return columns_.empty() ? 0 : columns_.front().cells.size(); }
  // Index of the column called `name`, or -1.
  int Find(const std::string& name) const;
  std::vector<std::string> ColumnNames() const;

  // Writes the table as dataset `name` of the file at `path` (creating or truncating the file
  // when `truncate`, else adding to it).
  Status WriteHdf5(const std::string& path, const std::string& name = "summary",
                   bool truncate = true) const;
  // Writes the table as dataset `name` under the open HDF5 file or group `location` (an hid_t).
  Status WriteTo(int64_t location, const std::string& name) const;

  // Reads a table written by WriteTo (any compound dataset of int, float and string fields).
  static Result<SummaryTable> ReadHdf5(const std::string& path,
                                       const std::string& name = "summary");
  static Result<SummaryTable> ReadFrom(int64_t location, const std::string& name);

 private:
  std::vector<SummaryColumn> columns_;
};

}  // namespace fai

#endif  // FAI_IO_SUMMARY_TABLE_H_
