#include "common/file_io.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace fai {
namespace {

namespace fs = std::filesystem;

// The directory's attribute flags, or -1 when the filesystem reports none.
int Flags(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int flags = 0;
  const int rc = ::ioctl(fd, FS_IOC_GETFLAGS, &flags);
  ::close(fd);
  return rc == 0 ? flags : -1;
}

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("file_io_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Whether this filesystem keeps the "T" attribute on a directory (ext4 does, tmpfs does not).
  bool KeepsTopDir() const {
    const fs::path probe = dir_ / "probe";
    fs::create_directory(probe);
    const int fd = ::open(probe.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int flags = 0;
    bool kept = false;
    if (fd >= 0 && ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
      flags |= FS_TOPDIR_FL;
      kept = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0 && ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
             (flags & FS_TOPDIR_FL);
    }
    if (fd >= 0) ::close(fd);
    return kept;
  }

  fs::path dir_;
};

TEST_F(FileIoTest, TopDirectoryIsMadeWithItsParentsAndSpreadsItsChildrenWhereTheFilesystemCan) {
  const fs::path tasks = dir_ / "run" / "tasks";
  ASSERT_TRUE(CreateTopDirectory(tasks.string()).ok());
  EXPECT_TRUE(fs::is_directory(tasks));
  if (KeepsTopDir()) {
    EXPECT_NE(Flags(tasks) & FS_TOPDIR_FL, 0) << "the filesystem keeps the T attribute; " << tasks << " lacks it";
  } else {
    std::cout << "the filesystem of " << dir_ << " does not keep the T attribute: only the directory is checked\n";
  }
  EXPECT_TRUE(CreateTopDirectory(tasks.string()).ok());  // again: nothing to do
}

TEST_F(FileIoTest, TopDirectoryUnderAFileFailsNamingThePath) {
  const fs::path file = dir_ / "file";
  std::ofstream(file) << "x";
  const Status s = CreateTopDirectory((file / "tasks").string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find((file / "tasks").string()), std::string::npos) << s.message();
}

}  // namespace
}  // namespace fai
