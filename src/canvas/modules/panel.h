// Long-format panels and the helpers the quant modules share.
//
// A panel is a fai::Table with a `date` column (ISO "YYYY-MM-DD" strings), an `instrument`
// column (strings) and numeric columns, one row per (date, instrument). PanelIndex groups its
// rows by instrument (in date order) and by date (in instrument order), which is what rolling
// features, forward labels, cross-sectional ranks and backtests need.
//
// Everything here is a pure function of its arguments or an immutable value: safe to use from
// several threads at once. Errors in user data throw std::invalid_argument with a message that
// names the column or the row; the runtime turns it into a failed task.
#ifndef FAI_CANVAS_MODULES_PANEL_H_
#define FAI_CANVAS_MODULES_PANEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fai/module.h"
#include "fai/value.h"

namespace fai::quant {

inline constexpr char kDateColumn[] = "date";
inline constexpr char kInstrumentColumn[] = "instrument";

// ---- dates ----------------------------------------------------------------------------------

// Days since 1970-01-01 of a strict ISO date "YYYY-MM-DD"; nullopt unless it is a calendar date.
std::optional<int64_t> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(int64_t days_since_epoch);
// Monday to Friday.
bool IsWeekday(int64_t days_since_epoch);
// The string param `name` as days since the epoch. Throws std::invalid_argument
// `param "start_date": "2019-13-01" is not a date (expected YYYY-MM-DD)`.
int64_t DateParam(const TaskContext& ctx, std::string_view name);

// ---- tables ---------------------------------------------------------------------------------

// The table on input `port`. Throws std::invalid_argument when the port holds another kind.
const Table& InputTable(const TaskContext& ctx, std::string_view port);
// The column `name` of `table`; throws std::invalid_argument listing the table's columns when
// it is missing or of the other kind.
const std::vector<double>& NumericColumn(const Table& table, std::string_view name);
const std::vector<std::string>& TextColumn(const Table& table, std::string_view name);
bool IsNumericColumn(const Table& table, size_t column);
// A string-list param as strings.
std::vector<std::string> StringListValue(const TaskContext& ctx, std::string_view name);
// The model inputs of `table`: `requested` if non-empty (each must be a numeric column),
// else every numeric column except `label`. Throws when none is left or `label` is requested.
std::vector<std::string> SelectFeatures(const Table& table,
                                        const std::vector<std::string>& requested,
                                        const std::string& label);
// Pointers to the named numeric columns (valid while `table` lives).
std::vector<const std::vector<double>*> ColumnPointers(const Table& table,
                                                       const std::vector<std::string>& names);
// A table holding rows `rows` of `table`, in that order, with every column.
Table SelectRows(const Table& table, const std::vector<size_t>& rows);

// ---- panel index ----------------------------------------------------------------------------

class PanelIndex {
 public:
  // Indexes `table`'s date and instrument columns. Throws std::invalid_argument when either is
  // missing, a date is not YYYY-MM-DD, or a (date, instrument) pair appears twice.
  static PanelIndex Build(const Table& table);

  const std::vector<std::string>& dates() const { return dates_; }              // ascending
  const std::vector<std::string>& instruments() const { return instruments_; }  // ascending
  uint32_t date_of_row(size_t row) const { return date_of_row_[row]; }
  uint32_t instrument_of_row(size_t row) const { return instrument_of_row_[row]; }
  // Rows of instrument i, ascending by date.
  const std::vector<size_t>& rows_of_instrument(size_t i) const { return by_instrument_[i]; }
  // Rows of date d, ascending by instrument.
  const std::vector<size_t>& rows_of_date(size_t d) const { return by_date_[d]; }
  size_t rows() const { return date_of_row_.size(); }

 private:
  std::vector<std::string> dates_, instruments_;
  std::vector<uint32_t> date_of_row_, instrument_of_row_;
  std::vector<std::vector<size_t>> by_instrument_, by_date_;
};

// ---- ranks ----------------------------------------------------------------------------------

// Ranks 1..n of `values` (ascending, ties get their average rank). REQUIRES: no NaN.
std::vector<double> AverageRanks(const std::vector<double>& values);
// Per date, the rank of each finite value among that date's finite values, scaled to [0, 1]
// ((rank - 1) / (n - 1); 0.5 for a lone value). Non-finite values give NaN. Parallel over dates;
// the result does not depend on `threads`.
std::vector<double> CrossSectionalRank(const std::vector<double>& values, const PanelIndex& index,
                                       int threads);
// Spearman rank correlation over the pairs where both are finite; NaN when fewer than 3 pairs
// or either side is constant.
double SpearmanCorrelation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_PANEL_H_
