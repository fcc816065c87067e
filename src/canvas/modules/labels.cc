// labels.forward_return: the return over the next `horizon` rows of each instrument,
//   label[p] = c[p + horizon] / c[p] - 1   (NaN for the last `horizon` rows),
// raw or as a cross-sectional rank per date in [0, 1].
#include <cmath>
#include <string>
#include <vector>

#include "canvas/modules/panel.h"
#include "canvas/modules/parallel_for.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"

namespace fai::quant {

namespace {

void RunForwardReturn(TaskContext& ctx) {
  const Table& table = InputTable(ctx, "data");
  const PanelIndex index = PanelIndex::Build(table);
  const std::vector<double>& close = NumericColumn(table, ctx.string_param("price_column"));
  const size_t horizon = static_cast<size_t>(ctx.int_param("horizon"));
  std::vector<double> label(table.rows(), std::nan(""));
  ParallelFor(ctx.threads(), index.instruments().size(), [&](size_t i) {
    const std::vector<size_t>& at = index.rows_of_instrument(i);
    for (size_t p = 0; p + horizon < at.size(); ++p)
      label[at[p]] = close[at[p + horizon]] / close[at[p]] - 1;
  });
  if (ctx.string_param("mode") == "rank") label = CrossSectionalRank(label, index, ctx.threads());
  Table out;
  out.AddColumn(kDateColumn, TextColumn(table, kDateColumn));
  out.AddColumn(kInstrumentColumn, TextColumn(table, kInstrumentColumn));
  out.AddColumn(ctx.string_param("name"), std::move(label));
  ctx.set_output("data", Value(std::move(out)));
}

}  // namespace

void RegisterLabelModules(ModuleRegistry& registry) {
  ModuleType type;
  type.name = "labels.forward_return";
  type.help = "The forward return over `horizon` rows per instrument, raw or ranked per date";
  type.params = {
      IntParam("horizon", 5, 1, 1000, "rows (trading days) ahead"),
      StringParam("mode", "raw",
                  "raw: the return; rank: its cross-sectional rank per date in [0, 1]",
                  {"raw", "rank"}),
      StringParam("price_column", "close", "the price the return is computed from"),
      StringParam("name", "label", "name of the label column"),
  };
  type.inputs = {{"data", "a panel with the price column", false}};
  type.outputs = {{"data", "table: date, instrument and the label column", false}};
  type.run = RunForwardReturn;
  registry.Register(std::move(type));
}

}  // namespace fai::quant
