#include "io/summary_table.h"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#include "io/h5_file.h"
#include "io/h5_id.h"

namespace fai {

static_assert(std::is_same_v<hid_t, int64_t>, "SummaryTable passes hid_t as int64_t");

namespace {

constexpr int64_t kMissingInt = std::numeric_limits<int64_t>::min();
constexpr size_t kChunkBytes = 1 << 20;  // rows per chunk: about 1 MiB of rows

}  // namespace

void SummaryTable::AddColumn(std::string name, std::vector<Value> cells) {
  bool all_int = true, all_number = true, all_bool = !cells.empty(), any_missing = false,
       all_missing = true;
  for (const Value& v : cells) {
    if (v.kind() != ValueKind::kBool) all_bool = false;
    if (v.is_null()) {
      any_missing = true;
      continue;
    }
    all_missing = false;
    if (v.kind() != ValueKind::kInt) all_int = false;
    if (!v.is_number() && v.kind() != ValueKind::kBool) all_number = false;
  }
  // Ints with some missing are NaN in a float column, as pandas has them (a column with nothing
  // but missing cells stays int).
  if (any_missing && !all_missing) all_int = false;
  SummaryColumn::Type type = SummaryColumn::Type::kString;
  if (all_bool)
    type = SummaryColumn::Type::kBool;
  else if (all_int)
    type = SummaryColumn::Type::kInt;
  else if (all_number)
    type = SummaryColumn::Type::kFloat;
  AddTypedColumn(std::move(name), type, std::move(cells));
}

void SummaryTable::AddTypedColumn(std::string name, SummaryColumn::Type type,
                                  std::vector<Value> cells) {
  SummaryColumn col;
  col.name = std::move(name);
  col.type = type;
  col.cells = std::move(cells);
  columns_.push_back(std::move(col));
}

int SummaryTable::Find(const std::string& name) const {
  for (size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> SummaryTable::ColumnNames() const {
  std::vector<std::string> names;
  for (const SummaryColumn& c : columns_) names.push_back(c.name);
  return names;
}

Status SummaryTable::WriteHdf5(const std::string& path, const std::string& name,
                               bool truncate) const {
  Result<H5Id> file = truncate ? CreateH5File(path) : OpenH5File(path, /*writable=*/true);
  if (!file.ok()) return file.status();
  if (Status s = WriteTo(file->get(), name); !s.ok()) return s.Prefixed(path + ": ");
  if (H5Fflush(file->get(), H5F_SCOPE_GLOBAL) < 0) return Status::IOError(path + ": flush failed");
  return Status::OK();
}

Status SummaryTable::WriteTo(int64_t location, const std::string& name) const {
  SilenceHdf5Errors();
  const size_t n = rows();
  // Row layout: each column at an offset; strings fixed-length (longest + 1).
  std::vector<size_t> offsets, sizes;
  std::vector<std::vector<std::string>> texts(columns_.size());
  size_t row_size = 0;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const SummaryColumn& c = columns_[i];
    size_t size = c.type == SummaryColumn::Type::kBool ? 1 : 8;
    if (c.type == SummaryColumn::Type::kString) {
      size = 1;
      texts[i].reserve(n);
      for (const Value& v : c.cells) {
        texts[i].push_back(v.is_null()                      ? std::string()
                           : v.kind() == ValueKind::kString ? v.as_string()
                                                            : v.ToDisplay());
        size = std::max(size, texts[i].back().size() + 1);
      }
    }
    offsets.push_back(row_size);
    sizes.push_back(size);
    row_size += size;
  }
  H5Id type(H5Tcreate(H5T_COMPOUND, std::max<size_t>(row_size, 1)), H5Tclose);
  H5Id bool_type = H5BoolType();
  std::vector<H5Id> string_types;
  for (size_t i = 0; i < columns_.size(); ++i) {
    hid_t member = H5T_NATIVE_DOUBLE;
    if (columns_[i].type == SummaryColumn::Type::kInt) member = H5T_NATIVE_INT64;
    if (columns_[i].type == SummaryColumn::Type::kBool) member = bool_type.get();
    if (columns_[i].type == SummaryColumn::Type::kString) {
      string_types.emplace_back(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(string_types.back().get(), sizes[i]);
      H5Tset_strpad(string_types.back().get(), H5T_STR_NULLPAD);
      H5Tset_cset(string_types.back().get(), H5T_CSET_UTF8);
      member = string_types.back().get();
    }
    if (H5Tinsert(type.get(), columns_[i].name.c_str(), offsets[i], member) < 0)
      return Status::IOError("/" + name + ": cannot add column \"" + columns_[i].name +
                             "\" (a duplicate name?)");
  }

  std::vector<char> buffer(std::max<size_t>(1, n * row_size), 0);
  for (size_t i = 0; i < columns_.size(); ++i) {
    const SummaryColumn& col = columns_[i];
    char* cell = buffer.data() + offsets[i];
    for (size_t r = 0; r < n; ++r, cell += row_size) {
      const Value& v = col.cells[r];
      switch (col.type) {
        case SummaryColumn::Type::kInt: {
          const int64_t x = v.is_null() ? kMissingInt : v.as_int();
          std::memcpy(cell, &x, 8);
          break;
        }
        case SummaryColumn::Type::kFloat: {
          const double x = v.is_null()
                               ? std::nan("")
                               : (v.kind() == ValueKind::kBool ? v.as_bool() : v.as_double());
          std::memcpy(cell, &x, 8);
          break;
        }
        case SummaryColumn::Type::kBool:
          *cell = v.kind() == ValueKind::kBool && v.as_bool() ? 1 : 0;
          break;
        case SummaryColumn::Type::kString: {
          const std::string& s = texts[i][r];
          std::memcpy(cell, s.data(), std::min(s.size(), sizes[i] - 1));
          break;
        }
      }
    }
  }
  // Chunked and extendible: about 1 MiB of rows per chunk, one write for the whole table.
  hsize_t dims[1] = {n}, max_dims[1] = {H5S_UNLIMITED};
  hsize_t chunk[1] = {
      std::clamp<hsize_t>(kChunkBytes / std::max<size_t>(row_size, 1), 1, std::max<hsize_t>(n, 1))};
  H5Id space(H5Screate_simple(1, dims, max_dims), H5Sclose);
  H5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_chunk(dcpl.get(), 1, chunk);
  H5Pset_obj_track_times(dcpl.get(), 0);
  H5Id dataset(H5Dcreate2(location, name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                          H5P_DEFAULT),
               H5Dclose);
  if (!dataset.ok()) return Status::IOError("cannot create dataset /" + name);
  if (n > 0 &&
      H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    return Status::IOError("writing /" + name + " failed");
  return Status::OK();
}

Result<SummaryTable> SummaryTable::ReadHdf5(const std::string& path, const std::string& name) {
  Result<H5Id> file = OpenH5File(path);
  if (!file.ok()) return file.status();
  Result<SummaryTable> table = ReadFrom(file->get(), name);
  if (!table.ok()) return table.status().Prefixed(path + ": ");
  return table;
}

Result<SummaryTable> SummaryTable::ReadFrom(int64_t location, const std::string& name) {
  SilenceHdf5Errors();
  if (H5Lexists(location, name.c_str(), H5P_DEFAULT) <= 0)
    return Status::InvalidInput("no /" + name + " dataset (not a fai-sweep result file?)");
  H5Id dataset(H5Dopen2(location, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.ok()) return Status::InvalidInput("cannot open /" + name);
  H5Id file_type(H5Dget_type(dataset.get()), H5Tclose);
  if (H5Tget_class(file_type.get()) != H5T_COMPOUND)
    return Status::InvalidInput("/" + name + " is not a table");
  H5Id space(H5Dget_space(dataset.get()), H5Sclose);
  const size_t n = static_cast<size_t>(H5Sget_simple_extent_npoints(space.get()));
  const int members = H5Tget_nmembers(file_type.get());

  // Memory layout: ints and floats 8 bytes, strings fixed-length (their file size).
  std::vector<SummaryColumn::Type> types;
  std::vector<std::string> names;
  std::vector<size_t> offsets, sizes;
  size_t row_size = 0;
  H5Id mem_type(H5Tcreate(H5T_COMPOUND, 1), H5Tclose);
  std::vector<H5Id> string_types;
  for (int i = 0; i < members; ++i) {
    char* member_name = H5Tget_member_name(file_type.get(), i);
    names.push_back(member_name ? member_name : "");
    H5free_memory(member_name);
    H5Id member(H5Tget_member_type(file_type.get(), i), H5Tclose);
    const H5T_class_t cls = H5Tget_class(member.get());
    size_t size = 8;
    if (cls == H5T_ENUM && H5Tget_nmembers(member.get()) == 2 && H5Tget_size(member.get()) == 1) {
      types.push_back(SummaryColumn::Type::kBool);
      size = 1;
    } else if (cls == H5T_INTEGER) {
      types.push_back(SummaryColumn::Type::kInt);
    } else if (cls == H5T_FLOAT) {
      types.push_back(SummaryColumn::Type::kFloat);
    } else if (cls == H5T_STRING && H5Tis_variable_str(member.get()) <= 0) {
      types.push_back(SummaryColumn::Type::kString);
      size = H5Tget_size(member.get());
    } else {
      return Status::InvalidInput("/" + name + ": column \"" + names.back() +
                                  "\" has an unsupported type");
    }
    offsets.push_back(row_size);
    sizes.push_back(size);
    row_size += size;
  }
  H5Tset_size(mem_type.get(), std::max<size_t>(row_size, 1));
  H5Id bool_type = H5BoolType();
  for (int i = 0; i < members; ++i) {
    hid_t member = types[i] == SummaryColumn::Type::kInt ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
    if (types[i] == SummaryColumn::Type::kBool) member = bool_type.get();
    if (types[i] == SummaryColumn::Type::kString) {
      H5Id file_member(H5Tget_member_type(file_type.get(), i), H5Tclose);
      string_types.emplace_back(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(string_types.back().get(), sizes[i]);
      H5Tset_strpad(string_types.back().get(), H5T_STR_NULLPAD);
      H5Tset_cset(string_types.back().get(), H5Tget_cset(file_member.get()));
      member = string_types.back().get();
    }
    H5Tinsert(mem_type.get(), names[i].c_str(), offsets[i], member);
  }
  std::vector<char> buffer(std::max<size_t>(1, n * row_size), 0);
  if (n > 0 &&
      H5Dread(dataset.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    return Status::InvalidInput("reading /" + name + " failed (damaged file?)");

  SummaryTable table;
  for (int i = 0; i < members; ++i) {
    std::vector<Value> cells;
    cells.reserve(n);
    const char* cell = buffer.data() + offsets[i];
    for (size_t r = 0; r < n; ++r, cell += row_size) {
      switch (types[i]) {
        case SummaryColumn::Type::kInt: {
          int64_t x;
          std::memcpy(&x, cell, 8);
          cells.push_back(x == kMissingInt ? Value() : Value(x));
          break;
        }
        case SummaryColumn::Type::kFloat: {
          double x;
          std::memcpy(&x, cell, 8);
          cells.push_back(std::isnan(x) ? Value() : Value(x));
          break;
        }
        case SummaryColumn::Type::kBool:
          cells.push_back(Value(*cell != 0));
          break;
        case SummaryColumn::Type::kString:
          cells.push_back(Value(std::string(cell, strnlen(cell, sizes[i]))));
          break;
      }
    }
    table.AddTypedColumn(names[i], types[i], std::move(cells));
  }
  return table;
}

}  // namespace fai
