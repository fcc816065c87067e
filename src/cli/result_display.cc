#include "cli/result_display.h"

#include <cmath>

#include "cli/commands.h"
#include "io/summary_query.h"

namespace fai {

Result<QueriedSummary> QuerySummary(const ResultOptions& options) {
  Result<SummaryTable> table = SummaryTable::ReadHdf5(options.path);
  if (!table.ok()) return table.status();
  QueriedSummary q;
  q.table = std::move(*table);
  RowQuery query;
  for (const std::string& w : options.where) {
    Result<std::vector<RowCondition>> conditions = ParseWhere(w, q.table);
    if (!conditions.ok()) return conditions.status();
    query.where.insert(query.where.end(), conditions->begin(), conditions->end());
  }
  if (!options.sort.empty()) {
    Result<int> col = FindSummaryColumn(q.table, options.sort, "--sort");
    if (!col.ok()) return col.status();
    query.sort_column = *col;
  }
  query.descending = !options.ascending;
  query.top = options.top;
  q.rows = SelectRows(q.table, query);
  if (options.columns.empty()) {
    for (size_t c = 0; c < q.table.columns().size(); ++c) q.columns.push_back(c);
  } else {
    for (const std::string& name : options.columns) {
      Result<int> col = FindSummaryColumn(q.table, name, "--columns");
      if (!col.ok()) return col.status();
      q.columns.push_back(static_cast<size_t>(*col));
    }
  }
  return q;
}

std::string DisplayCell(const Value& v) {
  if (v.is_null()) return "-";
  if (v.kind() == ValueKind::kDouble)
    return Value(std::round(v.as_double() * 1e6) / 1e6).ToDisplay();
  return v.ToDisplay();
}

int ReportError(const Status& status, std::ostream& err) {
  err << "fai-sweep: error: " << status.message() << "\n";
  const bool bad_input =
      status.code() == Status::Code::kInvalidInput || status.code() == Status::Code::kNotFound;
  return bad_input ? kExitBadInput : kExitFailures;
}

}  // namespace fai
