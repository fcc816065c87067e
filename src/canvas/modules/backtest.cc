#include "canvas/modules/backtest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "canvas/modules/panel.h"

namespace fai::quant {

namespace {

double Mean(const std::vector<double>& v) {
  return v.empty() ? std::nan("")
                   : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double SampleStd(const std::vector<double>& v) {
  if (v.size() < 2) return std::nan("");
  const double mean = Mean(v);
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double Ratio(double a, double b) { return b > 0 && std::isfinite(a) ? a / b : std::nan(""); }

}  // namespace

BacktestResult RunTopKBacktest(const std::vector<CrossSection>& days,
                               const BacktestOptions& options) {
  BacktestResult result;
  std::map<uint32_t, double> held;  // instrument -> weight
  double equity = 1, peak = 1, max_drawdown = 0, traded_sum = 0;
  size_t wins = 0;
  std::vector<double> ics;
  for (const CrossSection& day : days) {
    std::vector<size_t> order;
    for (size_t k = 0; k < day.prediction.size(); ++k)
      if (std::isfinite(day.prediction[k])) order.push_back(k);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return day.prediction[a] > day.prediction[b] ||
             (day.prediction[a] == day.prediction[b] && day.instrument[a] < day.instrument[b]);
    });
    order.resize(std::min(order.size(), static_cast<size_t>(options.top_k)));
    std::map<uint32_t, double> target;
    double gross = 0;
    for (size_t k : order) {
      const double weight = 1.0 / static_cast<double>(order.size());
      target[day.instrument[k]] = weight;
      if (std::isfinite(day.realized[k])) gross += weight * day.realized[k];
    }
    double traded = 0;
    for (const auto& [id, w] : target) {
      auto it = held.find(id);
      traded += std::abs(w - (it == held.end() ? 0.0 : it->second));
    }
    for (const auto& [id, w] : held)
      if (!target.count(id)) traded += w;
    held = std::move(target);
    const double net = gross - traded * options.cost_bps * 1e-4;
    equity *= 1 + net;
    peak = std::max(peak, equity);
    max_drawdown = std::max(max_drawdown, 1 - equity / peak);
    traded_sum += traded;
    wins += net > 0 ? 1 : 0;
    const double ic = SpearmanCorrelation(day.prediction, day.realized);
    if (std::isfinite(ic)) ics.push_back(ic);
    result.dates.push_back(day.date);
    result.daily_return.push_back(net);
    result.equity.push_back(equity);
  }
  const double n = static_cast<double>(days.size());
  const double periods = options.periods_per_year;
  const double volatility = SampleStd(result.daily_return);
  Dict& m = result.metrics;
  m["total_return"] = Value(days.empty() ? std::nan("") : equity - 1);
  m["annual_return"] = Value(days.empty() ? std::nan("")
                             : equity > 0 ? std::pow(equity, periods / n) - 1
                                          : -1.0);
  m["annual_volatility"] = Value(volatility * std::sqrt(periods));
  m["sharpe"] = Value(Ratio(Mean(result.daily_return), volatility) * std::sqrt(periods));
  m["max_drawdown"] = Value(days.empty() ? std::nan("") : max_drawdown);
  m["turnover"] = Value(days.empty() ? std::nan("") : traded_sum / n / 2);
  m["win_rate"] = Value(days.empty() ? std::nan("") : static_cast<double>(wins) / n);
  m["ic_mean"] = Value(Mean(ics));
  m["ic_ir"] = Value(Ratio(Mean(ics), SampleStd(ics)));
  return result;
}

}  // namespace fai::quant
