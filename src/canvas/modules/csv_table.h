// Reading and writing fai::Tables as CSV files (RFC 4180: a header line, comma-separated fields,
// double quotes around fields holding commas, quotes or line breaks).
//
// Reading types each column: `date` and `instrument` are always text; any other column is numeric
// when every field parses as a number or is empty, NA, NaN or null (read as NaN), else text.
// Writing prints numbers in their shortest form that reads back bit-identical, and NaN as an
// empty field. Stateless functions, safe from several threads on different files.
#ifndef FAI_CANVAS_MODULES_CSV_TABLE_H_
#define FAI_CANVAS_MODULES_CSV_TABLE_H_

#include <string>

#include "common/status.h"
#include "fai/value.h"

namespace fai::quant {

// NotFound when the file cannot be opened; InvalidInput naming the line when a row has the wrong
// number of fields or the header is missing.
Result<Table> ReadCsvTable(const std::string& path);
// Parses CSV text; `source` names it in messages.
Result<Table> ParseCsvTable(const std::string& text, const std::string& source);
// IOError when the file cannot be written.
Status WriteCsvTable(const Table& table, const std::string& path);

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_CSV_TABLE_H_
