// The runtime side of the C++ API (include/fai/runtime.h).
//
// ApiClient is what remote()/get()/put()/wait() talk to: on rank 0 the MasterApi (requests go to
// the master's loop through a queue), inside a task on a worker the WorkerApi (requests go to the
// worker's communication thread, which forwards them to the master). Remote calls run as tasks of
// the built-in types `fai.call` and `fai.put`, so they go through the same scheduler, ledger and
// object store as sweep tasks.
#ifndef FAI_MPI_SCHED_API_CLIENT_H_
#define FAI_MPI_SCHED_API_CLIENT_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fai/module.h"
#include "fai/runtime.h"
#include "mpi_sched/master.h"
#include "mpi_sched/wire.h"

namespace fai {

class ApiClient {
 public:
  virtual ~ApiClient() = default;
  // Adds a task; returns its id (the id of its Ref).
  virtual uint64_t Submit(TaskOrder order, const Resources& request, std::vector<ObjectId> deps) = 0;
  // The bytes of the object's `result`. Throws TaskError when its task failed.
  virtual std::string Get(ObjectId object) = 0;
  virtual std::vector<uint64_t> Wait(const std::vector<uint64_t>& ids, size_t n, double timeout_s) = 0;
};

// Registers `fai.call` and `fai.put` (the task types of remote calls) into `registry`.
void RegisterApiModules(ModuleRegistry* registry);

// Inside a task on a worker: the client for nested calls, and which task is calling.
void SetTaskApi(ApiClient* client, uint64_t task);

// The worker's side of nested calls. Task threads block in Submit/Get; the communication thread
// moves messages (TakeOutbox, OnSubmitted, OnGetReply, OnObject). Thread-safe.
class WorkerApi : public ApiClient {
 public:
  // `wake` tells the communication thread that the outbox has something.
  explicit WorkerApi(std::function<void()> wake) : wake_(std::move(wake)) {}
  uint64_t Submit(TaskOrder order, const Resources& request, std::vector<ObjectId> deps) override;
  std::string Get(ObjectId object) override;
  std::vector<uint64_t> Wait(const std::vector<uint64_t>& ids, size_t n, double timeout_s) override;

  // Communication thread.
  std::vector<std::pair<Tag, std::string>> TakeOutbox();
  void OnSubmitted(const SubmitReply& reply);
  // Returns the rank to fetch the object from, or -1 when nothing needs fetching.
  int OnGetReply(const GetReply& reply, const std::shared_ptr<const Dict>& local);
  void OnObject(ObjectId object, const Dict& value);

 private:
  const std::function<void()> wake_;
  std::mutex mu_;
  uint64_t next_request_ = 1;
  std::vector<std::pair<Tag, std::string>> outbox_;
  std::map<uint64_t, std::promise<uint64_t>> submits_;
  std::map<uint64_t, std::promise<std::string>> gets_;         // by request
  std::multimap<ObjectId, uint64_t> gets_by_object_;           // awaiting a fetch
};

// Rank 0's side: program threads call it; the master's thread serves it in Serve().
class MasterApi : public ApiClient {
 public:
  explicit MasterApi(Master* master)
      : master_(master), first_id_(master->scheduler().size()), next_id_(first_id_) {}
  uint64_t Submit(TaskOrder order, const Resources& request, std::vector<ObjectId> deps) override;
  std::string Get(ObjectId object) override;
  std::vector<uint64_t> Wait(const std::vector<uint64_t>& ids, size_t n, double timeout_s) override;

  // Runs the master's loop until `done` is set and every task has ended.
  void Serve(const std::atomic<bool>& done);

 private:
  // Queues a request for the master's thread (mu_ held), waking it when it sleeps.
  void Request(std::function<void()> request);
  // Queues a submission and returns the id the scheduler will give it.
  uint64_t Enqueue(TaskOrder order, const Resources& request, std::vector<ObjectId> deps);
  void HandleResult(TaskResult&& r);
  void HandleMessage(Envelope& env);
  void Answer(ObjectId object);
  void RetryBlocked();

  // What is known of one call (task) made through this API.
  struct Call {
    std::string function;
    bool finished = false;
    bool ok = false;
    int rank = -1;
    std::string error;
    std::optional<std::string> result;            // a small result shipped back
  };
  // The call with this id, or nullptr (mu_ held).
  Call* Find(ObjectId id);

  Master* master_;
  const uint64_t first_id_;                       // the id of calls_[0]
  uint64_t next_id_;                              // the id the next queued task will get (mu_)
  std::mutex mu_;
  std::condition_variable cv_;                    // a task finished (for Wait)
  std::deque<std::function<void()>> requests_;    // run on the master's thread, in order
  bool serve_sleeping_ = false;                   // Serve waits: a request must Wake it (mu_)
  std::deque<Call> calls_;                        // by id - first_id_ (ids are dense); mu_
  // Gets waiting for an object: local promises and workers' requests.
  std::multimap<ObjectId, std::shared_ptr<std::promise<std::string>>> local_gets_;
  std::multimap<ObjectId, std::shared_ptr<std::promise<std::string>>> fetching_;
  struct RemoteGet {
    int rank;
    GetRequest request;
  };
  std::multimap<ObjectId, RemoteGet> remote_gets_;
  std::vector<RemoteGet> blocked_;                // answered once their task has a slot again
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_API_CLIENT_H_
