#include "canvas/program_spawn.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace fai {

namespace {

// The signals the child sets to SIG_DFL: those this process handles (a handler must never run in
// the child, which shares the parent's memory until exec), and three a program must not inherit
// ignored. Looked up once: handlers are installed at start-up (MPI's; fai-sweep installs none),
// before the first task.
const sigset_t& SignalsToReset() {
  static const sigset_t set = [] {
    sigset_t s;
    sigemptyset(&s);
    for (int sig = 1; sig < NSIG; ++sig) {
      struct sigaction sa;
      if (sigaction(sig, nullptr, &sa) != 0) continue;  // the C library's internal signals
      if ((sa.sa_flags & SA_SIGINFO) != 0 || (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN))
        sigaddset(&s, sig);
    }
    for (int sig : {SIGPIPE, SIGTERM, SIGINT}) sigaddset(&s, sig);
    return s;
  }();
  return set;
}

// /dev/null for the programs' stdin, opened once (above 2, so that dup2 onto 0 makes a copy).
int DevNull() {
  static const int fd = [] {
    const int opened = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (opened < 0 || opened > STDERR_FILENO) return opened;
    const int raised = fcntl(opened, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    close(opened);
    return raised;
  }();
  return fd;
}

// The stack a thread's children run on until they exec, mapped on the thread's first start (with
// a guard page below it) and kept.
class ChildStack {
 public:
  static constexpr size_t kBytes = 64 << 10;
  ChildStack() {
    void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) return;
    base_ = static_cast<char*>(p);
    mprotect(base_, static_cast<size_t>(sysconf(_SC_PAGESIZE)), PROT_NONE);
  }
  ~ChildStack() {
    if (base_ != nullptr) munmap(base_, kBytes);
  }
  ChildStack(const ChildStack&) = delete;
  ChildStack& operator=(const ChildStack&) = delete;
  void* top() const { return base_ == nullptr ? nullptr : base_ + kBytes; }  // 16-byte aligned

 private:
  char* base_ = nullptr;
};

struct ChildArgs {
  const SpawnRequest* request;
  const sigset_t* reset;
  const char* search_path;  // PATH
  int stdin_fd;
  int open_max;  // file descriptors lie below it
  int error;     // set by the child when it fails before or in exec
};

// execve of `file`, looked up in `search_path` when it has no '/' the way posix_spawnp does:
// the next directory on ENOENT, ENOTDIR, EACCES (reported if nothing else runs), ...; an empty
// entry is the working directory. Returns only on failure, with errno set.
void ExecSearching(const char* file, char* const* argv, char* const* envp, const char* search_path) {
  if (std::strchr(file, '/') != nullptr) {
    execve(file, argv, envp);
    return;
  }
  const size_t file_bytes = std::strlen(file) + 1;
  if (file_bytes > NAME_MAX + 1) {
    errno = ENAMETOOLONG;
    return;
  }
  char path[PATH_MAX + NAME_MAX + 2];
  bool denied = false;
  for (const char* dir = search_path;;) {
    const char* end = strchrnul(dir, ':');
    const size_t dir_bytes = static_cast<size_t>(end - dir);
    if (dir_bytes <= PATH_MAX) {
      std::memcpy(path, dir, dir_bytes);
      size_t n = dir_bytes;
      if (n > 0) path[n++] = '/';
      std::memcpy(path + n, file, file_bytes);
      execve(path, argv, envp);
      switch (errno) {
        case EACCES: denied = true; break;
        case ENOENT: case ENOTDIR: case ESTALE: case ENODEV: case ETIMEDOUT: break;
        default: return;
      }
    }
    if (*end == '\0') break;
    dir = end + 1;
  }
  errno = denied ? EACCES : ENOENT;
}

// The child, between clone and exec: on its own stack but in the parent's memory, with every
// signal blocked. System calls only: no allocation, no locks, nothing another thread may hold.
int ChildMain(void* arg) {
  ChildArgs* a = static_cast<ChildArgs*>(arg);
  const SpawnRequest& r = *a->request;
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig)
    if (sigismember(a->reset, sig) == 1) sigaction(sig, &dfl, nullptr);
  if (setpgid(0, 0) != 0 || dup2(a->stdin_fd, STDIN_FILENO) < 0 || dup2(r.stdout_fd, STDOUT_FILENO) < 0 ||
      dup2(r.stderr_fd, STDERR_FILENO) < 0) {
    a->error = errno;
    _exit(127);
  }
  // Nothing else of the parent's (MPI's sockets and shared memory are not the program's business).
  if (close_range(STDERR_FILENO + 1, ~0U, 0) != 0)  // before Linux 5.9: one by one
    for (int fd = STDERR_FILENO + 1; fd < a->open_max; ++fd) close(fd);
  if (chdir(r.dir) != 0) {
    a->error = errno;
    _exit(127);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  ExecSearching(r.argv[0], r.argv, r.envp, a->search_path);
  a->error = errno;
  _exit(127);
}

}  // namespace

pid_t SpawnProgram(const SpawnRequest& request, int* error) {
  // Each descriptor the child moves must lie above the three it fills (dup2 onto 1 must not
  // overwrite the stream that is to become 2). Pipes are, unless this process runs without stdio.
  if (request.stdout_fd <= STDERR_FILENO || request.stderr_fd <= STDERR_FILENO) {
    SpawnRequest raised = request;
    raised.stdout_fd = fcntl(request.stdout_fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    raised.stderr_fd = fcntl(request.stderr_fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    pid_t pid = -1;
    if (raised.stdout_fd < 0 || raised.stderr_fd < 0) {
      *error = errno;
    } else {
      pid = SpawnProgram(raised, error);
    }
    if (raised.stdout_fd >= 0) close(raised.stdout_fd);
    if (raised.stderr_fd >= 0) close(raised.stderr_fd);
    return pid;
  }
  thread_local ChildStack stack;
  const int stdin_fd = DevNull();
  if (stack.top() == nullptr || stdin_fd < 0) {
    *error = stdin_fd < 0 ? EMFILE : ENOMEM;
    return -1;
  }
  const char* search_path = getenv("PATH");
  static const int open_max = static_cast<int>(sysconf(_SC_OPEN_MAX));
  ChildArgs args{&request, &SignalsToReset(), search_path != nullptr ? search_path : "/bin:/usr/bin", stdin_fd,
                 open_max, 0};
  // Blocked across clone: no handler may run in the child before it has reset them.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int pidfd = -1;
  const int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
  pid_t pid = request.pidfd != nullptr ? clone(ChildMain, stack.top(), flags | CLONE_PIDFD, &args, &pidfd)
                                       : clone(ChildMain, stack.top(), flags, &args);
  if (pid < 0 && errno == EINVAL && request.pidfd != nullptr) {  // a kernel without CLONE_PIDFD
    pidfd = -1;
    pid = clone(ChildMain, stack.top(), flags, &args);
  }
  const int clone_error = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) {
    *error = clone_error;
    return -1;
  }
  // CLONE_VFORK: the child has executed the program or exited by now.
  if (args.error != 0) {
    if (pidfd >= 0) close(pidfd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    *error = args.error;
    return -1;
  }
  if (request.pidfd != nullptr) *request.pidfd = pidfd;
  return pid;
}

}  // namespace fai
