// Running a `command` module's program (DESIGN §6): the run function of the `command` type.
//
// In the task's working directory it writes each input to a file (JSON for scalars, lists and
// maps, CSV for tables and matrices, raw bytes for blobs), substitutes the argv placeholders
// (each substitution stays one argument: no shell is involved), writes FAI_TASK, and runs the
// program in its own process group with stdout and stderr captured to stdout.log / stderr.log
// (through pipes: a log exists only when the program wrote to it).
// Its environment is the worker's (less the MPI launcher's variables, see IsLauncherVariable)
// plus the entry's `env`, FAI_TASK, FAI_OUTPUT, FAI_NUM_CPUS, and CUDA_VISIBLE_DEVICES when it
// was given GPUs. At its timeout the whole process group is
// killed (SIGTERM, then SIGKILL after 2 s). A JSON object written to FAI_OUTPUT becomes the
// task's outputs. A non-zero exit, a signal, a timeout or a declared output left unwritten
// throws std::runtime_error with the reason and the tail of stderr.
#ifndef FAI_CANVAS_COMMAND_EXEC_H_
#define FAI_CANVAS_COMMAND_EXEC_H_

#include <string>
#include <string_view>

#include "fai/module.h"

namespace fai {

void RunCommandTask(TaskContext& ctx);

// Whether `name` is a variable with which the MPI launcher tells a rank which job it belongs to
// (PMIX_*, PMI_*, OMPI_COMM_WORLD_*, mpirun's own OMPI_MCA_orte_*, ...). A program that a task
// starts is not a rank of the sweep's job: with these it would try to join it (an MPI program
// fails in MPI_Init, and the launcher may hang). The user's OMPI_MCA_* settings are kept.
bool IsLauncherVariable(std::string_view name);

// The text a value becomes in argv: strings as they are, numbers in their shortest exact form,
// bools true/false, null empty, lists and maps as JSON.
std::string ArgvText(const Value& value);

// Writes `value` to `path_stem` + the extension its kind takes (.json, .csv or .bin) and
// returns the full path. Throws std::runtime_error when the file cannot be written.
std::string WriteInputFile(const std::string& path_stem, const Value& value);

}  // namespace fai

#endif  // FAI_CANVAS_COMMAND_EXEC_H_
