#include "io/result_reader.h"

#include "io/h5_file.h"
#include "io/h5_value.h"

namespace fai {

namespace {

herr_t CollectLink(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

std::vector<std::string> Children(hid_t group) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, CollectLink, &names);
  return names;
}

Result<std::string> ReadText(hid_t group, const char* name) {
  if (H5Lexists(group, name, H5P_DEFAULT) <= 0) return std::string();
  H5Id ds(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose);
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  char* p = nullptr;
  if (!ds.ok() || H5Dread(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0)
    return Status::InvalidInput(std::string("cannot read /run/") + name);
  std::string text = p ? p : "";
  H5free_memory(p);
  return text;
}

std::string AttrText(hid_t object, const char* name) {
  Result<Value> v = ReadH5Attribute(object, name);
  return v.ok() && v->kind() == ValueKind::kString ? v->as_string() : std::string();
}

}  // namespace

Result<std::unique_ptr<ResultReader>> ResultReader::Open(const std::string& path) {
  Result<H5Id> file = OpenH5File(path);
  if (!file.ok()) return file.status();
  if (H5Lexists(file->get(), "summary", H5P_DEFAULT) <= 0)
    return Status::InvalidInput(path + ": not a fai-sweep result file (no /summary)");
  return std::unique_ptr<ResultReader>(new ResultReader(path, std::move(*file)));
}

Result<SummaryTable> ResultReader::ReadSummary() const {
  Result<SummaryTable> t = SummaryTable::ReadFrom(file_.get(), "summary");
  if (!t.ok()) return t.status().Prefixed(path_ + ": ");
  return t;
}

Result<ResultRunInfo> ResultReader::ReadRunInfo() const {
  ResultRunInfo info;
  if (H5Lexists(file_.get(), "run", H5P_DEFAULT) <= 0) return info;
  H5Id run(H5Gopen2(file_.get(), "run", H5P_DEFAULT), H5Gclose);
  if (!run.ok()) return Status::InvalidInput(path_ + ": cannot open /run");
  Result<std::string> canvas = ReadText(run.get(), "canvas");
  Result<std::string> grid = ReadText(run.get(), "grid");
  if (!canvas.ok()) return canvas.status().Prefixed(path_ + ": ");
  if (!grid.ok()) return grid.status().Prefixed(path_ + ": ");
  info.canvas_text = *canvas;
  info.grid_text = *grid;
  info.engine_version = AttrText(run.get(), "engine_version");
  info.canvas_path = AttrText(run.get(), "canvas_path");
  info.grid_path = AttrText(run.get(), "grid_path");
  const std::string save = AttrText(run.get(), "save");
  if (!save.empty()) info.save_patterns.push_back(save);
  Result<Value> dedup = ReadH5Attribute(run.get(), "dedup");
  info.dedup = !dedup.ok() || dedup->kind() != ValueKind::kBool || dedup->as_bool();
  return info;
}

Result<ComboResults> ResultReader::ReadCombo(const std::string& id) const {
  if (H5Lexists(file_.get(), "combos", H5P_DEFAULT) <= 0)
    return Status::InvalidInput(path_ + ": no /combos group");
  H5Id combos(H5Gopen2(file_.get(), "combos", H5P_DEFAULT), H5Gclose);
  std::string found;
  if (!id.empty() && H5Lexists(combos.get(), id.c_str(), H5P_DEFAULT) > 0) {
    found = id;
  } else {
    std::vector<std::string> matches;
    for (const std::string& name : Children(combos.get()))
      if (!id.empty() && name.rfind(id, 0) == 0) matches.push_back(name);
    if (matches.empty()) return Status::NotFound(path_ + ": no combination \"" + id + "\"");
    if (matches.size() > 1)
      return Status::InvalidInput(path_ + ": \"" + id + "\" is the start of " +
                                  std::to_string(matches.size()) + " combination ids (" +
                                  matches[0] + ", " + matches[1] + ", ...); give more digits");
    found = matches.front();
  }
  H5Id combo(H5Gopen2(combos.get(), found.c_str(), H5P_DEFAULT), H5Gclose);
  if (!combo.ok()) return Status::InvalidInput(path_ + ": cannot open /combos/" + found);
  ComboResults out;
  out.id = found;
  Result<Dict> all = ReadH5Group(combo.get());
  if (!all.ok()) return all.status().Prefixed(path_ + ": /combos/" + found + ": ");
  for (auto& [name, value] : *all) {
    if (value.kind() == ValueKind::kDict &&
        H5Lexists(combo.get(), EscapeH5Name(name).c_str(), H5P_DEFAULT) > 0 &&
        H5Aexists(combo.get(), EscapeH5Name(name).c_str()) <= 0) {
      out.modules.emplace_back(name, value.as_dict());
    } else {
      out.params[name] = std::move(value);
    }
  }
  Result<SummaryTable> summary = ReadSummary();
  if (!summary.ok()) return summary.status();
  const int ids = summary->Find("combo");
  for (size_t r = 0; ids >= 0 && r < summary->rows(); ++r) {
    const Value& id_cell = summary->columns()[ids].cells[r];
    if (id_cell.kind() != ValueKind::kString || id_cell.as_string() != found) continue;
    for (const SummaryColumn& col : summary->columns()) out.summary[col.name] = col.cells[r];
  }
  return out;
}

}  // namespace fai
