// Canvas: a validated workflow DAG read from canvas.json (DESIGN §2).
//
// A Canvas is immutable once parsed; its ModuleInstances point into the ModuleRegistry it was
// parsed with, which must outlive it. Modules are kept in file order; `TopologicalOrder()` gives
// an order in which every module comes after its inputs.
#ifndef FAI_CANVAS_CANVAS_H_
#define FAI_CANVAS_CANVAS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "fai/module.h"
#include "fai/value.h"

namespace fai {

// One `inputs` entry: port <- "module.output".
struct InputRef {
  std::string port;
  std::string module;  // producer's id
  std::string output;  // producer's output port
};

struct ModuleInstance {
  std::string id;
  const ModuleType* type = nullptr;  // never null in a parsed canvas
  Dict params;                       // every declared param (defaults filled), coerced to its type;
                                     // for free-form types exactly the entry's params
  std::vector<InputRef> inputs;      // sorted by port
  Resources resources;               // the type's defaults overridden by the entry
  double timeout_s = 0;              // 0: none
  int retries = 0;
  bool retry_on_error = false;
  bool isolate = false;              // run in a child process

  // Output ports: the type's, or a free-form entry's `outputs` param.
  std::vector<std::string> OutputPorts() const;
  // Names of the params a grid may sweep (free-form: the entry's params less argv/env/outputs).
  std::vector<std::string> SweepableParams() const;
};

class Canvas {
 public:
  std::string name;
  int version = 1;
  std::string path;                  // the file it came from (for messages)
  std::string source_text;           // the file's text, stored with results
  std::vector<std::string> plugins;  // shared libraries named by the canvas
  std::vector<ModuleInstance> modules;

  // Index of the module with this id, or -1.
  int IndexOf(std::string_view id) const;
  const ModuleInstance* Find(std::string_view id) const;
  std::vector<std::string> ModuleIds() const;
  // Module indices, producers before consumers (stable: file order among equals).
  std::vector<int> TopologicalOrder() const;
  // For each module, the indices of the modules whose outputs it reads (deduplicated).
  std::vector<std::vector<int>> Predecessors() const;
};

}  // namespace fai

#endif  // FAI_CANVAS_CANVAS_H_
