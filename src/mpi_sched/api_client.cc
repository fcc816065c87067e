#include "mpi_sched/api_client.h"

#include <atomic>
#include <iostream>
#include <thread>

#include "canvas/param_check.h"
#include "mpi_sched/idle_backoff.h"
#include "mpi_sched/runtime.h"

namespace fai {

namespace {

constexpr char kCallType[] = "fai.call";
constexpr char kPutType[] = "fai.put";
constexpr char kBlobType[] = "fai.serialized/1";
// Results smaller than this come back to rank 0 with the task's completion: get() needs no
// trip to the worker. Larger ones stay on their worker until someone asks.
constexpr uint64_t kInlineResultBytes = 64 << 10;

struct FunctionTable {
  std::mutex mu;
  std::map<std::string, internal::Invoker> by_name;
  std::map<const void*, std::string> names;
};
FunctionTable& Functions() {
  static FunctionTable table;
  return table;
}

thread_local ApiClient* tls_client = nullptr;
thread_local TaskContext* tls_context = nullptr;  // the running fai.call
thread_local uint64_t tls_task = 0;
std::atomic<ApiClient*> program_client{nullptr};

ApiClient& Client() {
  if (tls_client != nullptr) return *tls_client;
  if (ApiClient* c = program_client.load()) return *c;
  throw std::logic_error("fai::remote/get/put called outside fai::Main (start the runtime with fai::Main)");
}

std::string ResultBytes(const Dict& outputs) {
  auto it = outputs.find("result");
  if (it == outputs.end() || it->second.kind() != ValueKind::kBlob) throw std::runtime_error("the task has no result");
  return it->second.as_blob().bytes;
}

void RunCall(TaskContext& ctx) {
  const std::string& name = ctx.string_param("fn");
  internal::Invoker invoker;
  {
    FunctionTable& t = Functions();
    std::lock_guard<std::mutex> lock(t.mu);
    auto it = t.by_name.find(name);
    if (it == t.by_name.end()) throw std::runtime_error("function \"" + name + "\" is not registered on this rank");
    invoker = it->second;
  }
  const int64_t n = ctx.int_param("nargs");
  std::vector<std::string> args;
  for (int64_t i = 0; i < n; ++i) {
    const std::string port = "a" + std::to_string(i);
    args.push_back(ctx.has_input(port) ? ctx.input(port).as_blob().bytes : ctx.param(port).as_blob().bytes);
  }
  tls_context = &ctx;
  std::string result;
  try {
    result = invoker(args);
  } catch (...) {
    tls_context = nullptr;
    throw;
  }
  tls_context = nullptr;
  ctx.set_output("result", Value(Blob{kBlobType, std::move(result)}));
}

void RunPut(TaskContext& ctx) { ctx.set_output("result", ctx.param("value")); }

}  // namespace

namespace internal {

bool RegisterFunction(const std::string& name, const void* fn, Invoker invoker) {
  FunctionTable& t = Functions();
  std::lock_guard<std::mutex> lock(t.mu);
  t.by_name[name] = std::move(invoker);
  t.names[fn] = name;
  return true;
}

const std::string& FunctionName(const void* fn) {
  FunctionTable& t = Functions();
  std::lock_guard<std::mutex> lock(t.mu);
  auto it = t.names.find(fn);
  if (it == t.names.end()) throw std::invalid_argument("fai::remote: the function was not registered (FAI_REMOTE)");
  return it->second;
}

uint64_t Submit(const std::string& function, std::vector<Arg> args, const Options& options) {
  TaskOrder order;
  order.type = kCallType;
  order.module_id = function;
  order.params["fn"] = function;
  order.params["nargs"] = static_cast<int64_t>(args.size());
  order.ship_scalars = false;
  order.ship_below_bytes = kInlineResultBytes;
  std::vector<ObjectId> deps;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string port = "a" + std::to_string(i);
    if (args[i].is_ref) {
      order.inputs.push_back(InputBinding{port, args[i].ref, "result"});
      deps.push_back(args[i].ref);
    } else {
      order.params[port] = Value(Blob{kBlobType, std::move(args[i].bytes)});
    }
  }
  Resources request;
  request.num_cpus = options.num_cpus;
  request.num_gpus = options.num_gpus;
  if (!options.memory.empty() && !ParseMemorySize(Value(options.memory), &request.memory_bytes))
    throw std::invalid_argument("fai::Options::memory: expected a size such as 4G, got \"" + options.memory + "\"");
  return Client().Submit(std::move(order), request, std::move(deps));
}

uint64_t PutBytes(std::string bytes) {
  TaskOrder order;
  order.type = kPutType;
  order.module_id = "put";
  order.params["value"] = Value(Blob{kBlobType, std::move(bytes)});
  order.ship_scalars = false;
  Resources request;
  request.num_cpus = 0;
  return Client().Submit(std::move(order), request, {});
}

std::string GetBytes(uint64_t id) { return Client().Get(id); }

std::vector<uint64_t> WaitIds(const std::vector<uint64_t>& ids, size_t n, double timeout_s) {
  return Client().Wait(ids, n, timeout_s);
}

}  // namespace internal

std::vector<int> gpu_ids() { return tls_context ? tls_context->gpu_ids() : std::vector<int>{}; }
double num_cpus() { return tls_context ? tls_context->num_cpus() : 0.0; }

void RegisterApiModules(ModuleRegistry* registry) {
  ModuleType call;
  call.name = kCallType;
  call.help = "A function called with fai::remote (C++ API)";
  call.run = RunCall;
  registry->Register(call);
  ModuleType put;
  put.name = kPutType;
  put.help = "An object shared with fai::put (C++ API)";
  put.run = RunPut;
  registry->Register(put);
}

void SetTaskApi(ApiClient* client, uint64_t task) {
  tls_client = client;
  tls_task = task;
}

// ---- WorkerApi ----

uint64_t WorkerApi::Submit(TaskOrder order, const Resources& request, std::vector<ObjectId> deps) {
  std::future<uint64_t> reply;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SubmitRequest req;
    req.request = next_request_++;
    req.order = std::move(order);
    req.num_cpus = request.num_cpus;
    req.num_gpus = request.num_gpus;
    req.memory_bytes = request.memory_bytes;
    req.deps = std::move(deps);
    reply = submits_[req.request].get_future();
    outbox_.push_back({Tag::kSubmit, ToBytes(req)});
  }
  wake_();
  return reply.get();
}

std::string WorkerApi::Get(ObjectId object) {
  std::future<std::string> reply;
  {
    std::lock_guard<std::mutex> lock(mu_);
    GetRequest req{next_request_++, tls_task, object};
    reply = gets_[req.request].get_future();
    outbox_.push_back({Tag::kGet, ToBytes(req)});
  }
  wake_();
  return reply.get();
}

std::vector<uint64_t> WorkerApi::Wait(const std::vector<uint64_t>&, size_t, double) {
  throw std::logic_error("fai::wait is available in the program on rank 0, not inside remote tasks");
}

std::vector<std::pair<Tag, std::string>> WorkerApi::TakeOutbox() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(outbox_, {});
}

void WorkerApi::OnSubmitted(const SubmitReply& reply) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = submits_.find(reply.request);
  if (it == submits_.end()) return;
  it->second.set_value(reply.task);
  submits_.erase(it);
}

int WorkerApi::OnGetReply(const GetReply& reply, const std::shared_ptr<const Dict>& local) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = gets_.find(reply.request);
  if (it == gets_.end()) return -1;
  if (!reply.ok) {
    it->second.set_exception(std::make_exception_ptr(TaskError(reply.function, reply.rank, reply.error)));
    gets_.erase(it);
    return -1;
  }
  if (local) {
    try {
      it->second.set_value(ResultBytes(*local));
    } catch (...) {
      it->second.set_exception(std::current_exception());
    }
    gets_.erase(it);
    return -1;
  }
  gets_by_object_.insert({reply.object, reply.request});
  return reply.holder;
}

void WorkerApi::OnObject(ObjectId object, const Dict& value) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [first, last] = gets_by_object_.equal_range(object);
  for (auto it = first; it != last; ++it) {
    auto get = gets_.find(it->second);
    if (get == gets_.end()) continue;
    try {
      get->second.set_value(ResultBytes(value));
    } catch (...) {
      get->second.set_exception(std::current_exception());
    }
    gets_.erase(get);
  }
  gets_by_object_.erase(first, last);
}

// ---- MasterApi ----

uint64_t MasterApi::Enqueue(TaskOrder order, const Resources& request, std::vector<ObjectId> deps) {
  std::lock_guard<std::mutex> lock(mu_);
  // Every submission goes through this queue in order, so the id handed out now is the one the
  // scheduler will give (ids are dense in submission order): remote() need not wait.
  const uint64_t id = next_id_++;
  calls_.emplace_back().function = order.module_id;
  Request([this, id, order = std::move(order), request, deps = std::move(deps)]() mutable {
    SchedulerTask task;
    task.request = request;
    task.deps = std::move(deps);
    task.keep_output = true;  // a Ref may be read at any time
    const uint64_t submitted = master_->Submit(std::move(order), std::move(task));
    if (submitted != id) throw std::logic_error("task ids out of step");
  });
  return id;
}

MasterApi::Call* MasterApi::Find(ObjectId id) {
  return id >= first_id_ && id - first_id_ < calls_.size() ? &calls_[id - first_id_] : nullptr;
}

void MasterApi::Request(std::function<void()> request) {
  requests_.push_back(std::move(request));
  if (serve_sleeping_) {
    serve_sleeping_ = false;
    master_->mutable_transport().Wake();
  }
}

uint64_t MasterApi::Submit(TaskOrder order, const Resources& request, std::vector<ObjectId> deps) {
  return Enqueue(std::move(order), request, std::move(deps));
}

std::string MasterApi::Get(ObjectId object) {
  auto reply = std::make_shared<std::promise<std::string>>();
  std::future<std::string> bytes = reply->get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (const Call* call = Find(object); call && call->finished && call->ok && call->result) return *call->result;
    Request([this, reply, object] {
      local_gets_.insert({object, reply});
      Answer(object);
    });
  }
  return bytes.get();
}

std::vector<uint64_t> MasterApi::Wait(const std::vector<uint64_t>& ids, size_t n, double timeout_s) {
  std::unique_lock<std::mutex> lock(mu_);
  auto done = [&] {
    std::vector<uint64_t> out;
    for (uint64_t id : ids)
      if (const Call* call = Find(id); call && call->finished) out.push_back(id);
    return out;
  };
  auto enough = [&] { return done().size() >= std::min(n, ids.size()); };
  if (timeout_s < 0) {
    cv_.wait(lock, enough);
  } else {
    cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), enough);
  }
  return done();
}

void MasterApi::HandleResult(TaskResult&& r) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Call* call = Find(r.task);
    if (call == nullptr) return;
    call->finished = true;
    call->ok = r.state == TaskState::kSucceeded;
    call->rank = r.rank;
    call->error = std::move(r.error);
    if (auto it = r.shipped.find("result"); it != r.shipped.end() && it->second.kind() == ValueKind::kBlob)
      call->result = std::move(std::get<Blob>(it->second.mutable_storage()).bytes);
  }
  cv_.notify_all();
  Answer(r.task);
}

// Serves the gets waiting for `object` once its task has ended (master thread).
void MasterApi::Answer(ObjectId object) {
  auto [first, last] = local_gets_.equal_range(object);
  auto [rfirst, rlast] = remote_gets_.equal_range(object);
  if (first == last && rfirst == rlast) return;
  Call call;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Call* found = Find(object);
    if (found == nullptr || !found->finished) return;
    call = *found;
  }
  if (first != last) {
    if (call.ok && call.result) {
      for (auto it = first; it != last; ++it) it->second->set_value(*call.result);
    } else if (call.ok) {
      const int holder = master_->scheduler().Holder(object);
      master_->mutable_transport().SendMessage(holder, Tag::kFetch, FetchRequest{{object}});
      for (auto it = first; it != last; ++it) fetching_.insert({object, it->second});
    } else {
      for (auto it = first; it != last; ++it)
        it->second->set_exception(std::make_exception_ptr(TaskError(call.function, call.rank, call.error)));
    }
    local_gets_.erase(first, last);
  }
  for (auto it = rfirst; it != rlast; ++it) blocked_.push_back(it->second);
  remote_gets_.erase(rfirst, rlast);
  RetryBlocked();
}

// Answers workers' gets whose object is ready once the waiting task has its slot back.
void MasterApi::RetryBlocked() {
  for (auto it = blocked_.begin(); it != blocked_.end();) {
    if (!master_->mutable_scheduler().TryUnblock(it->request.waiting_task)) {
      ++it;
      continue;
    }
    GetReply reply;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const Call& call = *Find(it->request.object);
      reply.ok = call.ok;
      reply.function = call.function;
      reply.rank = call.rank;
      reply.error = call.error;
    }
    reply.request = it->request.request;
    reply.object = it->request.object;
    reply.holder = reply.ok ? master_->scheduler().Holder(reply.object) : -1;
    master_->mutable_transport().SendMessage(it->rank, Tag::kGetReply, reply);
    it = blocked_.erase(it);
  }
}

void MasterApi::HandleMessage(Envelope& env) {
  switch (env.tag) {
    case Tag::kObjects: {
      ObjectBatch batch;
      FromBytes(env.payload, &batch);
      for (size_t i = 0; i < batch.ids.size(); ++i) {
        auto [first, last] = fetching_.equal_range(batch.ids[i]);
        for (auto it = first; it != last; ++it) {
          try {
            it->second->set_value(ResultBytes(batch.objects[i]));
          } catch (...) {
            it->second->set_exception(std::current_exception());
          }
        }
        fetching_.erase(first, last);
      }
      for (ObjectId id : batch.missing) {
        auto [first, last] = fetching_.equal_range(id);
        for (auto it = first; it != last; ++it)
          it->second->set_exception(std::make_exception_ptr(std::runtime_error("object " + std::to_string(id) + " was lost")));
        fetching_.erase(first, last);
      }
      break;
    }
    case Tag::kSubmit: {
      SubmitRequest req;
      FromBytes(env.payload, &req);
      Resources request;
      request.num_cpus = req.num_cpus;
      request.num_gpus = req.num_gpus;
      request.memory_bytes = req.memory_bytes;
      const uint64_t id = Enqueue(std::move(req.order), request, std::move(req.deps));
      master_->mutable_transport().SendMessage(env.source, Tag::kSubmitted, SubmitReply{req.request, id});
      break;
    }
    case Tag::kGet: {
      GetRequest req;
      FromBytes(env.payload, &req);
      // The waiting task gives its slot back until the object is ready and a slot is free.
      master_->mutable_scheduler().Block(req.waiting_task);
      remote_gets_.insert({req.object, RemoteGet{env.source, req}});
      Answer(req.object);
      break;
    }
    default: break;
  }
}

void MasterApi::Serve(const std::atomic<bool>& done) {
  IdleBackoff backoff(master_->mutable_transport().wakes_on_arrival());
  auto on_result = [this](TaskResult&& r) { HandleResult(std::move(r)); };
  auto on_message = [this](Envelope& env) { HandleMessage(env); };
  while (true) {
    std::deque<std::function<void()>> requests;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests.swap(requests_);
    }
    for (auto& r : requests) r();
    if (!requests.empty()) master_->Dispatch();
    const bool active = master_->Pump(on_result, on_message) || !requests.empty();
    if (active) RetryBlocked();
    if (done.load() && master_->scheduler().Idle()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (requests_.empty()) break;
    }
    if (active) {
      backoff.Reset();
      continue;
    }
    // Idle: until a message or the program's next request (which Wakes the transport).
    {
      std::lock_guard<std::mutex> lock(mu_);
      serve_sleeping_ = requests_.empty();
      if (!serve_sleeping_) continue;
    }
    master_->mutable_transport().Wait(backoff.Next());
    std::lock_guard<std::mutex> lock(mu_);
    serve_sleeping_ = false;
  }
}

int Main(int /*argc*/, char** /*argv*/, const std::function<int()>& program, const MainOptions& options) {
  static ModuleRegistry registry = [] {
    ModuleRegistry r = ModuleRegistry::WithBuiltins();
    RegisterApiModules(&r);
    return r;
  }();
  RuntimeOptions runtime;
  runtime.capacity.cpus_per_rank = options.cpus_per_rank;
  runtime.capacity.gpus_per_rank = options.gpus_per_rank;
  runtime.capacity.mem_per_rank = options.mem_per_rank;
  return RunRuntime(registry, runtime, [&](Master& master, const std::vector<WorkerCapacity>&) {
    MasterApi api(&master);
    program_client.store(&api);
    std::atomic<bool> done{false};
    int status = 0;
    std::thread user([&] {
      try {
        status = program();
      } catch (const std::exception& e) {
        std::cerr << "fai: the program ended with an exception: " << e.what() << "\n";
        status = 1;
      }
      done.store(true);
      master.mutable_transport().Wake();
    });
    api.Serve(done);
    user.join();
    program_client.store(nullptr);
    return status;
  });
}

}  // namespace fai
