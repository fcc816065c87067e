// Reading and writing fai::Tables as one HDF5 compound dataset: a 1-D dataset with one row per
// table row and one compound member per column. Numeric members (any integer or float type) read
// as doubles; string members (fixed-length, as numpy's "S10" writes them, or variable-length) read
// as text. Writing uses IEEE doubles and variable-length UTF-8 strings. h5py makes such a file with
//   h5py.File(path, "w")["panel"] = numpy_structured_array
//
// Debian's HDF5 is the serial, non-thread-safe build: these functions serialise their own HDF5
// calls with a process-wide mutex, but other HDF5 users in the process are not covered.
#ifndef FAI_CANVAS_MODULES_HDF5_TABLE_H_
#define FAI_CANVAS_MODULES_HDF5_TABLE_H_

#include <string>

#include "common/status.h"
#include "fai/value.h"

namespace fai::quant {

// NotFound when the file or dataset is missing; InvalidInput when the dataset is not a 1-D
// compound dataset or holds a member of another class (enum, array, ...).
Result<Table> ReadHdf5Table(const std::string& path, const std::string& dataset);
// Creates (truncating) `path` with `table` as `dataset`. IOError on failure.
Status WriteHdf5Table(const Table& table, const std::string& path, const std::string& dataset);

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_HDF5_TABLE_H_
