#include "cluster/cluster_profile.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "canvas/param_check.h"
#include "common/suggest.h"
#include "sweep/yaml_value.h"

namespace fai {

namespace {

const std::vector<std::string>& ProfileKeys() {
  static const std::vector<std::string> kKeys = {
      "name",          "nodes",     "cpus_per_node",  "memory_per_node",
      "gpus_per_node", "partition", "time_limit",     "price_per_node_minute",
      "idle_timeout",  "account",   "sbatch_options", "quota"};
  return kKeys;
}

const std::vector<std::string>& QuotaKeys() {
  static const std::vector<std::string> kKeys = {"cpus", "memory", "gpus"};
  return kKeys;
}

std::string Got(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull:
      return "nothing";
    case ValueKind::kString:
      return "the string \"" + v.as_string() + "\"";
    case ValueKind::kList:
      return "a list";
    case ValueKind::kDict:
      return "a map";
    default:
      return v.ToString();
  }
}

// Collects problems so that one pass reports them all.
class Checker {
 public:
  explicit Checker(std::string filename) : filename_(std::move(filename)) {}

  void Fail(const std::string& key, const std::string& message) {
    errors_ += (errors_.empty() ? "" : "\n") + filename_ + ": " + key + ": " + message;
  }

  void Int(const Dict& d, const std::string& key, int min, int* out) {
    auto it = d.find(key);
    if (it == d.end()) return;
    const Value& v = it->second;
    if (v.kind() == ValueKind::kInt && v.as_int() >= min && v.as_int() <= 1000000) {
      *out = static_cast<int>(v.as_int());
    } else {
      Fail(key, "expected an integer of at least " + std::to_string(min) + ", got " + Got(v));
    }
  }

  void Number(const Dict& d, const std::string& key, double* out) {
    auto it = d.find(key);
    if (it == d.end()) return;
    const Value& v = it->second;
    if (v.is_number() && std::isfinite(v.as_double()) && v.as_double() >= 0) {
      *out = v.as_double();
    } else {
      Fail(key, "expected a number of at least 0, got " + Got(v));
    }
  }

  void Memory(const Dict& d, const std::string& key, uint64_t* out) {
    auto it = d.find(key);
    if (it == d.end()) return;
    if (!ParseMemorySize(it->second, out) || *out == 0)
      Fail(key, "expected a size such as 32G or 512M, got " + Got(it->second));
  }

  void String(const Dict& d, const std::string& key, std::string* out) {
    auto it = d.find(key);
    if (it == d.end()) return;
    if (it->second.kind() == ValueKind::kString && !it->second.as_string().empty()) {
      *out = it->second.as_string();
    } else {
      Fail(key, "expected a non-empty string, got " + Got(it->second));
    }
  }

  void UnknownKeys(const Dict& d, const std::vector<std::string>& known,
                   const std::string& prefix) {
    for (const auto& [key, value] : d) {
      (void)value;
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      Fail(prefix + key,
           "unknown key" + DidYouMean(key, known) + " (known: " + QuotedList(known) + ")");
    }
  }

  const std::string& errors() const { return errors_; }

 private:
  std::string filename_;
  std::string errors_;
};

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  return true;
}

std::string FormatCpus(double cpus) {
  std::ostringstream s;
  s << cpus;
  return s.str();
}

}  // namespace

bool ParseSlurmTime(std::string_view text, int64_t* seconds) {
  // Split an optional "D-" prefix, then up to three colon-separated fields.
  int64_t days = 0;
  bool has_days = false;
  std::string rest(text);
  if (auto dash = rest.find('-'); dash != std::string::npos) {
    const std::string d = rest.substr(0, dash);
    if (d.empty() || d.find_first_not_of("0123456789") != std::string::npos || d.size() > 4)
      return false;
    days = std::stoll(d);
    has_days = true;
    rest = rest.substr(dash + 1);
  }
  std::vector<int64_t> fields;
  std::stringstream ss(rest);
  std::string item;
  while (std::getline(ss, item, ':')) {
    if (item.empty() || item.size() > 6 ||
        item.find_first_not_of("0123456789") != std::string::npos)
      return false;
    fields.push_back(std::stoll(item));
  }
  if (fields.empty() || fields.size() > 3 || (!rest.empty() && rest.back() == ':')) return false;
  int64_t total = 0;
  if (has_days) {
    // D-HH, D-HH:MM, D-HH:MM:SS
    const int64_t h = fields[0], m = fields.size() > 1 ? fields[1] : 0,
                  s = fields.size() > 2 ? fields[2] : 0;
    if (m >= 60 || s >= 60) return false;
    total = ((days * 24 + h) * 60 + m) * 60 + s;
  } else if (fields.size() == 1) {
    total = fields[0] * 60;  // MM
  } else if (fields.size() == 2) {
    if (fields[1] >= 60) return false;
    total = fields[0] * 60 + fields[1];  // MM:SS
  } else {
    if (fields[1] >= 60 || fields[2] >= 60) return false;
    total = (fields[0] * 60 + fields[1]) * 60 + fields[2];  // HH:MM:SS
  }
  if (total <= 0) return false;
  *seconds = total;
  return true;
}

std::string FormatSlurmTime(int64_t seconds) {
  const int64_t days = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60,
                s = seconds % 60;
  char buf[64];
  if (days > 0) {
    std::snprintf(buf, sizeof(buf), "%lld-%02lld:%02lld:%02lld", static_cast<long long>(days),
                  static_cast<long long>(h), static_cast<long long>(m), static_cast<long long>(s));
  } else {
    std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(m), static_cast<long long>(s));
  }
  return buf;
}

Result<ClusterProfile> ParseClusterProfile(std::string_view yaml_text,
                                           const std::string& filename) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    std::string where = filename;
    if (!e.mark.is_null())
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return Status::InvalidInput(where + ": malformed YAML: " + e.msg);
  }
  Value doc;
  if (Status s = YamlToValue(root, "", &doc); !s.ok()) return s.Prefixed(filename + ": ");
  if (doc.kind() != ValueKind::kDict)
    return Status::InvalidInput(
        filename + ": expected a map of profile keys (nodes, cpus_per_node, ...), got " + Got(doc));
  const Dict& d = doc.as_dict();

  ClusterProfile p;
  p.path = filename;
  p.name = std::filesystem::path(filename).stem().string();
  Checker check(filename);
  check.UnknownKeys(d, ProfileKeys(), "");
  check.String(d, "name", &p.name);
  if (!ValidName(p.name))
    check.Fail(
        "name",
        "\"" + p.name + "\": use letters, digits, '_' and '.' only (it becomes part of job names)");
  for (const char* required : {"nodes", "cpus_per_node"})
    if (!d.contains(required))
      check.Fail(required, "missing (every profile says how many nodes and CPUs per node)");
  check.Int(d, "nodes", 1, &p.nodes);
  check.Int(d, "cpus_per_node", 1, &p.cpus_per_node);
  check.Memory(d, "memory_per_node", &p.memory_per_node);
  check.Int(d, "gpus_per_node", 0, &p.gpus_per_node);
  check.String(d, "partition", &p.partition);
  check.String(d, "account", &p.account);
  check.Number(d, "price_per_node_minute", &p.price_per_node_minute);
  if (auto it = d.find("time_limit"); it != d.end()) {
    const Value& v = it->second;
    const std::string text = v.kind() == ValueKind::kInt      ? std::to_string(v.as_int())
                             : v.kind() == ValueKind::kString ? v.as_string()
                                                              : std::string();
    if (text.empty() || !ParseSlurmTime(text, &p.time_limit_s)) {
      check.Fail("time_limit",
                 "expected a Slurm time limit such as \"04:00:00\", \"90\" (minutes) or "
                 "\"1-12:00:00\", got " +
                     Got(v));
    } else {
      p.time_limit = text;
    }
  }
  if (auto it = d.find("idle_timeout"); it != d.end()) {
    if (!ParseDuration(it->second, &p.idle_timeout_s))
      check.Fail("idle_timeout",
                 "expected a duration such as 5m, 300s or 300, got " + Got(it->second));
  }
  if (auto it = d.find("sbatch_options"); it != d.end()) {
    const Value& v = it->second;
    bool ok = v.kind() == ValueKind::kList;
    if (ok) {
      for (const Value& item : v.as_list()) {
        if (item.kind() != ValueKind::kString || item.as_string().rfind("--", 0) != 0 ||
            item.as_string().find('\n') != std::string::npos) {
          ok = false;
          break;
        }
        p.sbatch_options.push_back(item.as_string());
      }
    }
    if (!ok)
      check.Fail("sbatch_options",
                 "expected a list of long sbatch options such as [\"--qos=high\"], got " + Got(v));
  }
  if (auto it = d.find("quota"); it != d.end()) {
    if (it->second.kind() != ValueKind::kDict) {
      check.Fail("quota",
                 "expected a map such as {cpus: 100, memory: 400G}, got " + Got(it->second));
    } else {
      const Dict& q = it->second.as_dict();
      check.UnknownKeys(q, QuotaKeys(), "quota.");
      if (auto c = q.find("cpus"); c != q.end()) {
        if (c->second.is_number() && c->second.as_double() > 0) {
          p.quota.cpus = c->second.as_double();
        } else {
          check.Fail("quota.cpus", "expected a positive number, got " + Got(c->second));
        }
      }
      check.Memory(q, "memory", &p.quota.memory_bytes);
      check.Int(q, "gpus", 0, &p.quota.gpus);
    }
  }
  if (!check.errors().empty()) return Status::InvalidInput(check.errors());
  return p;
}

Result<ClusterProfile> LoadClusterProfile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IOError(path + ": cannot read the cluster profile");
  std::stringstream text;
  text << in.rdbuf();
  return ParseClusterProfile(text.str(), path);
}

Status CheckQuota(const ClusterProfile& p) {
  std::string problems;
  auto add = [&](const std::string& s) { problems += (problems.empty() ? "" : "; ") + s; };
  const std::string times = " (" + std::to_string(p.nodes) + " nodes x ";
  if (p.total_cpus() > p.quota.cpus + 1e-9)
    add("asks " + FormatCpus(p.total_cpus()) + " CPUs" + times + std::to_string(p.cpus_per_node) +
        ") but its quota allows " + FormatCpus(p.quota.cpus) + " CPUs");
  if (p.total_memory() > p.quota.memory_bytes)
    add("asks " + FormatBytes(p.total_memory()) + " of memory" + times +
        FormatBytes(p.memory_per_node) + ") but its quota allows " +
        FormatBytes(p.quota.memory_bytes));
  if (p.quota.gpus >= 0 && p.total_gpus() > p.quota.gpus)
    add("asks " + std::to_string(p.total_gpus()) + " GPUs" + times +
        std::to_string(p.gpus_per_node) + ") but its quota allows " + std::to_string(p.quota.gpus) +
        " GPUs");
  if (problems.empty()) return Status::OK();
  return Status::InvalidInput(
      (p.path.empty() ? "" : p.path + ": ") + "profile \"" + p.name + "\" " + problems +
      " (lower nodes or the per-node figures, or raise quota: in the profile)");
}

}  // namespace fai
