// The quant module library: the built-in types of the seed's stock-selection workflow.
//
//   market.synthetic      a daily OHLCV panel with factors, fat tails and a predictable part
//   data.csv, data.hdf5   a long panel from a file
//   data.dropna           rows without NaN
//   data.join             two panels side by side on (date, instrument)
//   data.split_by_date    train and test tables
//   features.basic        rolling returns, moving-average ratios, volatility, volume change, ranks
//   labels.forward_return the return over the next `horizon` rows, raw or ranked per date
//   ml.random_forest      a histogram-based regression forest (model blob + importances)
//   ml.linear             ridge regression (model blob + coefficients)
//   ml.predict            predictions of either model on a table
//   backtest.topk         daily top-k equal-weight portfolio: metrics and equity curve
//
// Tables flowing between them are long panels (canvas/modules/panel.h). Every type is
// deterministic given its params (seeds included) and its result does not depend on the number
// of threads it is granted. Registration is not thread-safe (ModuleRegistry is filled once).
#ifndef FAI_CANVAS_MODULES_QUANT_MODULES_H_
#define FAI_CANVAS_MODULES_QUANT_MODULES_H_

#include "fai/module.h"

namespace fai {

// Registers every type listed above.
void RegisterQuantModules(ModuleRegistry& registry);

namespace quant {
// One function per file; RegisterQuantModules calls them all.
void RegisterMarketSyntheticModule(ModuleRegistry& registry);  // market_synthetic.cc
void RegisterDataFileModules(ModuleRegistry& registry);        // data_files.cc
void RegisterDataTableModules(ModuleRegistry& registry);       // data_tables.cc
void RegisterFeatureModules(ModuleRegistry& registry);         // features.cc
void RegisterLabelModules(ModuleRegistry& registry);           // labels.cc
void RegisterRandomForestModule(ModuleRegistry& registry);     // random_forest_module.cc
void RegisterLinearModule(ModuleRegistry& registry);           // linear_module.cc
void RegisterPredictModule(ModuleRegistry& registry);          // predict.cc
void RegisterBacktestModule(ModuleRegistry& registry);         // backtest_module.cc
}  // namespace quant

}  // namespace fai

#endif  // FAI_CANVAS_MODULES_QUANT_MODULES_H_
