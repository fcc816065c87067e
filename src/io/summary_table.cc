#include "io/summary_table.h"

#include <hdf5.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

namespace fai {

namespace {

// Closes an HDF5 id with the right function when it goes out of scope.
class H5Id {
 public:
  H5Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~H5Id() {
    if (id_ >= 0) close_(id_);
  }
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

}  // namespace

void SummaryTable::AddColumn(std::string name, std::vector<Value> cells) {
  bool all_int = true, all_number = true;
  for (const Value& v : cells) {
    if (v.is_null()) continue;
    if (v.kind() != ValueKind::kInt) all_int = false;
    if (!v.is_number() && v.kind() != ValueKind::kBool) all_number = false;
  }
  SummaryColumn col;
  col.name = std::move(name);
  col.type = all_int ? SummaryColumn::Type::kInt
                     : (all_number ? SummaryColumn::Type::kFloat : SummaryColumn::Type::kString);
  col.cells = std::move(cells);
  columns_.push_back(std::move(col));
}

int SummaryTable::Find(const std::string& name) const {
  for (size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name == name) return static_cast<int>(i);
  return -1;
}

Status SummaryTable::WriteHdf5(const std::string& path, const std::string& name, bool truncate) const {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  H5Id file(truncate ? H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)
                     : H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT),
            H5Fclose);
  if (!file.ok()) return Status::IOError(path + ": cannot open for writing");

  // Row layout: each column at an offset; strings fixed-length (longest + 1).
  std::vector<size_t> offsets, sizes;
  std::vector<std::string> texts;
  size_t row_size = 0;
  for (const SummaryColumn& c : columns_) {
    size_t size = 8;
    if (c.type == SummaryColumn::Type::kString) {
      size = 1;
      for (const Value& v : c.cells) size = std::max(size, v.is_null() ? 1 : v.ToDisplay().size() + 1);
    }
    offsets.push_back(row_size);
    sizes.push_back(size);
    row_size += size;
  }
  H5Id type(H5Tcreate(H5T_COMPOUND, std::max<size_t>(row_size, 1)), H5Tclose);
  std::vector<std::unique_ptr<H5Id>> string_types;
  for (size_t i = 0; i < columns_.size(); ++i) {
    hid_t member = H5T_NATIVE_DOUBLE;
    if (columns_[i].type == SummaryColumn::Type::kInt) member = H5T_NATIVE_INT64;
    if (columns_[i].type == SummaryColumn::Type::kString) {
      string_types.push_back(std::make_unique<H5Id>(H5Tcopy(H5T_C_S1), H5Tclose));
      H5Tset_size(string_types.back()->get(), sizes[i]);
      H5Tset_strpad(string_types.back()->get(), H5T_STR_NULLPAD);
      member = string_types.back()->get();
    }
    H5Tinsert(type.get(), columns_[i].name.c_str(), offsets[i], member);
  }

  const size_t n = rows();
  std::vector<char> buffer(std::max<size_t>(1, n * row_size), 0);
  for (size_t r = 0; r < n; ++r) {
    char* row = buffer.data() + r * row_size;
    for (size_t i = 0; i < columns_.size(); ++i) {
      const Value& v = columns_[i].cells[r];
      char* cell = row + offsets[i];
      switch (columns_[i].type) {
        case SummaryColumn::Type::kInt: {
          int64_t x = v.is_null() ? std::numeric_limits<int64_t>::min() : v.as_int();
          std::memcpy(cell, &x, 8);
          break;
        }
        case SummaryColumn::Type::kFloat: {
          double x = v.is_null() ? std::nan("") : (v.kind() == ValueKind::kBool ? v.as_bool() : v.as_double());
          std::memcpy(cell, &x, 8);
          break;
        }
        case SummaryColumn::Type::kString: {
          const std::string s = v.is_null() ? "" : v.ToDisplay();
          std::memcpy(cell, s.data(), std::min(s.size(), sizes[i] - 1));
          break;
        }
      }
    }
  }
  hsize_t dims[1] = {n};
  H5Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  H5Id dataset(H5Dcreate2(file.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose);
  if (!dataset.ok()) return Status::IOError(path + ": cannot create dataset /" + name);
  if (n > 0 && H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    return Status::IOError(path + ": writing /" + name + " failed");
  if (H5Fflush(file.get(), H5F_SCOPE_GLOBAL) < 0) return Status::IOError(path + ": flush failed");
  return Status::OK();
}

}  // namespace fai
