// UsageReport: what a run held and used, and what it cost (DESIGN §9: "usage report at the end
// of every run: node-minutes held, CPU-seconds used, utilisation, estimated cost").
//
// Plain logic: ComputeUsage takes per-task records, the workers' capacities, the run's wall
// time and the profile's price, and returns plain figures; no clocks, no MPI, no files.
//
//   node-minutes held   = nodes x wall_s / 60          (the allocation is held for the whole run)
//   CPU-seconds used    = sum over tasks of wall_s x CPUs granted
//   CPU-seconds offered = sum over workers of CPUs x wall_s
//   utilisation         = used / offered               (0 when nothing was offered)
//   estimated cost      = node-minutes x price_per_node_minute  (only with a price)
// GPU-seconds likewise. Nodes are the distinct hosts of the workers and of the master, unless
// the caller knows better (a Slurm job: SLURM_JOB_NUM_NODES).
#ifndef FAI_IO_USAGE_REPORT_H_
#define FAI_IO_USAGE_REPORT_H_

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fai/value.h"

namespace fai {

// One task that ran (failed ones included; skipped ones have wall_s 0). Start times are not
// needed (and are not comparable across hosts: each worker has its own steady clock).
struct TaskUsage {
  double wall_s = 0;  // how long it ran
  double cpus = 0;    // CPUs granted
  double gpus = 0;    // GPUs granted (fractions allowed)
};

// One worker rank's capacity.
struct WorkerUsage {
  std::string host;
  double cpus = 0;
  double gpus = 0;
};

struct UsageInput {
  std::vector<TaskUsage> tasks;
  std::vector<WorkerUsage> workers;
  std::string master_host;  // counted among the nodes held ("" : not counted)
  double wall_s = 0;        // the run's wall time, start to end
  int nodes = 0;            // nodes held; 0: the distinct hosts of workers and master
  std::optional<double> price_per_node_minute;  // from the --cluster profile; none: no cost
  std::string profile;                          // the profile's name, for the report ("" when none)
};

struct UsageReport {
  double wall_s = 0;
  int nodes = 0;
  int workers = 0;
  size_t tasks = 0;
  double node_minutes = 0;
  double cpus_offered = 0;  // sum of the workers' CPUs
  double cpu_seconds_used = 0;
  double cpu_seconds_offered = 0;
  double utilisation = 0;  // 0..1
  double gpus_offered = 0;
  double gpu_seconds_used = 0;
  double gpu_seconds_offered = 0;
  double gpu_utilisation = 0;  // 0..1; 0 when no GPUs
  bool has_cost = false;
  double price_per_node_minute = 0;
  double estimated_cost = 0;
  std::string profile;

  // The figures as named values, to store as attributes (e.g. of a group /usage in results.h5):
  // wall_s, nodes, workers, tasks, node_minutes, cpus_offered, cpu_seconds_used,
  // cpu_seconds_offered, utilisation, gpu_seconds_used, gpu_seconds_offered, gpu_utilisation,
  // and, with a price, price_per_node_minute, estimated_cost and profile.
  std::map<std::string, Value> Attributes() const;

  // A short report, a few lines each starting with "usage":
  //   usage: 2 nodes x 1.50 min = 3.00 node-minutes held (3 workers, 24 CPUs)
  //   usage: 41.2 CPU-seconds used by 16 tasks of 2160.0 offered: 1.9% utilisation
  //   usage: estimated cost 0.15 (0.05 per node-minute, profile small)
  void Print(std::ostream& out) const;
};

UsageReport ComputeUsage(const UsageInput& input);

}  // namespace fai

#endif  // FAI_IO_USAGE_REPORT_H_
