#include "io/h5_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fai {

Result<H5Id> CreateH5File(const std::string& path) {
  SilenceHdf5Errors();
  H5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST);
  H5Pset_meta_block_size(fapl.get(), 1 << 20);
  H5Pset_sieve_buf_size(fapl.get(), 1 << 20);
  // A metadata cache big enough for the many small objects of a large sweep (default: 2 MiB).
  H5AC_cache_config_t cache;
  cache.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  if (H5Pget_mdc_config(fapl.get(), &cache) >= 0) {
    cache.set_initial_size = true;
    cache.initial_size = 32 << 20;
    cache.min_size = 16 << 20;
    cache.max_size = 32 << 20;
    H5Pset_mdc_config(fapl.get(), &cache);
  }
  H5Id fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  H5Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose);
  if (!file.ok()) {
    const int e = errno;
    return Status::IOError(path + ": cannot create the HDF5 file" +
                           (e ? std::string(": ") + std::strerror(e) : ""));
  }
  return file;
}

hid_t StoreGroupProps() {
  static const hid_t props = [] {
    const hid_t p = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_attr_phase_change(p, 1000, 900);
    H5Pset_obj_track_times(p, 0);
    return p;
  }();
  return props;
}

hid_t StoreDatasetProps() {
  static const hid_t props = [] {
    const hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(p, 0);
    return p;
  }();
  return props;
}

Result<H5Id> OpenH5File(const std::string& path, bool writable) {
  SilenceHdf5Errors();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (std::filesystem::is_directory(path, ec))
    return Status::InvalidInput(path + ": is a directory, not a result file");
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 <= 0)
    return Status::InvalidInput(path + ": not a readable HDF5 file (truncated or damaged?)");
  H5Id file(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.ok())
    return Status::InvalidInput(path + ": not a readable HDF5 file (truncated or damaged?)");
  return file;
}

}  // namespace fai
