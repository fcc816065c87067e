// The HDF5 library Debian ships (libhdf5-serial) is not thread-safe: every use of it from a
// process that may have more than one thread doing so (the result writer's thread on rank 0, the
// data.hdf5 module on task threads) holds this lock.
#ifndef FAI_COMMON_HDF5_LOCK_H_
#define FAI_COMMON_HDF5_LOCK_H_

#include <mutex>

namespace fai {

inline std::mutex& Hdf5Lock() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace fai

#endif  // FAI_COMMON_HDF5_LOCK_H_
