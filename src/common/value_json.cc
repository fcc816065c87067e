#include "common/value_json.h"

#include <cmath>

namespace fai {

Value ValueFromJson(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value();
    case nlohmann::json::value_t::boolean: return Value(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value(static_cast<double>(u));
      return Value(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float: return Value(j.get<double>());
    case nlohmann::json::value_t::string: return Value(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      List l;
      l.reserve(j.size());
      for (const auto& e : j) l.push_back(ValueFromJson(e));
      return Value(std::move(l));
    }
    case nlohmann::json::value_t::object: {
      Dict d;
      for (auto it = j.begin(); it != j.end(); ++it) d.emplace(it.key(), ValueFromJson(it.value()));
      return Value(std::move(d));
    }
    default: return Value();
  }
}

namespace {
nlohmann::json DoubleToJson(double d) {
  if (std::isfinite(d)) return d;
  return std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");
}
}  // namespace

nlohmann::json ValueToJson(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull: return nullptr;
    case ValueKind::kBool: return v.as_bool();
    case ValueKind::kInt: return v.as_int();
    case ValueKind::kDouble: return DoubleToJson(v.as_double());
    case ValueKind::kString: return v.as_string();
    case ValueKind::kList: {
      nlohmann::json a = nlohmann::json::array();
      for (const Value& e : v.as_list()) a.push_back(ValueToJson(e));
      return a;
    }
    case ValueKind::kDict: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, e] : v.as_dict()) o[k] = ValueToJson(e);
      return o;
    }
    case ValueKind::kMatrix: {
      nlohmann::json a = nlohmann::json::array();
      const Matrix& m = v.as_matrix();
      for (Eigen::Index r = 0; r < m.rows(); ++r) {
        nlohmann::json row = nlohmann::json::array();
        for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(DoubleToJson(m(r, c)));
        a.push_back(std::move(row));
      }
      return a;
    }
    case ValueKind::kTable: {
      nlohmann::json o = nlohmann::json::object();
      const Table& t = v.as_table();
      for (size_t c = 0; c < t.names.size(); ++c) {
        nlohmann::json col = nlohmann::json::array();
        std::visit(
            [&](const auto& xs) {
              for (const auto& x : xs) {
                if constexpr (std::is_same_v<std::decay_t<decltype(x)>, double>)
                  col.push_back(DoubleToJson(x));
                else
                  col.push_back(x);
              }
            },
            t.columns[c]);
        o[t.names[c]] = std::move(col);
      }
      return o;
    }
    case ValueKind::kBlob:
      return nlohmann::json{{"blob", v.as_blob().type}, {"bytes", v.as_blob().bytes.size()}};
  }
  return nullptr;
}

}  // namespace fai
