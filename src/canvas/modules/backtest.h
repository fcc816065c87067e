// The top-k backtest: each rebalance date, hold the top_k instruments by prediction in equal
// weights until the next date.
//
// For day t with new weights w_t (1/k on the k highest finite predictions; ties go to the lower
// instrument id) and previous weights w_{t-1} (0 before the first day):
//   traded_t = sum_i |w_t,i - w_{t-1},i|
//   return_t = sum_i w_t,i * realized_t,i - traded_t * cost_bps / 10^4
// where realized_t,i is the instrument's return until the next date (a NaN earns 0). Metrics over
// the n days, with P = periods_per_year and equity_t = prod_{s<=t} (1 + return_s):
//   total_return = equity_n - 1, annual_return = equity_n^(P/n) - 1,
//   annual_volatility = std(return) sqrt(P) (sample std), sharpe = mean(return) / std(return)
//   sqrt(P), max_drawdown = max_t (1 - equity_t / peak_t) with the peak starting at 1 (a positive
//   fraction), turnover = mean_t traded_t / 2 (one-way share of the book traded per day), win_rate
//   = share of days with return > 0, ic_mean, ic_ir = mean and mean / std of the daily Spearman
//   correlation between predictions and realized returns (days with fewer than 3 pairs skipped).
// Undefined ratios (one day, zero volatility) are NaN. Pure functions; thread-safe.
#ifndef FAI_CANVAS_MODULES_BACKTEST_H_
#define FAI_CANVAS_MODULES_BACKTEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fai/value.h"

namespace fai::quant {

struct BacktestOptions {
  int top_k = 20;              // instruments held each day
  double cost_bps = 10;        // cost per unit of weight traded, in basis points
  int periods_per_year = 252;  // for annualising
};

// One rebalance date: the instruments with a prediction, and what each earned until the next.
struct CrossSection {
  std::string date;
  std::vector<uint32_t> instrument;  // ids; equal ids on different days are the same instrument
  std::vector<double> prediction;
  std::vector<double> realized;
};

struct BacktestResult {
  std::vector<std::string> dates;  // the rebalance dates, ascending as given
  std::vector<double> daily_return;
  std::vector<double> equity;
  Dict metrics;  // the keys listed above
};

// REQUIRES: days in date order.
BacktestResult RunTopKBacktest(const std::vector<CrossSection>& days,
                               const BacktestOptions& options);

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_BACKTEST_H_
