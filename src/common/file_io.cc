#include "common/file_io.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fai {

namespace {
Status Failed(const std::string& path, const char* what) {
  return Status::IOError(path + ": " + what + ": " + std::strerror(errno));
}
}  // namespace

Status WriteAll(int fd, const std::string& path, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failed(path, "write failed");
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

Status WriteWholeFile(const std::string& path, std::string_view text, bool* replaced) {
  constexpr int kFlags = O_WRONLY | O_CREAT | O_CLOEXEC;
  int fd = -1;
  if (replaced != nullptr) {
    fd = ::open(path.c_str(), kFlags | O_EXCL, 0644);
    *replaced = fd < 0 && errno == EEXIST;
  }
  if (fd < 0) fd = ::open(path.c_str(), kFlags | O_TRUNC, 0644);
  if (fd < 0) return Failed(path, "cannot create");
  Status s = WriteAll(fd, path, text);
  if (::close(fd) != 0 && s.ok()) s = Failed(path, "close failed");
  return s;
}

Status CreateTopDirectory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::IOError(path + ": cannot create the directory: " + ec.message());
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Failed(path, "cannot open the directory");
  int flags = 0;  // the kernel reads and writes an int, whatever the ioctl's declared type
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && !(flags & FS_TOPDIR_FL)) {
    flags |= FS_TOPDIR_FL;
    (void)::ioctl(fd, FS_IOC_SETFLAGS, &flags);  // a hint: refused on filesystems without it
  }
  ::close(fd);
  return Status::OK();
}

}  // namespace fai
