// market.synthetic: a daily OHLCV panel drawn from a factor model with fat tails and a
// predictable component (short-term reversal plus medium-term momentum).
//
// Log return of instrument i on business day t:
//   r = sigma_i * (signal * z_it + eps_it) + sum_k beta_ik f_kt
// with the shocks eps and the factor returns f Student-t (unit variance, tail_dof degrees of
// freedom) and
//   z_it = -0.8 * (eps over the last 5 days) / sqrt 5 + 0.6 * (eps over days t-25..t-6) / sqrt 20.
// Every day's draws come from a stream keyed by (seed, instrument, calendar date), so two date
// ranges give the same returns, volumes and intraday shapes on the dates they share (price levels
// start from each range's first day). Open, high and low come from a Brownian bridge of
// `intraday_steps` steps between the open and the close; volume rises with the size of the shock.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "canvas/modules/panel.h"
#include "canvas/modules/parallel_for.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"
#include "canvas/modules/rng.h"

namespace fai::quant {

namespace {

constexpr size_t kWarmupDays = 25;  // business days of shocks the signal needs before the first day

struct MarketSpec {
  std::vector<int64_t> days;  // kWarmupDays business days before the range, then the range's
  int instruments = 0;
  int factors = 0;
  double tail_dof = 4;
  double signal = 0;
  int intraday_steps = 1;
  uint64_t seed = 0;
};

struct InstrumentSeries {
  std::vector<double> open, high, low, close, volume;
};

// The stream of instrument i's draws on calendar day `day` (instrument -1: the factors).
Rng DayRng(const MarketSpec& spec, int instrument, int64_t day) {
  const uint64_t owner = static_cast<uint64_t>(instrument + 2) << 32;
  return Rng::ForStream(spec.seed, owner | static_cast<uint32_t>(day));
}

std::vector<double> FactorReturns(const MarketSpec& spec) {
  std::vector<double> f(spec.days.size() * spec.factors);
  for (size_t t = 0; t < spec.days.size(); ++t) {
    Rng rng = DayRng(spec, -1, spec.days[t]);
    for (int k = 0; k < spec.factors; ++k)
      f[t * spec.factors + k] = (k == 0 ? 0.010 : 0.006) * rng.StudentT(spec.tail_dof);
  }
  return f;
}

InstrumentSeries SimulateInstrument(const MarketSpec& spec,
                                    const std::vector<double>& factor_returns, int instrument) {
  Rng traits = Rng::ForStream(spec.seed, static_cast<uint64_t>(instrument));
  std::vector<double> beta(spec.factors);
  for (int k = 0; k < spec.factors; ++k)
    beta[k] = k == 0 ? 1 + 0.3 * traits.Normal() : 0.5 * traits.Normal();
  const double sigma = 0.012 + 0.013 * traits.Uniform();
  const double base_volume = std::exp(std::log(1e6) + 0.8 * traits.Normal());
  double log_close = std::log(50.0) + 0.8 * traits.Normal();

  const size_t total = spec.days.size(), days = total - kWarmupDays;
  std::vector<double> shock(total);
  InstrumentSeries s;
  for (auto* v : {&s.open, &s.high, &s.low, &s.close, &s.volume}) v->resize(days);
  std::vector<double> walk(spec.intraday_steps + 1);
  const double step_sigma = sigma * std::sqrt(0.7 / spec.intraday_steps);
  for (size_t t = 0; t < total; ++t) {
    Rng rng = DayRng(spec, instrument, spec.days[t]);
    shock[t] = rng.StudentT(spec.tail_dof);
    if (t < kWarmupDays) continue;
    double recent = 0, older = 0;
    for (size_t lag = 1; lag <= 25; ++lag) (lag <= 5 ? recent : older) += shock[t - lag];
    const double z = -0.8 * recent / std::sqrt(5.0) + 0.6 * older / std::sqrt(20.0);
    double r = sigma * (spec.signal * z + shock[t]);
    for (int k = 0; k < spec.factors; ++k) r += beta[k] * factor_returns[t * spec.factors + k];
    const double log_open = log_close + 0.3 * r + 0.002 * rng.Normal();
    log_close += r;
    // Intraday path: a Brownian bridge from the open to the close.
    walk[0] = 0;
    for (int j = 1; j <= spec.intraday_steps; ++j)
      walk[j] = walk[j - 1] + step_sigma * rng.Normal();
    double high = std::max(log_open, log_close), low = std::min(log_open, log_close);
    for (int j = 1; j < spec.intraday_steps; ++j) {
      const double frac = static_cast<double>(j) / spec.intraday_steps;
      const double x =
          log_open + frac * (log_close - log_open) + walk[j] - frac * walk[spec.intraday_steps];
      high = std::max(high, x);
      low = std::min(low, x);
    }
    const size_t d = t - kWarmupDays;
    s.open[d] = std::exp(log_open);
    s.high[d] = std::exp(high);
    s.low[d] = std::exp(low);
    s.close[d] = std::exp(log_close);
    s.volume[d] =
        std::round(base_volume * std::exp(0.25 * rng.Normal() + 0.5 * std::abs(shock[t])));
  }
  return s;
}

std::string InstrumentName(int i, int count) {
  const int width = std::max<int>(4, static_cast<int>(std::to_string(count - 1).size()));
  std::string digits = std::to_string(i);
  return "S" + std::string(width - digits.size(), '0') + digits;
}

void RunMarketSynthetic(TaskContext& ctx) {
  const int64_t start = DateParam(ctx, "start_date"), end = DateParam(ctx, "end_date");
  if (start > end)
    throw std::invalid_argument("start_date " + ctx.string_param("start_date") +
                                " is after end_date " + ctx.string_param("end_date"));
  MarketSpec spec;
  std::vector<int64_t> warmup;
  for (int64_t d = start - 1; warmup.size() < kWarmupDays; --d)
    if (IsWeekday(d)) warmup.push_back(d);
  spec.days.assign(warmup.rbegin(), warmup.rend());
  for (int64_t d = start; d <= end; ++d)
    if (IsWeekday(d)) spec.days.push_back(d);
  if (spec.days.size() == kWarmupDays)
    throw std::invalid_argument("no business day between " + ctx.string_param("start_date") +
                                " and " + ctx.string_param("end_date"));
  spec.instruments = static_cast<int>(ctx.int_param("instruments"));
  spec.factors = static_cast<int>(ctx.int_param("factors"));
  spec.tail_dof = ctx.float_param("tail_dof");
  spec.signal = ctx.float_param("signal");
  spec.intraday_steps = static_cast<int>(ctx.int_param("intraday_steps"));
  spec.seed = static_cast<uint64_t>(ctx.int_param("seed"));

  const std::vector<double> factors = FactorReturns(spec);
  const size_t days = spec.days.size() - kWarmupDays, n = static_cast<size_t>(spec.instruments),
               rows = days * n;
  std::vector<double> open(rows), high(rows), low(rows), close(rows), volume(rows);
  ParallelFor(ctx.threads(), n, [&](size_t i) {
    const InstrumentSeries s = SimulateInstrument(spec, factors, static_cast<int>(i));
    for (size_t d = 0; d < days; ++d) {
      const size_t row = d * n + i;
      open[row] = s.open[d];
      high[row] = s.high[d];
      low[row] = s.low[d];
      close[row] = s.close[d];
      volume[row] = s.volume[d];
    }
  });
  std::vector<std::string> names(n), date_column, instrument_column;
  for (size_t i = 0; i < n; ++i) names[i] = InstrumentName(static_cast<int>(i), spec.instruments);
  date_column.reserve(rows);
  instrument_column.reserve(rows);
  for (size_t d = 0; d < days; ++d) {
    const std::string date = FormatIsoDate(spec.days[kWarmupDays + d]);
    for (size_t i = 0; i < n; ++i) {
      date_column.push_back(date);
      instrument_column.push_back(names[i]);
    }
  }
  Table table;
  table.AddColumn(kDateColumn, std::move(date_column));
  table.AddColumn(kInstrumentColumn, std::move(instrument_column));
  table.AddColumn("open", std::move(open));
  table.AddColumn("high", std::move(high));
  table.AddColumn("low", std::move(low));
  table.AddColumn("close", std::move(close));
  table.AddColumn("volume", std::move(volume));
  ctx.set_output("data", Value(std::move(table)));
}

}  // namespace

void RegisterMarketSyntheticModule(ModuleRegistry& registry) {
  ModuleType type;
  type.name = "market.synthetic";
  type.help =
      "A synthetic daily OHLCV panel: factor structure, fat tails, predictable reversal/momentum";
  type.params = {
      StringParam("start_date", "2019-01-01",
                  "first calendar day (YYYY-MM-DD); business days only"),
      StringParam("end_date", "2022-12-31", "last calendar day (YYYY-MM-DD), inclusive"),
      IntParam("instruments", 100, 1, 100000, "number of instruments (named S0000, S0001, ...)"),
      IntParam("factors", 3, 0, 20, "number of common factors (the first is the market)"),
      FloatParam("tail_dof", 4.0, 2.5, 1000,
                 "Student-t degrees of freedom of the shocks (lower: fatter tails)"),
      FloatParam("signal", 0.05, 0, 1, "strength of the predictable part of returns (0: none)"),
      IntParam("intraday_steps", 32, 1, 1000,
               "steps of the intraday path that sets open, high and low"),
      IntParam("seed", 7, 0, 9.0e15, "random seed: same seed, same panel"),
  };
  type.outputs = {
      {"data", "table: date, instrument, open, high, low, close, volume (date-major)", false}};
  type.run = RunMarketSynthetic;
  registry.Register(std::move(type));
}

}  // namespace fai::quant
