// Plugin modules: shared libraries that add module types through include/fai/module.h.
//
// A plugin exports `fai_register_modules` (write it with FAI_PLUGIN) and registers its types
// there. Types from plugins run in a child process by default (a crash costs one task), unless
// the canvas entry says "isolation": "thread". A loaded library stays loaded for the life of the
// process. Not thread-safe: load plugins at start-up, before tasks run.
#ifndef FAI_CANVAS_PLUGIN_LOADER_H_
#define FAI_CANVAS_PLUGIN_LOADER_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "fai/module.h"

namespace fai {

// Loads the library at `path` and registers its types into *registry. InvalidInput naming the
// path when it cannot be loaded, lacks fai_register_modules, or registers a bad or taken type.
Status LoadPlugin(const std::string& path, ModuleRegistry* registry);

// The `plugins` a canvas file lists, resolved against the canvas file's directory. A canvas
// that cannot be read or parsed yields no plugins (its errors come from the canvas parser).
std::vector<std::string> CanvasPluginPaths(const std::string& canvas_path);

// The built-in types plus those of `extra_plugins` (--plugin) and of the canvas's `plugins`.
Result<ModuleRegistry> RegistryForCanvas(const std::string& canvas_path,
                                         const std::vector<std::string>& extra_plugins);

}  // namespace fai

#endif  // FAI_CANVAS_PLUGIN_LOADER_H_
