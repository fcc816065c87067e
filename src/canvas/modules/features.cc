// features.basic: rolling per-instrument features and their cross-sectional ranks.
//
// For instrument rows p in date order, with close c and volume v, and each window w:
//   ret_1          c[p] / c[p-1] - 1
//   ret_w          c[p] / c[p-w] - 1
//   ma_ratio_w     c[p] / mean(c[p-w+1..p]) - 1
//   vol_w          sample standard deviation of log(c[q] / c[q-1]) for q in p-w+1..p
//   volume_chg_w   v[p] / mean(v[p-w..p-1]) - 1
// NaN until enough history. With ranks on, each feature X also gets X_rank: its rank among the
// date's instruments, scaled to [0, 1]. Only past and current rows are used: no look-ahead.
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "canvas/modules/panel.h"
#include "canvas/modules/parallel_for.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"

namespace fai::quant {

namespace {

struct FeatureColumns {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;

  std::vector<double>& Add(std::string name, size_t rows) {
    names.push_back(std::move(name));
    values.emplace_back(rows, std::nan(""));
    return values.back();
  }
};

double Mean(const std::vector<double>& x, size_t from, size_t to) {  // [from, to)
  double sum = 0;
  for (size_t q = from; q < to; ++q) sum += x[q];
  return sum / static_cast<double>(to - from);
}

double SampleStd(const std::vector<double>& x, size_t from, size_t to) {
  const double mean = Mean(x, from, to);
  double ss = 0;
  for (size_t q = from; q < to; ++q) ss += (x[q] - mean) * (x[q] - mean);
  return std::sqrt(ss / static_cast<double>(to - from - 1));
}

void RunFeaturesBasic(TaskContext& ctx) {
  const Table& table = InputTable(ctx, "data");
  const PanelIndex index = PanelIndex::Build(table);
  const std::vector<double>& close = NumericColumn(table, ctx.string_param("price_column"));
  const std::string& volume_name = ctx.string_param("volume_column");
  const std::vector<double>* volume =
      volume_name.empty() ? nullptr : &NumericColumn(table, volume_name);
  std::vector<size_t> windows;
  std::set<size_t> seen;
  for (const Value& w : ctx.param("windows").as_list()) {
    windows.push_back(static_cast<size_t>(w.as_int()));
    if (!seen.insert(windows.back()).second)
      throw std::invalid_argument("param \"windows\": " + std::to_string(windows.back()) +
                                  " appears twice");
  }

  const size_t rows = table.rows();
  FeatureColumns features;
  features.values.reserve(1 + 4 * windows.size());  // Add() must not reallocate: we keep pointers
  std::vector<double>& ret_1 = features.Add("ret_1", rows);
  struct WindowColumns {
    std::vector<double>*ret, *ma_ratio, *vol, *volume_chg;
  };
  std::vector<WindowColumns> by_window;
  for (size_t w : windows) {
    const std::string suffix = "_" + std::to_string(w);
    WindowColumns wc{};
    wc.ret = &features.Add("ret" + suffix, rows);
    wc.ma_ratio = &features.Add("ma_ratio" + suffix, rows);
    wc.vol = &features.Add("vol" + suffix, rows);
    wc.volume_chg = volume ? &features.Add("volume_chg" + suffix, rows) : nullptr;
    by_window.push_back(wc);
  }

  ParallelFor(ctx.threads(), index.instruments().size(), [&](size_t i) {
    const std::vector<size_t>& at = index.rows_of_instrument(i);
    const size_t m = at.size();
    std::vector<double> c(m), log_ret(m, std::nan("")), v(m);
    for (size_t p = 0; p < m; ++p) {
      c[p] = close[at[p]];
      if (volume) v[p] = (*volume)[at[p]];
      if (p > 0) log_ret[p] = std::log(c[p] / c[p - 1]);
    }
    for (size_t p = 1; p < m; ++p) ret_1[at[p]] = c[p] / c[p - 1] - 1;
    for (size_t k = 0; k < windows.size(); ++k) {
      const size_t w = windows[k];
      const WindowColumns& out = by_window[k];
      for (size_t p = w - 1; p < m; ++p) {
        const size_t row = at[p];
        (*out.ma_ratio)[row] = c[p] / Mean(c, p + 1 - w, p + 1) - 1;
        if (p < w) continue;
        (*out.ret)[row] = c[p] / c[p - w] - 1;
        (*out.vol)[row] = SampleStd(log_ret, p + 1 - w, p + 1);
        if (volume) {
          const double previous = Mean(v, p - w, p);
          (*out.volume_chg)[row] = previous > 0 ? v[p] / previous - 1 : std::nan("");
        }
      }
    }
  });

  Table out;
  out.AddColumn(kDateColumn, TextColumn(table, kDateColumn));
  out.AddColumn(kInstrumentColumn, TextColumn(table, kInstrumentColumn));
  const bool ranks = ctx.bool_param("ranks");
  std::vector<std::vector<double>> ranked(ranks ? features.values.size() : 0);
  for (size_t f = 0; f < ranked.size(); ++f)
    ranked[f] = CrossSectionalRank(features.values[f], index, ctx.threads());
  for (size_t f = 0; f < features.values.size(); ++f)
    out.AddColumn(features.names[f], std::move(features.values[f]));
  for (size_t f = 0; f < ranked.size(); ++f)
    out.AddColumn(features.names[f] + "_rank", std::move(ranked[f]));
  ctx.set_output("data", Value(std::move(out)));
}

}  // namespace

void RegisterFeatureModules(ModuleRegistry& registry) {
  ModuleType type;
  type.name = "features.basic";
  type.help =
      "Rolling returns, moving-average ratios, volatility, volume change and their daily ranks";
  type.params = {
      IntListParam("windows", {5, 10, 20}, 2, 1000,
                   "rolling windows in rows (trading days); distinct"),
      BoolParam("ranks", true,
                "also add each feature's cross-sectional rank per date (X_rank, in [0, 1])"),
      StringParam("price_column", "close", "the price the features are computed from"),
      StringParam("volume_column", "volume", "the volume column; empty: no volume features"),
  };
  type.inputs = {{"data", "a panel with the price (and volume) column", false}};
  type.outputs = {
      {"data", "table: date, instrument, ret_1, ret_w, ma_ratio_w, vol_w, volume_chg_w[, X_rank]",
       false}};
  type.run = RunFeaturesBasic;
  registry.Register(std::move(type));
}

}  // namespace fai::quant
