// `fai-sweep cluster list | show NAME | stop NAME`: cluster profiles and their Slurm jobs.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "canvas/param_check.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "cluster/cluster_catalog.h"
#include "cluster/cluster_profile.h"
#include "cluster/slurm_client.h"

namespace fai {

namespace {

// squeue and scancel answer in well under a second; a broken setup can make them hang a minute.
constexpr double kSlurmTimeoutS = 30;

std::string Num(double v, const char* fmt = "%g") {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

// The jobs from squeue, or why there are none to show.
struct QueueView {
  bool available = false;
  std::vector<SlurmJob> jobs;
  std::string note;  // why jobs are not shown
};

QueueView ReadQueue() {
  ProcessRunner runner(kSlurmTimeoutS);
  SlurmClient slurm(&runner);
  QueueView view;
  Result<std::vector<SlurmJob>> jobs = slurm.Queue();
  if (jobs.ok()) {
    view.available = true;
    view.jobs = std::move(*jobs);
  } else {
    view.note = "Slurm: " + jobs.status().message() + "; jobs not shown";
  }
  return view;
}

void PrintJobs(const std::vector<SlurmJob>& jobs, const std::string& profile_column,
               std::ostream& out) {
  TextTable table({"JOB", "NAME", "PROFILE", "STATE", "TIME", "LIMIT", "NODES", "NODELIST/REASON"});
  for (const SlurmJob& j : jobs)
    table.AddRow(
        {j.id, j.name, profile_column, j.state, j.time_used, j.time_limit, j.nodes, j.where});
  table.Print(out, "  ");
}

std::string JobCounts(const std::vector<SlurmJob>& jobs) {
  size_t queued = 0;
  for (const SlurmJob& j : jobs) queued += j.queued() ? 1 : 0;
  return std::to_string(jobs.size() - queued) + " running, " + std::to_string(queued) + " queued";
}

int ListProfiles(std::ostream& out, std::ostream& err) {
  const ClusterCatalog catalog(CatalogPlaces::FromProcess());
  if (catalog.profile_dir().empty()) {
    err << "fai-sweep: error: no cluster profile directory found (set FAI_CLUSTERS_DIR)\n";
    return kExitBadInput;
  }
  const QueueView queue = ReadQueue();
  TextTable table({"PROFILE", "NODES", "CPUS/NODE", "MEMORY/NODE", "GPUS/NODE", "PARTITION",
                   "TIME LIMIT", "PRICE/NODE-MIN", "QUOTA", "JOBS"});
  std::vector<std::pair<std::string, std::vector<SlurmJob>>> jobs_by_profile;
  int status = kExitOk;
  for (const std::string& path : catalog.ProfilePaths()) {
    Result<ClusterProfile> p = LoadClusterProfile(path);
    if (!p.ok()) {
      err << "fai-sweep: error: " << p.status().message() << "\n";
      table.AddRow(
          {std::filesystem::path(path).stem().string(), "invalid", "", "", "", "", "", "", "", ""});
      status = kExitBadInput;
      continue;
    }
    const std::vector<SlurmJob> jobs =
        queue.available ? JobsOfProfile(queue.jobs, p->name) : std::vector<SlurmJob>{};
    table.AddRow({p->name, std::to_string(p->nodes), std::to_string(p->cpus_per_node),
                  p->memory_per_node ? FormatBytes(p->memory_per_node) : "-",
                  std::to_string(p->gpus_per_node), OrDash(p->partition), OrDash(p->time_limit),
                  Num(p->price_per_node_minute), CheckQuota(*p).ok() ? "ok" : "EXCEEDED",
                  queue.available ? JobCounts(jobs) : "-"});
    if (!jobs.empty()) jobs_by_profile.emplace_back(p->name, jobs);
  }
  out << "Cluster profiles in " << catalog.profile_dir() << ":\n";
  table.Print(out, "  ");
  if (!queue.available) {
    out << "\n" << queue.note << "\n";
  } else if (!jobs_by_profile.empty()) {
    out << "\nJobs:\n";
    TextTable jobs(
        {"JOB", "NAME", "PROFILE", "STATE", "TIME", "LIMIT", "NODES", "NODELIST/REASON"});
    for (const auto& [profile, list] : jobs_by_profile)
      for (const SlurmJob& j : list)
        jobs.AddRow({j.id, j.name, profile, j.state, j.time_used, j.time_limit, j.nodes, j.where});
    jobs.Print(out, "  ");
  }
  return status;
}

int ShowProfile(const std::string& name, std::ostream& out, std::ostream& err) {
  const ClusterCatalog catalog(CatalogPlaces::FromProcess());
  Result<std::string> path = catalog.Resolve(name);
  if (!path.ok()) {
    err << "fai-sweep: error: " << path.status().message() << "\n";
    return kExitBadInput;
  }
  Result<ClusterProfile> loaded = LoadClusterProfile(*path);
  if (!loaded.ok()) {
    err << "fai-sweep: error: " << loaded.status().message() << "\n";
    return kExitBadInput;
  }
  const ClusterProfile& p = *loaded;
  const Status quota = CheckQuota(p);
  out << "profile       " << p.name << "  (" << *path << ")\n";
  out << "nodes         " << p.nodes << " x " << p.cpus_per_node << " CPUs"
      << (p.memory_per_node ? ", " + FormatBytes(p.memory_per_node) : std::string())
      << (p.gpus_per_node ? ", " + std::to_string(p.gpus_per_node) + " GPUs" : std::string())
      << " per node  (" << Num(p.total_cpus()) << " CPUs"
      << (p.memory_per_node ? ", " + FormatBytes(p.total_memory()) : std::string())
      << (p.gpus_per_node ? ", " + std::to_string(p.total_gpus()) + " GPUs" : std::string())
      << " in all)\n";
  out << "layout        one worker rank per node with all its CPUs, plus the master rank on the "
         "first node\n";
  out << "partition     " << (p.partition.empty() ? "(the cluster's default)" : p.partition)
      << "\n";
  out << "time limit    " << (p.time_limit.empty() ? "(the partition's default)" : p.time_limit)
      << "\n";
  out << "account       " << (p.account.empty() ? "(the user's default)" : p.account) << "\n";
  for (const std::string& o : p.sbatch_options) out << "sbatch option " << o << "\n";
  out << "price         " << Num(p.price_per_node_minute)
      << " per node-minute = " << Num(p.price_per_node_minute * 60 * p.nodes, "%.2f")
      << " per hour for " << p.nodes << (p.nodes == 1 ? " node" : " nodes");
  if (p.time_limit_s > 0)
    out << "; at most "
        << Num(p.price_per_node_minute * p.nodes * static_cast<double>(p.time_limit_s) / 60, "%.2f")
        << " for the time limit";
  out << "\n";
  out << "idle timeout  " << Num(p.idle_timeout_s)
      << " s (submitted sweeps end with their sweep: nothing idles)\n";
  out << "quota         " << Num(p.quota.cpus) << " CPUs, " << FormatBytes(p.quota.memory_bytes)
      << (p.quota.gpus >= 0 ? ", " + std::to_string(p.quota.gpus) + " GPUs" : std::string()) << ": "
      << (quota.ok() ? "ok" : "EXCEEDED") << "\n";
  Result<std::string> tmpl = catalog.TemplatePath(p.gpus_per_node > 0);
  out << "template      " << (tmpl.ok() ? *tmpl : tmpl.status().message()) << "\n";
  const QueueView queue = ReadQueue();
  if (!queue.available) {
    out << "jobs          " << queue.note << "\n";
  } else {
    const std::vector<SlurmJob> jobs = JobsOfProfile(queue.jobs, p.name);
    out << "jobs          " << JobCounts(jobs) << "\n";
    if (!jobs.empty()) PrintJobs(jobs, p.name, out);
  }
  if (!quota.ok()) {
    err << "fai-sweep: error: " << quota.message() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

int StopProfile(const std::string& name, std::ostream& out, std::ostream& err) {
  // The profile's name as its jobs carry it; a profile no longer on disk is stopped by name.
  std::string profile = name;
  const ClusterCatalog catalog(CatalogPlaces::FromProcess());
  if (Result<std::string> path = catalog.Resolve(name); path.ok()) {
    Result<ClusterProfile> p = LoadClusterProfile(*path);
    if (!p.ok()) {
      err << "fai-sweep: error: " << p.status().message() << "\n";
      return kExitBadInput;
    }
    profile = p->name;
  } else if (name.find('/') != std::string::npos) {
    err << "fai-sweep: error: " << path.status().message() << "\n";
    return kExitBadInput;
  }
  ProcessRunner runner(kSlurmTimeoutS);
  SlurmClient slurm(&runner);
  Result<std::vector<SlurmJob>> queue = slurm.Queue();
  if (!queue.ok()) {
    err << "fai-sweep: error: cannot list the jobs of profile " << profile << ": "
        << queue.status().message() << "\n";
    return kExitFailures;
  }
  const std::vector<SlurmJob> jobs = JobsOfProfile(*queue, profile);
  if (jobs.empty()) {
    out << "no jobs of profile " << profile << " to stop\n";
    return kExitOk;
  }
  std::vector<std::string> ids;
  for (const SlurmJob& j : jobs)
    if (j.state != "COMPLETING") ids.push_back(j.id);  // already ending
  if (ids.empty()) {
    out << "the " << jobs.size() << (jobs.size() == 1 ? " job" : " jobs") << " of profile "
        << profile << " already ending (COMPLETING); nothing to stop\n";
    return kExitOk;
  }
  if (Status s = slurm.Cancel(ids); !s.ok()) {
    err << "fai-sweep: error: " << s.message() << "\n";
    return kExitFailures;
  }
  out << "cancelled " << ids.size() << (ids.size() == 1 ? " job" : " jobs") << " of profile "
      << profile << ":";
  for (const SlurmJob& j : jobs)
    if (j.state != "COMPLETING") out << " " << j.id << " (" << j.name << ", " << j.state << ")";
  out << "\n";
  return kExitOk;
}

}  // namespace

int ClusterCommand(const std::string& action, const std::string& name, std::ostream& out,
                   std::ostream& err) {
  if (action == "list") return ListProfiles(out, err);
  if (action == "show") return ShowProfile(name, out, err);
  if (action == "stop") return StopProfile(name, out, err);
  err << "fai-sweep: error: cluster: unknown action \"" << action << "\" (list, show, stop)\n";
  return kExitBadInput;
}

}  // namespace fai
