// Starting a command's program: what posix_spawnp does, without its per-start costs.
//
// glibc's posix_spawn queries and resets every one of the 64 signal dispositions in the child
// (its child shares the parent's memory, so no parent handler may run there) and maps a fresh
// stack for each start. SpawnProgram does the same work with what it can know ahead: the signals
// this process handles are looked up once, at the first start (their handlers are installed at
// start-up, by MPI_Init), and each thread keeps one child stack. The child is a clone(CLONE_VM |
// CLONE_VFORK) like posix_spawn's: the calling thread waits until the program has been executed
// or has failed to be.
#ifndef FAI_CANVAS_PROGRAM_SPAWN_H_
#define FAI_CANVAS_PROGRAM_SPAWN_H_

#include <sys/types.h>

namespace fai {

struct SpawnRequest {
  // argv[0] is the program: a path when it holds a '/', else a name looked up in this process's
  // PATH (as execvp does, but without running a file that is not an executable with /bin/sh).
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* dir = nullptr;  // the working directory
  int stdout_fd = -1;         // become the program's stdout and stderr; stdin is /dev/null
  int stderr_fd = -1;
  int* pidfd = nullptr;       // when set, receives a pidfd of the program's process (close-on-exec),
                              // or -1 where the kernel (before 5.2) makes none
};

// Starts the program in a process group of its own, with an empty signal mask, default
// dispositions for the signals this process handles and for SIGPIPE, SIGTERM and SIGINT (others
// it ignores stay ignored, as through exec), and only file descriptors 0-2 open. Returns its pid;
// on failure -1 with *error set to the errno (ENOENT for a program not found, ...).
pid_t SpawnProgram(const SpawnRequest& request, int* error);

}  // namespace fai

#endif  // FAI_CANVAS_PROGRAM_SPAWN_H_
