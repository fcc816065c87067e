// Registration of the built-in module types, one function per group. ModuleRegistry::WithBuiltins
// calls each of them; a new group adds its function here and a call there.
#ifndef FAI_CANVAS_BUILTIN_MODULES_H_
#define FAI_CANVAS_BUILTIN_MODULES_H_

#include "fai/module.h"

namespace fai {

// `noop`: for tests and benchmarks (sleeps, fails on request, emits a payload of a given size).
void RegisterCoreModules(ModuleRegistry& registry);

// `command`: runs a program with an argv list (DESIGN §6); see canvas/command_module.h.
void RegisterCommandModule(ModuleRegistry& registry);

}  // namespace fai

#endif  // FAI_CANVAS_BUILTIN_MODULES_H_
