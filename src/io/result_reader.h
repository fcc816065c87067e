// ResultReader: reads a result file written by ResultWriter, for `fai-sweep show`, `export` and
// `status`. Opening checks that the file is a readable HDF5 file; a truncated or damaged one is
// refused with a message naming it. Not thread-safe.
#ifndef FAI_IO_RESULT_READER_H_
#define FAI_IO_RESULT_READER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "fai/value.h"
#include "io/h5_id.h"
#include "io/result_writer.h"
#include "io/summary_table.h"

namespace fai {

// Everything saved for one combination.
struct ComboResults {
  std::string id;
  Dict params;   // swept params (the group's attributes)
  Dict summary;  // its /summary row: status, wall_s, error, metrics
  std::vector<std::pair<std::string, Dict>> modules;  // module id -> its saved outputs
};

class ResultReader {
 public:
  // NotFound when there is no such file; InvalidInput when it is not a readable result file.
  static Result<std::unique_ptr<ResultReader>> Open(const std::string& path);
  ResultReader(const ResultReader&) = delete;
  ResultReader& operator=(const ResultReader&) = delete;

  Result<SummaryTable> ReadSummary() const;
  Result<ResultRunInfo> ReadRunInfo() const;
  // The combination whose id is `id`, or the only one starting with it. NotFound otherwise
  // (InvalidInput when the prefix is ambiguous).
  Result<ComboResults> ReadCombo(const std::string& id) const;

  const std::string& path() const { return path_; }

 private:
  ResultReader(std::string path, H5Id file) : path_(std::move(path)), file_(std::move(file)) {}
  std::string path_;
  H5Id file_;
};

}  // namespace fai

#endif  // FAI_IO_RESULT_READER_H_
