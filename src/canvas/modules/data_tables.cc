// data.dropna, data.join and data.split_by_date: row-level operations on long panels.
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <variant>
#include <vector>

#include "canvas/modules/panel.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"

namespace fai::quant {

namespace {

void RunDropna(TaskContext& ctx) {
  const Table& table = InputTable(ctx, "data");
  std::vector<std::string> columns = StringListValue(ctx, "columns");
  if (columns.empty())
    for (size_t c = 0; c < table.names.size(); ++c)
      if (IsNumericColumn(table, c)) columns.push_back(table.names[c]);
  const std::vector<const std::vector<double>*> checked = ColumnPointers(table, columns);
  std::vector<size_t> kept;
  for (size_t r = 0; r < table.rows(); ++r) {
    bool finite = true;
    for (const std::vector<double>* column : checked)
      finite = finite && std::isfinite((*column)[r]);
    if (finite) kept.push_back(r);
  }
  ctx.log() << "data.dropna: kept " << kept.size() << " of " << table.rows() << " rows\n";
  ctx.set_output("data", Value(SelectRows(table, kept)));
}

std::string RowKey(const std::string& date, const std::string& instrument) {
  std::string key = date;
  key += '\x1f';
  key += instrument;
  return key;
}

void RunJoin(TaskContext& ctx) {
  const Table& left = InputTable(ctx, "left");
  const Table& right = InputTable(ctx, "right");
  const bool keep_unmatched = ctx.string_param("how") == "left";
  const auto& right_dates = TextColumn(right, kDateColumn);
  const auto& right_instruments = TextColumn(right, kInstrumentColumn);
  std::unordered_map<std::string, size_t> right_row;
  right_row.reserve(right.rows());
  for (size_t r = 0; r < right.rows(); ++r)
    if (!right_row.emplace(RowKey(right_dates[r], right_instruments[r]), r).second)
      throw std::invalid_argument("input \"right\": instrument \"" + right_instruments[r] +
                                  "\" appears twice on " + right_dates[r]);
  const auto& left_dates = TextColumn(left, kDateColumn);
  const auto& left_instruments = TextColumn(left, kInstrumentColumn);
  std::vector<size_t> left_rows;
  std::vector<long> match;  // -1: no match
  for (size_t r = 0; r < left.rows(); ++r) {
    auto it = right_row.find(RowKey(left_dates[r], left_instruments[r]));
    if (it == right_row.end() && !keep_unmatched) continue;
    left_rows.push_back(r);
    match.push_back(it == right_row.end() ? -1 : static_cast<long>(it->second));
  }
  Table out = SelectRows(left, left_rows);
  for (size_t c = 0; c < right.names.size(); ++c) {
    const std::string& name = right.names[c];
    if (name == kDateColumn || name == kInstrumentColumn) continue;
    if (out.Find(name) >= 0)
      throw std::invalid_argument("column \"" + name + "\" is in both inputs; rename one side");
    std::visit(
        [&](const auto& column) {
          std::remove_cvref_t<decltype(column)> joined(match.size());
          for (size_t k = 0; k < match.size(); ++k) {
            if (match[k] >= 0) {
              joined[k] = column[match[k]];
            } else if constexpr (std::is_same_v<std::remove_cvref_t<decltype(column)>,
                                                std::vector<double>>) {
              joined[k] = std::nan("");
            }
          }
          out.AddColumn(name, std::move(joined));
        },
        right.columns[c]);
  }
  ctx.set_output("data", Value(std::move(out)));
}

void CheckDateParam(const TaskContext& ctx, const char* name) {
  if (!ctx.string_param(name).empty()) DateParam(ctx, name);  // throws when malformed
}

void RunSplitByDate(TaskContext& ctx) {
  const Table& table = InputTable(ctx, "data");
  const PanelIndex index = PanelIndex::Build(table);
  for (const char* name : {"split_date", "train_end", "test_start"}) CheckDateParam(ctx, name);
  const std::string& split = ctx.string_param("split_date");
  const std::string& train_end = ctx.string_param("train_end");
  const std::string& test_start = ctx.string_param("test_start");
  const std::vector<std::string>& dates = index.dates();
  // Each distinct date goes to train (1), test (2) or neither (0).
  std::vector<int> side(dates.size(), 0);
  std::string rule;
  if (!split.empty()) {
    for (size_t d = 0; d < dates.size(); ++d) side[d] = dates[d] < split ? 1 : 2;
    rule = "split_date " + split;
  } else if (!train_end.empty() || !test_start.empty()) {
    if (train_end.empty() || test_start.empty())
      throw std::invalid_argument(
          "set both train_end and test_start (or split_date, or neither for train_fraction)");
    if (test_start <= train_end)
      throw std::invalid_argument("test_start must come after train_end");
    for (size_t d = 0; d < dates.size(); ++d)
      side[d] = dates[d] <= train_end ? 1 : dates[d] >= test_start ? 2 : 0;
    rule = "train_end " + train_end + ", test_start " + test_start;
  } else {
    const double fraction = ctx.float_param("train_fraction");
    const size_t train_dates =
        static_cast<size_t>(std::floor(fraction * static_cast<double>(dates.size())));
    for (size_t d = 0; d < dates.size(); ++d) side[d] = d < train_dates ? 1 : 2;
    rule = "train_fraction " + std::to_string(fraction);
  }
  // The embargo: the last `gap` train dates go to neither side.
  int64_t gap = ctx.int_param("gap");
  for (size_t d = dates.size(); d-- > 0 && gap > 0;)
    if (side[d] == 1) {
      side[d] = 0;
      --gap;
    }
  std::vector<size_t> train, test;
  for (size_t r = 0; r < table.rows(); ++r) {
    const int s = side[index.date_of_row(r)];
    if (s == 1) train.push_back(r);
    if (s == 2) test.push_back(r);
  }
  if (train.empty() || test.empty())
    throw std::invalid_argument("the " + std::string(train.empty() ? "train" : "test") +
                                " side is empty (" + rule + ", gap " +
                                std::to_string(ctx.int_param("gap")) + ", data from " +
                                dates.front() + " to " + dates.back() + ")");
  ctx.set_output("train", Value(SelectRows(table, train)));
  ctx.set_output("test", Value(SelectRows(table, test)));
}

}  // namespace

void RegisterDataTableModules(ModuleRegistry& registry) {
  ModuleType dropna;
  dropna.name = "data.dropna";
  dropna.help = "Drops the rows holding NaN (or an infinity) in any of the checked numeric columns";
  dropna.params = {StringListParam("columns", {}, "columns to check; empty: every numeric column")};
  dropna.inputs = {{"data", "a table", false}};
  dropna.outputs = {{"data", "the rows without missing values, in their order", false}};
  dropna.run = RunDropna;
  registry.Register(std::move(dropna));

  ModuleType join;
  join.name = "data.join";
  join.help = "Joins two panels on (date, instrument): the left's columns, then the right's";
  join.params = {StringParam("how", "inner",
                             "inner: rows in both; left: every left row (missing numbers NaN)",
                             {"inner", "left"})};
  join.inputs = {{"left", "a panel (its row order is kept)", false}, {"right", "a panel", false}};
  join.outputs = {{"data", "the joined panel", false}};
  join.run = RunJoin;
  registry.Register(std::move(join));

  ModuleType split;
  split.name = "data.split_by_date";
  split.help = "Splits a panel by date into train and test tables";
  split.params = {
      StringParam("split_date", "",
                  "train: dates before it; test: from it on (YYYY-MM-DD; empty: unused)"),
      StringParam("train_end", "", "last train date, with test_start (YYYY-MM-DD; empty: unused)"),
      StringParam("test_start", "", "first test date, with train_end (YYYY-MM-DD; empty: unused)"),
      FloatParam("train_fraction", 0.7, 0.01, 0.99,
                 "without dates: the share of distinct dates for training"),
      IntParam("gap", 0, 0, 100000,
               "embargo: distinct dates dropped at the end of train (use the label horizon)"),
  };
  split.inputs = {{"data", "a panel", false}};
  split.outputs = {{"train", "rows of the train dates", false},
                   {"test", "rows of the test dates", false}};
  split.run = RunSplitByDate;
  registry.Register(std::move(split));
}

}  // namespace fai::quant
