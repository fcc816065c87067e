// ClusterProfile: the shape of a Slurm allocation a sweep asks for, read from a YAML file in
// configs/clusters/ (DESIGN §9) — the HPC counterpart of the FAI product's cluster panel:
//
//   name: small
//   nodes: 2
//   cpus_per_node: 8
//   memory_per_node: 32G
//   gpus_per_node: 2
//   partition: batch
//   time_limit: "04:00:00"
//   price_per_node_minute: 0.05
//   idle_timeout: 5m
//   quota: {cpus: 100, memory: 400G}
//
// Parsing is plain logic over the file's text; errors are Status::InvalidInput naming the file
// and the key ("small.yaml: cpus_per_node: expected a positive integer, got ..."), with a
// did-you-mean for misspelt keys. Stateless; thread-safe.
#ifndef FAI_CLUSTER_CLUSTER_PROFILE_H_
#define FAI_CLUSTER_CLUSTER_PROFILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fai {

// The per-user limit of the product the profiles come from: what one profile may ask in all.
struct ClusterQuota {
  double cpus = 100;                     // CPUs over all nodes
  uint64_t memory_bytes = 400ull << 30;  // memory over all nodes (400G)
  int gpus = -1;                         // GPUs over all nodes; -1: no limit
};

struct ClusterProfile {
  std::string name;                  // [A-Za-z0-9_.]+; default: the file's stem
  std::string path;                  // the file it was read from ("" when parsed from text)
  int nodes = 1;                     // nodes of the allocation
  int cpus_per_node = 1;             // CPUs per node; each node runs one worker with them all
  uint64_t memory_per_node = 0;      // bytes per node; 0: Slurm's default (no --mem)
  int gpus_per_node = 0;             // GPUs per node (--gres=gpu:N); >0 picks the GPU template
  std::string partition;             // empty: the cluster's default partition
  std::string time_limit;            // as Slurm writes it ("04:00:00", "1-12:00:00"); empty: none
  int64_t time_limit_s = 0;          // time_limit in seconds; 0: none
  double price_per_node_minute = 0;  // for the usage report's estimated cost
  double idle_timeout_s = 300;       // a long-lived allocation stops itself when idle this long
  std::string account;               // --account; empty: the user's default
  std::vector<std::string> sbatch_options;  // further sbatch options ("--qos=high"), verbatim
  ClusterQuota quota;                       // default: 100 CPUs and 400G in all

  double total_cpus() const { return static_cast<double>(nodes) * cpus_per_node; }
  uint64_t total_memory() const { return static_cast<uint64_t>(nodes) * memory_per_node; }
  int total_gpus() const { return nodes * gpus_per_node; }
};

// Parses a profile. `filename` prefixes every error message and gives the default name.
Result<ClusterProfile> ParseClusterProfile(std::string_view yaml_text, const std::string& filename);

// Reads and parses a profile file (IOError when unreadable).
Result<ClusterProfile> LoadClusterProfile(const std::string& path);

// InvalidInput when the profile asks more than its quota, with the figures:
// `small.yaml: profile "big" asks 128 CPUs (16 nodes x 8) but its quota allows 100 CPUs`.
Status CheckQuota(const ClusterProfile& profile);

// Parses Slurm's time format: "MM", "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM", "D-HH:MM:SS".
// False on anything else (and on "0" / "UNLIMITED": a profile's limit must be a real one).
bool ParseSlurmTime(std::string_view text, int64_t* seconds);

// Seconds as Slurm writes a time limit: "04:00:00", "1-12:00:00".
std::string FormatSlurmTime(int64_t seconds);

}  // namespace fai

#endif  // FAI_CLUSTER_CLUSTER_PROFILE_H_
