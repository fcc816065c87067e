#include "io/usage_report.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace fai {

namespace {

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

// "24" for whole numbers, else "2.5", "0.05".
std::string Count(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

// Money: two decimals, four below 1 (a short run's cost is small), none from 100 up.
std::string Money(double v) { return Fixed(v, v >= 100 ? 0 : v >= 1 ? 2 : 4); }

}  // namespace

UsageReport ComputeUsage(const UsageInput& in) {
  UsageReport r;
  r.wall_s = std::max(0.0, in.wall_s);
  r.workers = static_cast<int>(in.workers.size());
  r.tasks = in.tasks.size();
  std::set<std::string> hosts;
  for (const WorkerUsage& w : in.workers) {
    hosts.insert(w.host);
    r.cpus_offered += w.cpus;
    r.gpus_offered += w.gpus;
  }
  if (!in.master_host.empty()) hosts.insert(in.master_host);
  r.nodes = in.nodes > 0 ? in.nodes : std::max<int>(1, static_cast<int>(hosts.size()));
  r.node_minutes = r.nodes * r.wall_s / 60.0;
  for (const TaskUsage& t : in.tasks) {
    r.cpu_seconds_used += std::max(0.0, t.wall_s) * t.cpus;
    r.gpu_seconds_used += std::max(0.0, t.wall_s) * t.gpus;
  }
  r.cpu_seconds_offered = r.cpus_offered * r.wall_s;
  r.gpu_seconds_offered = r.gpus_offered * r.wall_s;
  r.utilisation = r.cpu_seconds_offered > 0 ? r.cpu_seconds_used / r.cpu_seconds_offered : 0;
  r.gpu_utilisation = r.gpu_seconds_offered > 0 ? r.gpu_seconds_used / r.gpu_seconds_offered : 0;
  r.profile = in.profile;
  if (in.price_per_node_minute) {
    r.has_cost = true;
    r.price_per_node_minute = *in.price_per_node_minute;
    r.estimated_cost = r.node_minutes * r.price_per_node_minute;
  }
  return r;
}

std::map<std::string, Value> UsageReport::Attributes() const {
  std::map<std::string, Value> a = {
      {"wall_s", wall_s},
      {"nodes", int64_t{nodes}},
      {"workers", int64_t{workers}},
      {"tasks", static_cast<int64_t>(tasks)},
      {"node_minutes", node_minutes},
      {"cpus_offered", cpus_offered},
      {"cpu_seconds_used", cpu_seconds_used},
      {"cpu_seconds_offered", cpu_seconds_offered},
      {"utilisation", utilisation},
      {"gpu_seconds_used", gpu_seconds_used},
      {"gpu_seconds_offered", gpu_seconds_offered},
      {"gpu_utilisation", gpu_utilisation},
  };
  if (has_cost) {
    a["price_per_node_minute"] = price_per_node_minute;
    a["estimated_cost"] = estimated_cost;
    a["profile"] = profile;
  }
  return a;
}

void UsageReport::Print(std::ostream& out) const {
  out << "usage: " << nodes << (nodes == 1 ? " node" : " nodes") << " x " << Fixed(wall_s / 60.0, 2)
      << " min = " << Fixed(node_minutes, 2) << " node-minutes held (" << workers
      << (workers == 1 ? " worker, " : " workers, ") << Count(cpus_offered)
      << (cpus_offered == 1 ? " CPU" : " CPUs");
  if (gpus_offered > 0)
    out << ", " << Count(gpus_offered) << (gpus_offered == 1 ? " GPU" : " GPUs");
  out << ")\n";
  out << "usage: " << Fixed(cpu_seconds_used, 1) << " CPU-seconds used by " << tasks
      << (tasks == 1 ? " task" : " tasks") << " of " << Fixed(cpu_seconds_offered, 1)
      << " offered: " << Fixed(100 * utilisation, 1) << "% utilisation\n";
  if (gpus_offered > 0)
    out << "usage: " << Fixed(gpu_seconds_used, 1) << " GPU-seconds used of "
        << Fixed(gpu_seconds_offered, 1) << " offered: " << Fixed(100 * gpu_utilisation, 1)
        << "% GPU utilisation\n";
  if (has_cost) {
    out << "usage: estimated cost " << Money(estimated_cost) << " (" << Count(price_per_node_minute)
        << " per node-minute" << (profile.empty() ? "" : ", profile " + profile) << ")\n";
  }
}

}  // namespace fai
