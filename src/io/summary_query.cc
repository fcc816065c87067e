#include "io/summary_query.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "common/suggest.h"

namespace fai {

namespace {

bool IsOpChar(char c) { return c == '=' || c == '!' || c == '<' || c == '>'; }

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// A numeric view of a cell: false when missing.
bool CellNumber(const Value& v, double* out) {
  if (v.is_null()) return false;
  if (v.kind() == ValueKind::kBool) {
    *out = v.as_bool() ? 1 : 0;
    return true;
  }
  if (!v.is_number()) return false;
  *out = v.as_double();
  return !std::isnan(*out);
}

template <typename T>
bool Compare(const T& a, RowCondition::Op op, const T& b) {
  switch (op) {
    case RowCondition::Op::kEq:
      return a == b;
    case RowCondition::Op::kNe:
      return a != b;
    case RowCondition::Op::kLt:
      return a < b;
    case RowCondition::Op::kLe:
      return a <= b;
    case RowCondition::Op::kGt:
      return a > b;
    case RowCondition::Op::kGe:
      return a >= b;
  }
  return false;
}

bool Satisfies(const SummaryTable& table, size_t row, const RowCondition& c) {
  const SummaryColumn& col = table.columns()[c.column];
  const Value& cell = col.cells[row];
  if (col.type == SummaryColumn::Type::kString) {
    const std::string text = cell.is_null() ? "" : cell.ToDisplay();
    return Compare(text, c.op, c.value.as_string());
  }
  double x = 0;
  if (!CellNumber(cell, &x)) return c.op == RowCondition::Op::kNe;
  return Compare(x, c.op, c.value.as_double());
}

}  // namespace

Result<int> FindSummaryColumn(const SummaryTable& table, const std::string& name,
                              const std::string& flag) {
  const int i = table.Find(name);
  if (i >= 0) return i;
  return Status::InvalidInput(flag + ": no column \"" + name + "\"" +
                              DidYouMean(name, table.ColumnNames()) +
                              " (columns: " + QuotedList(table.ColumnNames()) + ")");
}

Result<std::vector<RowCondition>> ParseWhere(const std::string& expression,
                                             const SummaryTable& table) {
  std::vector<RowCondition> out;
  const std::string& s = expression;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  auto bad = [&](const std::string& what) {
    return Status::InvalidInput("--where '" + expression + "': " + what + " at character " +
                                std::to_string(i + 1) +
                                " (expected COLUMN OP VALUE [and ...], OP one of == != < <= > >=)");
  };
  skip_space();
  if (i == s.size()) return bad("empty condition");
  while (true) {
    skip_space();
    const size_t start = i;
    while (i < s.size() && !IsOpChar(s[i]) && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const std::string column = s.substr(start, i - start);
    if (column.empty()) return bad("a column name is missing");
    skip_space();
    const size_t op_start = i;
    while (i < s.size() && IsOpChar(s[i])) ++i;
    const std::string op_text = s.substr(op_start, i - op_start);
    RowCondition c;
    if (op_text == "==" || op_text == "=")
      c.op = RowCondition::Op::kEq;
    else if (op_text == "!=")
      c.op = RowCondition::Op::kNe;
    else if (op_text == "<")
      c.op = RowCondition::Op::kLt;
    else if (op_text == "<=")
      c.op = RowCondition::Op::kLe;
    else if (op_text == ">")
      c.op = RowCondition::Op::kGt;
    else if (op_text == ">=")
      c.op = RowCondition::Op::kGe;
    else {
      i = op_start;
      return bad(op_text.empty() ? "a comparison is missing after \"" + column + "\""
                                 : "unknown comparison \"" + op_text + "\"");
    }
    skip_space();
    std::string value;
    if (i < s.size() && (s[i] == '\'' || s[i] == '"')) {
      const char quote = s[i++];
      const size_t close = s.find(quote, i);
      if (close == std::string::npos) return bad("an unclosed quote");
      value = s.substr(i, close - i);
      i = close + 1;
    } else {
      const size_t vstart = i;
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      value = s.substr(vstart, i - vstart);
      if (value.empty()) return bad("a value is missing after \"" + op_text + "\"");
      if (value.find_first_of("=!<>") != std::string::npos)
        return bad("a malformed value \"" + value + "\"");
    }
    Result<int> col = FindSummaryColumn(table, column, "--where");
    if (!col.ok()) return col.status();
    c.column = *col;
    if (table.columns()[c.column].type == SummaryColumn::Type::kString) {
      c.value = Value(value);
    } else {
      double x = 0;
      if (value == "true" || value == "false")
        x = value == "true";
      else if (!ParseNumber(value, &x))
        return Status::InvalidInput("--where '" + expression + "': column \"" + column +
                                    "\" holds numbers; \"" + value + "\" is not one");
      c.value = Value(x);
    }
    out.push_back(std::move(c));
    skip_space();
    if (i == s.size()) break;
    if (s.compare(i, 3, "and") == 0 &&
        (i + 3 == s.size() || std::isspace(static_cast<unsigned char>(s[i + 3])))) {
      i += 3;
    } else if (s.compare(i, 2, "&&") == 0) {
      i += 2;
    } else {
      return bad("expected `and` or the end");
    }
    skip_space();
    if (i == s.size()) return bad("a condition is missing after `and`");
  }
  return out;
}

std::vector<size_t> SelectRows(const SummaryTable& table, const RowQuery& query) {
  std::vector<size_t> rows;
  for (size_t r = 0; r < table.rows(); ++r) {
    bool keep = true;
    for (const RowCondition& c : query.where) keep = keep && Satisfies(table, r, c);
    if (keep) rows.push_back(r);
  }
  if (query.sort_column >= 0) {
    const SummaryColumn& col = table.columns()[query.sort_column];
    const bool text = col.type == SummaryColumn::Type::kString;
    std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
      const Value& va = col.cells[a];
      const Value& vb = col.cells[b];
      if (text) {
        const std::string sa = va.is_null() ? "" : va.ToDisplay(),
                          sb = vb.is_null() ? "" : vb.ToDisplay();
        return query.descending ? sa > sb : sa < sb;
      }
      double xa = 0, xb = 0;
      const bool ha = CellNumber(va, &xa), hb = CellNumber(vb, &xb);
      if (ha != hb) return ha;  // missing last
      if (!ha) return false;
      return query.descending ? xa > xb : xa < xb;
    });
  }
  if (query.top > 0 && rows.size() > query.top) rows.resize(query.top);
  return rows;
}

}  // namespace fai
