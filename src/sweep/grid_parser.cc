#include "sweep/grid_parser.h"

#include <algorithm>
#include <unordered_map>

#include "common/suggest.h"
#include "sweep/grid_generators.h"
#include "sweep/yaml_value.h"

namespace fai {

namespace {

const std::vector<std::string>& TopSections() {
  static const std::vector<std::string> kNames = {"grid",   "zip",          "random",
                                                  "blocks", "combinations", "exclude"};
  return kNames;
}

const std::vector<std::string>& BlockSections() {
  static const std::vector<std::string> kNames = {"grid", "zip", "random"};
  return kNames;
}

const std::vector<std::string>& AxisGenerators() {
  static const std::vector<std::string> kNames = {"range", "linspace", "logspace"};
  return kNames;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// `moduleId.param`: at least one dot, no empty part.
bool LooksLikeSweptKey(const std::string& key) {
  if (key.find('.') == std::string::npos) return false;
  size_t start = 0;
  for (;;) {
    const size_t dot = key.find('.', start);
    const size_t end = dot == std::string::npos ? key.size() : dot;
    if (end == start) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

const char kAxisExpectation[] = "expected a list of values or {range|linspace|logspace: [...]}";

class GridParser {
 public:
  explicit GridParser(GridBlockSet* set) : set_(set) {}

  Status Parse(const YAML::Node& root);

 private:
  // The keys swept by the block being read and the path that sweeps each (once per block).
  using BlockKeys = std::unordered_map<int, std::string>;

  Status ParseBlockSection(const std::string& section, const YAML::Node& node,
                           const std::string& path, Block* block, BlockKeys* seen);
  Status ParseGrid(const YAML::Node& node, const std::string& path, Block* block, BlockKeys* seen);
  Status ParseZip(const YAML::Node& node, const std::string& path, Block* block, BlockKeys* seen);
  Status ParseZipGroup(const YAML::Node& node, const std::string& path, Block* block,
                       BlockKeys* seen);
  Status ParseRandom(const YAML::Node& node, const std::string& path, Block* block,
                     BlockKeys* seen);
  Status ParseBlocks(const YAML::Node& node, const std::string& path, std::vector<Block>* out);
  Status ParseCombinations(const YAML::Node& node, const std::string& path,
                           std::vector<Block>* out);
  Status ParseExclude(const YAML::Node& node, const std::string& path);

  // The values of one axis (or one zip list): a list, a single value or a generator.
  Status ParseAxis(const YAML::Node& node, const std::string& path, std::vector<Value>* out);
  // Checks the form of `name` and that the block does not sweep it yet; registers it.
  Status SweptKey(const std::string& name, const std::string& path, BlockKeys* seen, int* index);

  GridBlockSet* set_;
};

Status GridParser::Parse(const YAML::Node& root) {
  if (!root.IsDefined() || root.IsNull()) {
    return Status::InvalidInput("the grid is empty: the file has no sections (expected " +
                                QuotedList(TopSections()) + ")");
  }
  if (!root.IsMap()) {
    return Status::InvalidInput("expected a map of sections (" + QuotedList(TopSections()) +
                                "), got " + DescribeYaml(root));
  }
  std::vector<YamlMapEntry> sections;
  Status s = YamlMapEntries(root, "", &sections, "; each section may appear once");
  if (!s.ok()) return s;

  Block first;
  first.label = "the top-level block";
  BlockKeys first_keys;
  std::vector<Block> more, combinations;
  const YAML::Node* exclude = nullptr;
  for (const YamlMapEntry& e : sections) {
    if (Contains(BlockSections(), e.key)) {
      s = ParseBlockSection(e.key, e.value, e.key, &first, &first_keys);
    } else if (e.key == "blocks") {
      s = ParseBlocks(e.value, e.key, &more);
    } else if (e.key == "combinations") {
      s = ParseCombinations(e.value, e.key, &combinations);
    } else if (e.key == "exclude") {
      exclude = &e.value;  // read last: it may name keys swept further down the file
    } else if (LooksLikeSweptKey(e.key)) {
      s = InvalidAt(e.key, "not a section; swept keys go under \"grid:\" (grid: {" + e.key +
                               ": [...]}); the sections are " + QuotedList(TopSections()));
    } else {
      s = InvalidAt(e.key, "unknown section, expected one of " + QuotedList(TopSections()) +
                               DidYouMean(e.key, TopSections()));
    }
    if (!s.ok()) return s;
  }
  if (!first.factors.empty()) set_->blocks.push_back(std::move(first));
  for (Block& b : more) set_->blocks.push_back(std::move(b));
  for (Block& b : combinations) set_->blocks.push_back(std::move(b));
  if (exclude != nullptr) {
    s = ParseExclude(*exclude, "exclude");
    if (!s.ok()) return s;
  }
  return set_->Finalize();
}

Status GridParser::ParseBlockSection(const std::string& section, const YAML::Node& node,
                                     const std::string& path, Block* block, BlockKeys* seen) {
  if (node.IsNull()) return Status::OK();  // a section with everything commented out
  if (section == "grid") return ParseGrid(node, path, block, seen);
  if (section == "zip") return ParseZip(node, path, block, seen);
  return ParseRandom(node, path, block, seen);
}

Status GridParser::SweptKey(const std::string& name, const std::string& path, BlockKeys* seen,
                            int* index) {
  if (!LooksLikeSweptKey(name)) {
    return InvalidAt(path, "expected a key of the form moduleId.param (like m12.iterations)");
  }
  *index = set_->AddKey(name);
  auto [it, added] = seen->emplace(*index, path);
  if (!added) {
    return InvalidAt(path, "the key is already swept in this block by " + it->second +
                               "; a key may appear once per block (use \"blocks\" for a union)");
  }
  return Status::OK();
}

Status GridParser::ParseAxis(const YAML::Node& node, const std::string& path,
                             std::vector<Value>* out) {
  out->clear();
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return InvalidAt(path, std::string(kAxisExpectation) +
                                 ", got nothing (null); write [null] to sweep a null value");
    case YAML::NodeType::Scalar: {
      Value v;
      Status s = YamlToValue(node, path, &v);
      if (s.ok()) out->push_back(std::move(v));
      return s;
    }
    case YAML::NodeType::Sequence: {
      if (node.size() == 0) {
        return InvalidAt(path, std::string(kAxisExpectation) + ", got an empty list");
      }
      out->reserve(node.size());
      for (size_t i = 0; i < node.size(); ++i) {
        Value v;
        Status s = YamlToValue(node[i], IndexPath(path, i), &v);
        if (!s.ok()) return s;
        out->push_back(std::move(v));
      }
      return Status::OK();
    }
    case YAML::NodeType::Map: {
      std::vector<YamlMapEntry> entries;
      Status s = YamlMapEntries(node, path, &entries);
      if (!s.ok()) return s;
      if (entries.size() != 1 || !Contains(AxisGenerators(), entries[0].key)) {
        const std::string hint =
            entries.size() == 1 ? DidYouMean(entries[0].key, AxisGenerators()) : "";
        return InvalidAt(path, std::string(kAxisExpectation) + ", got " + DescribeYaml(node) +
                                   hint +
                                   (hint.empty() ? " (to sweep maps, list them: [{...}])" : ""));
      }
      const YamlMapEntry& gen = entries[0];
      if (!gen.value.IsSequence()) {
        return InvalidAt(path, "expected {" + gen.key + ": [...]} with a list of arguments, got " +
                                   DescribeYaml(gen.value));
      }
      Value args;
      s = YamlToValue(gen.value, JoinPath(path, gen.key), &args);
      if (!s.ok()) return s;
      Result<std::vector<Value>> values = gen.key == "range"      ? RangeValues(args.as_list())
                                          : gen.key == "linspace" ? LinspaceValues(args.as_list())
                                                                  : LogspaceValues(args.as_list());
      if (!values.ok()) return values.status().Prefixed(path + ": ");
      *out = std::move(values).value();
      return Status::OK();
    }
  }
  return InvalidAt(path, std::string(kAxisExpectation) + ", got " + DescribeYaml(node));
}

Status GridParser::ParseGrid(const YAML::Node& node, const std::string& path, Block* block,
                             BlockKeys* seen) {
  if (!node.IsMap()) {
    return InvalidAt(path, "expected a map of moduleId.param -> values, got " + DescribeYaml(node));
  }
  std::vector<YamlMapEntry> entries;
  Status s = YamlMapEntries(node, path, &entries);
  if (!s.ok()) return s;
  for (const YamlMapEntry& e : entries) {
    const std::string key_path = JoinPath(path, e.key);
    int key = 0;
    s = SweptKey(e.key, key_path, seen, &key);
    if (!s.ok()) return s;
    std::vector<Value> values;
    s = ParseAxis(e.value, key_path, &values);
    if (!s.ok()) return s;
    Factor factor;
    factor.source = Factor::Source::kAxis;
    factor.label = key_path;
    factor.keys = {key};
    for (size_t i = 0; i < values.size(); ++i) {
      const uint32_t id = set_->InternValue(key, std::move(values[i]));
      factor.AddRow(&id, static_cast<uint32_t>(i));
    }
    block->factors.push_back(std::move(factor));
  }
  return Status::OK();
}

Status GridParser::ParseZip(const YAML::Node& node, const std::string& path, Block* block,
                            BlockKeys* seen) {
  if (node.IsMap()) return ParseZipGroup(node, path, block, seen);
  if (!node.IsSequence()) {
    return InvalidAt(path,
                     "expected a list of groups, each a map of moduleId.param -> list of "
                     "values (or one such map), got " +
                         DescribeYaml(node));
  }
  for (size_t i = 0; i < node.size(); ++i) {
    Status s = ParseZipGroup(node[i], IndexPath(path, i), block, seen);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status GridParser::ParseZipGroup(const YAML::Node& node, const std::string& path, Block* block,
                                 BlockKeys* seen) {
  if (!node.IsMap() || node.size() == 0) {
    return InvalidAt(path,
                     "expected a map of moduleId.param -> list of values (lists that vary "
                     "together), got " +
                         DescribeYaml(node));
  }
  std::vector<YamlMapEntry> entries;
  Status s = YamlMapEntries(node, path, &entries);
  if (!s.ok()) return s;
  Factor factor;
  factor.source = Factor::Source::kZip;
  factor.label = path;
  std::vector<std::vector<Value>> columns(entries.size());
  for (size_t c = 0; c < entries.size(); ++c) {
    const std::string key_path = JoinPath(path, entries[c].key);
    int key = 0;
    s = SweptKey(entries[c].key, key_path, seen, &key);
    if (!s.ok()) return s;
    s = ParseAxis(entries[c].value, key_path, &columns[c]);
    if (!s.ok()) return s;
    factor.keys.push_back(key);
  }
  for (size_t c = 1; c < columns.size(); ++c) {
    if (columns[c].size() != columns[0].size()) {
      std::string lengths;
      for (size_t k = 0; k < columns.size(); ++k) {
        lengths += (k ? ", " : "") + entries[k].key + " has " + std::to_string(columns[k].size());
      }
      return InvalidAt(path,
                       "expected lists of equal lengths (a zip group varies them together), "
                       "got " +
                           lengths);
    }
  }
  std::vector<uint32_t> ids(columns.size());
  for (size_t r = 0; r < columns[0].size(); ++r) {
    for (size_t c = 0; c < columns.size(); ++c)
      ids[c] = set_->InternValue(factor.keys[c], std::move(columns[c][r]));
    factor.AddRow(ids.data(), static_cast<uint32_t>(r));
  }
  block->factors.push_back(std::move(factor));
  return Status::OK();
}

Status GridParser::ParseRandom(const YAML::Node& node, const std::string& path, Block* block,
                               BlockKeys* seen) {
  const std::string expectation =
      "expected {samples: N, seed: S, params: {moduleId.param: {uniform|loguniform|randint|"
      "choice: [...]}}}";
  if (!node.IsMap()) return InvalidAt(path, expectation + ", got " + DescribeYaml(node));
  std::vector<YamlMapEntry> entries;
  Status s = YamlMapEntries(node, path, &entries);
  if (!s.ok()) return s;
  static const std::vector<std::string> kFields = {"samples", "seed", "params"};
  const YAML::Node* params = nullptr;
  int64_t samples = -1, seed = 0;
  for (const YamlMapEntry& e : entries) {
    const std::string field_path = JoinPath(path, e.key);
    if (e.key == "params") {
      params = &e.value;
      continue;
    }
    if (e.key != "samples" && e.key != "seed") {
      return InvalidAt(field_path,
                       "unknown field, expected " + QuotedList(kFields) + DidYouMean(e.key, kFields));
    }
    Value v;
    s = YamlToValue(e.value, field_path, &v);
    if (!s.ok()) return s;
    if (e.key == "seed") {
      if (v.kind() != ValueKind::kInt) {
        return InvalidAt(field_path, "expected an integer seed, got " + DescribeYaml(e.value));
      }
      seed = v.as_int();
    } else {
      if (v.kind() != ValueKind::kInt || v.as_int() < 1 ||
          static_cast<uint64_t>(v.as_int()) > kMaxAxisValues) {
        return InvalidAt(field_path, "expected a number of samples from 1 to " +
                                         std::to_string(kMaxAxisValues) + ", got " +
                                         DescribeYaml(e.value));
      }
      samples = v.as_int();
    }
  }
  if (samples < 0) return InvalidAt(path, "missing \"samples\"; " + expectation);
  if (params == nullptr || !params->IsMap() || params->size() == 0) {
    const std::string got =
        params == nullptr ? "missing \"params\"" : "params is " + DescribeYaml(*params);
    return InvalidAt(params == nullptr ? path : JoinPath(path, "params"), got + "; " + expectation);
  }
  const std::string params_path = JoinPath(path, "params");
  std::vector<YamlMapEntry> param_entries;
  s = YamlMapEntries(*params, params_path, &param_entries);
  if (!s.ok()) return s;

  Factor factor;
  factor.source = Factor::Source::kRandom;
  factor.label = path;
  std::vector<Distribution> distributions;
  for (const YamlMapEntry& e : param_entries) {
    const std::string key_path = JoinPath(params_path, e.key);
    int key = 0;
    s = SweptKey(e.key, key_path, seen, &key);
    if (!s.ok()) return s;
    const YAML::Node& spec = e.value;
    const std::vector<std::string>& kinds = Distribution::KindNames();
    if (!spec.IsMap() || spec.size() != 1 || !spec.begin()->first.IsScalar() ||
        !Contains(kinds, spec.begin()->first.Scalar())) {
      const std::string hint = spec.IsMap() && spec.size() == 1 && spec.begin()->first.IsScalar()
                                   ? DidYouMean(spec.begin()->first.Scalar(), kinds)
                                   : "";
      return InvalidAt(key_path, "expected {uniform|loguniform|randint|choice: [...]}, got " +
                                     DescribeYaml(spec) + hint);
    }
    const std::string kind = spec.begin()->first.Scalar();
    const YAML::Node args_node = spec.begin()->second;
    if (!args_node.IsSequence()) {
      return InvalidAt(
          key_path, "expected {" + kind + ": [...]} with a list, got " + DescribeYaml(args_node));
    }
    Value args;
    s = YamlToValue(args_node, JoinPath(key_path, kind), &args);
    if (!s.ok()) return s;
    Result<Distribution> d = Distribution::Make(kind, args.as_list());
    if (!d.ok()) return d.status().Prefixed(key_path + ": ");
    if (d->kind == Distribution::Kind::kChoice) {
      for (size_t i = 0; i < d->choices.size(); ++i) {
        factor.extra_candidates.push_back(
            {key, d->choices[i], key_path + " (choice " + std::to_string(i) + ")"});
      }
    } else {
      factor.extra_candidates.push_back({key, d->low, key_path + " (" + kind + " lower bound)"});
      factor.extra_candidates.push_back({key, d->high, key_path + " (" + kind + " upper bound)"});
    }
    factor.keys.push_back(key);
    distributions.push_back(std::move(d).value());
  }

  std::vector<uint32_t> ids(distributions.size());
  for (int64_t i = 0; i < samples; ++i) {
    SampleStream stream(static_cast<uint64_t>(seed), static_cast<uint64_t>(i));
    for (size_t c = 0; c < distributions.size(); ++c)
      ids[c] = set_->InternValue(factor.keys[c], distributions[c].Draw(&stream));
    factor.AddRow(ids.data(), static_cast<uint32_t>(i));
  }
  block->factors.push_back(std::move(factor));
  return Status::OK();
}

Status GridParser::ParseBlocks(const YAML::Node& node, const std::string& path,
                               std::vector<Block>* out) {
  if (node.IsNull()) return Status::OK();
  if (!node.IsSequence()) {
    return InvalidAt(path,
                     "expected a list of blocks, each a map with \"grid\", \"zip\" and/or "
                     "\"random\", got " +
                         DescribeYaml(node));
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string block_path = IndexPath(path, i);
    if (!node[i].IsMap()) {
      return InvalidAt(block_path, "expected a map with \"grid\", \"zip\" and/or \"random\", got " +
                                       DescribeYaml(node[i]));
    }
    std::vector<YamlMapEntry> sections;
    Status s = YamlMapEntries(node[i], block_path, &sections, "; each section may appear once");
    if (!s.ok()) return s;
    Block block;
    block.label = block_path;
    BlockKeys seen;
    for (const YamlMapEntry& e : sections) {
      const std::string section_path = JoinPath(block_path, e.key);
      if (Contains(BlockSections(), e.key)) {
        s = ParseBlockSection(e.key, e.value, section_path, &block, &seen);
      } else if (Contains(TopSections(), e.key)) {
        s = InvalidAt(section_path, "\"" + e.key + "\" is a top-level section; a block has " +
                                        QuotedList(BlockSections()));
      } else if (LooksLikeSweptKey(e.key)) {
        s = InvalidAt(section_path, "not a section; swept keys go under \"grid:\"; a block has " +
                                        QuotedList(BlockSections()));
      } else {
        s = InvalidAt(section_path, "unknown section, expected one of " +
                                        QuotedList(BlockSections()) +
                                        DidYouMean(e.key, BlockSections()));
      }
      if (!s.ok()) return s;
    }
    if (block.factors.empty()) {
      return InvalidAt(block_path,
                       "an empty block: expected \"grid\", \"zip\" or \"random\" "
                       "with at least one key");
    }
    out->push_back(std::move(block));
  }
  return Status::OK();
}

Status GridParser::ParseCombinations(const YAML::Node& node, const std::string& path,
                                     std::vector<Block>* out) {
  if (node.IsNull() || (node.IsSequence() && node.size() == 0)) return Status::OK();
  if (!node.IsSequence()) {
    return InvalidAt(path, "expected a list of maps, each {moduleId.param: value, ...}, got " +
                               DescribeYaml(node));
  }
  const std::string rule = "; every entry must name every key of the list exactly once";
  // Pass 1: the key list (every key any entry names, in order of first appearance).
  std::vector<std::vector<YamlMapEntry>> entries(node.size());
  std::vector<std::string> names;
  std::vector<int> keys;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string entry_path = IndexPath(path, i);
    if (!node[i].IsMap() || node[i].size() == 0) {
      return InvalidAt(entry_path,
                       "expected a map of moduleId.param -> value, got " + DescribeYaml(node[i]));
    }
    Status s = YamlMapEntries(node[i], entry_path, &entries[i], rule);
    if (!s.ok()) return s;
    for (const YamlMapEntry& e : entries[i]) {
      if (Contains(names, e.key)) continue;
      if (!LooksLikeSweptKey(e.key)) {
        return InvalidAt(JoinPath(entry_path, e.key),
                         "expected a key of the form moduleId.param (like m12.iterations)");
      }
      names.push_back(e.key);
      keys.push_back(set_->AddKey(e.key));
    }
  }
  // Pass 2: every entry names every key; the rows.
  Factor factor;
  factor.source = Factor::Source::kCombinations;
  factor.label = path;
  factor.keys = keys;
  std::vector<uint32_t> ids(keys.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string entry_path = IndexPath(path, i);
    for (size_t c = 0; c < names.size(); ++c) {
      auto it = std::find_if(entries[i].begin(), entries[i].end(),
                             [&](const YamlMapEntry& e) { return e.key == names[c]; });
      if (it == entries[i].end()) {
        return InvalidAt(entry_path, "missing key \"" + names[c] + "\"" + rule +
                                         " (keys: " + QuotedList(names) + ")");
      }
      Value v;
      Status s = YamlToValue(it->value, JoinPath(entry_path, names[c]), &v);
      if (!s.ok()) return s;
      ids[c] = set_->InternValue(keys[c], std::move(v));
    }
    factor.AddRow(ids.data(), static_cast<uint32_t>(i));
  }
  Block block;
  block.label = path;
  block.factors.push_back(std::move(factor));
  out->push_back(std::move(block));
  return Status::OK();
}

Status GridParser::ParseExclude(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return Status::OK();
  const std::string expectation = "expected a list of maps, each {moduleId.param: value, ...}";
  if (!node.IsSequence() && !node.IsMap()) {
    return InvalidAt(path, expectation + ", got " + DescribeYaml(node));
  }
  const bool single = node.IsMap();
  const size_t n = single ? 1 : node.size();
  for (size_t i = 0; i < n; ++i) {
    const YAML::Node entry_node = single ? node : node[i];
    const std::string entry_path = single ? path : IndexPath(path, i);
    if (!entry_node.IsMap() || entry_node.size() == 0) {
      return InvalidAt(
          entry_path, "expected a map of moduleId.param -> value, got " + DescribeYaml(entry_node));
    }
    std::vector<YamlMapEntry> entries;
    Status s = YamlMapEntries(entry_node, entry_path, &entries);
    if (!s.ok()) return s;
    ExcludeEntry entry;
    entry.where = entry_path;
    for (const YamlMapEntry& e : entries) {
      const std::string key_path = JoinPath(entry_path, e.key);
      const int key = set_->KeyIndex(e.key);
      if (key < 0) {
        return InvalidAt(key_path, "not a swept key; an exclude entry names keys the grid sweeps" +
                                       DidYouMean(e.key, set_->key_names));
      }
      Value v;
      s = YamlToValue(e.value, key_path, &v);
      if (!s.ok()) return s;
      entry.matches.emplace_back(key, std::move(v));
    }
    set_->excludes.push_back(std::move(entry));
  }
  return Status::OK();
}

}  // namespace

Status ParseGridDocument(const YAML::Node& root, GridBlockSet* set) {
  return GridParser(set).Parse(root);
}

}  // namespace fai
