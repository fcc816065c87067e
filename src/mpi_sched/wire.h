// Wire messages between ranks: an enum of tags and small structs serialised with
// Boost.Serialization (ToBytes / FromBytes). Batches carry many tasks or completions in one
// message, so a busy sweep sends few, larger messages.
//
// Flow: each worker sends kHello with its capacity; the master sends kRun batches; workers fetch
// inputs they lack straight from the worker holding them (kFetch → kObjects, never through rank 0),
// run the tasks and send kDone batches with the outputs the master asked to be shipped; the master
// sends kFree when the last consumer of an output has run, and kShutdown at the end.
#ifndef FAI_MPI_SCHED_WIRE_H_
#define FAI_MPI_SCHED_WIRE_H_

#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/split_member.hpp>

#include "common/value_serialization.h"
#include "fai/value.h"
#include "mpi_sched/slot_ledger.h"

namespace fai {

enum class Tag : int {
  kHello = 1,     // worker -> master: WorkerHello
  kRun = 2,       // master -> worker: RunBatch
  kDone = 3,      // worker -> master: DoneBatch
  kFetch = 4,     // worker -> holder: FetchRequest
  kObjects = 5,   // holder -> worker: ObjectBatch
  kFree = 6,      // master -> worker: FreeObjects
  kShutdown = 7,  // master -> worker: empty
  kSubmit = 8,    // worker -> master: SubmitRequest (a task calling remote())
  kSubmitted = 9, // master -> worker: SubmitReply
  kGet = 10,      // worker -> master: GetRequest (a task calling get())
  kGetReply = 11, // master -> worker: GetReply
};

using ObjectId = uint64_t;  // the id of the task whose outputs the object holds
constexpr uint64_t kNoTask = ~uint64_t{0};

struct WorkerHello {
  WorkerCapacity capacity;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & capacity.rank & capacity.host & capacity.cpus & capacity.gpu_ids & capacity.memory_bytes;
  }
};

// One input of a task: port <- output `output` of object `object`.
struct InputBinding {
  std::string port;
  ObjectId object = 0;
  std::string output;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & port & object & output;
  }
};

struct ObjectLocation {
  ObjectId object = 0;
  int holder = 0;  // rank
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & object & holder;
  }
};

// What a worker needs to run one task.
struct TaskOrder {
  uint64_t task = 0;
  std::string type;                    // module type
  std::string module_id;               // canvas module id ("" for API calls)
  Dict params;
  std::vector<InputBinding> inputs;
  std::vector<ObjectLocation> fetch;   // inputs this worker lacks, and where they are
  double cpus = 1;
  std::vector<int> gpus;               // physical device ids granted
  uint64_t memory_bytes = 0;
  bool ship_all = false;               // send every output back to the master
  bool ship_scalars = true;            // send scalar and map outputs back
  std::vector<std::string> ship;       // further output ports to send back
  uint64_t ship_below_bytes = 0;       // also send back any output smaller than this
  std::string combo_id;
  std::string work_dir;
  std::string canvas_dir;              // absolute directory of canvas.json
  double timeout_s = 0;
  bool isolate = false;                // run in a child process
  uint64_t after = kNoTask;            // queued: starts when this task ends here, in its reservation
  int retries = 0;                     // reruns after a system failure (master side)
  bool retry_on_error = false;         // errors are rerun too (master side)
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & task & type & module_id & params & inputs & fetch & cpus & gpus & memory_bytes & ship_all & ship_scalars &
        ship & ship_below_bytes & combo_id & work_dir & canvas_dir & timeout_s & isolate & after;
  }
};

// The master sends the orders it holds (`outgoing`: not copied into the message's struct); the
// worker reads them into `tasks`.
struct RunBatch {
  std::vector<TaskOrder> tasks;
  std::vector<const TaskOrder*> outgoing;
  template <class A>
  void save(A& ar, unsigned) const {
    const uint64_t n = outgoing.size();
    ar << n;
    for (const TaskOrder* order : outgoing) ar << *order;
  }
  template <class A>
  void load(A& ar, unsigned) {
    uint64_t n = 0;
    ar >> n;
    tasks.resize(n);
    for (TaskOrder& order : tasks) ar >> order;
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

struct TaskDone {
  uint64_t task = 0;
  bool ok = true;
  uint8_t failure = 0;                 // FailureKind
  std::string error;
  double start_s = 0;                  // seconds since the worker started
  double wall_s = 0;
  uint64_t output_bytes = 0;           // size of the object now held by the worker
  Dict shipped;                        // outputs sent back (see TaskOrder::ship*)
  std::vector<ObjectId> fetched;       // objects this worker now also holds
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & task & ok & failure & error & start_s & wall_s & output_bytes & shipped & fetched;
  }
};

struct DoneBatch {
  std::vector<TaskDone> done;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & done;
  }
};

struct FetchRequest {
  std::vector<ObjectId> objects;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & objects;
  }
};

struct ObjectBatch {
  std::vector<ObjectId> ids;
  std::vector<Dict> objects;           // absent ones are reported in `missing`
  std::vector<ObjectId> missing;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & ids & objects & missing;
  }
};

struct FreeObjects {
  std::vector<ObjectId> objects;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & objects;
  }
};

// A task running on a worker submits another (nested remote()).
struct SubmitRequest {
  uint64_t request = 0;                // the worker's id for the reply
  TaskOrder order;
  double num_cpus = 1;
  double num_gpus = 0;
  uint64_t memory_bytes = 0;
  std::vector<ObjectId> deps;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & request & order & num_cpus & num_gpus & memory_bytes & deps;
  }
};

struct SubmitReply {
  uint64_t request = 0;
  uint64_t task = 0;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & request & task;
  }
};

// A task running on a worker waits for an object (nested get()); its CPU slot is returned until
// the object is ready and a slot is free again.
struct GetRequest {
  uint64_t request = 0;
  uint64_t waiting_task = 0;           // the task calling get()
  ObjectId object = 0;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & request & waiting_task & object;
  }
};

struct GetReply {
  uint64_t request = 0;
  ObjectId object = 0;
  bool ok = true;
  int holder = -1;                     // a rank holding the object (ok)
  std::string function;                // what failed, where, and why (!ok)
  int rank = -1;
  std::string error;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & request & object & ok & holder & function & rank & error;
  }
};

}  // namespace fai

// Messages are read by the same build that wrote them: no class versions, no object tracking
// (each costs a lookup per object written).
#define FAI_WIRE_PLAIN(T)                                                            \
  BOOST_CLASS_IMPLEMENTATION(T, boost::serialization::object_serializable)          \
  BOOST_CLASS_TRACKING(T, boost::serialization::track_never)
FAI_WIRE_PLAIN(fai::WorkerHello)
FAI_WIRE_PLAIN(fai::InputBinding)
FAI_WIRE_PLAIN(fai::ObjectLocation)
FAI_WIRE_PLAIN(fai::TaskOrder)
FAI_WIRE_PLAIN(fai::RunBatch)
FAI_WIRE_PLAIN(fai::TaskDone)
FAI_WIRE_PLAIN(fai::DoneBatch)
FAI_WIRE_PLAIN(fai::FetchRequest)
FAI_WIRE_PLAIN(fai::ObjectBatch)
FAI_WIRE_PLAIN(fai::FreeObjects)
FAI_WIRE_PLAIN(fai::SubmitRequest)
FAI_WIRE_PLAIN(fai::SubmitReply)
FAI_WIRE_PLAIN(fai::GetRequest)
FAI_WIRE_PLAIN(fai::GetReply)
#undef FAI_WIRE_PLAIN

#endif  // FAI_MPI_SCHED_WIRE_H_
