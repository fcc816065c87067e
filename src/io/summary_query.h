// SummaryQuery: filtering and ordering the rows of a summary table, for `fai-sweep show` and
// `export` (`--where 'm12.iterations>4 and status==ok' --sort m15.sharpe --top 10`).
//
// A condition is `column OP value` with OP one of == (or =), !=, <, <=, >, >=; conditions are
// joined with `and` (or `&&`), and several --where flags are joined the same way. Numeric
// columns compare as numbers, string columns as text; a value may be quoted ('a b' or "a b").
// A missing cell (NaN) satisfies only `!=`. Sorting puts missing cells last. Pure logic.
#ifndef FAI_IO_SUMMARY_QUERY_H_
#define FAI_IO_SUMMARY_QUERY_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "io/summary_table.h"

namespace fai {

struct RowCondition {
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
  int column = 0;
  Op op = Op::kEq;
  Value value;  // a double for numeric columns, a string for text columns
};

struct RowQuery {
  std::vector<RowCondition> where;
  int sort_column = -1;    // -1: file order
  bool descending = true;  // largest first, so --top N keeps the N largest
  size_t top = 0;          // 0: every matching row
};

// The column called `name`; InvalidInput naming `flag` and the column, with a did-you-mean.
Result<int> FindSummaryColumn(const SummaryTable& table, const std::string& name,
                              const std::string& flag);

// Parses one --where expression against the table's columns. InvalidInput on a malformed
// expression (what was expected, where) or an unknown column.
Result<std::vector<RowCondition>> ParseWhere(const std::string& expression,
                                             const SummaryTable& table);

// Indices of the rows that satisfy every condition, ordered and cut as the query says.
std::vector<size_t> SelectRows(const SummaryTable& table, const RowQuery& query);

}  // namespace fai

#endif  // FAI_IO_SUMMARY_QUERY_H_
