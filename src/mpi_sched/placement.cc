#include "mpi_sched/placement.h"

namespace fai {

int ChooseWorker(const SlotLedger& ledger, const Resources& request, const std::vector<uint64_t>& input_bytes) {
  int nearest = -1;
  int least_loaded = -1;
  for (size_t i = 0; i < ledger.size(); ++i) {
    const int w = static_cast<int>(i);
    if (!ledger.FitsNow(w, request)) continue;
    const uint64_t bytes = w < static_cast<int>(input_bytes.size()) ? input_bytes[w] : 0;
    if (bytes > 0 && (nearest < 0 || bytes > input_bytes[nearest] ||
                      (bytes == input_bytes[nearest] && ledger.Load(w) < ledger.Load(nearest))))
      nearest = w;
    if (least_loaded < 0 || ledger.Load(w) < ledger.Load(least_loaded)) least_loaded = w;
  }
  return nearest >= 0 ? nearest : least_loaded;
}

}  // namespace fai
