// The command runner's output capture and waiting: logs are made only for streams the program
// wrote to, long output is kept whole, a descendant that keeps the pipes open does not hold the
// task, and a timeout ends the whole process group.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "canvas/builtin_modules.h"
#include "canvas/command_exec.h"
#include "mpi_sched/task_runner.h"

namespace fai {
namespace {

namespace fs = std::filesystem;

class CommandExecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterCommandModule(registry_);
    dir_ = fs::temp_directory_path() / ("fai-command-exec-" + std::to_string(getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  TaskOutcome Run(const std::vector<std::string>& argv, double timeout_s = 0, Dict env = {}) {
    TaskOrder order;
    order.type = "command";
    List args;
    for (const std::string& a : argv) args.push_back(Value(a));
    order.params["argv"] = Value(std::move(args));
    if (!env.empty()) order.params["env"] = Value(std::move(env));
    order.work_dir = (dir_ / "task").string();
    order.timeout_s = timeout_s;
    return RunTaskOrder(registry_, order, {});
  }
  std::string Log(const char* name) const {
    std::ifstream in(dir_ / "task" / name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  ModuleRegistry registry_;
  fs::path dir_;
};

TEST_F(CommandExecTest, SilentProgramLeavesNoLogs) {
  TaskOutcome outcome = Run({"/bin/true"});
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_TRUE(fs::exists(dir_ / "task" / "task.json"));
  EXPECT_FALSE(fs::exists(dir_ / "task" / "stdout.log"));
  EXPECT_FALSE(fs::exists(dir_ / "task" / "stderr.log"));
  EXPECT_FALSE(fs::exists(dir_ / "task" / "inputs"));  // no inputs, no directory for them
}

TEST_F(CommandExecTest, OutputLongerThanAPipeIsKeptWhole) {
  // 1 MiB on stdout (16 pipe buffers) and a line on stderr.
  TaskOutcome outcome =
      Run({"/bin/sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x; echo done >&2"});
  ASSERT_TRUE(outcome.ok) << outcome.error;
  const std::string out = Log("stdout.log");
  EXPECT_EQ(out.size(), 1048576u);
  EXPECT_EQ(out.find_first_not_of('x'), std::string::npos);
  EXPECT_EQ(Log("stderr.log"), "done\n");
}

TEST_F(CommandExecTest, AnEarlierAttemptsLogsDoNotRemain) {
  ASSERT_TRUE(Run({"/bin/sh", "-c", "echo first"}).ok);
  EXPECT_EQ(Log("stdout.log"), "first\n");
  ASSERT_TRUE(Run({"/bin/true"}).ok);
  EXPECT_FALSE(fs::exists(dir_ / "task" / "stdout.log"));
}

TEST_F(CommandExecTest, EnvironmentIsTheWorkersWithTheEntrysAndOursOnTop) {
  // PATH is in the worker's environment: the entry's value replaces it (one PATH, not two).
  TaskOutcome outcome = Run({"/bin/sh", "-c", "echo \"$PATH|$FAI_EXTRA|$FAI_NUM_CPUS\"; env | grep -c '^PATH='"},
                            0, Dict{{"PATH", Value("/usr/bin:/bin")}, {"FAI_EXTRA", Value(2.5)}});
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(Log("stdout.log"), "/usr/bin:/bin|2.5|1\n1\n");
}

TEST_F(CommandExecTest, ProgramGetsOnlyStandardStreams) {
  const int inherited = open("/dev/null", O_RDONLY);  // no O_CLOEXEC: an exec would keep it
  ASSERT_GE(inherited, 3);
  TaskOutcome outcome = Run({"/bin/sh", "-c", "ls /proc/$$/fd"});
  close(inherited);
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(Log("stdout.log"), "0\n1\n2\n");
}

TEST_F(CommandExecTest, FailureCarriesTheTailOfStderr) {
  TaskOutcome outcome = Run({"/bin/sh", "-c", "echo 'bad input: x' >&2; exit 3"});
  ASSERT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.failure, FailureKind::kError);
  EXPECT_NE(outcome.error.find("exited with status 3"), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("stderr: bad input: x"), std::string::npos) << outcome.error;
}

TEST_F(CommandExecTest, DescendantHoldingThePipesDoesNotHoldTheTask) {
  // The program leaves a background child with its stdout and stderr open, then exits.
  TaskOutcome outcome = Run({"/bin/sh", "-c", "echo started; sleep 60 & echo $! > bg.pid; exit 0"});
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(Log("stdout.log"), "started\n");
  // The task ended while its descendant still lives.
  const pid_t background = std::stoi(Log("bg.pid"));
  EXPECT_EQ(kill(background, 0), 0);
  kill(background, SIGKILL);
}

TEST_F(CommandExecTest, TimeoutEndsTheProcessGroup) {
  TaskOutcome outcome = Run({"/bin/sh", "-c", "echo waiting >&2; sleep 30; sleep 30"}, 0.5);
  ASSERT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.failure, FailureKind::kTimeout);
  EXPECT_NE(outcome.error.find("timed out after 0.5 s"), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("stderr: waiting"), std::string::npos) << outcome.error;
}

TEST_F(CommandExecTest, ProgramNameIsLookedUpInPath) {
  TaskOutcome outcome = Run({"sh", "-c", "echo found"});
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(Log("stdout.log"), "found\n");
}

TEST_F(CommandExecTest, ProgramThatCannotStartFailsTheTaskWithTheReason) {
  TaskOutcome missing = Run({"fai-no-such-program"});
  ASSERT_FALSE(missing.ok);
  EXPECT_EQ(missing.failure, FailureKind::kError);
  EXPECT_EQ(missing.error, "cannot start \"fai-no-such-program\": No such file or directory");

  fs::create_directories(dir_);
  const fs::path script = dir_ / "not-executable.sh";
  std::ofstream(script) << "#!/bin/sh\necho ran\n";
  fs::permissions(script, fs::perms::owner_read | fs::perms::owner_write);
  TaskOutcome denied = Run({script.string()});
  ASSERT_FALSE(denied.ok);
  EXPECT_EQ(denied.error, "cannot start \"" + script.string() + "\": Permission denied");

  TaskOutcome no_dir = Run({"/bin/true"});
  ASSERT_TRUE(no_dir.ok) << no_dir.error;  // the failures left nothing behind
}

// The program starts with no signal blocked, SIGPIPE, SIGTERM and SIGINT at their defaults even
// when the worker ignores them, and other ignored signals still ignored (as nohup expects).
TEST_F(CommandExecTest, ProgramGetsAnEmptySignalMaskAndDefaultDispositions) {
  struct sigaction ignore {}, old_pipe {}, old_term {}, old_hup {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old_pipe);
  sigaction(SIGTERM, &ignore, &old_term);
  sigaction(SIGHUP, &ignore, &old_hup);
  sigset_t blocked, old_mask;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &blocked, &old_mask);
  TaskOutcome outcome = Run({"/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"});
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  sigaction(SIGPIPE, &old_pipe, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGHUP, &old_hup, nullptr);
  ASSERT_TRUE(outcome.ok) << outcome.error;
  std::istringstream lines(Log("stdout.log"));
  std::string blk_name, blk, ign_name, ign;
  lines >> blk_name >> blk >> ign_name >> ign;
  EXPECT_EQ(blk_name, "SigBlk:");
  EXPECT_EQ(std::stoull(blk, nullptr, 16), 0u);
  const uint64_t ignored = std::stoull(ign, nullptr, 16);
  const auto bit = [](int sig) { return uint64_t{1} << (sig - 1); };
  EXPECT_EQ(ignored & (bit(SIGPIPE) | bit(SIGTERM) | bit(SIGINT)), 0u) << ign;
  EXPECT_NE(ignored & bit(SIGHUP), 0u) << ign;
}

TEST(LauncherVariableTest, JobVariablesGoUserSettingsStay) {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_UNIVERSE_SIZE", "OMPI_FILE_LOCATION",
                           "OMPI_MCA_ess", "OMPI_MCA_ess_base_jobid", "OMPI_MCA_orte_hnp_uri", "OMPI_MCA_pmix",
                           "OMPI_MCA_initial_wdir", "PMIX_RANK", "PMIX_SERVER_URI41", "PMI_FD", "PRTE_MCA_x"})
    EXPECT_TRUE(IsLauncherVariable(name)) << name;
  for (const char* name : {"OMPI_MCA_btl", "OMPI_MCA_pml", "OMPI_MCA_mpi_yield_when_idle", "OMPI_ALLOW_RUN_AS_ROOT",
                           "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "PATH", "SLURM_JOB_ID", "OMP_NUM_THREADS", "PMIXED",
                           "OMPI", "FAI_TASK"})
    EXPECT_FALSE(IsLauncherVariable(name)) << name;
}

}  // namespace
}  // namespace fai
