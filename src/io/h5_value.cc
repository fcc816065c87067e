#include "io/h5_value.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "io/h5_file.h"
#include "io/h5_id.h"

namespace fai {

namespace {

constexpr size_t kMaxStringAttribute = 16 << 10;  // longer strings become scalar datasets
constexpr const char* kKindAttribute = "fai.kind";
constexpr const char* kBlobTypeAttribute = "fai.blob_type";

H5Id StringType() {
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

H5Id ScalarSpace() { return H5Id(H5Screate(H5S_SCALAR), H5Sclose); }
H5Id VectorSpace(hsize_t n) { return H5Id(H5Screate_simple(1, &n, nullptr), H5Sclose); }

bool IsBoolEnum(hid_t type) {
  if (H5Tget_class(type) != H5T_ENUM || H5Tget_nmembers(type) != 2) return false;
  for (unsigned i = 0; i < 2; ++i) {
    char* name = H5Tget_member_name(type, i);
    if (name == nullptr) return false;
    const std::string s(name);
    H5free_memory(name);
    if (s != "FALSE" && s != "TRUE") return false;
  }
  return true;
}

std::string NameOf(std::string_view name) { return EscapeH5Name(name); }

Status Fail(std::string_view name, const char* what) {
  return Status::IOError("HDF5: cannot " + std::string(what) + " \"" + std::string(name) + "\"");
}

// Writes a dataset `name` in `group` of `file_type`, reading elements of `mem_type` from `buf`.
Status WriteDataset(hid_t group, std::string_view name, hid_t file_type, hid_t mem_type,
                    hid_t space, const void* buf, bool has_data) {
  const std::string n = NameOf(name);
  H5Id ds(
      H5Dcreate2(group, n.c_str(), file_type, space, H5P_DEFAULT, StoreDatasetProps(), H5P_DEFAULT),
      H5Dclose);
  if (!ds.ok()) return Fail(name, "create dataset");
  if (has_data && H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
    return Fail(name, "write dataset");
  return Status::OK();
}

Status WriteStringAttr(hid_t object, const char* name, const std::string& text) {
  H5Id type = StringType();
  H5Id space = ScalarSpace();
  H5Id attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  const char* p = text.c_str();
  if (!attr.ok() || H5Awrite(attr.get(), type.get(), &p) < 0) return Fail(name, "write attribute");
  return Status::OK();
}

Status WriteList(hid_t group, std::string_view name, const List& list) {
  auto all = [&](ValueKind k) {
    return std::all_of(list.begin(), list.end(), [k](const Value& v) { return v.kind() == k; });
  };
  const hsize_t n = list.size();
  H5Id space = VectorSpace(n);
  if (list.empty() || all(ValueKind::kDouble)) {
    std::vector<double> xs;
    for (const Value& v : list) xs.push_back(v.as_double());
    return WriteDataset(group, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), xs.data(),
                        n > 0);
  }
  if (all(ValueKind::kInt)) {
    std::vector<int64_t> xs;
    for (const Value& v : list) xs.push_back(v.as_int());
    return WriteDataset(group, name, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(), xs.data(), true);
  }
  if (all(ValueKind::kBool)) {
    std::vector<int8_t> xs;
    for (const Value& v : list) xs.push_back(v.as_bool() ? 1 : 0);
    H5Id type = H5BoolType();
    return WriteDataset(group, name, type.get(), type.get(), space.get(), xs.data(), true);
  }
  if (all(ValueKind::kString)) {
    std::vector<const char*> ptrs;
    for (const Value& v : list) ptrs.push_back(v.as_string().c_str());
    H5Id type = StringType();
    return WriteDataset(group, name, type.get(), type.get(), space.get(), ptrs.data(), true);
  }
  // Mixed or nested: a group of entries "0", "1", ...
  const std::string n_esc = NameOf(name);
  H5Id sub(H5Gcreate2(group, n_esc.c_str(), H5P_DEFAULT, StoreGroupProps(), H5P_DEFAULT), H5Gclose);
  if (!sub.ok()) return Fail(name, "create group");
  if (Status s = WriteStringAttr(sub.get(), kKindAttribute, "list"); !s.ok()) return s;
  for (size_t i = 0; i < list.size(); ++i)
    if (Status s = WriteH5Value(sub.get(), std::to_string(i), list[i]); !s.ok()) return s;
  return Status::OK();
}

Status WriteTable(hid_t group, std::string_view name, const Table& table) {
  if (table.names.empty()) {
    const std::string n = NameOf(name);
    H5Id sub(H5Gcreate2(group, n.c_str(), H5P_DEFAULT, StoreGroupProps(), H5P_DEFAULT), H5Gclose);
    if (!sub.ok()) return Fail(name, "create group");
    return WriteStringAttr(sub.get(), kKindAttribute, "table");
  }
  // Every field is 8 bytes: a double or a char* (variable-length UTF-8).
  const size_t fields = table.names.size(), rows = table.rows(), row_size = 8 * fields;
  H5Id strings = StringType();
  H5Id type(H5Tcreate(H5T_COMPOUND, row_size), H5Tclose);
  for (size_t c = 0; c < fields; ++c) {
    const bool text = table.columns[c].index() == 1;
    if (H5Tinsert(type.get(), table.names[c].c_str(), 8 * c,
                  text ? strings.get() : H5T_NATIVE_DOUBLE) < 0)
      return Fail(name, "make the table type (duplicate column?) for");
  }
  std::vector<unsigned char> buffer(std::max<size_t>(1, rows * row_size));
  for (size_t c = 0; c < fields; ++c) {
    for (size_t r = 0; r < rows; ++r) {
      unsigned char* cell = buffer.data() + r * row_size + 8 * c;
      if (const auto* xs = std::get_if<std::vector<double>>(&table.columns[c])) {
        std::memcpy(cell, &(*xs)[r], 8);
      } else {
        const char* p = std::get<std::vector<std::string>>(table.columns[c])[r].c_str();
        std::memcpy(cell, &p, sizeof p);
      }
    }
  }
  H5Id space = VectorSpace(rows);
  return WriteDataset(group, name, type.get(), type.get(), space.get(), buffer.data(), rows > 0);
}

// A map of scalars (none null, keys non-empty) as one scalar compound dataset: one dataset instead
// of a group and an attribute per entry (attributes cost ~9 µs each to create).
bool IsFlatMap(const Dict& d) {
  if (d.empty()) return false;
  for (const auto& [k, v] : d)
    if (k.empty() || !v.is_scalar() || v.is_null()) return false;
  return true;
}

Status WriteFlatMap(hid_t group, std::string_view name, const Dict& d) {
  H5Id bools = H5BoolType();
  H5Id strings = StringType();
  size_t size = 0;
  std::vector<size_t> offsets;
  for (const auto& [k, v] : d) {
    offsets.push_back(size);
    size += v.kind() == ValueKind::kBool ? 1 : 8;
  }
  H5Id type(H5Tcreate(H5T_COMPOUND, size), H5Tclose);
  std::vector<unsigned char> buffer(size);
  size_t i = 0;
  for (const auto& [k, v] : d) {
    unsigned char* cell = buffer.data() + offsets[i];
    hid_t member = H5T_NATIVE_DOUBLE;
    switch (v.kind()) {
      case ValueKind::kBool:
        member = bools.get();
        *cell = v.as_bool() ? 1 : 0;
        break;
      case ValueKind::kInt: {
        member = H5T_NATIVE_INT64;
        const int64_t x = v.as_int();
        std::memcpy(cell, &x, 8);
        break;
      }
      case ValueKind::kDouble: {
        const double x = v.as_double();
        std::memcpy(cell, &x, 8);
        break;
      }
      default: {  // string
        member = strings.get();
        const char* p = v.as_string().c_str();
        std::memcpy(cell, &p, sizeof p);
      }
    }
    if (H5Tinsert(type.get(), k.c_str(), offsets[i], member) < 0)
      return Fail(name, "make the map type for");
    ++i;
  }
  H5Id space = ScalarSpace();
  return WriteDataset(group, name, type.get(), type.get(), space.get(), buffer.data(), true);
}

Result<Value> ReadFlatMap(hid_t ds, hid_t file_type, hid_t space) {
  const int fields = H5Tget_nmembers(file_type);
  H5Id bools = H5BoolType();
  std::vector<H5Id> strings;
  std::vector<std::string> names;
  std::vector<ValueKind> kinds;
  std::vector<size_t> offsets;
  size_t size = 0;
  for (int c = 0; c < fields; ++c) {
    char* name = H5Tget_member_name(file_type, c);
    names.push_back(name ? name : "");
    H5free_memory(name);
    H5Id member(H5Tget_member_type(file_type, c), H5Tclose);
    const H5T_class_t cls = H5Tget_class(member.get());
    offsets.push_back(size);
    if (cls == H5T_ENUM && IsBoolEnum(member.get())) {
      kinds.push_back(ValueKind::kBool);
      size += 1;
    } else if (cls == H5T_INTEGER) {
      kinds.push_back(ValueKind::kInt);
      size += 8;
    } else if (cls == H5T_FLOAT) {
      kinds.push_back(ValueKind::kDouble);
      size += 8;
    } else if (cls == H5T_STRING && H5Tis_variable_str(member.get()) > 0) {
      kinds.push_back(ValueKind::kString);
      size += sizeof(char*);
    } else {
      return Status::IOError("HDF5: a map field \"" + names.back() + "\" of an unsupported type");
    }
  }
  H5Id type(H5Tcreate(H5T_COMPOUND, std::max<size_t>(size, 1)), H5Tclose);
  for (int c = 0; c < fields; ++c) {
    hid_t member = kinds[c] == ValueKind::kBool  ? bools.get()
                   : kinds[c] == ValueKind::kInt ? H5T_NATIVE_INT64
                                                 : H5T_NATIVE_DOUBLE;
    if (kinds[c] == ValueKind::kString) {
      H5Id file_member(H5Tget_member_type(file_type, c), H5Tclose);
      strings.push_back(StringType());
      H5Tset_cset(strings.back().get(), H5Tget_cset(file_member.get()));
      member = strings.back().get();
    }
    H5Tinsert(type.get(), names[c].c_str(), offsets[c], member);
  }
  std::vector<unsigned char> buffer(std::max<size_t>(size, 1));
  if (H5Dread(ds, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    return Status::IOError("HDF5: reading a map failed");
  Dict out;
  for (int c = 0; c < fields; ++c) {
    const unsigned char* cell = buffer.data() + offsets[c];
    switch (kinds[c]) {
      case ValueKind::kBool:
        out[names[c]] = Value(*cell != 0);
        break;
      case ValueKind::kInt: {
        int64_t x;
        std::memcpy(&x, cell, 8);
        out[names[c]] = Value(x);
        break;
      }
      case ValueKind::kDouble: {
        double x;
        std::memcpy(&x, cell, 8);
        out[names[c]] = Value(x);
        break;
      }
      default: {
        char* p = nullptr;
        std::memcpy(&p, cell, sizeof p);
        out[names[c]] = Value(std::string(p ? p : ""));
      }
    }
  }
  H5Dvlen_reclaim(type.get(), space, H5P_DEFAULT, buffer.data());
  return Value(std::move(out));
}

// Reads `n` elements of `file_type` with `read(mem_type, buf)`, as Values.
Result<List> ReadElements(hid_t file_type, hid_t space, size_t n,
                          const std::function<herr_t(hid_t, void*)>& read) {
  List out;
  const H5T_class_t cls = H5Tget_class(file_type);
  if (cls == H5T_ENUM && IsBoolEnum(file_type)) {
    H5Id type = H5BoolType();
    std::vector<int8_t> xs(std::max<size_t>(n, 1));
    if (read(type.get(), xs.data()) < 0) return Status::IOError("HDF5: read failed");
    for (size_t i = 0; i < n; ++i) out.push_back(Value(xs[i] != 0));
  } else if (cls == H5T_INTEGER) {
    std::vector<int64_t> xs(std::max<size_t>(n, 1));
    if (read(H5T_NATIVE_INT64, xs.data()) < 0) return Status::IOError("HDF5: read failed");
    for (size_t i = 0; i < n; ++i) out.push_back(Value(xs[i]));
  } else if (cls == H5T_FLOAT) {
    std::vector<double> xs(std::max<size_t>(n, 1));
    if (read(H5T_NATIVE_DOUBLE, xs.data()) < 0) return Status::IOError("HDF5: read failed");
    for (size_t i = 0; i < n; ++i) out.push_back(Value(xs[i]));
  } else if (cls == H5T_STRING && H5Tis_variable_str(file_type) > 0) {
    H5Id type = StringType();
    H5Tset_cset(type.get(), H5Tget_cset(file_type));
    std::vector<char*> ptrs(std::max<size_t>(n, 1), nullptr);
    if (read(type.get(), ptrs.data()) < 0) return Status::IOError("HDF5: read failed");
    for (size_t i = 0; i < n; ++i) out.push_back(Value(std::string(ptrs[i] ? ptrs[i] : "")));
    H5Dvlen_reclaim(type.get(), space, H5P_DEFAULT, ptrs.data());
  } else if (cls == H5T_STRING) {
    const size_t size = H5Tget_size(file_type);
    H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), size);
    H5Tset_cset(type.get(), H5Tget_cset(file_type));
    std::vector<char> buf(std::max<size_t>(n * size, 1));
    if (read(type.get(), buf.data()) < 0) return Status::IOError("HDF5: read failed");
    for (size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * size;
      out.push_back(Value(std::string(s, strnlen(s, size))));
    }
  } else {
    return Status::IOError("HDF5: unsupported element type");
  }
  return out;
}

Result<Value> ReadTable(hid_t ds, hid_t file_type, hid_t space, size_t rows) {
  const int fields = H5Tget_nmembers(file_type);
  H5Id type(H5Tcreate(H5T_COMPOUND, 8 * std::max(fields, 1)), H5Tclose);
  Table table;
  std::vector<bool> text(fields);
  for (int c = 0; c < fields; ++c) {
    char* name = H5Tget_member_name(file_type, c);
    table.names.push_back(name ? name : "");
    H5free_memory(name);
    text[c] = H5Tget_member_class(file_type, c) == H5T_STRING;
    if (text[c]) {
      H5Id member(H5Tget_member_type(file_type, c), H5Tclose);
      if (H5Tis_variable_str(member.get()) <= 0)
        return Status::IOError("HDF5: a table with a fixed-length text column \"" +
                               table.names.back() + "\"");
      H5Id field = StringType();
      H5Tset_cset(field.get(), H5Tget_cset(member.get()));
      H5Tinsert(type.get(), table.names.back().c_str(), 8 * c, field.get());
    } else {
      H5Tinsert(type.get(), table.names.back().c_str(), 8 * c, H5T_NATIVE_DOUBLE);
    }
  }
  std::vector<unsigned char> buffer(std::max<size_t>(1, rows * 8 * fields));
  if (rows > 0 && H5Dread(ds, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    return Status::IOError("HDF5: reading a table failed");
  for (int c = 0; c < fields; ++c) {
    if (text[c]) {
      std::vector<std::string> col(rows);
      for (size_t r = 0; r < rows; ++r) {
        char* p = nullptr;
        std::memcpy(&p, buffer.data() + (r * fields + c) * 8, sizeof p);
        col[r] = p ? p : "";
      }
      table.columns.emplace_back(std::move(col));
    } else {
      std::vector<double> col(rows);
      for (size_t r = 0; r < rows; ++r)
        std::memcpy(&col[r], buffer.data() + (r * fields + c) * 8, 8);
      table.columns.emplace_back(std::move(col));
    }
  }
  if (rows > 0) H5Dvlen_reclaim(type.get(), space, H5P_DEFAULT, buffer.data());
  return Value(std::move(table));
}

Result<Value> ReadDataset(hid_t ds) {
  H5Id space(H5Dget_space(ds), H5Sclose);
  H5Id type(H5Dget_type(ds), H5Tclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(std::max(rank, 1), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  const size_t n = static_cast<size_t>(H5Sget_simple_extent_npoints(space.get()));
  auto read = [&](hid_t mem, void* buf) {
    return n == 0 ? herr_t{0} : H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  };
  if (H5Tget_class(type.get()) == H5T_COMPOUND) {
    if (rank == 0) return ReadFlatMap(ds, type.get(), space.get());
    if (rank != 1)
      return Status::IOError("HDF5: a compound dataset of rank " + std::to_string(rank));
    return ReadTable(ds, type.get(), space.get(), n);
  }
  if (rank == 1 && H5Aexists(ds, kBlobTypeAttribute) > 0) {
    Blob blob;
    Result<Value> tag = ReadH5Attribute(ds, kBlobTypeAttribute);
    if (tag.ok() && tag->kind() == ValueKind::kString) blob.type = tag->as_string();
    blob.bytes.resize(n);
    if (read(H5T_NATIVE_UINT8, blob.bytes.data()) < 0)
      return Status::IOError("HDF5: reading a blob failed");
    return Value(std::move(blob));
  }
  if (rank == 2) {
    std::vector<double> xs(std::max<size_t>(n, 1));
    if (read(H5T_NATIVE_DOUBLE, xs.data()) < 0)
      return Status::IOError("HDF5: reading a matrix failed");
    Matrix m(static_cast<Eigen::Index>(dims[0]), static_cast<Eigen::Index>(dims[1]));
    for (hsize_t r = 0; r < dims[0]; ++r)
      for (hsize_t c = 0; c < dims[1]; ++c) m(r, c) = xs[r * dims[1] + c];
    return Value(std::move(m));
  }
  Result<List> list = ReadElements(type.get(), space.get(), n, read);
  if (!list.ok()) return list.status();
  if (rank == 0) return list->empty() ? Value() : list->front();
  if (rank == 1) return Value(std::move(*list));
  return Status::IOError("HDF5: a dataset of rank " + std::to_string(rank));
}

herr_t CollectLinkName(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}
herr_t CollectAttrName(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

}  // namespace

std::string EscapeH5Name(std::string_view key) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : key) {
    if (c == '%' || c == '/') {
      out += '%';
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 15];
      out += kHex[static_cast<unsigned char>(c) & 15];
    } else {
      out += c;
    }
  }
  if (out.empty()) return "%";
  if (out == ".") return "%2E";
  if (out.rfind("fai.", 0) == 0) return "%66" + out.substr(1);
  return out;
}

std::string UnescapeH5Name(std::string_view name) {
  if (name == "%") return "";
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '%' && i + 2 < name.size() &&
        std::isxdigit(static_cast<unsigned char>(name[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(name[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(name.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += name[i];
    }
  }
  return out;
}

Status WriteH5Attribute(hid_t object, std::string_view name, const Value& value) {
  const std::string n = NameOf(name);
  if (H5Aexists(object, n.c_str()) > 0) H5Adelete(object, n.c_str());
  H5Id space = value.is_null() ? H5Id(H5Screate(H5S_NULL), H5Sclose) : ScalarSpace();
  H5Id owned_type;
  hid_t type = H5T_NATIVE_INT8, mem = H5T_NATIVE_INT8;
  const void* buf = nullptr;
  int8_t b = 0;
  int64_t i = 0;
  double d = 0;
  const char* s = nullptr;
  switch (value.kind()) {
    case ValueKind::kNull:
      break;
    case ValueKind::kBool:
      owned_type = H5BoolType();
      type = mem = owned_type.get();
      b = value.as_bool() ? 1 : 0;
      buf = &b;
      break;
    case ValueKind::kInt:
      type = H5T_STD_I64LE;
      mem = H5T_NATIVE_INT64;
      i = value.as_int();
      buf = &i;
      break;
    case ValueKind::kDouble:
      type = H5T_IEEE_F64LE;
      mem = H5T_NATIVE_DOUBLE;
      d = value.as_double();
      buf = &d;
      break;
    case ValueKind::kString:
      owned_type = StringType();
      type = mem = owned_type.get();
      s = value.as_string().c_str();
      buf = &s;
      break;
    default:
      return Status::Internal("WriteH5Attribute: not a scalar: " + std::string(name));
  }
  H5Id attr(H5Acreate2(object, n.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) return Fail(name, "create attribute");
  if (buf != nullptr && H5Awrite(attr.get(), mem, buf) < 0) return Fail(name, "write attribute");
  return Status::OK();
}

Status WriteH5Value(hid_t group, std::string_view name, const Value& value) {
  switch (value.kind()) {
    case ValueKind::kString:
      if (value.as_string().size() > kMaxStringAttribute) {
        H5Id type = StringType();
        H5Id space = ScalarSpace();
        const char* p = value.as_string().c_str();
        return WriteDataset(group, name, type.get(), type.get(), space.get(), &p, true);
      }
      return WriteH5Attribute(group, name, value);
    case ValueKind::kNull:
    case ValueKind::kBool:
    case ValueKind::kInt:
    case ValueKind::kDouble:
      return WriteH5Attribute(group, name, value);
    case ValueKind::kDict: {
      if (IsFlatMap(value.as_dict())) return WriteFlatMap(group, name, value.as_dict());
      const std::string n = NameOf(name);
      H5Id sub(H5Gcreate2(group, n.c_str(), H5P_DEFAULT, StoreGroupProps(), H5P_DEFAULT), H5Gclose);
      if (!sub.ok()) return Fail(name, "create group");
      for (const auto& [k, v] : value.as_dict())
        if (Status s = WriteH5Value(sub.get(), k, v); !s.ok()) return s;
      return Status::OK();
    }
    case ValueKind::kList:
      return WriteList(group, name, value.as_list());
    case ValueKind::kMatrix: {
      const Matrix& m = value.as_matrix();
      hsize_t dims[2] = {static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())};
      std::vector<double> row_major(static_cast<size_t>(m.size()));
      for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c) row_major[r * m.cols() + c] = m(r, c);
      H5Id space(H5Screate_simple(2, dims, nullptr), H5Sclose);
      return WriteDataset(group, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(),
                          row_major.data(), m.size() > 0);
    }
    case ValueKind::kTable:
      return WriteTable(group, name, value.as_table());
    case ValueKind::kBlob: {
      const Blob& blob = value.as_blob();
      H5Id space = VectorSpace(blob.bytes.size());
      if (Status s = WriteDataset(group, name, H5T_STD_U8LE, H5T_NATIVE_UINT8, space.get(),
                                  blob.bytes.data(), !blob.bytes.empty());
          !s.ok())
        return s;
      const std::string n = NameOf(name);
      H5Id ds(H5Dopen2(group, n.c_str(), H5P_DEFAULT), H5Dclose);
      return WriteStringAttr(ds.get(), kBlobTypeAttribute, blob.type);
    }
  }
  return Status::Internal("WriteH5Value: unknown kind");
}

Result<Value> ReadH5Attribute(hid_t object, std::string_view name) {
  const std::string n(name);
  H5Id attr(H5Aopen(object, n.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) return Status::NotFound("HDF5: no attribute \"" + n + "\"");
  H5Id space(H5Aget_space(attr.get()), H5Sclose);
  if (H5Sget_simple_extent_type(space.get()) == H5S_NULL) return Value();
  H5Id type(H5Aget_type(attr.get()), H5Tclose);
  const size_t count = static_cast<size_t>(H5Sget_simple_extent_npoints(space.get()));
  Result<List> list = ReadElements(type.get(), space.get(), count, [&](hid_t mem, void* buf) {
    return H5Aread(attr.get(), mem, buf);
  });
  if (!list.ok()) return list.status().Prefixed("attribute \"" + n + "\": ");
  if (H5Sget_simple_extent_ndims(space.get()) == 0) return list->empty() ? Value() : list->front();
  return Value(std::move(*list));
}

Result<Dict> ReadH5Group(hid_t group) {
  Dict out;
  std::vector<std::string> attrs, links;
  hsize_t idx = 0;
  if (H5Aiterate2(group, H5_INDEX_NAME, H5_ITER_INC, &idx, CollectAttrName, &attrs) < 0)
    return Status::IOError("HDF5: cannot list attributes");
  idx = 0;
  if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, CollectLinkName, &links) < 0)
    return Status::IOError("HDF5: cannot list a group");
  for (const std::string& a : attrs) {
    if (a.rfind("fai.", 0) == 0) continue;
    Result<Value> v = ReadH5Attribute(group, a);
    if (!v.ok()) return v.status();
    out[UnescapeH5Name(a)] = std::move(*v);
  }
  for (const std::string& l : links) {
    H5Id obj(H5Oopen(group, l.c_str(), H5P_DEFAULT), H5Oclose);
    if (!obj.ok()) return Status::IOError("HDF5: cannot open \"" + l + "\"");
    const H5I_type_t kind = H5Iget_type(obj.get());
    Value value;
    if (kind == H5I_DATASET) {
      Result<Value> v = ReadDataset(obj.get());
      if (!v.ok()) return v.status().Prefixed("\"" + l + "\": ");
      value = std::move(*v);
    } else if (kind == H5I_GROUP) {
      Result<Dict> sub = ReadH5Group(obj.get());
      if (!sub.ok()) return sub.status();
      Result<Value> marker = H5Aexists(obj.get(), kKindAttribute) > 0
                                 ? ReadH5Attribute(obj.get(), kKindAttribute)
                                 : Result<Value>(Value());
      const std::string kind_name =
          marker.ok() && marker->kind() == ValueKind::kString ? marker->as_string() : std::string();
      if (kind_name == "list") {
        std::vector<std::pair<long, Value>> entries;
        for (auto& [k, v] : *sub)
          entries.emplace_back(std::strtol(k.c_str(), nullptr, 10), std::move(v));
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        List list;
        for (auto& e : entries) list.push_back(std::move(e.second));
        value = Value(std::move(list));
      } else if (kind_name == "table") {
        value = Value(Table());
      } else {
        value = Value(std::move(*sub));
      }
    } else {
      continue;  // named datatypes and the like: not values
    }
    out[UnescapeH5Name(l)] = std::move(value);
  }
  return out;
}

}  // namespace fai
