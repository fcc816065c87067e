#include "canvas/modules/quant_modules.h"

namespace fai {

void RegisterQuantModules(ModuleRegistry& registry) {
  quant::RegisterMarketSyntheticModule(registry);
  quant::RegisterDataFileModules(registry);
  quant::RegisterDataTableModules(registry);
  quant::RegisterFeatureModules(registry);
  quant::RegisterLabelModules(registry);
  quant::RegisterRandomForestModule(registry);
  quant::RegisterLinearModule(registry);
  quant::RegisterPredictModule(registry);
  quant::RegisterBacktestModule(registry);
}

}  // namespace fai
