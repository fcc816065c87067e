#include "fai/task_failure.h"

namespace fai {

const char* FailureKindName(FailureKind kind) {
  switch (kind) {
    case FailureKind::kNone: return "";
    case FailureKind::kError: return "error";
    case FailureKind::kSignal: return "signal";
    case FailureKind::kTimeout: return "timeout";
    case FailureKind::kLost: return "lost";
  }
  return "";
}

}  // namespace fai
