// YAML → fai::Value with the YAML 1.2 core schema, and the map walk the grid parser builds on.
//
// yaml-cpp leaves plain scalars untyped; this file types them the way the YAML 1.2 core schema
// does: null (~, null, Null, NULL, empty), bool (true/True/TRUE/false/False/FALSE), int (decimal
// with a sign, 0x.., 0o..; int64), float (1.5, 1e-4, .5, .inf, -.inf, .nan; double), else a string.
// Quoted and block scalars are always strings; the explicit tags !!str, !!int, !!float, !!bool
// and !!null are honoured. Sequences become lists, maps dicts (duplicate keys are errors).
//
// Errors are Status::InvalidInput whose message starts with the path of the offending node
// ("grid.m12.iterations[2]: ..."); callers put the file name in front. Stateless; thread-safe.
#ifndef FAI_SWEEP_YAML_VALUE_H_
#define FAI_SWEEP_YAML_VALUE_H_

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "fai/value.h"

namespace fai {

// `path: message`, or just `message` when path is empty (the document root).
Status InvalidAt(const std::string& path, const std::string& message);
// "grid" + "m12.iterations" -> "grid.m12.iterations"; an empty parent gives the child.
std::string JoinPath(const std::string& parent, std::string_view child);
// "zip" + 2 -> "zip[2]".
std::string IndexPath(const std::string& parent, size_t index);

// A short description for "got ..." messages: `nothing (null)`, `a list`, `an empty list`,
// `a map with key "rnage"`, `a map with keys "a", "b"`, `the string "abc"`, `4 (int)`.
std::string DescribeYaml(const YAML::Node& node);

// Converts any node (scalars typed as above, lists and maps recursively). `path` names the node.
Status YamlToValue(const YAML::Node& node, const std::string& path, Value* out);

// Converts a scalar's text as a plain (untagged) scalar under the core schema. Exposed for tests.
Status PlainScalarToValue(std::string_view text, const std::string& path, Value* out);

struct YamlMapEntry {
  std::string key;
  YAML::Node value;
};

// The entries of a map in document order. Errors: a key that is not a scalar, or a key that
// appears twice (`path: key "k" appears twice` + duplicate_hint). REQUIRES: node.IsMap().
Status YamlMapEntries(const YAML::Node& node, const std::string& path,
                      std::vector<YamlMapEntry>* out, const std::string& duplicate_hint = "");

}  // namespace fai

#endif  // FAI_SWEEP_YAML_VALUE_H_
