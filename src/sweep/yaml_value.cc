#include "sweep/yaml_value.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace fai {

namespace {

const char kTagPrefix[] = "tag:yaml.org,2002:";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// [0-9]+ starting at *i; advances *i. True when at least one digit was read.
bool ReadDigits(std::string_view s, size_t* i) {
  const size_t start = *i;
  while (*i < s.size() && IsDigit(s[*i])) ++*i;
  return *i > start;
}

// Core schema int: [-+]?[0-9]+
bool IsDecimalInt(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  return ReadDigits(s, &i) && i == s.size();
}

// Core schema float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool IsDecimalFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!ReadDigits(s, &i)) return false;
  } else {
    if (!ReadDigits(s, &i)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      ReadDigits(s, &i);
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!ReadDigits(s, &i)) return false;
  }
  return i == s.size();
}

bool IsPrefixedInt(std::string_view s, std::string_view prefix, int base) {
  if (s.size() <= prefix.size() || s.substr(0, prefix.size()) != prefix) return false;
  for (char c : s.substr(prefix.size())) {
    const bool ok =
        base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '7');
    if (!ok) return false;
  }
  return true;
}

Status ParseInt(std::string_view text, const std::string& path, Value* out) {
  std::string_view digits = text;
  int base = 10;
  if (IsPrefixedInt(text, "0x", 16)) {
    digits = text.substr(2);
    base = 16;
  } else if (IsPrefixedInt(text, "0o", 8)) {
    digits = text.substr(2);
    base = 8;
  } else if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);
  }
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec == std::errc::result_out_of_range) {
    return InvalidAt(path, "the integer " + std::string(text) +
                               " does not fit in 64 bits (write it as a float, e.g. " +
                               std::string(text) + ".0, or quote it to keep a string)");
  }
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return InvalidAt(path, "expected an integer, got \"" + std::string(text) + "\"");
  }
  *out = Value(v);
  return Status::OK();
}

Status ParseFloat(std::string_view text, const std::string& path, Value* out) {
  std::string_view t = text;
  bool negative = false;
  if (!t.empty() && (t.front() == '-' || t.front() == '+')) {
    negative = t.front() == '-';
    t.remove_prefix(1);
  }
  if (t == ".inf" || t == ".Inf" || t == ".INF") {
    *out = Value(negative ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity());
    return Status::OK();
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    *out = Value(std::numeric_limits<double>::quiet_NaN());
    return Status::OK();
  }
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return InvalidAt(path, "the number " + std::string(text) + " is out of the range of a double");
  }
  if (ec != std::errc() || end != t.data() + t.size()) {
    return InvalidAt(path, "expected a number, got \"" + std::string(text) + "\"");
  }
  *out = Value(negative ? -v : v);
  return Status::OK();
}

bool IsNullText(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool IsFloatText(std::string_view s) {
  if (IsDecimalFloat(s)) return true;
  std::string_view t = s;
  if (!t.empty() && (t.front() == '-' || t.front() == '+')) t.remove_prefix(1);
  if (t == ".inf" || t == ".Inf" || t == ".INF") return true;
  return s == ".nan" || s == ".NaN" || s == ".NAN";
}

Status TaggedScalarToValue(const YAML::Node& node, const std::string& path, Value* out) {
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  // "!" marks a quoted or block scalar (or the non-specific tag): always a string.
  if (tag == "?" || tag.empty()) return PlainScalarToValue(text, path, out);
  if (tag == "!") {
    *out = Value(text);
    return Status::OK();
  }
  const std::string_view name =
      tag.rfind(kTagPrefix, 0) == 0 ? std::string_view(tag).substr(sizeof(kTagPrefix) - 1) : "";
  if (name == "str") {
    *out = Value(text);
    return Status::OK();
  }
  if (name == "int") {
    if (!IsDecimalInt(text) && !IsPrefixedInt(text, "0x", 16) && !IsPrefixedInt(text, "0o", 8)) {
      return InvalidAt(path, "!!int expects an integer, got \"" + text + "\"");
    }
    return ParseInt(text, path, out);
  }
  if (name == "float") {
    if (!IsFloatText(text))
      return InvalidAt(path, "!!float expects a number, got \"" + text + "\"");
    return ParseFloat(text, path, out);
  }
  if (name == "bool") {
    Value v;
    if (!PlainScalarToValue(text, path, &v).ok() || v.kind() != ValueKind::kBool) {
      return InvalidAt(path, "!!bool expects true or false, got \"" + text + "\"");
    }
    *out = v;
    return Status::OK();
  }
  if (name == "null") {
    if (!IsNullText(text)) return InvalidAt(path, "!!null expects null, got \"" + text + "\"");
    *out = Value();
    return Status::OK();
  }
  return InvalidAt(path, "unsupported YAML tag " + tag +
                             " (expected a plain value, or one of !!str, !!int, !!float, "
                             "!!bool, !!null)");
}

}  // namespace

Status InvalidAt(const std::string& path, const std::string& message) {
  return Status::InvalidInput(path.empty() ? message : path + ": " + message);
}

std::string JoinPath(const std::string& parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  std::string out = parent;
  out += '.';
  out += child;
  return out;
}

std::string IndexPath(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string DescribeYaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Sequence:
      return node.size() == 0 ? "an empty list" : "a list";
    case YAML::NodeType::Map: {
      if (node.size() == 0) return "an empty map";
      std::string keys;
      size_t n = 0;
      for (auto it = node.begin(); it != node.end(); ++it, ++n) {
        if (n == 3) {
          keys += ", ...";
          break;
        }
        if (n) keys += ", ";
        keys += "\"" + (it->first.IsScalar() ? it->first.Scalar() : std::string("?")) + "\"";
      }
      return (node.size() == 1 ? "a map with key " : "a map with keys ") + keys;
    }
    case YAML::NodeType::Scalar: {
      Value v;
      if (!TaggedScalarToValue(node, "", &v).ok() || v.kind() == ValueKind::kString) {
        return "the string \"" + node.Scalar() + "\"";
      }
      return v.ToString() + " (" + KindName(v.kind()) + ")";
    }
  }
  return "an unknown node";
}

Status PlainScalarToValue(std::string_view text, const std::string& path, Value* out) {
  if (IsNullText(text)) {
    *out = Value();
  } else if (text == "true" || text == "True" || text == "TRUE") {
    *out = Value(true);
  } else if (text == "false" || text == "False" || text == "FALSE") {
    *out = Value(false);
  } else if (IsDecimalInt(text) || IsPrefixedInt(text, "0x", 16) || IsPrefixedInt(text, "0o", 8)) {
    return ParseInt(text, path, out);
  } else if (IsFloatText(text)) {
    return ParseFloat(text, path, out);
  } else {
    *out = Value(std::string(text));
  }
  return Status::OK();
}

Status YamlToValue(const YAML::Node& node, const std::string& path, Value* out) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = Value();
      return Status::OK();
    case YAML::NodeType::Scalar:
      return TaggedScalarToValue(node, path, out);
    case YAML::NodeType::Sequence: {
      List list;
      list.reserve(node.size());
      for (size_t i = 0; i < node.size(); ++i) {
        Value item;
        Status s = YamlToValue(node[i], IndexPath(path, i), &item);
        if (!s.ok()) return s;
        list.push_back(std::move(item));
      }
      *out = Value(std::move(list));
      return Status::OK();
    }
    case YAML::NodeType::Map: {
      std::vector<YamlMapEntry> entries;
      Status s = YamlMapEntries(node, path, &entries);
      if (!s.ok()) return s;
      Dict dict;
      for (YamlMapEntry& e : entries) {
        Value item;
        s = YamlToValue(e.value, JoinPath(path, e.key), &item);
        if (!s.ok()) return s;
        dict.emplace(std::move(e.key), std::move(item));
      }
      *out = Value(std::move(dict));
      return Status::OK();
    }
  }
  return InvalidAt(path, "unsupported YAML node");
}

Status YamlMapEntries(const YAML::Node& node, const std::string& path,
                      std::vector<YamlMapEntry>* out, const std::string& duplicate_hint) {
  out->clear();
  out->reserve(node.size());
  std::unordered_set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      return InvalidAt(path, "expected text keys, got " + DescribeYaml(it->first) + " as a key");
    }
    const std::string& key = it->first.Scalar();
    if (!seen.insert(key).second) {
      return InvalidAt(path, "key \"" + key + "\" appears twice" + duplicate_hint);
    }
    out->push_back({key, it->second});
  }
  return Status::OK();
}

}  // namespace fai
