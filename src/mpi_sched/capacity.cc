#include "mpi_sched/capacity.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "canvas/param_check.h"

namespace fai {

namespace {

bool ParseDeviceList(const std::string& text, std::vector<int>* ids) {
  ids->clear();
  if (text.empty() || text == "NoDevFiles") return true;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < 0) return false;
    ids->push_back(static_cast<int>(v));
  }
  return true;
}

// This worker's share of `devices` when they are split among the host's workers.
std::vector<int> ShareOf(const std::vector<int>& devices, int workers, int index, int per_rank) {
  std::vector<int> out;
  if (per_rank < 0) {
    per_rank = static_cast<int>(devices.size()) / std::max(1, workers);
    if (per_rank == 0 && index < static_cast<int>(devices.size())) return {devices[index]};
  }
  for (int i = index * per_rank; i < (index + 1) * per_rank && i < static_cast<int>(devices.size()); ++i)
    out.push_back(devices[i]);
  return out;
}

}  // namespace

const std::vector<std::string>& CapacityEnvironmentVariables() {
  static const std::vector<std::string> kVars = {"CUDA_VISIBLE_DEVICES", "SLURM_CPUS_PER_TASK", "SLURM_STEP_GPUS",
                                                 "SLURM_JOB_GPUS",       "SLURM_MEM_PER_NODE",  "SLURM_MEM_PER_CPU"};
  return kVars;
}

Result<WorkerCapacity> ComputeCapacity(const CapacityFlags& flags, const HostFacts& facts) {
  WorkerCapacity cap;
  cap.host = facts.hostname;
  auto env = [&](const char* name) -> const std::string* {
    auto it = facts.env.find(name);
    return it == facts.env.end() || it->second.empty() ? nullptr : &it->second;
  };
  const int workers = std::max(1, facts.workers_on_host);

  // CPUs.
  if (flags.cpus_per_rank > 0) {
    cap.cpus = flags.cpus_per_rank;
  } else if (const std::string* s = env("SLURM_CPUS_PER_TASK")) {
    char* end = nullptr;
    cap.cpus = std::strtod(s->c_str(), &end);
    if (*end != '\0' || cap.cpus <= 0)
      return Status::InvalidInput("SLURM_CPUS_PER_TASK: expected a positive number, got \"" + *s + "\"");
  } else {
    // A share of the host's cores, at least one CPU per worker (oversubscribed hosts).
    cap.cpus = std::max(1.0, static_cast<double>(facts.cores) / workers);
  }

  // GPUs: the devices this process may see, split among the host's workers.
  std::vector<int> visible;
  bool have_list = false;
  for (const char* var : {"CUDA_VISIBLE_DEVICES", "SLURM_STEP_GPUS", "SLURM_JOB_GPUS"}) {
    if (const std::string* s = env(var)) {
      if (!ParseDeviceList(*s, &visible))
        return Status::InvalidInput(std::string(var) + ": expected a comma-separated list of device numbers, got \"" +
                                    *s + "\"");
      have_list = true;
      break;
    }
  }
  if (flags.gpus_per_rank >= 0 && !have_list) {
    // Declared devices without a visible list: number them per host.
    for (int i = 0; i < flags.gpus_per_rank * workers; ++i) visible.push_back(i);
  }
  cap.gpu_ids = ShareOf(visible, workers, facts.index_on_host, flags.gpus_per_rank);
  if (flags.gpus_per_rank > 0 && static_cast<int>(cap.gpu_ids.size()) < flags.gpus_per_rank)
    return Status::InvalidInput("--gpus-per-rank " + std::to_string(flags.gpus_per_rank) + ": only " +
                                std::to_string(visible.size()) + " devices are visible to the " +
                                std::to_string(workers) + " worker ranks on " + facts.hostname);

  // Memory.
  if (!flags.mem_per_rank.empty()) {
    if (!ParseMemorySize(Value(flags.mem_per_rank), &cap.memory_bytes))
      return Status::InvalidInput("--mem-per-rank: expected a size such as 16G or 512M, got \"" +
                                  flags.mem_per_rank + "\"");
  } else if (const std::string* s = env("SLURM_MEM_PER_NODE")) {
    cap.memory_bytes = static_cast<uint64_t>(std::strtoull(s->c_str(), nullptr, 10)) * (1ull << 20) / workers;
  } else if (const std::string* s2 = env("SLURM_MEM_PER_CPU")) {
    cap.memory_bytes = static_cast<uint64_t>(std::strtoull(s2->c_str(), nullptr, 10) * cap.cpus) * (1ull << 20);
  } else {
    cap.memory_bytes = facts.memory_bytes / workers;
  }
  return cap;
}

HostFacts ReadLocalHostFacts() {
  HostFacts facts;
  char name[256] = {0};
  if (gethostname(name, sizeof(name) - 1) == 0) facts.hostname = name;
  facts.cores = std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  facts.memory_bytes = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGE_SIZE));
  for (const std::string& var : CapacityEnvironmentVariables())
    if (const char* v = std::getenv(var.c_str())) facts.env[var] = v;
  return facts;
}

}  // namespace fai
