#include "mpi_sched/worker.h"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "mpi_sched/api_client.h"
#include "mpi_sched/idle_backoff.h"
#include "mpi_sched/task_runner.h"

namespace fai {

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Job {
  TaskOrder order;
  InputObjects inputs;
};

struct Finished {
  TaskOrder order;
  TaskOutcome outcome;
  double start_s = 0;
  double wall_s = 0;
};

// Threads that run jobs. It keeps `base_threads` threads (the worker's whole CPUs) and adds one
// whenever a job has waited too long with every thread busy (tasks that block, like commands
// and sleeps, must not hold up granted tasks). A job queued behind another (TaskOrder::after)
// waits until that one ends, then runs on its thread at once, in its reservation. Finished jobs
// are collected by the communication thread; while it sleeps (Idle) it is woken through `wake`
// only when a batch is worth sending: the queue ran dry or many finished.
class TaskPool {
 public:
  TaskPool(const ModuleRegistry* registry, size_t base_threads, ApiClient* api, std::function<void()> wake)
      : registry_(registry), api_(api), wake_(std::move(wake)), base_threads_(std::max<size_t>(1, base_threads)) {}
  ~TaskPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // A task this worker accepted: what is queued behind it waits until it ends (or is dropped).
  void Expect(uint64_t task) {
    std::lock_guard<std::mutex> lock(mu_);
    unfinished_.insert(task);
  }
  // An accepted task ended without running (its inputs were lost).
  void Drop(uint64_t task) {
    std::optional<Job> next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      next = Ended(task);
    }
    if (next) Submit({std::move(*next)});
  }

  void Submit(std::vector<Job> jobs) {
    if (jobs.empty()) return;
    size_t wake = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const auto now = std::chrono::steady_clock::now();
      size_t added = 0;
      for (Job& job : jobs) {
        const uint64_t after = job.order.after;
        if (after != kNoTask && unfinished_.count(after)) {
          behind_.emplace(after, std::move(job));
        } else {
          jobs_.push_back({std::move(job), now});
          ++added;
        }
      }
      // Idle threads first (one wake-up each, not one per job), then new ones up to the base.
      wake = std::min(idle_, added);
      for (size_t n = wake; n < added && threads_.size() < base_threads_; ++n)
        threads_.emplace_back([this] { Loop(); });
    }
    if (wake == idle_) {
      work_cv_.notify_all();
    } else {
      for (size_t i = 0; i < wake; ++i) work_cv_.notify_one();
    }
  }

  // Adds a thread when the oldest queued job has waited `patience` with no thread idle. Returns
  // whether a job still waits so (the caller must look again within `patience`).
  bool GrowIfStuck(std::chrono::microseconds patience) {
    std::lock_guard<std::mutex> lock(mu_);
    if (jobs_.empty() || idle_ > 0) return false;
    if (std::chrono::steady_clock::now() - jobs_.front().queued < patience) return true;
    threads_.emplace_back([this] { Loop(); });
    return false;
  }

  std::vector<Finished> TakeFinished() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(finished_, {});
  }

  // The collector is about to sleep (true) or is awake again (false). Returns false, and stays
  // awake, when a finished job is already waiting.
  bool SetCollectorIdle(bool idle) {
    std::lock_guard<std::mutex> lock(mu_);
    collector_idle_ = idle && finished_.empty();
    return !idle || collector_idle_;
  }

 private:
  static constexpr size_t kBatch = 64;
  struct Queued {
    Job job;
    std::chrono::steady_clock::time_point queued;
  };

  // Under mu_: forgets `task`, and returns the job queued behind it, if any.
  std::optional<Job> Ended(uint64_t task) {
    unfinished_.erase(task);
    auto it = behind_.find(task);
    if (it == behind_.end()) return std::nullopt;
    Job next = std::move(it->second);
    behind_.erase(it);
    return next;
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<Job> next;  // queued behind the job that just ended: it runs at once
    while (true) {
      if (!next) {
        ++idle_;
        work_cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;  // stopping
        next = std::move(jobs_.front().job);
        jobs_.pop_front();
      }
      Job job = std::move(*next);
      next.reset();
      lock.unlock();
      Finished f;
      f.start_s = Now();
      SetTaskApi(api_, job.order.task);  // nested remote()/get() from this task
      f.outcome = RunTaskOrder(*registry_, job.order, job.inputs);
      f.wall_s = Now() - f.start_s;
      f.order = std::move(job.order);
      job.inputs.clear();
      lock.lock();
      next = Ended(f.order.task);
      finished_.push_back(std::move(f));
      if (collector_idle_ && (jobs_.empty() || finished_.size() >= kBatch)) {
        collector_idle_ = false;
        wake_();
      }
    }
  }

  const ModuleRegistry* registry_;
  ApiClient* api_;
  const std::function<void()> wake_;
  const size_t base_threads_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<Queued> jobs_;
  std::unordered_set<uint64_t> unfinished_;       // accepted tasks that have not ended
  std::unordered_map<uint64_t, Job> behind_;      // by the task each waits behind
  std::vector<Finished> finished_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool collector_idle_ = false;
  bool stopping_ = false;
};

class WorkerLoop {
 public:
  WorkerLoop(Transport* t, const ModuleRegistry* registry, const WorkerCapacity& capacity)
      : transport_(t),
        api_([t] { t->Wake(); }),
        pool_(registry, static_cast<size_t>(std::ceil(capacity.cpus)), &api_, [t] { t->Wake(); }) {}

  void Run(const WorkerCapacity& capacity) {
    transport_->SendMessage(0, Tag::kHello, WorkerHello{capacity});
    IdleBackoff backoff(transport_->wakes_on_arrival());
    while (!shutdown_ || running_ > 0) {
      bool active = false;
      Envelope env;
      while (transport_->TryReceive(&env)) {
        Handle(env);
        active = true;
      }
      std::vector<Finished> finished = pool_.TakeFinished();
      if (!finished.empty()) {
        Complete(std::move(finished));
        active = true;
      }
      for (auto& [tag, payload] : api_.TakeOutbox()) {
        transport_->Send(0, tag, std::move(payload));
        active = true;
      }
      constexpr std::chrono::microseconds kPatience(500);
      const bool stuck = pool_.GrowIfStuck(kPatience);
      transport_->Flush();
      if (active) {
        backoff.Reset();
      } else if (pool_.SetCollectorIdle(true)) {
        // Until a message, a finished batch or a nested call's request (they Wake the transport).
        transport_->Wait(stuck ? std::min(backoff.Next(), kPatience / 4) : backoff.Next());
        pool_.SetCollectorIdle(false);
      }
    }
    while (!transport_->Flush()) std::this_thread::yield();
  }

 private:
  void Handle(Envelope& env) {
    switch (env.tag) {
      case Tag::kRun: {
        RunBatch batch;
        FromBytes(env.payload, &batch);
        for (TaskOrder& order : batch.tasks) Accept(std::move(order));
        StartParked();
        break;
      }
      case Tag::kFetch: {
        FetchRequest req;
        FromBytes(env.payload, &req);
        ObjectBatch reply;
        for (ObjectId id : req.objects) {
          auto it = store_.find(id);
          if (it == store_.end()) {
            reply.missing.push_back(id);
          } else {
            reply.ids.push_back(id);
            reply.objects.push_back(*it->second);
          }
        }
        transport_->SendMessage(env.source, Tag::kObjects, reply);
        break;
      }
      case Tag::kObjects: {
        ObjectBatch batch;
        FromBytes(env.payload, &batch);
        for (size_t i = 0; i < batch.ids.size(); ++i) {
          auto object = std::make_shared<const Dict>(std::move(batch.objects[i]));
          store_[batch.ids[i]] = object;
          in_flight_.erase(batch.ids[i]);
          api_.OnObject(batch.ids[i], *object);
        }
        for (ObjectId id : batch.missing) {
          in_flight_.erase(id);
          lost_.insert(id);
        }
        StartParked();
        break;
      }
      case Tag::kFree: {
        FreeObjects f;
        FromBytes(env.payload, &f);
        for (ObjectId id : f.objects) store_.erase(id);
        break;
      }
      case Tag::kSubmitted: {
        SubmitReply reply;
        FromBytes(env.payload, &reply);
        api_.OnSubmitted(reply);
        break;
      }
      case Tag::kGetReply: {
        GetReply reply;
        FromBytes(env.payload, &reply);
        auto local = store_.find(reply.object);
        const int holder = api_.OnGetReply(reply, local == store_.end() ? nullptr : local->second);
        if (holder >= 0 && !in_flight_.count(reply.object)) {
          in_flight_.insert(reply.object);
          transport_->SendMessage(holder, Tag::kFetch, FetchRequest{{reply.object}});
        }
        break;
      }
      case Tag::kShutdown: shutdown_ = true; break;
      default: break;
    }
  }

  void Accept(TaskOrder order) {
    ++running_;
    pool_.Expect(order.task);
    std::unordered_map<int, FetchRequest> requests;
    for (const ObjectLocation& loc : order.fetch) {
      if (store_.count(loc.object) || in_flight_.count(loc.object)) continue;
      in_flight_.insert(loc.object);
      requests[loc.holder].objects.push_back(loc.object);
    }
    for (auto& [holder, req] : requests) transport_->SendMessage(holder, Tag::kFetch, req);
    parked_.push_back(std::move(order));
  }

  // Starts every parked order whose inputs are all here (or fails it when one was lost).
  void StartParked() {
    std::vector<Job> startable;
    for (auto it = parked_.begin(); it != parked_.end();) {
      bool ready = true;
      std::string lost;
      for (const InputBinding& in : it->inputs) {
        if (lost_.count(in.object)) lost = "input object " + std::to_string(in.object) + " was lost";
        if (!store_.count(in.object)) ready = false;
      }
      if (!lost.empty()) {
        Finished f;
        f.outcome.ok = false;
        f.outcome.failure = FailureKind::kLost;
        f.outcome.error = lost;
        f.order = std::move(*it);
        it = parked_.erase(it);
        const uint64_t task = f.order.task;
        Complete({std::move(f)});
        pool_.Drop(task);
        continue;
      }
      if (!ready) {
        ++it;
        continue;
      }
      Job& job = startable.emplace_back();
      for (const InputBinding& in : it->inputs) job.inputs[in.object] = store_.at(in.object);
      job.order = std::move(*it);
      it = parked_.erase(it);
    }
    pool_.Submit(std::move(startable));
  }

  void Complete(std::vector<Finished> finished) {
    DoneBatch batch;
    for (Finished& f : finished) {
      --running_;
      TaskDone d;
      d.task = f.order.task;
      d.ok = f.outcome.ok;
      d.failure = static_cast<uint8_t>(f.outcome.failure);
      d.error = std::move(f.outcome.error);
      d.start_s = f.start_s;
      d.wall_s = f.wall_s;
      for (const ObjectLocation& loc : f.order.fetch) d.fetched.push_back(loc.object);
      if (d.ok) {
        d.shipped = SelectShipped(f.order, f.outcome.outputs);
        d.output_bytes = Value(f.outcome.outputs).ByteSize();
        store_[d.task] = std::make_shared<const Dict>(std::move(f.outcome.outputs));
      }
      batch.done.push_back(std::move(d));
    }
    transport_->SendMessage(0, Tag::kDone, batch);
  }

  Transport* transport_;
  WorkerApi api_;  // before pool_: task threads use it until the pool stops
  TaskPool pool_;
  std::unordered_map<ObjectId, std::shared_ptr<const Dict>> store_;
  std::set<ObjectId> in_flight_;
  std::set<ObjectId> lost_;
  std::deque<TaskOrder> parked_;
  size_t running_ = 0;
  bool shutdown_ = false;
};

}  // namespace

void RunWorker(Transport* transport, const ModuleRegistry* registry, const WorkerCapacity& capacity) {
  WorkerLoop loop(transport, registry, capacity);
  loop.Run(capacity);
}

}  // namespace fai
