// Placement: which worker a ready task goes to (DESIGN §5). Plain logic over a SlotLedger.
//
// A task goes to the worker that already holds the most bytes of its inputs when the task fits
// there now; otherwise to the least loaded worker where it fits now (ties: lowest index).
// Returns -1 when it fits nowhere now (the task waits).
#ifndef FAI_MPI_SCHED_PLACEMENT_H_
#define FAI_MPI_SCHED_PLACEMENT_H_

#include <cstdint>
#include <vector>

#include "mpi_sched/slot_ledger.h"

namespace fai {

// input_bytes[w]: bytes of the task's inputs that worker w holds (may be empty: no inputs).
int ChooseWorker(const SlotLedger& ledger, const Resources& request, const std::vector<uint64_t>& input_bytes);

}  // namespace fai

#endif  // FAI_MPI_SCHED_PLACEMENT_H_
