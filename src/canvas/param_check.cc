#include "canvas/param_check.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "common/suggest.h"

namespace fai {

namespace {

// A bound or a size for messages: 1000, 0.5, 1e-06 (no trailing ".0").
std::string FormatNumber(double d) {
  if (std::trunc(d) == d && std::abs(d) < 1e15) {
    return std::to_string(static_cast<long long>(d));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

// "int in [1, 1000]", "float >= 0", "int".
std::string Expectation(const char* type_name, const ParamSpec& spec) {
  std::string s = type_name;
  if (spec.min && spec.max) {
    s += " in [" + FormatNumber(*spec.min) + ", " + FormatNumber(*spec.max) + "]";
  } else if (spec.min) {
    s += " >= " + FormatNumber(*spec.min);
  } else if (spec.max) {
    s += " <= " + FormatNumber(*spec.max);
  }
  return s;
}

// "string \"ten\"", "float 4.5", "null".
std::string Described(const Value& v) {
  if (v.is_null()) return "null";
  return std::string(KindName(v.kind())) + " " + v.ToString();
}

bool InBounds(const ParamSpec& spec, double x) {
  return !(spec.min && x < *spec.min) && !(spec.max && x > *spec.max);
}

// Checks one scalar against `type` (kInt, kFloat, kString or kBool).
std::string CheckScalar(ParamType type, const ParamSpec& spec, const Value& value, Value* coerced) {
  switch (type) {
    case ParamType::kInt: {
      int64_t i = 0;
      if (value.kind() == ValueKind::kInt) {
        i = value.as_int();
      } else if (value.kind() == ValueKind::kDouble && std::isfinite(value.as_double()) &&
                 std::trunc(value.as_double()) == value.as_double() &&
                 std::abs(value.as_double()) < 9.2e18) {
        i = static_cast<int64_t>(value.as_double());
      } else {
        return "expected " + Expectation("int", spec) + ", got " + Described(value);
      }
      if (!InBounds(spec, static_cast<double>(i)))
        return "expected " + Expectation("int", spec) + ", got " + value.ToString();
      *coerced = Value(i);
      return "";
    }
    case ParamType::kFloat: {
      if (!value.is_number() || !std::isfinite(value.as_double()))
        return "expected " + Expectation("float", spec) + ", got " + Described(value);
      const double d = value.as_double();
      if (!InBounds(spec, d))
        return "expected " + Expectation("float", spec) + ", got " + value.ToString();
      *coerced = Value(d);
      return "";
    }
    case ParamType::kString: {
      if (value.kind() != ValueKind::kString) {
        if (!spec.choices.empty())
          return "expected one of " + QuotedList(spec.choices) + ", got " + Described(value);
        return "expected string, got " + Described(value);
      }
      const std::string& s = value.as_string();
      if (!spec.choices.empty()) {
        bool allowed = false;
        for (const std::string& c : spec.choices) allowed = allowed || c == s;
        if (!allowed)
          return "expected one of " + QuotedList(spec.choices) + ", got " + value.ToString() +
                 DidYouMean(s, spec.choices);
      }
      *coerced = value;
      return "";
    }
    case ParamType::kBool:
      if (value.kind() != ValueKind::kBool) return "expected bool, got " + Described(value);
      *coerced = value;
      return "";
    default:
      break;
  }
  return "unsupported element type";
}

}  // namespace

std::string CheckParamValue(const ParamSpec& spec, const Value& value, Value* coerced) {
  ParamType element;
  switch (spec.type) {
    case ParamType::kAny:
      *coerced = value;
      return "";
    case ParamType::kInt:
    case ParamType::kFloat:
    case ParamType::kString:
    case ParamType::kBool:
      return CheckScalar(spec.type, spec, value, coerced);
    case ParamType::kIntList:
      element = ParamType::kInt;
      break;
    case ParamType::kFloatList:
      element = ParamType::kFloat;
      break;
    case ParamType::kStringList:
      element = ParamType::kString;
      break;
    default:
      return "unsupported param type";
  }
  if (value.kind() != ValueKind::kList)
    return std::string("expected ") + ParamTypeName(spec.type) + ", got " + Described(value);
  List out;
  out.reserve(value.as_list().size());
  for (size_t i = 0; i < value.as_list().size(); ++i) {
    Value e;
    std::string problem = CheckScalar(element, spec, value.as_list()[i], &e);
    if (!problem.empty()) return "element [" + std::to_string(i) + "]: " + problem;
    out.push_back(std::move(e));
  }
  *coerced = Value(std::move(out));
  return "";
}

bool IsRequiredParam(const ParamSpec& spec) {
  return spec.default_value.is_null() && spec.type != ParamType::kAny;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Reads an unsigned decimal number ("12", "1.5", ".5") from the front of *s. False if none.
bool ReadNumber(std::string_view* s, double* out) {
  size_t n = 0;
  bool digits = false;
  while (n < s->size() && std::isdigit(static_cast<unsigned char>((*s)[n]))) ++n, digits = true;
  if (n < s->size() && (*s)[n] == '.') {
    ++n;
    while (n < s->size() && std::isdigit(static_cast<unsigned char>((*s)[n]))) ++n, digits = true;
  }
  if (!digits) return false;
  *out = std::stod(std::string(s->substr(0, n)));
  s->remove_prefix(n);
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool ParseMemorySize(const Value& value, uint64_t* bytes) {
  double number = 0;
  double scale = 1;
  if (value.is_number()) {
    number = value.as_double();
  } else if (value.kind() == ValueKind::kString) {
    std::string_view s = Trim(value.as_string());
    if (!ReadNumber(&s, &number)) return false;
    const std::string unit = Lower(Trim(s));
    static const struct {
      const char* names[3];
      double scale;
    } kUnits[] = {
        {{"", "b", "b"}, 1},
        {{"k", "kb", "kib"}, 1024.0},
        {{"m", "mb", "mib"}, 1024.0 * 1024},
        {{"g", "gb", "gib"}, 1024.0 * 1024 * 1024},
        {{"t", "tb", "tib"}, 1024.0 * 1024 * 1024 * 1024},
    };
    bool known = false;
    for (const auto& u : kUnits) {
      for (const char* name : u.names) {
        if (unit == name) {
          known = true;
          scale = u.scale;
        }
      }
    }
    if (!known) return false;
  } else {
    return false;
  }
  const double total = std::round(number * scale);
  if (!std::isfinite(total) || total < 0 || total >= 1.8e19) return false;
  *bytes = static_cast<uint64_t>(total);
  return true;
}

bool ParseDuration(const Value& value, double* seconds) {
  if (value.is_number()) {
    const double d = value.as_double();
    if (!std::isfinite(d) || d < 0) return false;
    *seconds = d;
    return true;
  }
  if (value.kind() != ValueKind::kString) return false;
  std::string_view s = Trim(value.as_string());
  if (s.empty()) return false;
  double total = 0;
  double number = 0;
  // A bare number is seconds.
  {
    std::string_view probe = s;
    if (ReadNumber(&probe, &number) && probe.empty()) {
      *seconds = number;
      return true;
    }
  }
  while (!s.empty()) {
    if (!ReadNumber(&s, &number)) return false;
    size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    const std::string unit = Lower(s.substr(0, n));
    s.remove_prefix(n);
    double scale;
    if (unit == "ms") {
      scale = 0.001;
    } else if (unit == "s") {
      scale = 1;
    } else if (unit == "m" || unit == "min") {
      scale = 60;
    } else if (unit == "h") {
      scale = 3600;
    } else if (unit == "d") {
      scale = 86400;
    } else {
      return false;
    }
    total += number * scale;
  }
  if (!std::isfinite(total)) return false;
  *seconds = total;
  return true;
}

std::string FormatBytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int u = 0;
  double v = static_cast<double>(bytes);
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0 || std::trunc(v) == v) {
    std::snprintf(buf, sizeof buf, "%.0f %s", v, kUnits[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + " " + kUnits[u];
  }
  return buf;
}

}  // namespace fai
