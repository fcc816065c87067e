// Opening and creating HDF5 files with the store's settings and clear error messages.
// Internal to src/io.
#ifndef FAI_IO_H5_FILE_H_
#define FAI_IO_H5_FILE_H_

#include <string>

#include "common/status.h"
#include "io/h5_id.h"

namespace fai {

// Creates (truncating) an HDF5 file for writing: format bounds 1.8..latest (compact groups,
// large attributes), metadata aggregated in 1 MiB blocks. IOError on failure.
Result<H5Id> CreateH5File(const std::string& path);

// Group creation properties for every group the store writes: attributes stay in the object
// header (compact) up to 1000 of them, instead of each group growing its own heap and B-tree
// past 8 (2.5x smaller files for groups of metrics); no modification times (they would make
// two runs' files differ and cost a header update per change). Owned by the library.
hid_t StoreGroupProps();
// Dataset creation properties for small write-once datasets: contiguous, no modification times.
hid_t StoreDatasetProps();

// Opens an existing HDF5 file read-only (or read-write). NotFound when it does not exist;
// InvalidInput naming the file when it is not a readable HDF5 file (truncated or damaged).
Result<H5Id> OpenH5File(const std::string& path, bool writable = false);

}  // namespace fai

#endif  // FAI_IO_H5_FILE_H_
