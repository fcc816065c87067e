// `fai-sweep export`: a result file's summary (filtered like `show`) as CSV or JSON.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/result_display.h"

namespace fai {

namespace {

// Doubles in the shortest form that reads back the same bits (0.1, not 0.10000000000000001).
std::string ExactNumber(double x) {
  char buf[40];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(x);
}

std::string CsvField(const Value& v) {
  if (v.is_null()) return "";
  if (v.kind() == ValueKind::kDouble) return ExactNumber(v.as_double());
  const std::string s = v.ToDisplay();
  if (s.find_first_of(",\"\n\r") == std::string::npos &&
      (s.empty() || (s.front() != ' ' && s.back() != ' ')))
    return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ToCsv(const QueriedSummary& q) {
  std::ostringstream out;
  for (size_t i = 0; i < q.columns.size(); ++i)
    out << (i ? "," : "") << CsvField(Value(q.table.columns()[q.columns[i]].name));
  out << "\n";
  for (size_t r : q.rows) {
    for (size_t i = 0; i < q.columns.size(); ++i)
      out << (i ? "," : "") << CsvField(q.table.columns()[q.columns[i]].cells[r]);
    out << "\n";
  }
  return out.str();
}

std::string ToJson(const QueriedSummary& q) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t r : q.rows) {
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    for (size_t c : q.columns) {
      const SummaryColumn& col = q.table.columns()[c];
      const Value& v = col.cells[r];
      if (v.is_null())
        row[col.name] = nullptr;
      else if (v.kind() == ValueKind::kInt)
        row[col.name] = v.as_int();
      else if (v.kind() == ValueKind::kDouble)
        row[col.name] = std::isfinite(v.as_double()) ? nlohmann::ordered_json(v.as_double())
                                                     : nlohmann::ordered_json(nullptr);
      else if (v.kind() == ValueKind::kBool)
        row[col.name] = v.as_bool();
      else
        row[col.name] = v.ToDisplay();
    }
    rows.push_back(std::move(row));
  }
  return rows.dump(2) + "\n";
}

// Writes `text` to `path` ("-": stdout) through a temporary file and a rename.
Status WriteOut(const std::string& path, const std::string& text, std::ostream& out) {
  if (path == "-") {
    out << text;
    return Status::OK();
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::InvalidInput(path + ": cannot create the file");
    f << text;
    f.flush();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return Status::IOError(path + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IOError(path + ": " + ec.message());
  return Status::OK();
}

}  // namespace

int ExportCommand(const ResultOptions& options, std::ostream& out, std::ostream& err) {
  if (options.csv.empty() && options.json.empty()) {
    err << "fai-sweep: error: export: give --csv FILE and/or --json FILE (- for stdout)\n";
    return kExitBadInput;
  }
  Result<QueriedSummary> q = QuerySummary(options);
  if (!q.ok()) return ReportError(q.status(), err);
  if (!options.csv.empty())
    if (Status s = WriteOut(options.csv, ToCsv(*q), out); !s.ok()) return ReportError(s, err);
  if (!options.json.empty())
    if (Status s = WriteOut(options.json, ToJson(*q), out); !s.ok()) return ReportError(s, err);
  for (const std::string& path : {options.csv, options.json})
    if (!path.empty() && path != "-")
      err << "wrote " << q->rows.size() << " rows x " << q->columns.size() << " columns to " << path
          << "\n";
  return kExitOk;
}

}  // namespace fai
