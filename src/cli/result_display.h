// Helpers shared by `fai-sweep show`, `export` and `status`: opening a result file's summary
// with the flags' query applied, and formatting cells.
#ifndef FAI_CLI_RESULT_DISPLAY_H_
#define FAI_CLI_RESULT_DISPLAY_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/result_options.h"
#include "common/status.h"
#include "io/summary_table.h"

namespace fai {

// The summary of options.path, and the rows and columns the query keeps.
struct QueriedSummary {
  SummaryTable table;
  std::vector<size_t> rows;
  std::vector<size_t> columns;
};

// Reads the summary and applies --where, --sort, --asc, --top and --columns. InvalidInput (or
// NotFound) with a message naming the file or flag.
Result<QueriedSummary> QuerySummary(const ResultOptions& options);

// A cell for a terminal table: "-" when missing, doubles to 6 decimals at most.
std::string DisplayCell(const Value& v);

// Prints "fai-sweep: error: MESSAGE" and returns the exit status for the status (2 for bad
// input and missing files, 1 otherwise).
int ReportError(const Status& status, std::ostream& err);

}  // namespace fai

#endif  // FAI_CLI_RESULT_DISPLAY_H_
