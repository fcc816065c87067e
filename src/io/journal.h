// The write-ahead journal of a sweep (DESIGN §7 "Nothing is lost"), kept next to the result file
// as `<output>.journal`.
//
// Every finished task is appended as a record (one write(2): a process killed at any moment after
// it cannot lose it) before the driver counts it as done, and made durable against a machine crash
// by an fdatasync within JournalSyncOptions::group_window_s (group commit); a run also
// records when it starts (the canvas, grid and combinations it sweeps) and when it ends. A later
// run with the same output reads the journal back and reuses every finished task whose content key
// is still in its plan, so the journal, not the HDF5 file, is the authority: results.h5 is rebuilt
// from it at the end of each run.
//
// File format (little-endian):
//   header   "FAIJRNL\n" u32 version (1) u32 reserved
//   record*  u32 type  u64 length  u32 crc32(type bytes, length bytes, payload)  payload[length]
// Payloads are Boost.Serialization binary archives of the structs below. A record cut short by a
// crash (a torn tail) or damaged on disk fails its length or CRC check: the reader stops there
// and reports it, and the writer cuts it off before appending.
//
// One JournalWriter per journal: it holds an exclusive flock for its lifetime, so a second run on
// the same output is refused. Readers take no lock (`fai-sweep status` reads a live journal).
// Neither class is thread-safe (the writer's own background sync thread is internal).
#ifndef FAI_IO_JOURNAL_H_
#define FAI_IO_JOURNAL_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "common/content_hash.h"
#include "common/status.h"
#include "common/value_serialization.h"
#include "fai/value.h"

namespace fai {

// A run began (one per invocation that ran or reused anything).
struct JournalRunStart {
  std::string engine_version;
  std::string output;  // the result file, as given
  std::string canvas_path, grid_path;
  std::string canvas_text, grid_text;  // "" for no grid
  std::vector<std::string> save_patterns;
  bool dedup = true;
  std::vector<std::string> combos;  // combination ids, in plan order
  uint64_t total_tasks = 0;         // distinct tasks in the plan
  uint64_t reused_tasks = 0;        // finished in an earlier run, not run again
  uint64_t tasks_to_run = 0;        // submitted by this run
  double started_unix = 0;          // wall clock, seconds since the epoch
  std::string host;                 // rank 0's host name and process id
  int64_t pid = 0;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar& engine_version& output& canvas_path& grid_path& canvas_text& grid_text& save_patterns&
        dedup& combos& total_tasks& reused_tasks& tasks_to_run& started_unix& host& pid;
  }
};

// A task ended on a worker (succeeded or failed). Skipped tasks never ran and are not recorded.
struct JournalTask {
  ContentHash key;  // the task's content key K(m,c)
  std::string module_id;
  bool ok = true;
  std::string error;
  double wall_s = 0;
  double finished_unix = 0;
  int32_t rank = -1;      // where it ran
  uint32_t running = 0;   // tasks running after it ended, as the driver estimates
                          // them (for `status`)
  bool ship_all = false;  // what the driver asked to get back, beyond scalars and maps
  std::vector<std::string> ship;
  Dict outputs;  // what came back: the outputs that are saved
  template <class A>
  void serialize(A& ar, unsigned) {
    ar& key.hi& key
        .lo& module_id& ok& error& wall_s& finished_unix& rank& running& ship_all& ship& outputs;
  }
};

// A run ended (absent when it was killed).
struct JournalRunEnd {
  double finished_unix = 0;
  uint64_t succeeded = 0, failed = 0, skipped = 0;  // combinations
  bool written = false;  // the result file was written and renamed into place
  std::string message;   // why not, when it was not
  template <class A>
  void serialize(A& ar, unsigned) {
    ar& finished_unix& succeeded& failed& skipped& written& message;
  }
};

using JournalRecord = std::variant<JournalRunStart, JournalTask, JournalRunEnd>;

// The journal beside a result file.
std::string JournalPathFor(const std::string& output);

// How the writer makes records durable.
struct JournalSyncOptions {
  // A background thread fdatasyncs what was appended, at once when the previous fdatasync ended
  // at least this long ago, else when it has: the records of a sweep of short tasks share one
  // fdatasync, and the thread that appends never waits for the disk. 0: every Append syncs before
  // it returns.
  double group_window_s = 0.01;
};

class JournalWriter {
 public:
  // Opens the journal at `path` for appending, creating it (header written and made durable,
  // directory entry included) when it is absent or empty. Takes the exclusive lock: when another
  // process holds it, InvalidInput naming the file. InvalidInput too when the file is not a
  // journal (nothing is changed then).
  static Result<std::unique_ptr<JournalWriter>> Open(const std::string& path,
                                                     JournalSyncOptions sync = {});
  // Syncs what is pending and releases the lock.
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Cuts the journal to `bytes` (the end of its last good record): drops a torn tail.
  Status TruncateTo(uint64_t bytes);
  // Drops every record (--fresh).
  Status Reset();
  // Writes one record (in one write: a process killed at any moment leaves it whole or torn,
  // never interleaved) and makes it durable per JournalSyncOptions; returns the offset it starts
  // at. On failure (a full disk) the partial record is cut off again where possible, and the
  // error names the file and the reason.
  Result<uint64_t> Append(const JournalRecord& record);
  // Makes every record appended so far durable.
  Status Sync();

  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }

 private:
  JournalWriter(std::string path, int fd, JournalSyncOptions sync);
  void SyncLoop();
  // fdatasync; records the time it ended. REQUIRES: mu_ not held.
  Status DoSync();

  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  JournalSyncOptions sync_options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool dirty_ = false;  // written since the last fdatasync began
  bool stop_ = false;
  double last_sync_end_ = -1e300;  // steady clock seconds
  Status sync_error_;              // from the background thread, reported by the next Append
  std::thread syncer_;
};

class JournalReader {
 public:
  // NotFound when there is no journal; InvalidInput when the file is not a journal. An empty
  // file, or one cut inside its header, reads as a journal with no records.
  static Result<std::unique_ptr<JournalReader>> Open(const std::string& path);
  ~JournalReader();
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;

  // Reads the next record into *record (its offset into *offset). False at the clean end, or at
  // a record that is cut short or fails its checksum: tail_problem() then says which. On a live
  // journal, a later call sees records appended since.
  bool Next(JournalRecord* record, uint64_t* offset);
  // The record at `offset` (as returned by Next); IOError when it cannot be read back intact.
  Result<JournalRecord> ReadAt(uint64_t offset);

  // The end of the last good record read so far.
  uint64_t valid_bytes() const { return valid_bytes_; }
  uint64_t file_bytes() const { return file_bytes_; }
  // "" while the journal reads cleanly; else a description of the bad bytes after valid_bytes().
  const std::string& tail_problem() const { return tail_problem_; }
  // Lets Next try again at valid_bytes() (a live journal whose last record was being written).
  void ForgetTailProblem();

 private:
  static constexpr size_t kReadAhead = 1 << 20;
  JournalReader() = default;
  void RefreshSize();
  // Reads up to n bytes at offset (through the read-ahead buffer when `buffered`).
  size_t Read(uint64_t offset, size_t n, char* out, bool buffered = true);
  // The record at `offset`: 1 ok (*end set), 0 clean end, -1 bad (*problem set).
  int ReadRecord(uint64_t offset, bool buffered, JournalRecord* record, uint64_t* end,
                 std::string* problem);

  std::string path_;
  int fd_ = -1;
  std::string buffer_;
  uint64_t buffer_start_ = 0;
  uint64_t file_bytes_ = 0;
  uint64_t position_ = 0;
  uint64_t valid_bytes_ = 0;
  std::string tail_problem_;
};

// The journal's header size (the offset of its first record).
constexpr uint64_t kJournalHeaderBytes = 16;

}  // namespace fai

#endif  // FAI_IO_JOURNAL_H_
