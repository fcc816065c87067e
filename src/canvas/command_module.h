// The `command` module type (DESIGN §6): runs a program with an argv list, never through a shell.
//
// Its params are whatever its canvas entry lists; `argv` (required, a non-empty list of strings),
// `env` (a map of variable -> string/number/bool) and `outputs` (the ports other modules may take)
// are reserved. An argv element may hold placeholders: `{name}` is the value of the entry's param
// `name`, `{inputs.port}` the path of the file holding a connected input; `{{` and `}}` are literal
// braces. A substituted value is always one argument, whatever characters it holds.
//
// Pure functions, shared by the canvas parser (validation) and the runtime (substitution).
#ifndef FAI_CANVAS_COMMAND_MODULE_H_
#define FAI_CANVAS_COMMAND_MODULE_H_

#include <string>
#include <string_view>
#include <vector>

#include "fai/value.h"

namespace fai {

inline constexpr char kCommandTypeName[] = "command";

// argv, env and outputs.
bool IsReservedCommandParam(std::string_view name);

// The built-in placeholder for the directory of the canvas file; no param may take this name.
inline constexpr char kCanvasDirPlaceholder[] = "canvas_dir";

// One piece of an argv element.
struct ArgvPiece {
  enum class Kind { kLiteral, kParam, kInput, kCanvasDir };
  Kind kind = Kind::kLiteral;
  std::string text;  // the literal text (braces unescaped), the param name, the input port,
                     // or "canvas_dir"
  bool operator==(const ArgvPiece& other) const = default;
};

// Splits an argv element into literals and placeholders. Returns "" and fills *pieces, or says
// what is malformed (an unmatched brace, an empty placeholder). Names are not checked here.
std::string ParseArgvTemplate(std::string_view element, std::vector<ArgvPiece>* pieces);

// Checks a command entry's params: argv (and each placeholder against the entry's params and
// `connected_inputs`), env and outputs, and that no param is called canvas_dir. Returns one problem
// per element, each starting with its key path, e.g. `params.argv[3]: unknown placeholder "{lrr}";
// did you mean "{lr}"?`.
std::vector<std::string> CheckCommandParams(const Dict& params,
                                            const std::vector<std::string>& connected_inputs);

}  // namespace fai

#endif  // FAI_CANVAS_COMMAND_MODULE_H_
