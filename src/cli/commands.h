// The fai-sweep subcommands, as functions returning the process exit status:
// 0 success, 1 some combinations failed, 2 bad input or usage (nothing run, nothing damaged).
#ifndef FAI_CLI_COMMANDS_H_
#define FAI_CLI_COMMANDS_H_

#include <ostream>
#include <string>

#include "cli/sweep_options.h"

namespace fai {

constexpr int kExitOk = 0;
constexpr int kExitFailures = 1;
constexpr int kExitBadInput = 2;

// `fai-sweep validate` and `fai-sweep CANVAS GRID --dry-run`: load, validate, print the plan.
int ValidateCommand(const SweepOptions& options, std::ostream& out, std::ostream& err);

// `fai-sweep [run] CANVAS [GRID]`: run the sweep on every rank (rank 0 prints and writes).
int RunCommand(const SweepOptions& options, std::ostream& out, std::ostream& err);

// `fai-sweep modules [TYPE]`: every module type with its params and ports.
int ModulesCommand(const std::string& type, bool json, std::ostream& out, std::ostream& err);

}  // namespace fai

#endif  // FAI_CLI_COMMANDS_H_
