#include "canvas/canvas_parser.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "canvas/command_module.h"
#include "canvas/json_reader.h"
#include "canvas/param_check.h"
#include "common/suggest.h"
#include "common/value_json.h"

namespace fai {

namespace {

using json = nlohmann::json;

const std::vector<std::string> kTopLevelKeys = {"version", "name", "description", "plugins",
                                                "modules"};
const std::vector<std::string> kModuleKeys = {
    "id",      "type",           "params",    "inputs",      "resources", "timeout",
    "retries", "retry_on_error", "isolation", "description", "label"};
const std::vector<std::string> kResourceKeys = {"num_cpus", "num_gpus", "memory"};

// "; did you mean "x"?" for a typo, or for a candidate that contains the word ("gpus" ->
// "num_gpus").
std::string Suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string hint = DidYouMean(word, candidates);
  if (!hint.empty() || word.size() < 3) return hint;
  for (const std::string& c : candidates)
    if (c.find(word) != std::string::npos) return "; did you mean \"" + c + "\"?";
  return "";
}

bool IsValidId(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id)
    if (c == '.' || std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

// What pass one learns about a module entry, used by the later passes.
struct EntryInfo {
  const json* entry = nullptr;  // null when not an object
  std::string label;            // `module "m1"` or `modules[3]`
  bool node = false;            // its id is valid and unique: other modules may refer to it
  const ModuleType* type = nullptr;
  bool outputs_known = false;  // OutputPorts() can be trusted
  struct Link {
    std::string port, module, output;
  };
  std::vector<Link> links;  // well-formed `inputs` entries
  ModuleInstance instance;
};

class CanvasParser {
 public:
  CanvasParser(const std::string& filename, const ModuleRegistry& registry)
      : filename_(filename), registry_(registry) {}

  Result<Canvas> Parse(std::string_view text) {
    json root;
    std::string syntax_error;
    if (!ReadJson(text, &root, &duplicates_, &syntax_error)) {
      const size_t colon = syntax_error.find(": ");  // after "LINE:COL"
      return Status::InvalidInput(filename_ + ":" + syntax_error.substr(0, colon) +
                                  ": malformed JSON: " + syntax_error.substr(colon + 2));
    }
    if (!root.is_object())
      return Status::InvalidInput(
          filename_ +
          ": expected a JSON object with \"version\" and \"modules\" at the top level, got " +
          DescribeJson(root));
    Canvas canvas;
    canvas.path = filename_;
    canvas.source_text = std::string(text);
    ParseTopLevel(root, &canvas);
    if (!entries_.empty()) {
      NameEntries();
      for (size_t i = 0; i < entries_.size(); ++i) ParseEntry(entries_[i]);
      for (EntryInfo& e : entries_) LinkInputs(e);
      FindCycles();
    }
    if (!errors_.empty()) {
      std::string message;
      for (size_t i = 0; i < errors_.size(); ++i) message += (i ? "\n" : "") + errors_[i];
      return Status::InvalidInput(message);
    }
    for (EntryInfo& e : entries_) canvas.modules.push_back(std::move(e.instance));
    return canvas;
  }

 private:
  void Error(const std::string& where, const std::string& what) {
    errors_.push_back(filename_ + ": " + where + (where.empty() ? "" : ": ") + what);
  }

  // ---- top level ----

  // The index of the module entry holding a duplicate key, or -1.
  static int ModuleOf(const DuplicateJsonKey& d) {
    if (d.path.size() < 2 || d.path[0].is_index || d.path[0].key != "modules" ||
        !d.path[1].is_index)
      return -1;
    return static_cast<int>(d.path[1].index);
  }

  void ParseTopLevel(const json& root, Canvas* canvas) {
    for (const DuplicateJsonKey& d : duplicates_)
      if (ModuleOf(d) < 0) Error(JsonPathText(d.path), "duplicate key \"" + d.key + "\"");
    for (auto it = root.begin(); it != root.end(); ++it) {
      if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), it.key()) == kTopLevelKeys.end()) {
        std::string hint = Suggest(it.key(), kTopLevelKeys);
        Error(it.key(),
              "unknown top-level key" +
                  (hint.empty() ? " (expected " + QuotedList(kTopLevelKeys) + ")" : hint));
      }
    }
    if (!root.contains("version")) {
      Error("version", "missing (expected 1)");
    } else if (const json& v = root["version"]; !(v.is_number_integer() && v.get<int64_t>() == 1)) {
      Error("version", "expected 1, got " + DescribeJson(v));
    }
    canvas->name = std::filesystem::path(filename_).stem().string();
    if (root.contains("name")) {
      if (root["name"].is_string() && !root["name"].get<std::string>().empty()) {
        canvas->name = root["name"].get<std::string>();
      } else {
        Error("name", "expected a non-empty string, got " + DescribeJson(root["name"]));
      }
    }
    if (root.contains("description") && !root["description"].is_string())
      Error("description", "expected a string, got " + DescribeJson(root["description"]));
    if (root.contains("plugins")) {
      const json& plugins = root["plugins"];
      if (!plugins.is_array()) {
        Error("plugins", "expected a list of shared library paths, got " + DescribeJson(plugins));
      } else {
        for (size_t i = 0; i < plugins.size(); ++i) {
          if (plugins[i].is_string() && !plugins[i].get<std::string>().empty()) {
            canvas->plugins.push_back(plugins[i].get<std::string>());
          } else {
            Error("plugins[" + std::to_string(i) + "]",
                  "expected a shared library path (a non-empty string), got " +
                      DescribeJson(plugins[i]));
          }
        }
      }
    }
    if (!root.contains("modules")) {
      Error("modules", "missing (a non-empty list of module entries)");
      return;
    }
    const json& modules = root["modules"];
    if (!modules.is_array() || modules.empty()) {
      Error("modules", "expected a non-empty list of module entries, got " + DescribeJson(modules));
      return;
    }
    entries_.resize(modules.size());
    for (size_t i = 0; i < modules.size(); ++i) {
      entries_[i].label = "modules[" + std::to_string(i) + "]";
      if (modules[i].is_object()) {
        entries_[i].entry = &modules[i];
      } else {
        Error(entries_[i].label,
              "expected a module entry (an object), got " + DescribeJson(modules[i]));
      }
    }
  }

  // Pass one: ids. A valid, unique id names its entry in every later message.
  void NameEntries() {
    std::map<std::string, size_t> first_at;
    for (size_t i = 0; i < entries_.size(); ++i) {
      EntryInfo& e = entries_[i];
      if (e.entry == nullptr) continue;
      if (!e.entry->contains("id")) {
        Error(e.label, "id: missing");
        continue;
      }
      const json& id = (*e.entry)["id"];
      if (!id.is_string()) {
        Error(e.label, "id: expected a string, got " + DescribeJson(id));
        continue;
      }
      const std::string s = id.get<std::string>();
      if (!IsValidId(s)) {
        Error(e.label,
              "id: invalid id \"" + s + "\" (must be non-empty, without '.' or whitespace)");
        continue;
      }
      auto [it, inserted] = first_at.emplace(s, i);
      if (!inserted) {
        Error(e.label,
              "duplicate id \"" + s + "\" (first at modules[" + std::to_string(it->second) + "])");
        continue;
      }
      e.instance.id = s;
      e.label = "module \"" + s + "\"";
      e.node = true;
      ids_.push_back(s);
      index_of_.emplace(s, i);
    }
  }

  // ---- one module entry ----

  void ParseEntry(EntryInfo& e) {
    if (e.entry == nullptr) return;
    const json& entry = *e.entry;
    const size_t index = &e - entries_.data();
    for (auto it = entry.begin(); it != entry.end(); ++it) {
      if (std::find(kModuleKeys.begin(), kModuleKeys.end(), it.key()) == kModuleKeys.end()) {
        std::string hint = Suggest(it.key(), kModuleKeys);
        Error(e.label, it.key() + ": unknown key" +
                           (hint.empty() ? " (expected " + QuotedList(kModuleKeys) + ")" : hint));
      }
    }
    for (const DuplicateJsonKey& d : duplicates_) {
      if (ModuleOf(d) != static_cast<int>(index)) continue;
      const std::string path = JsonPathText(d.path, 2);
      Error(e.label, (path.empty() ? "" : path + ": ") + "duplicate key \"" + d.key + "\"");
    }

    ParseType(e);
    std::vector<std::string> connected_ports = ParseInputs(e);
    if (e.type != nullptr) ParseParams(e, connected_ports);
    ParseResources(e);
    ParseRunOptions(e);
    for (const char* key : {"description", "label"}) {
      if (entry.contains(key) && !entry[key].is_string())
        Error(e.label, std::string(key) + ": expected a string, got " + DescribeJson(entry[key]));
    }
  }

  void ParseType(EntryInfo& e) {
    const json& entry = *e.entry;
    if (!entry.contains("type")) {
      Error(e.label, "type: missing (see `fai-sweep modules` for the types)");
      return;
    }
    const json& type = entry["type"];
    if (!type.is_string()) {
      Error(e.label, "type: expected a module type name (a string), got " + DescribeJson(type));
      return;
    }
    const std::string name = type.get<std::string>();
    e.type = registry_.Find(name);
    if (e.type == nullptr) {
      std::string hint = Suggest(name, registry_.Names());
      Error(e.label, "type: unknown module type \"" + name + "\"" +
                         (hint.empty() ? " (see `fai-sweep modules` for the types)" : hint));
      return;
    }
    e.instance.type = e.type;
    e.instance.resources = e.type->default_resources;
    e.instance.isolate = e.type->isolate_by_default;
  }

  // Returns the ports named in `inputs` (whether or not their references are well formed).
  std::vector<std::string> ParseInputs(EntryInfo& e) {
    std::vector<std::string> ports;
    const json& entry = *e.entry;
    if (!entry.contains("inputs")) {
      CheckRequiredInputs(e, ports);
      return ports;
    }
    const json& inputs = entry["inputs"];
    if (!inputs.is_object()) {
      Error(e.label,
            "inputs: expected an object (port -> \"module.output\"), got " + DescribeJson(inputs));
      return ports;
    }
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
      const std::string& port = it.key();
      const std::string where = "inputs." + port;
      ports.push_back(port);
      bool port_ok = true;
      if (e.type != nullptr && !e.type->free_form && e.type->FindInput(port) == nullptr) {
        port_ok = false;
        std::vector<std::string> declared;
        for (const PortSpec& p : e.type->inputs) declared.push_back(p.name);
        std::string hint = Suggest(port, declared);
        if (hint.empty())
          hint = declared.empty() ? " (it takes no inputs)"
                                  : " (its inputs: " + QuotedList(declared) + ")";
        Error(e.label, where + ": " + e.type->name + " has no input port \"" + port + "\"" + hint);
      } else if (e.type != nullptr && e.type->free_form &&
                 (port.empty() || port.find_first_of("{}. \t\n") != std::string::npos)) {
        port_ok = false;
        Error(e.label,
              where + ": invalid port name (must be non-empty, without '.', braces or whitespace)");
      }
      const json& ref = it.value();
      std::string text = ref.is_string() ? ref.get<std::string>() : "";
      const size_t dot = text.find('.');
      if (!ref.is_string() || dot == std::string::npos || dot == 0 || dot + 1 == text.size()) {
        Error(e.label, where + ": expected \"module.output\", got " + DescribeJson(ref));
        continue;
      }
      EntryInfo::Link link{port, text.substr(0, dot), text.substr(dot + 1)};
      if (port_ok) e.instance.inputs.push_back({link.port, link.module, link.output});
      e.links.push_back(std::move(link));
    }
    CheckRequiredInputs(e, ports);
    return ports;
  }

  void CheckRequiredInputs(EntryInfo& e, const std::vector<std::string>& ports) {
    if (e.type == nullptr || e.type->free_form) return;
    for (const PortSpec& p : e.type->inputs) {
      if (p.optional || std::find(ports.begin(), ports.end(), p.name) != ports.end()) continue;
      Error(e.label, "inputs." + p.name + ": required input of " + e.type->name +
                         " is not connected (add \"" + p.name + "\": \"<module>.<output>\")");
    }
  }

  void ParseParams(EntryInfo& e, const std::vector<std::string>& connected_ports) {
    const json& entry = *e.entry;
    const ModuleType& type = *e.type;
    const std::string label = e.label + " (" + type.name + ")";
    Dict given;
    if (entry.contains("params")) {
      const json& params = entry["params"];
      if (!params.is_object()) {
        Error(label, "params: expected an object, got " + DescribeJson(params));
        return;
      }
      for (auto it = params.begin(); it != params.end(); ++it)
        given.emplace(it.key(), ValueFromJson(it.value()));
    }

    if (type.free_form) {
      if (type.name == kCommandTypeName) {
        for (const std::string& problem : CheckCommandParams(given, connected_ports))
          Error(label, problem);
        auto outputs = given.find("outputs");
        e.outputs_known = outputs == given.end() || outputs->second.kind() == ValueKind::kList;
      } else {
        e.outputs_known = true;
      }
      e.instance.params = std::move(given);
      return;
    }

    e.outputs_known = true;
    std::vector<std::string> declared;
    for (const ParamSpec& p : type.params) declared.push_back(p.name);
    for (auto& [name, value] : given) {
      const std::string where = "params." + name;
      const ParamSpec* spec = type.FindParam(name);
      if (spec == nullptr) {
        std::string hint = Suggest(name, declared);
        if (hint.empty())
          hint = declared.empty() ? " (" + type.name + " takes no params)"
                                  : " (its params: " + QuotedList(declared) + ")";
        Error(label, where + ": unknown param" + hint);
        continue;
      }
      Value coerced;
      const std::string problem = CheckParamValue(*spec, value, &coerced);
      if (!problem.empty()) {
        Error(label, where + ": " + problem);
        continue;
      }
      e.instance.params[name] = std::move(coerced);
    }
    for (const ParamSpec& p : type.params) {
      if (given.count(p.name)) continue;
      if (IsRequiredParam(p)) {
        Error(label,
              "params." + p.name + ": missing required param (" + ParamTypeName(p.type) + ")");
        continue;
      }
      e.instance.params[p.name] = p.default_value;
    }
  }

  void ParseResources(EntryInfo& e) {
    const json& entry = *e.entry;
    if (!entry.contains("resources")) return;
    const json& resources = entry["resources"];
    if (!resources.is_object()) {
      Error(e.label, "resources: expected an object (num_cpus, num_gpus, memory), got " +
                         DescribeJson(resources));
      return;
    }
    Resources& r = e.instance.resources;
    for (auto it = resources.begin(); it != resources.end(); ++it) {
      const std::string where = "resources." + it.key();
      const json& v = it.value();
      if (it.key() == "num_cpus") {
        if (!v.is_number() || !(v.get<double>() > 0)) {
          Error(e.label, where + ": expected a number > 0, got " + DescribeJson(v));
        } else {
          r.num_cpus = v.get<double>();
        }
      } else if (it.key() == "num_gpus") {
        if (!v.is_number() || !(v.get<double>() >= 0)) {
          Error(e.label, where + ": expected a number >= 0, got " + DescribeJson(v));
        } else if (v.get<double>() > 1 && v.get<double>() != std::trunc(v.get<double>())) {
          Error(e.label,
                where + ": a request above one GPU must be a whole number, got " + DescribeJson(v));
        } else {
          r.num_gpus = v.get<double>();
        }
      } else if (it.key() == "memory") {
        uint64_t bytes = 0;
        if (!ParseMemorySize(ValueFromJson(v), &bytes)) {
          Error(e.label, where +
                             ": expected a size such as \"512M\", \"4G\", \"1.5GiB\" or a number "
                             "of bytes, got " +
                             DescribeJson(v));
        } else {
          r.memory_bytes = bytes;
        }
      } else {
        std::string hint = Suggest(it.key(), kResourceKeys);
        Error(e.label, where + ": unknown resource" +
                           (hint.empty() ? " (expected " + QuotedList(kResourceKeys) + ")" : hint));
      }
    }
  }

  void ParseRunOptions(EntryInfo& e) {
    const json& entry = *e.entry;
    if (entry.contains("timeout")) {
      double seconds = 0;
      if (!ParseDuration(ValueFromJson(entry["timeout"]), &seconds) || !(seconds > 0)) {
        Error(e.label,
              "timeout: expected a duration > 0 (seconds, or a string such as \"90s\", \"5m\", "
              "\"1h30m\"), got " +
                  DescribeJson(entry["timeout"]));
      } else {
        e.instance.timeout_s = seconds;
      }
    }
    if (entry.contains("retries")) {
      ParamSpec spec;
      spec.type = ParamType::kInt;
      spec.min = 0;
      spec.max = 1000;
      Value coerced;
      const std::string problem = CheckParamValue(spec, ValueFromJson(entry["retries"]), &coerced);
      if (problem.empty()) {
        e.instance.retries = static_cast<int>(coerced.as_int());
      } else {
        Error(e.label, "retries: " + problem);
      }
    }
    if (entry.contains("retry_on_error")) {
      if (entry["retry_on_error"].is_boolean()) {
        e.instance.retry_on_error = entry["retry_on_error"].get<bool>();
      } else {
        Error(e.label,
              "retry_on_error: expected bool, got " + DescribeJson(entry["retry_on_error"]));
      }
    }
    if (entry.contains("isolation")) {
      ParamSpec spec;
      spec.type = ParamType::kString;
      spec.choices = {"process", "thread"};
      Value coerced;
      const std::string problem =
          CheckParamValue(spec, ValueFromJson(entry["isolation"]), &coerced);
      if (!problem.empty()) {
        Error(e.label, "isolation: " + problem);
      } else if (coerced.as_string() == "thread" && e.type != nullptr &&
                 e.type->name == kCommandTypeName) {
        Error(e.label,
              "isolation: a command always runs in its own process (\"thread\" is not allowed)");
      } else {
        e.instance.isolate = coerced.as_string() == "process";
      }
    }
  }

  // ---- across modules ----

  void LinkInputs(EntryInfo& e) {
    for (const EntryInfo::Link& link : e.links) {
      const std::string where = "inputs." + link.port;
      auto producer_at = index_of_.find(link.module);
      if (producer_at == index_of_.end()) {
        Error(e.label, where + ": module \"" + link.module + "\" does not exist" +
                           Suggest(link.module, ids_));
        continue;
      }
      const EntryInfo& producer = entries_[producer_at->second];
      if (&producer == &e || !producer.outputs_known)
        continue;  // a self-loop is reported as a cycle
      const std::vector<std::string> outputs = producer.instance.OutputPorts();
      if (std::find(outputs.begin(), outputs.end(), link.output) != outputs.end()) continue;
      const std::string producer_name =
          "module \"" + link.module + "\" (" + producer.type->name + ")";
      if (outputs.empty()) {
        Error(e.label, where + ": " + producer_name + " has no outputs" +
                           (producer.type->free_form ? " (list them in its params.outputs)" : ""));
        continue;
      }
      std::string hint = Suggest(link.output, outputs);
      if (hint.empty()) hint = " (its outputs: " + QuotedList(outputs) + ")";
      Error(e.label,
            where + ": " + producer_name + " has no output \"" + link.output + "\"" + hint);
    }
  }

  // Reports each cycle once, as `cycle: m3 -> m5 -> m3` in data-flow order, starting at the
  // module first in the file.
  void FindCycles() {
    const size_t n = entries_.size();
    std::vector<std::vector<size_t>> consumers(n);
    for (size_t i = 0; i < n; ++i) {
      if (!entries_[i].node) continue;
      for (const EntryInfo::Link& link : entries_[i].links) {
        auto p = index_of_.find(link.module);
        if (p != index_of_.end()) consumers[p->second].push_back(i);
      }
    }
    for (auto& c : consumers) {
      std::sort(c.begin(), c.end());
      c.erase(std::unique(c.begin(), c.end()), c.end());
    }
    enum Color { kWhite, kGray, kBlack };
    std::vector<Color> color(n, kWhite);
    std::vector<size_t> stack_pos(n, 0);
    std::set<std::vector<size_t>> reported;
    for (size_t root = 0; root < n; ++root) {
      if (!entries_[root].node || color[root] != kWhite) continue;
      // Iterative DFS: (node, next consumer to visit).
      std::vector<std::pair<size_t, size_t>> stack = {{root, 0}};
      color[root] = kGray;
      stack_pos[root] = 0;
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next == consumers[node].size()) {
          color[node] = kBlack;
          stack.pop_back();
          continue;
        }
        const size_t c = consumers[node][next++];
        if (color[c] == kWhite) {
          color[c] = kGray;
          stack_pos[c] = stack.size();
          stack.push_back({c, 0});
        } else if (color[c] == kGray) {
          std::vector<size_t> cycle;
          for (size_t k = stack_pos[c]; k < stack.size(); ++k) cycle.push_back(stack[k].first);
          std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
          if (!reported.insert(cycle).second) continue;
          std::string text;
          for (size_t m : cycle) text += entries_[m].instance.id + " -> ";
          Error("", "cycle: " + text + entries_[cycle.front()].instance.id);
        }
      }
    }
  }

  const std::string& filename_;
  const ModuleRegistry& registry_;
  std::vector<std::string> errors_;
  std::vector<DuplicateJsonKey> duplicates_;
  std::vector<EntryInfo> entries_;
  std::vector<std::string> ids_;            // valid, unique ids in file order
  std::map<std::string, size_t> index_of_;  // id -> entry index
};

}  // namespace

Result<Canvas> ParseCanvas(std::string_view json_text, const std::string& filename,
                           const ModuleRegistry& registry) {
  return CanvasParser(filename, registry).Parse(json_text);
}

Result<Canvas> LoadCanvas(const std::string& path, const ModuleRegistry& registry) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::InvalidInput(path + ": is a directory, not a canvas file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::InvalidInput(path + ": cannot read the canvas file (" + std::strerror(errno) +
                                ")");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::InvalidInput(path + ": error while reading the canvas file");
  return ParseCanvas(text.str(), path, registry);
}

}  // namespace fai
