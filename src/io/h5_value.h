// Storing fai::Values in HDF5 groups, and reading them back.
//
// A Value is stored under a name inside a group, in the form a Python user would expect from
// h5py:
//   null, bool, int, double, string  -> an attribute of the group (bool as h5py's enum bool,
//                                       strings as UTF-8; a string over 16 KiB as a scalar dataset)
//   map of scalars (a metrics dict)   -> a scalar compound dataset, one field per key, so
//                                       `ds["sharpe"]` reads one entry and `ds[()]` all of them
//   any other dict                    -> a subgroup, each entry stored the same way
//   list of all ints / doubles / bools / strings -> a 1-D dataset; any other list -> a subgroup
//                                       marked `fai.kind = "list"` with entries "0", "1", ...
//   matrix                            -> a 2-D float64 dataset, rows x cols
//   table                             -> a 1-D compound dataset (float64 and UTF-8 string fields),
//                                       so `pd.DataFrame(ds[()])` is the table
//   blob                              -> a 1-D uint8 dataset with attribute `fai.blob_type`
// Names that HDF5 cannot hold ("/", ".", "") are escaped with %XX. Attributes whose names start
// with "fai." are the store's own markers, never values.
//
// ReadH5Group is the inverse: every value stored in a group comes back exactly (same kind, same
// bits), except that a list written as an empty dataset reads back as an empty list.
// Not thread-safe (HDF5 is used from one thread).
#ifndef FAI_IO_H5_VALUE_H_
#define FAI_IO_H5_VALUE_H_

#include <hdf5.h>

#include <string>
#include <string_view>

#include "common/status.h"
#include "fai/value.h"

namespace fai {

// Stores `value` as entry `name` of the open group (or file) `group`.
Status WriteH5Value(hid_t group, std::string_view name, const Value& value);

// Stores `value` as an attribute `name` of the object `object` (a group or dataset).
// REQUIRES: value.is_scalar().
Status WriteH5Attribute(hid_t object, std::string_view name, const Value& value);

// Every value stored in `group` by WriteH5Value (attributes and children), by name.
Result<Dict> ReadH5Group(hid_t group);

// The attribute `name` of `object` as a scalar Value.
Result<Value> ReadH5Attribute(hid_t object, std::string_view name);

// The escaped HDF5 name for a key, and back.
std::string EscapeH5Name(std::string_view key);
std::string UnescapeH5Name(std::string_view name);

}  // namespace fai

#endif  // FAI_IO_H5_VALUE_H_
