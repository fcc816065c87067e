// ClusterCatalog: where cluster profiles (configs/clusters/*.yaml) and sbatch templates
// (scripts/slurm/*.sbatch) are found, and resolving `--cluster NAME|PATH` to a profile file.
//
// Search order, first existing directory wins, for profiles / templates:
//   1. $FAI_CLUSTERS_DIR / $FAI_SLURM_TEMPLATES
//   2. ./configs/clusters / ./scripts/slurm (the working directory is a checkout)
//   3. the source tree of the build directory holding the executable (from its CMakeCache.txt)
//   4. <exe>/../share/fai-sweep/clusters / <exe>/../share/fai-sweep/slurm (an installed tree)
// Plain logic over the values in CatalogPlaces (gathered by CatalogPlaces::FromProcess), so
// tests give their own. Thread-safe (no state after construction).
#ifndef FAI_CLUSTER_CLUSTER_CATALOG_H_
#define FAI_CLUSTER_CLUSTER_CATALOG_H_

#include <string>
#include <vector>

#include "common/status.h"

namespace fai {

struct CatalogPlaces {
  std::string clusters_env;   // $FAI_CLUSTERS_DIR, "" when unset
  std::string templates_env;  // $FAI_SLURM_TEMPLATES, "" when unset
  std::string cwd;            // the working directory
  std::string exe;            // the running executable's path ("" when unknown)

  // This process's environment, working directory and /proc/self/exe.
  static CatalogPlaces FromProcess();
};

class ClusterCatalog {
 public:
  explicit ClusterCatalog(const CatalogPlaces& places);

  // The profile directory in use, or "" when none of the places exists.
  const std::string& profile_dir() const { return profile_dir_; }
  // The template directory in use, or "" when none exists.
  const std::string& template_dir() const { return template_dir_; }
  // Every place searched, for "not found" messages.
  const std::vector<std::string>& searched_profile_dirs() const { return profile_dirs_; }

  // Profile files (*.yaml, *.yml) of profile_dir(), sorted by name.
  std::vector<std::string> ProfilePaths() const;

  // `--cluster` value → a profile file. A value containing '/' or ending in .yaml/.yml is a path;
  // otherwise NAME.yaml in profile_dir(). InvalidInput names the known profiles otherwise.
  Result<std::string> Resolve(const std::string& name_or_path) const;

  // The template for a CPU-only (gpu = false) or GPU profile: fai-sweep-{cpu,gpu}.sbatch.
  Result<std::string> TemplatePath(bool gpu) const;

 private:
  std::vector<std::string> profile_dirs_;
  std::vector<std::string> template_dirs_;
  std::string profile_dir_;
  std::string template_dir_;
};

// The `fai-sweep_SOURCE_DIR` recorded in `build_dir`/CMakeCache.txt, or "" when absent.
std::string SourceDirOfBuild(const std::string& build_dir);

}  // namespace fai

#endif  // FAI_CLUSTER_CLUSTER_CATALOG_H_
