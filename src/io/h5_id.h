// H5Id: owns one HDF5 identifier (file, group, dataset, attribute, dataspace, datatype or
// property list) and closes it with the matching function when it goes out of scope.
// Move-only. Internal to src/io: nothing outside io sees hid_t.
//
// HDF5 is used from one thread at a time (rank 0's driver or a CLI command); the serial library
// Debian ships is not thread-safe.
#ifndef FAI_IO_H5_ID_H_
#define FAI_IO_H5_ID_H_

#include <hdf5.h>

#include <cstdint>
#include <utility>

namespace fai {

class H5Id {
 public:
  H5Id() = default;
  H5Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~H5Id() { reset(); }
  H5Id(H5Id&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
  H5Id& operator=(H5Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      close_ = other.close_;
    }
    return *this;
  }
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;

  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }
  // Gives up ownership: the caller closes the id.
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  void reset() {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

// Turns off HDF5's printing of error stacks to stderr (errors become Status messages instead),
// and its clean-up at exit: after a failed close (a full disk), HDF5 1.10's exit handler crashes
// on the half-closed file. Every file is closed explicitly before exit anyway. Call before any
// other HDF5 function (the store's open and create functions do).
inline void SilenceHdf5Errors() {
  static const bool once = [] {
    H5dont_atexit();
    return true;
  }();
  (void)once;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// h5py's bool: an int8 enum {FALSE, TRUE}.
inline H5Id H5BoolType() {
  H5Id type(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose);
  int8_t no = 0, yes = 1;
  H5Tenum_insert(type.get(), "FALSE", &no);
  H5Tenum_insert(type.get(), "TRUE", &yes);
  return type;
}

}  // namespace fai

#endif  // FAI_IO_H5_ID_H_
