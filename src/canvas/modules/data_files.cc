// data.csv and data.hdf5: a long panel from a file. Relative paths resolve against the
// directory of canvas.json.
#include <filesystem>
#include <stdexcept>
#include <string>

#include "canvas/modules/csv_table.h"
#include "canvas/modules/hdf5_table.h"
#include "canvas/modules/panel.h"
#include "canvas/modules/param_specs.h"
#include "canvas/modules/quant_modules.h"

namespace fai::quant {

namespace {

std::string ResolvePath(const TaskContext& ctx) {
  const std::filesystem::path path(ctx.string_param("path"));
  if (path.is_absolute() || ctx.canvas_dir().empty()) return path.string();
  return (std::filesystem::path(ctx.canvas_dir()) / path).string();
}

// Checks the panel's key columns so that a bad file fails here, not three modules later.
void EmitPanel(TaskContext& ctx, Result<Table> table) {
  if (!table.ok()) throw std::runtime_error(table.status().message());
  PanelIndex::Build(*table);
  ctx.set_output("data", Value(std::move(table).value()));
}

void RunDataCsv(TaskContext& ctx) { EmitPanel(ctx, ReadCsvTable(ResolvePath(ctx))); }

void RunDataHdf5(TaskContext& ctx) {
  EmitPanel(ctx, ReadHdf5Table(ResolvePath(ctx), ctx.string_param("dataset")));
}

}  // namespace

void RegisterDataFileModules(ModuleRegistry& registry) {
  ModuleType csv;
  csv.name = "data.csv";
  csv.help = "A long panel from a CSV file: a header, then date, instrument and numeric columns";
  csv.params = {
      RequiredStringParam("path", "CSV file (relative paths start at the canvas's directory)")};
  csv.outputs = {{"data", "table: date, instrument and the file's other columns", false}};
  csv.run = RunDataCsv;
  registry.Register(std::move(csv));

  ModuleType hdf5;
  hdf5.name = "data.hdf5";
  hdf5.help = "A long panel from an HDF5 file: one 1-D compound dataset, one member per column";
  hdf5.params = {
      RequiredStringParam("path", "HDF5 file (relative paths start at the canvas's directory)"),
      StringParam("dataset", "panel", "the compound dataset's path inside the file")};
  hdf5.outputs = {{"data", "table: date, instrument and the dataset's other members", false}};
  hdf5.run = RunDataHdf5;
  registry.Register(std::move(hdf5));
}

}  // namespace fai::quant
