// Writing to file descriptors: the loop every caller of write(2) needs.
#ifndef FAI_COMMON_FILE_IO_H_
#define FAI_COMMON_FILE_IO_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace fai {

// Writes all of `bytes` to `fd` (retrying short writes and EINTR). On failure an IOError naming
// `path` and the reason (errno).
Status WriteAll(int fd, const std::string& path, std::string_view bytes);

// Creates or truncates `path` and writes `text` into it. With `replaced`, tells whether the file
// existed before.
Status WriteWholeFile(const std::string& path, std::string_view text, bool* replaced = nullptr);

}  // namespace fai

#endif  // FAI_COMMON_FILE_IO_H_
