// `fai-sweep show`: a result file's summary as an aligned table, or (--combo) every saved output
// of one combination.
#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "cli/result_display.h"
#include "cli/text_table.h"
#include "io/result_reader.h"

namespace fai {

namespace {

std::string FormatNumber(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// Prints a value under `name` at `indent`: scalars on one line, maps one entry a line, matrices
// and tables as aligned rows (at most max_rows).
void PrintValue(const std::string& name, const Value& v, const std::string& indent, size_t max_rows,
                std::ostream& out) {
  switch (v.kind()) {
    case ValueKind::kDict: {
      out << indent << name << "\n";
      size_t width = 0;
      for (const auto& [k, e] : v.as_dict()) width = std::max(width, k.size());
      for (const auto& [k, e] : v.as_dict()) {
        if (e.is_scalar()) {
          out << indent << "  " << k << std::string(width - k.size() + 2, ' ') << DisplayCell(e)
              << "\n";
        } else {
          PrintValue(k, e, indent + "  ", max_rows, out);
        }
      }
      return;
    }
    case ValueKind::kMatrix: {
      const Matrix& m = v.as_matrix();
      out << indent << name << "  matrix " << m.rows() << " x " << m.cols() << "\n";
      std::vector<std::string> header;
      for (Eigen::Index c = 0; c < m.cols(); ++c) header.push_back(std::to_string(c));
      TextTable t(header);
      for (Eigen::Index r = 0; r < m.rows() && static_cast<size_t>(r) < max_rows; ++r) {
        std::vector<std::string> row;
        for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(FormatNumber(m(r, c)));
        t.AddRow(std::move(row));
      }
      t.Print(out, indent + "  ");
      if (static_cast<size_t>(m.rows()) > max_rows)
        out << indent << "  ... " << m.rows() - static_cast<Eigen::Index>(max_rows)
            << " more rows\n";
      return;
    }
    case ValueKind::kTable: {
      const Table& table = v.as_table();
      out << indent << name << "  table " << table.rows() << " rows x " << table.names.size()
          << " columns\n";
      TextTable t(table.names);
      for (size_t r = 0; r < table.rows() && r < max_rows; ++r) {
        std::vector<std::string> row;
        for (const auto& col : table.columns) {
          if (const auto* xs = std::get_if<std::vector<double>>(&col))
            row.push_back(FormatNumber((*xs)[r]));
          else
            row.push_back(std::get<std::vector<std::string>>(col)[r]);
        }
        t.AddRow(std::move(row));
      }
      t.Print(out, indent + "  ");
      if (table.rows() > max_rows)
        out << indent << "  ... " << table.rows() - max_rows << " more rows\n";
      return;
    }
    case ValueKind::kList: {
      const List& list = v.as_list();
      std::string text = v.ToString();
      if (list.size() > max_rows) {
        text = "[";
        for (size_t i = 0; i < max_rows; ++i) text += (i ? ", " : "") + list[i].ToString();
        text += ", ... " + std::to_string(list.size() - max_rows) + " more]";
      }
      out << indent << name << "  " << text << "  (list of " << list.size() << ")\n";
      return;
    }
    case ValueKind::kString: {
      const std::string& s = v.as_string();
      out << indent << name << "  "
          << (s.size() > 200 ? Value(s.substr(0, 200)).ToString() + "... (" +
                                   std::to_string(s.size()) + " bytes)"
                             : v.ToString())
          << "\n";
      return;
    }
    default:
      out << indent << name << "  " << v.ToString() << "\n";
  }
}

int ShowCombo(const ResultOptions& options, std::ostream& out, std::ostream& err) {
  Result<std::unique_ptr<ResultReader>> reader = ResultReader::Open(options.path);
  if (!reader.ok()) return ReportError(reader.status(), err);
  Result<ComboResults> combo = (*reader)->ReadCombo(options.combo);
  if (!combo.ok()) return ReportError(combo.status(), err);
  const Dict& row = combo->summary;
  auto cell = [&](const char* key) {
    auto it = row.find(key);
    return it == row.end() ? Value() : it->second;
  };
  const Value status = cell("status"), wall = cell("wall_s"), error = cell("error");
  out << "combination " << combo->id << "  " << status.ToDisplay();
  if (wall.is_number()) out << "  wall " << DisplayCell(wall) << " s";
  out << "\n";
  if (error.kind() == ValueKind::kString && !error.as_string().empty())
    out << "error  " << error.as_string() << "\n";
  if (!combo->params.empty()) PrintValue("params", Value(combo->params), "", options.max_rows, out);
  for (const auto& [module, outputs] : combo->modules) {
    if (outputs.empty()) {
      out << module << "  (no saved outputs)\n";
      continue;
    }
    out << module << "\n";
    size_t width = 0;
    for (const auto& [port, value] : outputs)
      if (value.is_scalar()) width = std::max(width, port.size());
    for (const auto& [port, value] : outputs) {
      if (value.is_scalar() && value.kind() != ValueKind::kString) {
        out << "  " << port << std::string(width - port.size() + 2, ' ') << value.ToString()
            << "\n";
      } else {
        PrintValue(port, value, "  ", options.max_rows, out);
      }
    }
  }
  return kExitOk;
}

}  // namespace

int ShowCommand(const ResultOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.combo.empty()) return ShowCombo(options, out, err);
  Result<QueriedSummary> q = QuerySummary(options);
  if (!q.ok()) return ReportError(q.status(), err);
  const SummaryTable& table = q->table;
  // The error column only when a shown row has one (and it was not chosen away).
  std::vector<size_t> columns;
  for (size_t c : q->columns) {
    if (table.columns()[c].name == "error" && options.columns.empty()) {
      bool any = false;
      for (size_t r : q->rows) any = any || !table.columns()[c].cells[r].ToDisplay().empty();
      if (!any) continue;
    }
    columns.push_back(c);
  }
  std::vector<std::string> header;
  for (size_t c : columns) header.push_back(table.columns()[c].name);
  TextTable text(header);
  for (size_t r : q->rows) {
    std::vector<std::string> row;
    for (size_t c : columns) row.push_back(DisplayCell(table.columns()[c].cells[r]));
    text.AddRow(std::move(row));
  }
  text.Print(out);
  if (q->rows.size() != table.rows())
    out << "\n(" << q->rows.size() << " of " << table.rows() << " combinations)\n";
  return kExitOk;
}

}  // namespace fai
