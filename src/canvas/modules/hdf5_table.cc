#include "canvas/modules/hdf5_table.h"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <utility>
#include <variant>
#include <vector>

#include "common/hdf5_lock.h"

namespace fai::quant {

namespace {

// Owns one HDF5 id and closes it with `close`.
class Hdf5Handle {
 public:
  Hdf5Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Hdf5Handle() {
    if (id_ >= 0) close_(id_);
  }
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

hid_t NewVariableStringType() {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

// A compound memory type holding only member `name` of type `member`, at offset 0.
hid_t SingleMemberType(const char* name, hid_t member, size_t size) {
  const hid_t type = H5Tcreate(H5T_COMPOUND, size);
  H5Tinsert(type, name, 0, member);
  return type;
}

Status ReadMember(hid_t dataset, hid_t file_member, const char* name, size_t rows, Table* table) {
  const H5T_class_t member_class = H5Tget_class(file_member);
  const std::string where = std::string("member \"") + name + "\": ";
  if (member_class == H5T_INTEGER || member_class == H5T_FLOAT) {
    std::vector<double> values(rows);
    Hdf5Handle type(SingleMemberType(name, H5T_NATIVE_DOUBLE, sizeof(double)), H5Tclose);
    if (rows && H5Dread(dataset, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
      return Status::InvalidInput(where + "cannot be read as numbers");
    table->AddColumn(name, std::move(values));
    return Status::OK();
  }
  if (member_class != H5T_STRING)
    return Status::InvalidInput(where + "unsupported member class (expected numbers or strings)");
  std::vector<std::string> values(rows);
  if (H5Tis_variable_str(file_member) > 0) {
    Hdf5Handle string_type(NewVariableStringType(), H5Tclose);
    Hdf5Handle type(SingleMemberType(name, string_type.get(), sizeof(char*)), H5Tclose);
    std::vector<char*> pointers(rows, nullptr);
    if (rows && H5Dread(dataset, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
      return Status::InvalidInput(where + "cannot be read as strings");
    for (size_t r = 0; r < rows; ++r) values[r] = pointers[r] ? pointers[r] : "";
    Hdf5Handle space(H5Dget_space(dataset), H5Sclose);
    if (rows) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, pointers.data());
  } else {
    const size_t width = H5Tget_size(file_member);
    Hdf5Handle string_type(H5Tcopy(file_member), H5Tclose);
    Hdf5Handle type(SingleMemberType(name, string_type.get(), width), H5Tclose);
    std::vector<char> buffer(rows * width);
    if (rows && H5Dread(dataset, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
      return Status::InvalidInput(where + "cannot be read as strings");
    const bool space_padded = H5Tget_strpad(file_member) == H5T_STR_SPACEPAD;
    for (size_t r = 0; r < rows; ++r) {
      const char* cell = buffer.data() + r * width;
      size_t length = strnlen(cell, width);
      while (space_padded && length > 0 && cell[length - 1] == ' ') --length;
      values[r].assign(cell, length);
    }
  }
  table->AddColumn(name, std::move(values));
  return Status::OK();
}

}  // namespace

Result<Table> ReadHdf5Table(const std::string& path, const std::string& dataset_name) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::NotFound(path + ": no such file");
  std::lock_guard<std::mutex> lock(Hdf5Lock());
  Table table;
  Status status;
  H5E_BEGIN_TRY {
    [&] {
      Hdf5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
      if (!file.ok()) {
        status = Status::InvalidInput(path + ": not a readable HDF5 file");
        return;
      }
      if (H5Lexists(file.get(), dataset_name.c_str(), H5P_DEFAULT) <= 0) {
        status = Status::NotFound(path + ": no dataset \"" + dataset_name + "\"");
        return;
      }
      Hdf5Handle dataset(H5Dopen2(file.get(), dataset_name.c_str(), H5P_DEFAULT), H5Dclose);
      Hdf5Handle type(dataset.ok() ? H5Dget_type(dataset.get()) : -1, H5Tclose);
      Hdf5Handle space(dataset.ok() ? H5Dget_space(dataset.get()) : -1, H5Sclose);
      const std::string where = path + ": dataset \"" + dataset_name + "\": ";
      if (!dataset.ok() || !type.ok() || !space.ok() || H5Tget_class(type.get()) != H5T_COMPOUND ||
          H5Sget_simple_extent_ndims(space.get()) != 1) {
        status =
            Status::InvalidInput(where + "expected a 1-D compound dataset (one member per column)");
        return;
      }
      hsize_t rows = 0;
      H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
      const int members = H5Tget_nmembers(type.get());
      for (int m = 0; m < members && status.ok(); ++m) {
        char* name = H5Tget_member_name(type.get(), static_cast<unsigned>(m));
        Hdf5Handle member(H5Tget_member_type(type.get(), static_cast<unsigned>(m)), H5Tclose);
        status = ReadMember(dataset.get(), member.get(), name, rows, &table).Prefixed(where);
        H5free_memory(name);
      }
    }();
  }
  H5E_END_TRY;
  if (!status.ok()) return status;
  return table;
}

Status WriteHdf5Table(const Table& table, const std::string& path,
                      const std::string& dataset_name) {
  std::lock_guard<std::mutex> lock(Hdf5Lock());
  Status status;
  H5E_BEGIN_TRY {
    [&] {
      Hdf5Handle string_type(NewVariableStringType(), H5Tclose);
      std::vector<size_t> offsets;
      size_t row_size = 0;
      for (const Table::Column& column : table.columns) {
        offsets.push_back(row_size);
        row_size +=
            std::holds_alternative<std::vector<double>>(column) ? sizeof(double) : sizeof(char*);
      }
      Hdf5Handle type(H5Tcreate(H5T_COMPOUND, std::max<size_t>(row_size, 1)), H5Tclose);
      for (size_t c = 0; c < table.columns.size(); ++c)
        H5Tinsert(type.get(), table.names[c].c_str(), offsets[c],
                  std::holds_alternative<std::vector<double>>(table.columns[c])
                      ? H5T_NATIVE_DOUBLE
                      : string_type.get());
      const size_t rows = table.rows();
      std::vector<unsigned char> buffer(rows * row_size);
      for (size_t c = 0; c < table.columns.size(); ++c) {
        if (const auto* numbers = std::get_if<std::vector<double>>(&table.columns[c])) {
          for (size_t r = 0; r < rows; ++r)
            std::memcpy(&buffer[r * row_size + offsets[c]], &(*numbers)[r], sizeof(double));
        } else {
          const auto& strings = std::get<std::vector<std::string>>(table.columns[c]);
          for (size_t r = 0; r < rows; ++r) {
            const char* text = strings[r].c_str();
            std::memcpy(&buffer[r * row_size + offsets[c]], &text, sizeof(char*));
          }
        }
      }
      Hdf5Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
      if (!file.ok()) {
        status = Status::IOError(path + ": cannot create the file");
        return;
      }
      const hsize_t dims = rows;
      Hdf5Handle space(H5Screate_simple(1, &dims, nullptr), H5Sclose);
      Hdf5Handle dataset(H5Dcreate2(file.get(), dataset_name.c_str(), type.get(), space.get(),
                                    H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                         H5Dclose);
      if (!dataset.ok() || (rows && H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL,
                                             H5P_DEFAULT, buffer.data()) < 0))
        status = Status::IOError(path + ": cannot write dataset \"" + dataset_name + "\"");
    }();
  }
  H5E_END_TRY;
  return status;
}

}  // namespace fai::quant
