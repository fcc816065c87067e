#include "mpi_sched/master.h"

#include <map>
#include <thread>

#include "mpi_sched/idle_backoff.h"

namespace fai {

std::vector<WorkerCapacity> Master::Handshake() {
  std::map<int, WorkerCapacity> by_rank;
  IdleBackoff backoff(transport_->wakes_on_arrival());
  std::vector<Envelope> early;
  while (static_cast<int>(by_rank.size()) < transport_->size() - 1) {
    Envelope env;
    if (!transport_->TryReceive(&env)) {
      transport_->Wait(backoff.Next());
      continue;
    }
    backoff.Reset();
    WorkerHello hello;
    FromBytes(env.payload, &hello);
    hello.capacity.rank = env.source;
    by_rank[env.source] = hello.capacity;
  }
  std::vector<WorkerCapacity> out;
  for (auto& [rank, cap] : by_rank) out.push_back(cap);
  return out;
}

void Master::Start(std::vector<WorkerCapacity> workers) {
  scheduler_ = std::make_unique<Scheduler>(std::move(workers));
}

uint64_t Master::Submit(TaskOrder order, SchedulerTask task) {
  const uint64_t id = scheduler_->size();
  order.task = id;
  if (task.may_queue) {
    std::string name = order.type + '\0' + order.module_id;
    task.kind = kinds_.emplace(std::move(name), static_cast<uint32_t>(kinds_.size())).first->second;
    if (task.kind >= kind_times_.size()) kind_times_.resize(task.kind + 1);
  }
  if (order.retries > 0) spare_[id] = order;
  orders_.push_back(std::move(order));
  attempts_.push_back(0);
  scheduler_->Add(std::move(task));
  return id;
}

void Master::Dispatch() {
  std::vector<struct Dispatch> placed = scheduler_->Schedule();
  if (placed.empty()) return;
  std::map<int, RunBatch> batches;
  for (struct Dispatch& d : placed) {
    auto spare = spare_.find(d.task);
    TaskOrder& order = spare != spare_.end() ? spare->second : orders_[d.task];
    ++attempts_[d.task];
    order.fetch = std::move(d.fetch);
    order.after = d.after;
    order.cpus = d.grant.cpus();
    order.memory_bytes = d.grant.memory_bytes;
    const WorkerCapacity& cap = scheduler_->ledger().worker(d.grant.worker);
    order.gpus.clear();
    for (int dev : d.grant.gpu_devices) order.gpus.push_back(cap.gpu_ids[dev]);
    batches[d.rank].outgoing.push_back(&order);
  }
  for (auto& [rank, batch] : batches) transport_->SendMessage(rank, Tag::kRun, batch);
  // Sent: only an order that may be retried is still needed.
  for (const struct Dispatch& d : placed)
    if (!spare_.count(d.task)) orders_[d.task] = TaskOrder();
}

void Master::SendFrees() {
  std::map<int, FreeObjects> frees;
  for (auto& [rank, object] : scheduler_->TakeFreeable()) frees[rank].objects.push_back(object);
  for (auto& [rank, f] : frees) transport_->SendMessage(rank, Tag::kFree, f);
}

bool Master::ShouldRetry(uint64_t task, FailureKind failure) {
  auto spare = spare_.find(task);
  if (spare == spare_.end() || attempts_[task] > spare->second.retries) return false;
  return IsSystemFailure(failure) || spare->second.retry_on_error;
}

void Master::Timed(uint64_t task, double wall_s) {
  const uint32_t kind = scheduler_->task(task).kind;
  KindTimes& t = kind_times_[kind];
  ++t.runs;
  t.total_s += wall_s;
  const bool on = !options_.fail_fast && t.runs >= kQueueAfterRuns && t.total_s < kQueueBelowS * t.runs;
  scheduler_->SetQueueing(kind, on);
}

void Master::ReportSkipped(const std::function<void(TaskResult&&)>& on_result) {
  for (uint64_t id : scheduler_->TakeSkipped()) {
    TaskResult r;
    r.task = id;
    r.state = TaskState::kSkipped;
    r.error = fail_fast_reason_.empty() ? "skipped: an input failed" : fail_fast_reason_;
    orders_[id] = TaskOrder();
    on_result(std::move(r));
  }
}

void Master::HandleDone(const Envelope& env, const std::function<void(TaskResult&&)>& on_result) {
  DoneBatch batch;
  FromBytes(env.payload, &batch);
  for (TaskDone& d : batch.done) {
    const FailureKind failure = static_cast<FailureKind>(d.failure);
    if (scheduler_->task(d.task).may_queue) Timed(d.task, d.wall_s);
    if (!d.ok && ShouldRetry(d.task, failure)) {
      scheduler_->Retry(d.task);
      continue;
    }
    spare_.erase(d.task);
    TaskResult r;
    r.task = d.task;
    r.rank = env.source;
    r.failure = failure;
    r.attempts = attempts_[d.task];
    r.grant = scheduler_->grant(d.task);
    scheduler_->Finished(d.task, d.ok, d.output_bytes, d.fetched);
    if (!d.ok && options_.fail_fast && fail_fast_reason_.empty()) {
      fail_fast_reason_ = "skipped: --fail-fast stopped the sweep after a failure";
      scheduler_->CancelPending();
    }
    r.state = scheduler_->state(d.task);
    r.error = std::move(d.error);
    r.start_s = d.start_s;
    r.wall_s = d.wall_s;
    r.shipped = std::move(d.shipped);
    on_result(std::move(r));
  }
  ReportSkipped(on_result);
}

bool Master::Pump(const std::function<void(TaskResult&&)>& on_result,
                  const std::function<void(Envelope&)>& on_message) {
  bool active = false;
  Envelope env;
  while (transport_->TryReceive(&env)) {
    active = true;
    if (env.tag == Tag::kDone) {
      HandleDone(env, on_result);
    } else if (on_message) {
      on_message(env);
    }
  }
  if (active) {
    Dispatch();
    SendFrees();
  }
  transport_->Flush();
  return active;
}

void Master::RunUntilIdle(const std::function<void(TaskResult&&)>& on_result) {
  IdleBackoff backoff(transport_->wakes_on_arrival());
  ReportSkipped(on_result);
  Dispatch();
  while (!scheduler_->Idle()) {
    if (Pump(on_result, nullptr)) {
      backoff.Reset();
    } else {
      transport_->Wait(backoff.Next());
    }
  }
  SendFrees();
  transport_->Flush();
}

void Master::Shutdown() {
  for (int r = 1; r < transport_->size(); ++r) transport_->Send(r, Tag::kShutdown, "");
  while (!transport_->Flush()) std::this_thread::yield();
}

void Master::Release() {
  if (released_) return;
  released_ = true;
  Shutdown();
  if (on_release_) on_release_();
}

}  // namespace fai
