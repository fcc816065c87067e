#include "io/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <utility>

#include "common/file_io.h"

namespace fai {

namespace {

constexpr char kMagic[8] = {'F', 'A', 'I', 'J', 'R', 'N', 'L', '\n'};
constexpr uint32_t kVersion = 1;
constexpr uint64_t kFrameBytes = 4 + 8 + 4;  // type, length, crc
// A record longer than this is taken for damage rather than allocated.
constexpr uint64_t kMaxRecordBytes = uint64_t{1} << 40;

void PutLe(std::string* out, uint64_t x, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}
uint64_t GetLe(const char* p, int bytes) {
  uint64_t x = 0;
  for (int i = bytes - 1; i >= 0; --i) x = (x << 8) | static_cast<unsigned char>(p[i]);
  return x;
}

std::string Header() {
  std::string h(kMagic, sizeof kMagic);
  PutLe(&h, kVersion, 4);
  PutLe(&h, 0, 4);
  return h;
}

uint32_t Crc(std::string_view frame_start, std::string_view payload) {
  boost::crc_32_type crc;
  crc.process_bytes(frame_start.data(), frame_start.size());
  crc.process_bytes(payload.data(), payload.size());
  return crc.checksum();
}

std::string Errno(const std::string& path, const char* what) {
  return path + ": " + what + ": " + std::strerror(errno);
}

Status SyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Status::IOError(Errno(dir.string(), "cannot open directory"));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0 && errno != EINVAL) return Status::IOError(Errno(dir.string(), "fsync failed"));
  return Status::OK();
}

std::string Encode(const JournalRecord& record) {
  return std::visit([](const auto& r) { return ToBytes(r); }, record);
}

bool Decode(uint32_t type, std::string_view payload, JournalRecord* record) {
  try {
    switch (type) {
      case 1: {
        JournalRunStart r;
        FromBytes(payload, &r);
        *record = std::move(r);
        return true;
      }
      case 2: {
        JournalTask r;
        FromBytes(payload, &r);
        *record = std::move(r);
        return true;
      }
      case 3: {
        JournalRunEnd r;
        FromBytes(payload, &r);
        *record = std::move(r);
        return true;
      }
      default:
        return false;
    }
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::string JournalPathFor(const std::string& output) { return output + ".journal"; }

// ---------------------------------------------------------------------------------------------
// Writer

namespace {
double SteadyNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

JournalWriter::JournalWriter(std::string path, int fd, JournalSyncOptions sync)
    : path_(std::move(path)), fd_(fd), sync_options_(sync) {
  if (sync_options_.group_window_s > 0) syncer_ = std::thread([this] { SyncLoop(); });
}

Result<std::unique_ptr<JournalWriter>> JournalWriter::Open(const std::string& path,
                                                           JournalSyncOptions sync) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(Errno(path, "cannot open the journal"));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::InvalidInput(
        path + ": another fai-sweep run is writing this output (its journal is locked)");
  }
  std::unique_ptr<JournalWriter> writer(new JournalWriter(path, fd, sync));
  struct stat st;
  if (::fstat(fd, &st) != 0) return Status::IOError(Errno(path, "stat failed"));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > 0) {
    char head[kJournalHeaderBytes] = {};
    const ssize_t n = ::pread(fd, head, sizeof head, 0);
    const size_t got = n > 0 ? static_cast<size_t>(n) : 0;
    if (std::memcmp(head, kMagic, std::min<size_t>(got, sizeof kMagic)) != 0)
      return Status::InvalidInput(path +
                                  ": not a fai-sweep journal; move it away or rerun with --fresh");
    if (got == sizeof head && GetLe(head + 8, 4) != kVersion)
      return Status::InvalidInput(path + ": journal version " + std::to_string(GetLe(head + 8, 4)) +
                                  " is not supported by this fai-sweep; rerun with --fresh");
    if (got == sizeof head) {
      writer->size_ = size;
      if (::lseek(fd, 0, SEEK_END) < 0) return Status::IOError(Errno(path, "seek failed"));
      return writer;
    }
  }
  // New, empty, or cut inside its header: start it.
  if (Status s = writer->Reset(); !s.ok()) return s;
  if (Status s = SyncDirectoryOf(path); !s.ok()) return s;
  return writer;
}

JournalWriter::~JournalWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  (void)Sync();
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Status JournalWriter::DoSync() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_ = false;
  }
  const int rc = ::fdatasync(fd_);
  const int e = errno;
  std::lock_guard<std::mutex> lock(mu_);
  last_sync_end_ = SteadyNow();
  if (rc != 0) {
    errno = e;
    sync_error_ = Status::IOError(Errno(path_, "fdatasync failed"));
    return sync_error_;
  }
  return Status::OK();
}

void JournalWriter::SyncLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || dirty_; });
    if (stop_) return;
    // Coalesce: the next fdatasync no sooner than one window after the previous one ended.
    const double due = last_sync_end_ + sync_options_.group_window_s;
    wake_.wait_for(lock, std::chrono::duration<double>(std::max(0.0, due - SteadyNow())),
                   [&] { return stop_; });
    if (stop_) return;
    if (!dirty_) continue;
    lock.unlock();
    (void)DoSync();
    lock.lock();
  }
}

Status JournalWriter::Sync() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!dirty_) return sync_error_;
  }
  return DoSync();
}

Status JournalWriter::TruncateTo(uint64_t bytes) {
  if (::ftruncate(fd_, static_cast<off_t>(bytes)) != 0)
    return Status::IOError(Errno(path_, "truncate failed"));
  if (::lseek(fd_, static_cast<off_t>(bytes), SEEK_SET) < 0)
    return Status::IOError(Errno(path_, "seek failed"));
  if (::fdatasync(fd_) != 0) return Status::IOError(Errno(path_, "fdatasync failed"));
  size_ = bytes;
  return Status::OK();
}

Status JournalWriter::Reset() {
  if (::ftruncate(fd_, 0) != 0) return Status::IOError(Errno(path_, "truncate failed"));
  if (::lseek(fd_, 0, SEEK_SET) < 0) return Status::IOError(Errno(path_, "seek failed"));
  size_ = 0;
  if (Status s = WriteAll(fd_, path_, Header()); !s.ok()) return s;
  if (::fsync(fd_) != 0) return Status::IOError(Errno(path_, "fsync failed"));
  size_ = kJournalHeaderBytes;
  return Status::OK();
}

Result<uint64_t> JournalWriter::Append(const JournalRecord& record) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!sync_error_.ok()) return sync_error_;
  }
  const std::string payload = Encode(record);
  std::string frame;
  frame.reserve(kFrameBytes + payload.size());
  PutLe(&frame, static_cast<uint32_t>(record.index() + 1), 4);
  PutLe(&frame, payload.size(), 8);
  const uint32_t crc = Crc(frame, payload);
  PutLe(&frame, crc, 4);
  frame += payload;
  const uint64_t offset = size_;
  Status s = WriteAll(fd_, path_, frame);
  if (!s.ok()) {
    // Cut the partial record off so the journal stays clean (a reader would stop there anyway).
    if (::ftruncate(fd_, static_cast<off_t>(offset)) == 0)
      ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET);
    return s;
  }
  size_ += frame.size();
  bool was_dirty = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    was_dirty = std::exchange(dirty_, true);
  }
  if (sync_options_.group_window_s <= 0) {
    if (Status synced = DoSync(); !synced.ok()) return synced;
  } else if (!was_dirty) {
    wake_.notify_one();  // the sync thread waits for a first record; later ones share its sync
  }
  return offset;
}

// ---------------------------------------------------------------------------------------------
// Reader

Result<std::unique_ptr<JournalReader>> JournalReader::Open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such journal");
  std::unique_ptr<JournalReader> reader(new JournalReader());
  reader->path_ = path;
  reader->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader->fd_ < 0) return Status::IOError(Errno(path, "cannot open the journal"));
  reader->RefreshSize();
  char head[kJournalHeaderBytes] = {};
  const size_t got = reader->Read(0, sizeof head, head);
  if (std::memcmp(head, kMagic, std::min<size_t>(got, sizeof kMagic)) != 0)
    return Status::InvalidInput(path + ": not a fai-sweep journal");
  if (got < sizeof head) {  // empty, or cut inside its header: no records
    reader->valid_bytes_ = reader->position_ = reader->file_bytes_;
    return reader;
  }
  if (GetLe(head + 8, 4) != kVersion)
    return Status::InvalidInput(path + ": journal version " + std::to_string(GetLe(head + 8, 4)) +
                                " is not supported");
  reader->valid_bytes_ = reader->position_ = kJournalHeaderBytes;
  return reader;
}

JournalReader::~JournalReader() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalReader::RefreshSize() {
  struct stat st;
  if (::fstat(fd_, &st) == 0) file_bytes_ = static_cast<uint64_t>(st.st_size);
}

size_t JournalReader::Read(uint64_t offset, size_t n, char* out, bool buffered) {
  if (!buffered || n >= kReadAhead) {
    size_t done = 0;
    while (done < n) {
      const ssize_t r = ::pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      done += static_cast<size_t>(r);
    }
    return done;
  }
  if (offset < buffer_start_ || offset + n > buffer_start_ + buffer_.size()) {
    buffer_.resize(kReadAhead);
    const size_t got = Read(offset, kReadAhead, buffer_.data(), /*buffered=*/false);
    buffer_.resize(got);
    buffer_start_ = offset;
  }
  const size_t avail =
      offset >= buffer_start_ + buffer_.size() ? 0 : buffer_start_ + buffer_.size() - offset;
  const size_t take = std::min(n, avail);
  std::memcpy(out, buffer_.data() + (offset - buffer_start_), take);
  return take;
}

int JournalReader::ReadRecord(uint64_t offset, bool buffered, JournalRecord* record, uint64_t* end,
                              std::string* problem) {
  char frame[kFrameBytes];
  const size_t got = Read(offset, sizeof frame, frame, buffered);
  if (got == 0) return 0;
  const std::string at = "at byte " + std::to_string(offset);
  if (got < sizeof frame) {
    *problem = "a record cut short " + at + " (" + std::to_string(got) + " bytes of its frame)";
    return -1;
  }
  const uint32_t type = static_cast<uint32_t>(GetLe(frame, 4));
  const uint64_t length = GetLe(frame + 4, 8);
  const uint32_t crc = static_cast<uint32_t>(GetLe(frame + 12, 4));
  if (type < 1 || type > 3 || length > kMaxRecordBytes) {
    *problem = "a damaged record " + at + " (bad frame)";
    return -1;
  }
  if (offset + kFrameBytes + length > file_bytes_) RefreshSize();
  if (offset + kFrameBytes + length > file_bytes_) {
    *problem = "a record cut short " + at + " (" +
               std::to_string(file_bytes_ - offset - kFrameBytes) + " of " +
               std::to_string(length) + " bytes)";
    return -1;
  }
  std::string payload(length, '\0');
  if (Read(offset + kFrameBytes, length, payload.data(), buffered) < length) {
    *problem = "a record cut short " + at;
    return -1;
  }
  if (Crc(std::string_view(frame, 12), payload) != crc) {
    *problem = "a record with a bad checksum " + at;
    return -1;
  }
  if (!Decode(type, payload, record)) {
    *problem = "a record that does not decode " + at;
    return -1;
  }
  *end = offset + kFrameBytes + length;
  return 1;
}

bool JournalReader::Next(JournalRecord* record, uint64_t* offset) {
  if (!tail_problem_.empty()) return false;
  if (position_ >= file_bytes_) RefreshSize();  // a live journal grows
  if (position_ >= file_bytes_) return false;
  std::string problem;
  uint64_t end = 0;
  const int rc = ReadRecord(position_, /*buffered=*/true, record, &end, &problem);
  if (rc <= 0) {
    if (rc < 0)
      tail_problem_ =
          problem + "; " + std::to_string(file_bytes_ - valid_bytes_) + " bytes ignored";
    buffer_.clear();
    return false;
  }
  *offset = position_;
  position_ = valid_bytes_ = end;
  return true;
}

void JournalReader::ForgetTailProblem() { tail_problem_.clear(); }

Result<JournalRecord> JournalReader::ReadAt(uint64_t offset) {
  JournalRecord record;
  std::string problem;
  uint64_t end = 0;
  if (ReadRecord(offset, /*buffered=*/false, &record, &end, &problem) != 1)
    return Status::IOError(
        path_ + ": cannot read back " +
        (problem.empty() ? "the record at byte " + std::to_string(offset) : problem));
  return record;
}

}  // namespace fai
