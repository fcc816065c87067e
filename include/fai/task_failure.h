// TaskFailure: an exception a module (or the runtime running it) throws to say how a task
// failed, so the runtime can tell errors from system failures. Any other exception counts as
// an error. `retries` reruns system failures (signal, timeout, lost worker) and, with
// `retry_on_error`, errors too.
#ifndef FAI_TASK_FAILURE_H_
#define FAI_TASK_FAILURE_H_

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fai {

enum class FailureKind : uint8_t {
  kNone = 0,
  kError = 1,    // an exception or a non-zero exit
  kSignal = 2,   // killed by a signal (a crash)
  kTimeout = 3,  // ran past its timeout
  kLost = 4,     // its worker or an input was lost
};

// "error", "signal", "timeout", "lost" ("" for kNone).
const char* FailureKindName(FailureKind kind);

// True for the kinds `retries` reruns without `retry_on_error`.
inline bool IsSystemFailure(FailureKind kind) {
  return kind == FailureKind::kSignal || kind == FailureKind::kTimeout || kind == FailureKind::kLost;
}

class TaskFailure : public std::runtime_error {
 public:
  TaskFailure(FailureKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  FailureKind kind() const { return kind_; }

 private:
  FailureKind kind_;
};

}  // namespace fai

#endif  // FAI_TASK_FAILURE_H_
