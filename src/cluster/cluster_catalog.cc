#include "cluster/cluster_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "common/suggest.h"

namespace fai {

namespace fs = std::filesystem;

namespace {

bool IsDir(const std::string& path) {
  std::error_code ec;
  return !path.empty() && fs::is_directory(path, ec);
}

std::string FirstDir(const std::vector<std::string>& dirs) {
  for (const std::string& d : dirs)
    if (IsDir(d)) return d;
  return "";
}

std::vector<std::string> Places(const CatalogPlaces& p, const std::string& env,
                                const std::string& in_tree, const std::string& in_share) {
  std::vector<std::string> dirs;
  if (!env.empty()) dirs.push_back(env);
  if (!p.cwd.empty()) dirs.push_back((fs::path(p.cwd) / in_tree).string());
  if (!p.exe.empty()) {
    const fs::path exe_dir = fs::path(p.exe).parent_path();
    if (std::string source = SourceDirOfBuild(exe_dir.string()); !source.empty())
      dirs.push_back((fs::path(source) / in_tree).string());
    dirs.push_back((exe_dir.parent_path() / "share" / "fai-sweep" / in_share).string());
  }
  return dirs;
}

}  // namespace

CatalogPlaces CatalogPlaces::FromProcess() {
  CatalogPlaces p;
  if (const char* v = std::getenv("FAI_CLUSTERS_DIR")) p.clusters_env = v;
  if (const char* v = std::getenv("FAI_SLURM_TEMPLATES")) p.templates_env = v;
  std::error_code ec;
  p.cwd = fs::current_path(ec).string();
  p.exe = fs::read_symlink("/proc/self/exe", ec).string();
  return p;
}

std::string SourceDirOfBuild(const std::string& build_dir) {
  std::ifstream cache(fs::path(build_dir) / "CMakeCache.txt");
  const std::string key = "fai-sweep_SOURCE_DIR:STATIC=";
  std::string line;
  while (std::getline(cache, line))
    if (line.rfind(key, 0) == 0) return line.substr(key.size());
  return "";
}

ClusterCatalog::ClusterCatalog(const CatalogPlaces& places)
    : profile_dirs_(Places(places, places.clusters_env, "configs/clusters", "clusters")),
      template_dirs_(Places(places, places.templates_env, "scripts/slurm", "slurm")),
      profile_dir_(FirstDir(profile_dirs_)),
      template_dir_(FirstDir(template_dirs_)) {}

std::vector<std::string> ClusterCatalog::ProfilePaths() const {
  std::vector<std::string> paths;
  if (profile_dir_.empty()) return paths;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(profile_dir_, ec)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml"))
      paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

Result<std::string> ClusterCatalog::Resolve(const std::string& name_or_path) const {
  const fs::path given(name_or_path);
  const std::string ext = given.extension().string();
  std::error_code ec;
  if (name_or_path.find('/') != std::string::npos || ext == ".yaml" || ext == ".yml") {
    if (!fs::is_regular_file(given, ec))
      return Status::InvalidInput("--cluster " + name_or_path + ": no such profile file");
    return fs::absolute(given, ec).string();
  }
  if (profile_dir_.empty()) {
    std::string searched;
    for (const std::string& d : profile_dirs_) searched += (searched.empty() ? "" : ", ") + d;
    return Status::InvalidInput("--cluster " + name_or_path +
                                ": no profile directory found (searched " + searched +
                                "); give a profile's path or set FAI_CLUSTERS_DIR");
  }
  std::vector<std::string> names;
  for (const std::string& path : ProfilePaths()) {
    const fs::path p(path);
    if (p.stem().string() == name_or_path) return fs::absolute(p, ec).string();
    names.push_back(p.stem().string());
  }
  return Status::InvalidInput(
      "--cluster " + name_or_path + ": no profile of that name in " + profile_dir_ +
      DidYouMean(name_or_path, names) +
      (names.empty() ? std::string(" (it has none)") : " (profiles: " + QuotedList(names) + ")"));
}

Result<std::string> ClusterCatalog::TemplatePath(bool gpu) const {
  const std::string file = gpu ? "fai-sweep-gpu.sbatch" : "fai-sweep-cpu.sbatch";
  if (template_dir_.empty()) {
    std::string searched;
    for (const std::string& d : template_dirs_) searched += (searched.empty() ? "" : ", ") + d;
    return Status::NotFound("no sbatch template directory found (searched " + searched +
                            "); set FAI_SLURM_TEMPLATES or give --template");
  }
  const fs::path path = fs::path(template_dir_) / file;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::NotFound(path.string() + ": no such template");
  return path.string();
}

}  // namespace fai
