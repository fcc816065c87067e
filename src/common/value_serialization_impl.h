// Template definitions for value_serialization.h; include that header instead.
#ifndef FAI_COMMON_VALUE_SERIALIZATION_IMPL_H_
#define FAI_COMMON_VALUE_SERIALIZATION_IMPL_H_

#include <boost/serialization/array_wrapper.hpp>
#include <cstdint>

namespace boost::serialization {

template <class Archive>
void save(Archive& ar, const fai::Value& v, unsigned /*version*/) {
  const uint8_t kind = static_cast<uint8_t>(v.kind());
  ar << kind;
  switch (v.kind()) {
    case fai::ValueKind::kNull: break;
    case fai::ValueKind::kBool: { bool b = v.as_bool(); ar << b; break; }
    case fai::ValueKind::kInt: { int64_t i = v.as_int(); ar << i; break; }
    case fai::ValueKind::kDouble: { double d = v.as_double(); ar << d; break; }
    case fai::ValueKind::kString: ar << v.as_string(); break;
    case fai::ValueKind::kList: ar << v.as_list(); break;
    case fai::ValueKind::kDict: {
      const uint64_t n = v.as_dict().size();
      ar << n;
      for (const auto& [k, e] : v.as_dict()) ar << k << e;
      break;
    }
    case fai::ValueKind::kMatrix: {
      const fai::Matrix& m = v.as_matrix();
      int64_t rows = m.rows(), cols = m.cols();
      ar << rows << cols;
      if (m.size() > 0) ar << boost::serialization::make_array(m.data(), static_cast<size_t>(m.size()));
      break;
    }
    case fai::ValueKind::kTable: {
      const fai::Table& t = v.as_table();
      ar << t.names;
      for (const auto& col : t.columns) {
        uint8_t text = col.index();
        ar << text;
        if (text) ar << std::get<std::vector<std::string>>(col);
        else ar << std::get<std::vector<double>>(col);
      }
      break;
    }
    case fai::ValueKind::kBlob: ar << v.as_blob().type << v.as_blob().bytes; break;
  }
}

template <class Archive>
void load(Archive& ar, fai::Value& v, unsigned /*version*/) {
  uint8_t kind = 0;
  ar >> kind;
  switch (static_cast<fai::ValueKind>(kind)) {
    case fai::ValueKind::kNull: v = fai::Value(); break;
    case fai::ValueKind::kBool: { bool b; ar >> b; v = fai::Value(b); break; }
    case fai::ValueKind::kInt: { int64_t i; ar >> i; v = fai::Value(i); break; }
    case fai::ValueKind::kDouble: { double d; ar >> d; v = fai::Value(d); break; }
    case fai::ValueKind::kString: { std::string s; ar >> s; v = fai::Value(std::move(s)); break; }
    case fai::ValueKind::kList: { fai::List l; ar >> l; v = fai::Value(std::move(l)); break; }
    case fai::ValueKind::kDict: {
      uint64_t n = 0;
      ar >> n;
      fai::Dict d;
      for (uint64_t i = 0; i < n; ++i) {
        std::string k;
        fai::Value e;
        ar >> k >> e;
        d.emplace(std::move(k), std::move(e));
      }
      v = fai::Value(std::move(d));
      break;
    }
    case fai::ValueKind::kMatrix: {
      int64_t rows = 0, cols = 0;
      ar >> rows >> cols;
      fai::Matrix m(rows, cols);
      if (m.size() > 0) ar >> boost::serialization::make_array(m.data(), static_cast<size_t>(m.size()));
      v = fai::Value(std::move(m));
      break;
    }
    case fai::ValueKind::kTable: {
      fai::Table t;
      ar >> t.names;
      for (size_t c = 0; c < t.names.size(); ++c) {
        uint8_t text = 0;
        ar >> text;
        if (text) {
          std::vector<std::string> col;
          ar >> col;
          t.columns.emplace_back(std::move(col));
        } else {
          std::vector<double> col;
          ar >> col;
          t.columns.emplace_back(std::move(col));
        }
      }
      v = fai::Value(std::move(t));
      break;
    }
    case fai::ValueKind::kBlob: {
      fai::Blob b;
      ar >> b.type >> b.bytes;
      v = fai::Value(std::move(b));
      break;
    }
    default:
      throw boost::archive::archive_exception(boost::archive::archive_exception::input_stream_error);
  }
}

}  // namespace boost::serialization

#endif  // FAI_COMMON_VALUE_SERIALIZATION_IMPL_H_
