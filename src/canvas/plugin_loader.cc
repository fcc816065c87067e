#include "canvas/plugin_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fai {

namespace fs = std::filesystem;

Status LoadPlugin(const std::string& path, ModuleRegistry* registry) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return Status::InvalidInput("plugin " + path + ": cannot load: " + dlerror());
  using RegisterFn = void (*)(ModuleRegistry*);
  auto fn = reinterpret_cast<RegisterFn>(dlsym(handle, "fai_register_modules"));
  if (fn == nullptr)
    return Status::InvalidInput("plugin " + path +
                                ": has no fai_register_modules (declare it with FAI_PLUGIN, see fai/module.h)");
  ModuleRegistry own;
  try {
    fn(&own);
    for (const std::string& name : own.Names()) {
      ModuleType type = *own.Find(name);
      type.isolate_by_default = true;
      registry->Register(std::move(type));
    }
  } catch (const std::exception& e) {
    return Status::InvalidInput("plugin " + path + ": " + e.what());
  }
  return Status::OK();
}

std::vector<std::string> CanvasPluginPaths(const std::string& canvas_path) {
  std::ifstream in(canvas_path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> paths;
  if (!j.is_object() || !j.contains("plugins") || !j["plugins"].is_array()) return paths;
  const fs::path dir = fs::absolute(fs::path(canvas_path)).parent_path();
  for (const auto& p : j["plugins"])
    if (p.is_string()) paths.push_back((dir / p.get<std::string>()).lexically_normal().string());
  return paths;
}

Result<ModuleRegistry> RegistryForCanvas(const std::string& canvas_path,
                                         const std::vector<std::string>& extra_plugins) {
  ModuleRegistry registry = ModuleRegistry::WithBuiltins();
  std::vector<std::string> paths = extra_plugins;
  for (std::string& p : CanvasPluginPaths(canvas_path)) paths.push_back(std::move(p));
  for (const std::string& p : paths) {
    Status s = LoadPlugin(p, &registry);
    if (!s.ok()) return s.Prefixed(canvas_path + ": ");
  }
  return registry;
}

}  // namespace fai
