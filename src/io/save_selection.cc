#include "io/save_selection.h"

#include <fnmatch.h>

#include <algorithm>

#include "common/suggest.h"

namespace fai {

namespace {

bool Glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::vector<std::string> SplitPatterns(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const std::string& g : given) {
    size_t start = 0;
    while (start <= g.size()) {
      size_t comma = g.find(',', start);
      if (comma == std::string::npos) comma = g.size();
      std::string p = g.substr(start, comma - start);
      p.erase(0, p.find_first_not_of(" \t"));
      p.erase(p.find_last_not_of(" \t") + 1);
      if (!p.empty()) out.push_back(p);
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace

bool IsScalarLikeOutput(const Value& v) {
  if (v.kind() == ValueKind::kString) return v.as_string().size() <= kMaxScalarStringBytes;
  if (v.is_scalar()) return true;
  if (v.kind() != ValueKind::kDict) return false;
  return std::all_of(v.as_dict().begin(), v.as_dict().end(),
                     [](const auto& kv) { return kv.second.is_scalar(); });
}

bool ShipRequest::Covers(const ShipRequest& other) const {
  if (all) return true;
  if (other.all) return false;
  return std::all_of(other.ports.begin(), other.ports.end(), [&](const std::string& p) {
    return std::find(ports.begin(), ports.end(), p) != ports.end();
  });
}

Result<SaveSelection> SaveSelection::Parse(const std::vector<std::string>& patterns,
                                           std::vector<SaveModule> modules) {
  SaveSelection s;
  s.modules_ = std::move(modules);
  s.patterns_ = SplitPatterns(patterns);
  if (s.patterns_.empty()) s.patterns_ = {"last"};
  std::vector<std::string> ids, outputs;
  for (const SaveModule& m : s.modules_) {
    ids.push_back(m.id);
    for (const std::string& p : m.ports) outputs.push_back(m.id + "." + p);
  }
  std::string errors;
  auto error = [&](const std::string& msg) { errors += (errors.empty() ? "" : "\n") + msg; };
  for (const std::string& p : s.patterns_) {
    if (p == "none") continue;
    if (p == "all") {
      s.globs_.push_back("*.*");
      continue;
    }
    if (p == "last") {
      for (const SaveModule& m : s.modules_)
        if (m.last) s.globs_.push_back(m.id + ".*");
      continue;
    }
    const size_t dot = p.find('.');
    const std::string module_part = dot == std::string::npos ? p : p.substr(0, dot);
    const std::string glob = dot == std::string::npos ? p + ".*" : p;
    // The pattern must select something: a declared output, or a free-form module's outputs.
    bool module_matched = false, output_matched = false;
    for (const SaveModule& m : s.modules_) {
      if (!Glob(module_part, m.id)) continue;
      module_matched = true;
      if (m.free_form) output_matched = true;
      for (const std::string& port : m.ports)
        if (Glob(glob, m.id + "." + port)) output_matched = true;
    }
    if (!module_matched) {
      error("--save " + p + ": no module \"" + module_part + "\"" + DidYouMean(module_part, ids));
    } else if (!output_matched) {
      error("--save " + p + ": matches no output" + DidYouMean(p, outputs) +
            (outputs.empty() ? "" : " (outputs: " + QuotedList(outputs) + ")"));
    } else {
      s.globs_.push_back(glob);
    }
  }
  if (!errors.empty()) return Status::InvalidInput(errors);

  for (size_t m = 0; m < s.modules_.size(); ++m) {
    const SaveModule& mod = s.modules_[m];
    ShipRequest req;
    if (mod.free_form) {
      // Ports are known only at run time: ship everything when a pattern could select any port.
      for (const std::string& g : s.globs_) {
        const std::string module_part = g.substr(0, g.find('.'));
        if (Glob(module_part, mod.id)) req.all = true;
      }
    } else {
      for (const std::string& port : mod.ports)
        if (s.Selected(static_cast<int>(m), port)) req.ports.push_back(port);
      if (!mod.ports.empty() && req.ports.size() == mod.ports.size()) {
        req.all = true;
        req.ports.clear();
      }
    }
    s.ship_.push_back(std::move(req));
  }
  return s;
}

bool SaveSelection::Selected(int module, const std::string& port) const {
  const std::string name = modules_[module].id + "." + port;
  return std::any_of(globs_.begin(), globs_.end(),
                     [&](const std::string& g) { return Glob(g, name); });
}

bool SaveSelection::Saves(int module, const std::string& port, const Value& value) const {
  return IsScalarLikeOutput(value) || Selected(module, port);
}

}  // namespace fai
