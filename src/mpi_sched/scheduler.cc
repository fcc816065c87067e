#include "mpi_sched/scheduler.h"

#include <algorithm>
#include <cassert>

#include "mpi_sched/placement.h"

namespace fai {

namespace {
// How many ready tasks in a row may fail to fit before a scheduling pass stops looking.
constexpr size_t kMaxMisses = 256;
// How many distinct requests a pass remembers as fitting nowhere.
constexpr size_t kMaxUnfit = 8;
}  // namespace

Scheduler::Scheduler(std::vector<WorkerCapacity> workers) : ledger_(std::move(workers)) {
  for (size_t w = 0; w < ledger_.size(); ++w) {
    const int rank = ledger_.worker(static_cast<int>(w)).rank;
    if (rank >= static_cast<int>(index_of_rank_.size())) index_of_rank_.resize(rank + 1, -1);
    index_of_rank_[rank] = static_cast<int>(w);
  }
}

int Scheduler::WorkerIndex(int rank) const {
  return rank < static_cast<int>(index_of_rank_.size()) ? index_of_rank_[rank] : -1;
}

uint64_t Scheduler::Add(SchedulerTask task) {
  const uint64_t id = tasks_.size();
  if (task.kind >= open_.size()) open_.resize(task.kind + 1);
  if (task.kind >= queueing_.size()) queueing_.resize(task.kind + 1, false);
  tasks_.emplace_back();
  Record& r = tasks_.back();
  r.spec = std::move(task);
  bool doomed = false;
  for (ObjectId dep : r.spec.deps) {
    assert(dep < id);
    Record& producer = tasks_[dep];
    producer.consumers.push_back(id);
    ++producer.unfinished_consumers;
    if (producer.state == TaskState::kFailed || producer.state == TaskState::kSkipped) doomed = true;
    if (producer.state != TaskState::kSucceeded) ++r.missing_inputs;
  }
  if (doomed) {
    Finish(id, TaskState::kSkipped);
  } else if (r.missing_inputs == 0) {
    MarkReady(id);
  }
  return id;
}

void Scheduler::MarkReady(uint64_t task) {
  tasks_[task].state = TaskState::kReady;
  ready_.push_back(task);
}

std::vector<ObjectLocation> Scheduler::FetchesOn(const Record& r, int w) const {
  std::vector<ObjectLocation> fetch;
  for (ObjectId dep : r.spec.deps) {
    const auto& holders = tasks_[dep].holders;
    if (std::find(holders.begin(), holders.end(), w) == holders.end() &&
        std::none_of(fetch.begin(), fetch.end(), [&](const ObjectLocation& l) { return l.object == dep; }))
      fetch.push_back(ObjectLocation{dep, RankOf(holders.front())});
  }
  return fetch;
}

void Scheduler::StartRunning(uint64_t task, const Grant& grant) {
  Record& r = tasks_[task];
  r.grant = grant;
  r.state = TaskState::kRunning;
  ++running_;
  if (r.spec.may_queue) open_[r.spec.kind].push_back(task);
}

std::vector<Dispatch> Scheduler::Schedule() {
  std::vector<Dispatch> out;
  std::vector<uint64_t> input_bytes(ledger_.size());
  // Requests that fit nowhere in this pass: reservations only take capacity, so they still do not
  // (most ready tasks of a sweep ask for the same, and a full cluster is the usual case).
  std::vector<Resources> unfit;
  size_t misses = 0;
  for (auto it = ready_.begin(); it != ready_.end() && misses < kMaxMisses;) {
    Record& r = tasks_[*it];
    const Resources& request = r.spec.request;
    const bool known_unfit = std::find(unfit.begin(), unfit.end(), request) != unfit.end();
    int w = -1;
    if (!known_unfit) {
      std::fill(input_bytes.begin(), input_bytes.end(), 0);
      for (ObjectId dep : r.spec.deps)
        for (int holder : tasks_[dep].holders) input_bytes[holder] += tasks_[dep].bytes;
      w = ChooseWorker(ledger_, request, input_bytes);
      if (w < 0 && unfit.size() < kMaxUnfit) unfit.push_back(request);
    }
    if (w < 0) {
      ++misses;
      ++it;
      continue;
    }
    misses = 0;
    Dispatch d;
    d.task = *it;
    d.rank = RankOf(w);
    d.grant = *ledger_.TryReserve(w, r.spec.request);
    d.fetch = FetchesOn(r, w);
    StartRunning(*it, d.grant);
    out.push_back(std::move(d));
    it = ready_.erase(it);
  }
  if (any_queueing_ && !ready_.empty()) QueueBehindRunning(&out);
  return out;
}

void Scheduler::QueueBehindRunning(std::vector<Dispatch>* out) {
  size_t misses = 0;
  for (auto it = ready_.begin(); it != ready_.end() && misses < kMaxMisses;) {
    Record& r = tasks_[*it];
    const uint64_t ahead = r.spec.may_queue && queueing_[r.spec.kind] ? TakeOpenSlot(r) : kNoTask;
    if (ahead == kNoTask) {
      ++misses;
      ++it;
      continue;
    }
    misses = 0;
    Record& a = tasks_[ahead];
    a.behind = *it;
    r.ahead = ahead;
    r.grant = a.grant;  // what it will take over (not reserved twice)
    r.state = TaskState::kQueued;
    ++queued_total_;
    Dispatch d;
    d.task = *it;
    d.rank = RankOf(a.grant.worker);
    d.grant = a.grant;
    d.fetch = FetchesOn(r, a.grant.worker);
    d.after = ahead;
    out->push_back(std::move(d));
    it = ready_.erase(it);
  }
}

uint64_t Scheduler::TakeOpenSlot(const Record& task) {
  std::deque<uint64_t>& open = open_[task.spec.kind];
  for (auto it = open.begin(); it != open.end();) {
    const Record& a = tasks_[*it];
    if (a.state != TaskState::kRunning || a.behind != kNoTask) {
      it = open.erase(it);
    } else if (a.spec.request == task.spec.request) {
      const uint64_t id = *it;
      open.erase(it);
      return id;
    } else {
      ++it;
    }
  }
  return kNoTask;
}

void Scheduler::SetQueueing(uint32_t kind, bool on) {
  if (kind >= queueing_.size()) queueing_.resize(kind + 1, false);
  queueing_[kind] = on;
  any_queueing_ = std::find(queueing_.begin(), queueing_.end(), true) != queueing_.end();
}

void Scheduler::LeaveSlot(uint64_t task) {
  Record& r = tasks_[task];
  if (r.state == TaskState::kQueued) {
    tasks_[r.ahead].behind = kNoTask;
    r.ahead = kNoTask;
    return;
  }
  assert(r.state == TaskState::kRunning);
  --running_;
  if (r.behind == kNoTask) {
    ledger_.Release(r.grant);
    return;
  }
  const uint64_t next = std::exchange(r.behind, kNoTask);
  tasks_[next].ahead = kNoTask;
  StartRunning(next, r.grant);
}

void Scheduler::Finished(uint64_t task, bool ok, uint64_t output_bytes, const std::vector<ObjectId>& fetched) {
  LeaveSlot(task);
  Record& r = tasks_[task];
  const int w = r.grant.worker;
  for (ObjectId o : fetched) {
    Record& obj = tasks_[o];
    if (!obj.freed && std::find(obj.holders.begin(), obj.holders.end(), w) == obj.holders.end()) obj.holders.push_back(w);
  }
  if (ok) {
    r.holders.push_back(w);
    r.bytes = output_bytes;
  }
  Finish(task, ok ? TaskState::kSucceeded : TaskState::kFailed);
}

void Scheduler::Retry(uint64_t task) {
  LeaveSlot(task);
  MarkReady(task);
}

void Scheduler::Block(uint64_t task) {
  Record& r = tasks_[task];
  assert(r.state == TaskState::kRunning && !r.spec.may_queue);
  ledger_.Release(r.grant);
  const int worker = r.grant.worker;
  r.grant = Grant();
  r.grant.worker = worker;
}

bool Scheduler::TryUnblock(uint64_t task) {
  Record& r = tasks_[task];
  std::optional<Grant> g = ledger_.TryReserve(r.grant.worker, r.spec.request);
  if (!g) return false;
  r.grant = *g;
  return true;
}

void Scheduler::CancelPending() {
  for (uint64_t id = 0; id < tasks_.size(); ++id) {
    const TaskState st = tasks_[id].state;
    if (st != TaskState::kWaiting && st != TaskState::kReady) continue;
    if (st == TaskState::kReady) ready_.erase(std::find(ready_.begin(), ready_.end(), id));
    Finish(id, TaskState::kSkipped);
  }
}

void Scheduler::Finish(uint64_t task, TaskState state) {
  // Iterative: skipping can cascade down long chains.
  std::vector<std::pair<uint64_t, TaskState>> work = {{task, state}};
  while (!work.empty()) {
    auto [id, st] = work.back();
    work.pop_back();
    Record& r = tasks_[id];
    r.state = st;
    ++finished_;
    if (st == TaskState::kSkipped) skipped_.push_back(id);
    for (ObjectId dep : r.spec.deps) ConsumerDone(dep);
    for (uint64_t c : r.consumers) {
      Record& consumer = tasks_[c];
      if (consumer.state != TaskState::kWaiting && consumer.state != TaskState::kReady) continue;
      if (st == TaskState::kSucceeded) {
        if (--consumer.missing_inputs == 0) MarkReady(c);
      } else {
        if (consumer.state == TaskState::kReady) ready_.erase(std::find(ready_.begin(), ready_.end(), c));
        consumer.state = TaskState::kSkipped;  // claimed: not pushed twice
        work.push_back({c, TaskState::kSkipped});
      }
    }
    MaybeFree(id);
  }
}

void Scheduler::ConsumerDone(ObjectId object) {
  --tasks_[object].unfinished_consumers;
  MaybeFree(object);
}

void Scheduler::Release(ObjectId object) {
  tasks_[object].spec.keep_output = false;
  MaybeFree(object);
}

void Scheduler::MaybeFree(ObjectId object) {
  Record& r = tasks_[object];
  if (r.freed || r.spec.keep_output || r.unfinished_consumers > 0 || r.state != TaskState::kSucceeded) return;
  r.freed = true;
  for (int w : r.holders) freeable_.push_back({RankOf(w), object});
  r.holders.clear();
}

int Scheduler::Holder(ObjectId object) const {
  const auto& h = tasks_[object].holders;
  return h.empty() ? -1 : RankOf(h.front());
}

std::vector<std::pair<int, ObjectId>> Scheduler::TakeFreeable() { return std::exchange(freeable_, {}); }
std::vector<uint64_t> Scheduler::TakeSkipped() { return std::exchange(skipped_, {}); }

}  // namespace fai
