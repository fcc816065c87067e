// Writing to file descriptors: the loop every caller of write(2) needs; making directories.
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

// Creates directory `path` and its parents (as mkdir -p) for many unrelated subdirectories, and
// asks the filesystem to spread those over the disk: the "T" attribute (FS_TOPDIR_FL, chattr +T),
// which ext2/3/4 honour and other filesystems may refuse (it is only a hint, and its absence no
// error). ext4 then puts each subdirectory in a block group with inodes to spare instead of next
// to the last one.
Status CreateTopDirectory(const std::string& path);

}  // namespace fai

#endif  // FAI_COMMON_FILE_IO_H_
