#include "fai/value.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <sstream>

namespace fai {

namespace {

void PutU64(uint64_t x, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}
void PutString(std::string_view s, std::string* out) {
  PutU64(s.size(), out);
  out->append(s);
}
void PutDouble(double d, std::string* out) {
  if (d == 0.0) d = 0.0;           // -0.0 and 0.0 hash alike
  if (std::isnan(d)) d = NAN;      // one NaN
  PutU64(std::bit_cast<uint64_t>(d), out);
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  std::ostringstream os;
  os.precision(15);
  os << d;
  std::string s = os.str();
  // Keep doubles recognisable as doubles: 4 -> 4.0.
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string HumanBytes(size_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  std::ostringstream os;
  os.precision(v < 10 && u > 0 ? 2 : 4);
  os << v << " " << units[u];
  return os.str();
}

}  // namespace

const char* KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return "bool";
    case ValueKind::kInt: return "int";
    case ValueKind::kDouble: return "float";
    case ValueKind::kString: return "string";
    case ValueKind::kList: return "list";
    case ValueKind::kDict: return "map";
    case ValueKind::kMatrix: return "matrix";
    case ValueKind::kTable: return "table";
    case ValueKind::kBlob: return "blob";
  }
  return "?";
}

size_t Table::rows() const {
  if (columns.empty()) return 0;
  return std::visit([](const auto& c) { return c.size(); }, columns.front());
}

void Table::AddColumn(std::string name, Column column) {
  names.push_back(std::move(name));
  columns.push_back(std::move(column));
}

int Table::Find(std::string_view name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

double Value::as_double() const {
  if (kind() == ValueKind::kInt) return static_cast<double>(std::get<int64_t>(v_));
  return std::get<double>(v_);
}

bool Value::operator==(const Value& other) const {
  if (kind() != other.kind()) return false;
  switch (kind()) {
    case ValueKind::kDouble:
      return std::bit_cast<uint64_t>(as_double()) == std::bit_cast<uint64_t>(other.as_double()) ||
             as_double() == other.as_double();
    case ValueKind::kMatrix: {
      const Matrix& a = as_matrix();
      const Matrix& b = other.as_matrix();
      return a.rows() == b.rows() && a.cols() == b.cols() &&
             (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0);
    }
    default:
      return v_ == other.v_;
  }
}

bool Value::Matches(const Value& other) const {
  if (is_number() && other.is_number()) {
    if (kind() == ValueKind::kInt && other.kind() == ValueKind::kInt) return as_int() == other.as_int();
    double a = as_double(), b = other.as_double();
    if (a == b) return true;
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
  }
  if (kind() == ValueKind::kList && other.kind() == ValueKind::kList) {
    const List& a = as_list();
    const List& b = other.as_list();
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!a[i].Matches(b[i])) return false;
    return true;
  }
  return *this == other;
}

void Value::Encode(std::string* out) const {
  out->push_back(static_cast<char>(kind()));
  switch (kind()) {
    case ValueKind::kNull: break;
    case ValueKind::kBool: out->push_back(as_bool() ? 1 : 0); break;
    case ValueKind::kInt: PutU64(static_cast<uint64_t>(as_int()), out); break;
    case ValueKind::kDouble: PutDouble(as_double(), out); break;
    case ValueKind::kString: PutString(as_string(), out); break;
    case ValueKind::kList:
      PutU64(as_list().size(), out);
      for (const Value& v : as_list()) v.Encode(out);
      break;
    case ValueKind::kDict:
      PutU64(as_dict().size(), out);
      for (const auto& [k, v] : as_dict()) {
        PutString(k, out);
        v.Encode(out);
      }
      break;
    case ValueKind::kMatrix: {
      const Matrix& m = as_matrix();
      PutU64(m.rows(), out);
      PutU64(m.cols(), out);
      for (Eigen::Index i = 0; i < m.size(); ++i) PutDouble(m.data()[i], out);
      break;
    }
    case ValueKind::kTable: {
      const Table& t = as_table();
      PutU64(t.names.size(), out);
      for (size_t c = 0; c < t.names.size(); ++c) {
        PutString(t.names[c], out);
        std::visit(
            [&](const auto& col) {
              using T = std::decay_t<decltype(col)>;
              out->push_back(std::is_same_v<T, std::vector<double>> ? 'd' : 's');
              PutU64(col.size(), out);
              for (const auto& x : col) {
                if constexpr (std::is_same_v<T, std::vector<double>>)
                  PutDouble(x, out);
                else
                  PutString(x, out);
              }
            },
            t.columns[c]);
      }
      break;
    }
    case ValueKind::kBlob:
      PutString(as_blob().type, out);
      PutString(as_blob().bytes, out);
      break;
  }
}

std::string Value::ToString() const {
  switch (kind()) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return as_bool() ? "true" : "false";
    case ValueKind::kInt: return std::to_string(as_int());
    case ValueKind::kDouble: return FormatDouble(as_double());
    case ValueKind::kString: {
      std::string s = "\"";
      for (char c : as_string()) {
        if (c == '"' || c == '\\') s.push_back('\\');
        if (c == '\n') {
          s += "\\n";
          continue;
        }
        s.push_back(c);
      }
      return s + "\"";
    }
    case ValueKind::kList: {
      std::string s = "[";
      for (size_t i = 0; i < as_list().size(); ++i) {
        if (i) s += ", ";
        s += as_list()[i].ToString();
      }
      return s + "]";
    }
    case ValueKind::kDict: {
      std::string s = "{";
      bool first = true;
      for (const auto& [k, v] : as_dict()) {
        if (!first) s += ", ";
        first = false;
        s += k + ": " + v.ToString();
      }
      return s + "}";
    }
    case ValueKind::kMatrix:
      return "matrix(" + std::to_string(as_matrix().rows()) + "x" +
             std::to_string(as_matrix().cols()) + ")";
    case ValueKind::kTable:
      return "table(" + std::to_string(as_table().rows()) + "x" +
             std::to_string(as_table().names.size()) + ")";
    case ValueKind::kBlob:
      return "blob(" + as_blob().type + ", " + HumanBytes(as_blob().bytes.size()) + ")";
  }
  return "?";
}

std::string Value::ToDisplay() const {
  if (kind() == ValueKind::kString) return as_string();
  return ToString();
}

size_t Value::ByteSize() const {
  switch (kind()) {
    case ValueKind::kString: return as_string().size();
    case ValueKind::kList: {
      size_t n = 0;
      for (const Value& v : as_list()) n += v.ByteSize();
      return n;
    }
    case ValueKind::kDict: {
      size_t n = 0;
      for (const auto& [k, v] : as_dict()) n += k.size() + v.ByteSize();
      return n;
    }
    case ValueKind::kMatrix: return sizeof(double) * as_matrix().size();
    case ValueKind::kTable: {
      size_t n = 0;
      for (const auto& col : as_table().columns)
        std::visit(
            [&](const auto& c) {
              for (const auto& x : c) {
                if constexpr (std::is_same_v<std::decay_t<decltype(x)>, double>)
                  n += sizeof(double);
                else
                  n += x.size();
              }
            },
            col);
      return n;
    }
    case ValueKind::kBlob: return as_blob().bytes.size();
    default: return 8;
  }
}

}  // namespace fai
