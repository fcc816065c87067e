// backtest.topk: the top-k backtest (backtest.h) of a predictions table.
//
// Realized returns come from `data` when connected (price_column of the next date in the data's
// calendar over this one; rebalance dates without a next date are dropped), else from the
// predictions' `label` column, which should then be the next-period return.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "canvas/modules/backtest.h"
#include "canvas/modules/panel.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"

namespace fai::quant {

namespace {

// Per row of `predictions`: the return until the next date of `data`; NaN on the last date and
// where `data` has no such row.
std::vector<double> RealizedFromPrices(const Table& predictions, const PanelIndex& predicted,
                                       const Table& data, const std::string& price_column) {
  const PanelIndex index = PanelIndex::Build(data);
  const std::vector<double>& price = NumericColumn(data, price_column);
  // (data date, data instrument) -> the return from that row's date to the next date.
  std::unordered_map<uint64_t, double> next_return;
  next_return.reserve(data.rows());
  for (size_t i = 0; i < index.instruments().size(); ++i) {
    const std::vector<size_t>& at = index.rows_of_instrument(i);
    for (size_t p = 0; p + 1 < at.size(); ++p)
      if (index.date_of_row(at[p + 1]) == index.date_of_row(at[p]) + 1)
        next_return[(uint64_t{index.date_of_row(at[p])} << 32) | i] =
            price[at[p + 1]] / price[at[p]] - 1;
  }
  // The predictions' dates and instruments as data ids (-1: absent from the data).
  auto ids_in = [](const std::vector<std::string>& keys, const std::vector<std::string>& sorted) {
    std::vector<int64_t> ids(keys.size(), -1);
    for (size_t k = 0; k < keys.size(); ++k) {
      auto it = std::lower_bound(sorted.begin(), sorted.end(), keys[k]);
      if (it != sorted.end() && *it == keys[k]) ids[k] = it - sorted.begin();
    }
    return ids;
  };
  const std::vector<int64_t> date_id = ids_in(predicted.dates(), index.dates());
  const std::vector<int64_t> instrument_id = ids_in(predicted.instruments(), index.instruments());
  std::vector<double> realized(predictions.rows(), std::nan(""));
  for (size_t r = 0; r < predictions.rows(); ++r) {
    const int64_t d = date_id[predicted.date_of_row(r)],
                  i = instrument_id[predicted.instrument_of_row(r)];
    if (d < 0 || i < 0) continue;
    auto it = next_return.find((static_cast<uint64_t>(d) << 32) | static_cast<uint64_t>(i));
    if (it != next_return.end()) realized[r] = it->second;
  }
  return realized;
}

void RunBacktestTopK(TaskContext& ctx) {
  const Table& predictions = InputTable(ctx, "predictions");
  const PanelIndex index = PanelIndex::Build(predictions);
  const std::vector<double>& prediction = NumericColumn(predictions, "prediction");
  std::vector<double> realized;
  if (ctx.has_input("data") && !ctx.input("data").is_null()) {
    realized = RealizedFromPrices(predictions, index, InputTable(ctx, "data"),
                                  ctx.string_param("price_column"));
  } else if (predictions.Find("label") >= 0) {
    realized = NumericColumn(predictions, "label");
  } else {
    throw std::invalid_argument(
        "connect input \"data\" (prices) or give predictions a \"label\" column of next-period "
        "returns");
  }
  std::vector<CrossSection> days;
  for (size_t d = 0; d < index.dates().size(); ++d) {
    CrossSection day;
    day.date = index.dates()[d];
    bool any_realized = false;
    for (size_t r : index.rows_of_date(d)) {
      day.instrument.push_back(index.instrument_of_row(r));
      day.prediction.push_back(prediction[r]);
      day.realized.push_back(realized[r]);
      any_realized = any_realized || std::isfinite(realized[r]);
    }
    if (any_realized) days.push_back(std::move(day));
  }
  if (days.empty()) throw std::invalid_argument("no rebalance date with a realized return");
  BacktestOptions options;
  options.top_k = static_cast<int>(ctx.int_param("top_k"));
  options.cost_bps = ctx.float_param("cost_bps");
  options.periods_per_year = static_cast<int>(ctx.int_param("periods_per_year"));
  BacktestResult result = RunTopKBacktest(days, options);
  Table equity;
  equity.AddColumn(kDateColumn, std::move(result.dates));
  equity.AddColumn("equity", std::move(result.equity));
  equity.AddColumn("daily_return", std::move(result.daily_return));
  ctx.set_output("metrics", Value(std::move(result.metrics)));
  ctx.set_output("equity", Value(std::move(equity)));
}

}  // namespace

void RegisterBacktestModule(ModuleRegistry& registry) {
  ModuleType type;
  type.name = "backtest.topk";
  type.help = "Daily rebalance into the top-k predicted instruments, equal weights, with costs";
  type.params = {
      IntParam("top_k", 20, 1, 1e6, "instruments held each day"),
      FloatParam("cost_bps", 10, 0, 10000, "cost per unit of weight traded, in basis points"),
      IntParam("periods_per_year", 252, 1, 100000, "rebalances per year, for annualised figures"),
      StringParam("price_column", "close", "the price in `data` that realized returns come from"),
  };
  type.inputs = {
      {"predictions", "table: date, instrument, prediction[, label]", false},
      {"data", "prices (date, instrument, price_column); else the predictions' label is the return",
       true}};
  type.outputs = {{"metrics",
                   "dict: total_return, annual_return, annual_volatility, sharpe, max_drawdown, "
                   "turnover, win_rate, ic_mean, ic_ir",
                   false},
                  {"equity", "table: date, equity, daily_return", false}};
  type.run = RunBacktestTopK;
  registry.Register(std::move(type));
}

}  // namespace fai::quant
