#include "canvas/modules/panel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>
#include <variant>

#include "canvas/modules/parallel_for.h"

namespace fai::quant {

namespace {

std::string ColumnList(const Table& table) {
  std::string names;
  for (const std::string& n : table.names) names += (names.empty() ? "" : ", ") + n;
  return names.empty() ? "none" : names;
}

template <typename T>
const std::vector<T>& TypedColumn(const Table& table, std::string_view name, const char* kind) {
  const int c = table.Find(name);
  if (c < 0)
    throw std::invalid_argument("no column \"" + std::string(name) +
                                "\" in the table (columns: " + ColumnList(table) + ")");
  const auto* column = std::get_if<std::vector<T>>(&table.columns[c]);
  if (column == nullptr)
    throw std::invalid_argument("column \"" + std::string(name) + "\" is not " + kind);
  return *column;
}

// Distinct keys of `column` sorted ascending, and each row's index into them.
void Dictionary(const std::vector<std::string>& column, std::vector<std::string>* keys,
                std::vector<uint32_t>* ids) {
  std::unordered_map<std::string_view, uint32_t> first_seen;
  std::vector<uint32_t> seen_ids(column.size());
  for (size_t r = 0; r < column.size(); ++r) {
    auto [it, inserted] =
        first_seen.try_emplace(column[r], static_cast<uint32_t>(first_seen.size()));
    seen_ids[r] = it->second;
  }
  std::vector<std::string_view> unsorted(first_seen.size());
  for (const auto& [key, id] : first_seen) unsorted[id] = key;
  std::vector<uint32_t> order(unsorted.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return unsorted[a] < unsorted[b]; });
  std::vector<uint32_t> sorted_id(order.size());
  keys->clear();
  for (uint32_t pos = 0; pos < order.size(); ++pos) {
    sorted_id[order[pos]] = pos;
    keys->emplace_back(unsorted[order[pos]]);
  }
  ids->resize(column.size());
  for (size_t r = 0; r < column.size(); ++r) (*ids)[r] = sorted_id[seen_ids[r]];
}

// Rows grouped by `group` (one list per group id), each list in the order of `order`.
std::vector<std::vector<size_t>> GroupRows(const std::vector<uint32_t>& group, size_t groups,
                                           const std::vector<size_t>& order) {
  std::vector<std::vector<size_t>> out(groups);
  for (size_t r : order) out[group[r]].push_back(r);
  return out;
}

}  // namespace

std::optional<int64_t> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t pos, size_t len) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y),
                                        std::chrono::month(static_cast<unsigned>(m)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

std::string FormatIsoDate(int64_t days_since_epoch) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days_since_epoch))};
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

bool IsWeekday(int64_t days_since_epoch) {
  const std::chrono::weekday wd{std::chrono::sys_days(std::chrono::days(days_since_epoch))};
  return wd != std::chrono::Saturday && wd != std::chrono::Sunday;
}

int64_t DateParam(const TaskContext& ctx, std::string_view name) {
  const std::string& text = ctx.string_param(name);
  std::optional<int64_t> days = ParseIsoDate(text);
  if (!days)
    throw std::invalid_argument("param \"" + std::string(name) + "\": \"" + text +
                                "\" is not a date (expected YYYY-MM-DD)");
  return *days;
}

const Table& InputTable(const TaskContext& ctx, std::string_view port) {
  const Value& v = ctx.input(port);
  if (v.kind() != ValueKind::kTable)
    throw std::invalid_argument("input \"" + std::string(port) + "\": expected a table, got " +
                                KindName(v.kind()));
  return v.as_table();
}

const std::vector<double>& NumericColumn(const Table& table, std::string_view name) {
  return TypedColumn<double>(table, name, "numeric");
}

const std::vector<std::string>& TextColumn(const Table& table, std::string_view name) {
  return TypedColumn<std::string>(table, name, "text");
}

bool IsNumericColumn(const Table& table, size_t column) {
  return std::holds_alternative<std::vector<double>>(table.columns[column]);
}

std::vector<std::string> StringListValue(const TaskContext& ctx, std::string_view name) {
  const Value& v = ctx.param(name);
  if (v.kind() != ValueKind::kList)
    throw std::invalid_argument("param \"" + std::string(name) + "\": expected a list of strings");
  std::vector<std::string> out;
  for (const Value& e : v.as_list()) {
    if (e.kind() != ValueKind::kString)
      throw std::invalid_argument("param \"" + std::string(name) +
                                  "\": expected a list of strings");
    out.push_back(e.as_string());
  }
  return out;
}

std::vector<std::string> SelectFeatures(const Table& table,
                                        const std::vector<std::string>& requested,
                                        const std::string& label) {
  std::vector<std::string> features;
  if (!requested.empty()) {
    for (const std::string& name : requested) {
      if (name == label)
        throw std::invalid_argument("feature \"" + name + "\" is the label column");
      NumericColumn(table, name);  // throws when absent or text
      features.push_back(name);
    }
    return features;
  }
  for (size_t c = 0; c < table.names.size(); ++c)
    if (IsNumericColumn(table, c) && table.names[c] != label) features.push_back(table.names[c]);
  if (features.empty())
    throw std::invalid_argument("no numeric feature columns besides the label \"" + label +
                                "\" (columns: " + ColumnList(table) + ")");
  return features;
}

std::vector<const std::vector<double>*> ColumnPointers(const Table& table,
                                                       const std::vector<std::string>& names) {
  std::vector<const std::vector<double>*> out;
  for (const std::string& name : names) out.push_back(&NumericColumn(table, name));
  return out;
}

Table SelectRows(const Table& table, const std::vector<size_t>& rows) {
  Table out;
  for (size_t c = 0; c < table.names.size(); ++c) {
    std::visit(
        [&](const auto& column) {
          std::remove_cvref_t<decltype(column)> picked;
          picked.reserve(rows.size());
          for (size_t r : rows) picked.push_back(column[r]);
          out.names.push_back(table.names[c]);
          out.columns.emplace_back(std::move(picked));
        },
        table.columns[c]);
  }
  return out;
}

PanelIndex PanelIndex::Build(const Table& table) {
  PanelIndex index;
  Dictionary(TextColumn(table, kDateColumn), &index.dates_, &index.date_of_row_);
  Dictionary(TextColumn(table, kInstrumentColumn), &index.instruments_, &index.instrument_of_row_);
  for (const std::string& date : index.dates_)
    if (!ParseIsoDate(date))
      throw std::invalid_argument("column \"date\": \"" + date +
                                  "\" is not a date (expected YYYY-MM-DD)");

  const size_t n = table.rows();
  // Counting sorts: rows by date (stable), then grouped per instrument keep date order.
  auto order_by = [n](const std::vector<uint32_t>& key, size_t keys) {
    std::vector<size_t> start(keys + 1, 0);
    for (size_t r = 0; r < n; ++r) ++start[key[r] + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<size_t> order(n);
    for (size_t r = 0; r < n; ++r) order[start[key[r]]++] = r;
    return order;
  };
  const std::vector<size_t> by_date_order = order_by(index.date_of_row_, index.dates_.size());
  const std::vector<size_t> by_instrument_order =
      order_by(index.instrument_of_row_, index.instruments_.size());
  index.by_instrument_ =
      GroupRows(index.instrument_of_row_, index.instruments_.size(), by_date_order);
  index.by_date_ = GroupRows(index.date_of_row_, index.dates_.size(), by_instrument_order);
  for (size_t i = 0; i < index.by_instrument_.size(); ++i) {
    const std::vector<size_t>& rows = index.by_instrument_[i];
    for (size_t k = 1; k < rows.size(); ++k)
      if (index.date_of_row_[rows[k]] == index.date_of_row_[rows[k - 1]])
        throw std::invalid_argument("rows " + std::to_string(rows[k - 1]) + " and " +
                                    std::to_string(rows[k]) + " both hold instrument \"" +
                                    index.instruments_[i] + "\" on " +
                                    index.dates_[index.date_of_row_[rows[k]]]);
  }
  return index;
}

std::vector<double> AverageRanks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && values[order[j]] == values[order[i]]) ++j;
    const double average = 0.5 * static_cast<double>(i + j + 1);  // ranks i+1 .. j
    for (size_t k = i; k < j; ++k) ranks[order[k]] = average;
    i = j;
  }
  return ranks;
}

std::vector<double> CrossSectionalRank(const std::vector<double>& values, const PanelIndex& index,
                                       int threads) {
  std::vector<double> out(values.size(), std::nan(""));
  ParallelFor(threads, index.dates().size(), [&](size_t d) {
    std::vector<size_t> rows;
    std::vector<double> finite;
    for (size_t r : index.rows_of_date(d))
      if (std::isfinite(values[r])) {
        rows.push_back(r);
        finite.push_back(values[r]);
      }
    if (rows.empty()) return;
    if (rows.size() == 1) {
      out[rows[0]] = 0.5;
      return;
    }
    const std::vector<double> ranks = AverageRanks(finite);
    const double scale = 1.0 / static_cast<double>(rows.size() - 1);
    for (size_t k = 0; k < rows.size(); ++k) out[rows[k]] = (ranks[k] - 1) * scale;
  });
  return out;
}

double SpearmanCorrelation(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> x, y;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) {
      x.push_back(a[i]);
      y.push_back(b[i]);
    }
  if (x.size() < 3) return std::nan("");
  const std::vector<double> rx = AverageRanks(x), ry = AverageRanks(y);
  const double mean = 0.5 * static_cast<double>(x.size() + 1);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < rx.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (sxx == 0 || syy == 0) return std::nan("");
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace fai::quant
