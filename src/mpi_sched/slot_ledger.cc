#include "mpi_sched/slot_ledger.h"

#include <cassert>
#include <cmath>
#include <sstream>

#include "canvas/param_check.h"

namespace fai {

int64_t ToUnits(double quantity) { return static_cast<int64_t>(std::llround(quantity * SlotLedger::kUnits)); }

namespace {
std::string Number(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}
}  // namespace

std::string WorkerCapacity::ToString() const {
  std::string s = "rank " + std::to_string(rank) + (host.empty() ? "" : " on " + host) + ": " + Number(cpus) + " CPU" +
                  (cpus == 1 ? "" : "s");
  if (!gpu_ids.empty()) s += ", " + std::to_string(gpu_ids.size()) + " GPU" + (gpu_ids.size() == 1 ? "" : "s");
  if (memory_bytes > 0) s += ", " + FormatBytes(memory_bytes);
  return s;
}

double Grant::cpus() const { return static_cast<double>(cpu_units) / SlotLedger::kUnits; }
double Grant::gpus() const {
  return static_cast<double>(gpu_units_each) * gpu_devices.size() / SlotLedger::kUnits;
}

std::string DescribeRequest(const Resources& r) {
  std::string s = Number(r.num_cpus) + " CPU" + (r.num_cpus == 1 ? "" : "s");
  if (r.num_gpus > 0) s += ", " + Number(r.num_gpus) + " GPU" + (r.num_gpus == 1 ? "" : "s");
  if (r.memory_bytes > 0) s += ", " + FormatBytes(r.memory_bytes);
  return s;
}

SlotLedger::SlotLedger(std::vector<WorkerCapacity> workers) : workers_(std::move(workers)) {
  for (const WorkerCapacity& w : workers_) {
    Free f;
    f.cpu_units = ToUnits(w.cpus);
    f.gpu_units.assign(w.gpu_ids.size(), kUnits);
    f.memory_bytes = w.memory_bytes;
    capacity_.push_back(f);
  }
  free_ = capacity_;
}

bool SlotLedger::Fits(const Free& free, const WorkerCapacity& cap, const Resources& request, Grant* grant) const {
  const int64_t cpu = ToUnits(request.num_cpus);
  if (cpu > free.cpu_units) return false;
  if (request.memory_bytes > 0 && cap.memory_bytes > 0 && request.memory_bytes > free.memory_bytes) return false;
  std::vector<int> devices;
  int64_t each = 0;
  const int64_t gpu = ToUnits(request.num_gpus);
  if (gpu > 0 && gpu < kUnits) {
    // Best fit on one device: the fullest device that still has room.
    int best = -1;
    for (size_t d = 0; d < free.gpu_units.size(); ++d)
      if (free.gpu_units[d] >= gpu && (best < 0 || free.gpu_units[d] < free.gpu_units[best])) best = static_cast<int>(d);
    if (best < 0) return false;
    devices = {best};
    each = gpu;
  } else if (gpu >= kUnits) {
    const size_t wanted = static_cast<size_t>((gpu + kUnits - 1) / kUnits);
    for (size_t d = 0; d < free.gpu_units.size() && devices.size() < wanted; ++d)
      if (free.gpu_units[d] == kUnits) devices.push_back(static_cast<int>(d));
    if (devices.size() < wanted) return false;
    each = kUnits;
  }
  if (grant != nullptr) {
    grant->cpu_units = cpu;
    grant->gpu_devices = std::move(devices);
    grant->gpu_units_each = each;
    grant->memory_bytes = cap.memory_bytes > 0 ? request.memory_bytes : 0;
  }
  return true;
}

bool SlotLedger::FitsNow(int w, const Resources& request) const {
  return Fits(free_[w], workers_[w], request, nullptr);
}

bool SlotLedger::FitsEmpty(int w, const Resources& request) const {
  return Fits(capacity_[w], workers_[w], request, nullptr);
}

int SlotLedger::LargestWorker() const {
  int best = -1;
  for (size_t w = 0; w < workers_.size(); ++w) {
    const auto key = [&](size_t i) {
      return std::make_tuple(capacity_[i].cpu_units, capacity_[i].gpu_units.size(), capacity_[i].memory_bytes);
    };
    if (best < 0 || key(w) > key(best)) best = static_cast<int>(w);
  }
  return best;
}

std::optional<Grant> SlotLedger::TryReserve(int w, const Resources& request) {
  Grant grant;
  if (!Fits(free_[w], workers_[w], request, &grant)) return std::nullopt;
  grant.worker = w;
  Free& f = free_[w];
  f.cpu_units -= grant.cpu_units;
  for (int d : grant.gpu_devices) f.gpu_units[d] -= grant.gpu_units_each;
  f.memory_bytes -= grant.memory_bytes;
  assert(Consistent());
  return grant;
}

void SlotLedger::Release(const Grant& grant) {
  Free& f = free_[grant.worker];
  f.cpu_units += grant.cpu_units;
  for (int d : grant.gpu_devices) f.gpu_units[d] += grant.gpu_units_each;
  f.memory_bytes += grant.memory_bytes;
  assert(Consistent());
}

double SlotLedger::Load(int w) const {
  if (capacity_[w].cpu_units == 0) return 1.0;
  return 1.0 - static_cast<double>(free_[w].cpu_units) / capacity_[w].cpu_units;
}

double SlotLedger::FreeCpus(int w) const { return static_cast<double>(free_[w].cpu_units) / kUnits; }

bool SlotLedger::IsFull() const {
  for (size_t w = 0; w < free_.size(); ++w) {
    if (free_[w].cpu_units != capacity_[w].cpu_units || free_[w].gpu_units != capacity_[w].gpu_units ||
        free_[w].memory_bytes != capacity_[w].memory_bytes)
      return false;
  }
  return true;
}

bool SlotLedger::Consistent() const {
  for (size_t w = 0; w < free_.size(); ++w) {
    if (free_[w].cpu_units < 0 || free_[w].cpu_units > capacity_[w].cpu_units) return false;
    if (free_[w].memory_bytes > capacity_[w].memory_bytes) return false;
    for (int64_t g : free_[w].gpu_units)
      if (g < 0 || g > kUnits) return false;
  }
  return true;
}

}  // namespace fai
