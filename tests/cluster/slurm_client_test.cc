#include "cluster/slurm_client.h"

#include <gtest/gtest.h>

#include <deque>

namespace fai {
namespace {

// Records every command and answers from a script of outcomes.
class FakeRunner : public CommandRunner {
 public:
  CommandOutcome Run(const std::vector<std::string>& argv) override {
    calls.push_back(argv);
    if (answers.empty()) return CommandOutcome{};
    CommandOutcome r = answers.front();
    answers.pop_front();
    return r;
  }
  std::vector<std::vector<std::string>> calls;
  std::deque<CommandOutcome> answers;
};

CommandOutcome Ran(int code, std::string out, std::string err = "") {
  return CommandOutcome{true, code, std::move(out), std::move(err)};
}

TEST(SlurmClient, ParsesSqueue) {
  Result<std::vector<SlurmJob>> jobs = ParseSqueue(
      "12|fai-small-results|RUNNING|1:02|4:00:00|2|node[1-2]|fai-sweep:small\n"
      "13|other|PENDING|0:00|1:00:00|1|(Resources)|(null)\n"
      "14|fai-local-x|RUNNING|0:01|10:00|1|vm|a|b\n");
  ASSERT_TRUE(jobs.ok()) << jobs.status().message();
  ASSERT_EQ(jobs->size(), 3u);
  const SlurmJob& j = (*jobs)[0];
  EXPECT_EQ(j.id, "12");
  EXPECT_EQ(j.name, "fai-small-results");
  EXPECT_EQ(j.state, "RUNNING");
  EXPECT_EQ(j.time_used, "1:02");
  EXPECT_EQ(j.time_limit, "4:00:00");
  EXPECT_EQ(j.nodes, "2");
  EXPECT_EQ(j.where, "node[1-2]");
  EXPECT_EQ(j.comment, "fai-sweep:small");
  EXPECT_FALSE(j.queued());
  EXPECT_TRUE((*jobs)[1].queued());
  EXPECT_EQ((*jobs)[1].comment, "");
  EXPECT_EQ((*jobs)[2].comment, "a|b");
  EXPECT_FALSE(ParseSqueue("garbage\n").ok());
  EXPECT_TRUE(ParseSqueue("").ok());
}

TEST(SlurmClient, JobsOfProfileByCommentOrName) {
  std::vector<SlurmJob> jobs(5);
  jobs[0].name = "fai-small-a";
  jobs[1].name = "renamed";
  jobs[1].comment = "fai-sweep:small";
  jobs[2].name = "fai-small_gpu-b";  // another profile: small_gpu
  jobs[3].name = "fai-smaller-c";
  jobs[4].name = "fai-sweep";
  for (size_t i = 0; i < jobs.size(); ++i) jobs[i].id = std::to_string(i);
  std::vector<SlurmJob> mine = JobsOfProfile(jobs, "small");
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, "0");
  EXPECT_EQ(mine[1].id, "1");
  EXPECT_EQ(JobsOfProfile(jobs, "small_gpu").size(), 1u);
}

TEST(SlurmClient, SubmitParsesTheJobId) {
  FakeRunner runner;
  runner.answers = {Ran(0, "4242\n"), Ran(0, "77;cluster2\n"),
                    Ran(1, "", "sbatch: error: invalid partition")};
  SlurmClient slurm(&runner);
  Result<std::string> id = slurm.Submit("/tmp/job.sbatch", false, nullptr);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "4242");
  EXPECT_EQ(runner.calls[0], (std::vector<std::string>{"sbatch", "--parsable", "/tmp/job.sbatch"}));
  EXPECT_EQ(*slurm.Submit("/tmp/job.sbatch", false, nullptr), "77");
  Result<std::string> bad = slurm.Submit("/tmp/job.sbatch", false, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "sbatch failed (exit status 1): sbatch: error: invalid partition");
}

TEST(SlurmClient, SubmitAndWaitReturnsTheJobsStatus) {
  FakeRunner runner;
  runner.answers = {Ran(1, "4243\n")};  // the job ended with status 1
  SlurmClient slurm(&runner);
  int job_exit = -1;
  Result<std::string> id = slurm.Submit("/tmp/job.sbatch", true, &job_exit);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "4243");
  EXPECT_EQ(job_exit, 1);
  EXPECT_EQ(runner.calls[0],
            (std::vector<std::string>{"sbatch", "--parsable", "--wait", "/tmp/job.sbatch"}));
}

TEST(SlurmClient, MissingOrFailingSlurm) {
  FakeRunner runner;
  runner.answers = {CommandOutcome{false, -1, "", "not found (is it installed and on PATH?)"},
                    Ran(1, "", "squeue: error: Unable to contact slurm controller")};
  SlurmClient slurm(&runner);
  Result<std::vector<SlurmJob>> none = slurm.Queue();
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(none.status().message(), "squeue: not found (is it installed and on PATH?)");
  Result<std::vector<SlurmJob>> down = slurm.Queue();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), Status::Code::kIOError);
  EXPECT_EQ(down.status().message(),
            "squeue failed (exit status 1): squeue: error: Unable to contact slurm controller");
  EXPECT_EQ(runner.calls[0],
            (std::vector<std::string>{"squeue", "--me", "-h", "-o", "%i|%j|%T|%M|%l|%D|%R|%k"}));
}

TEST(SlurmClient, CancelGivesTheIds) {
  FakeRunner runner;
  runner.answers = {Ran(0, "")};
  SlurmClient slurm(&runner);
  EXPECT_TRUE(slurm.Cancel({}).ok());
  EXPECT_TRUE(runner.calls.empty());
  EXPECT_TRUE(slurm.Cancel({"12", "13"}).ok());
  EXPECT_EQ(runner.calls[0], (std::vector<std::string>{"scancel", "12", "13"}));
}

// The real runner: argv goes to the program as it is (no shell), output and status come back.
TEST(ProcessRunner, RunsWithoutAShell) {
  ProcessRunner runner;
  CommandOutcome r = runner.Run({"/bin/echo", "a b", "$HOME", ";", "ls"});
  ASSERT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "a b $HOME ; ls\n");
  CommandOutcome fail = runner.Run({"sh", "-c", "echo oops >&2; exit 3"});
  EXPECT_TRUE(fail.started);
  EXPECT_EQ(fail.exit_code, 3);
  EXPECT_EQ(fail.err, "oops\n");
  CommandOutcome missing = runner.Run({"fai-no-such-program-xyz"});
  EXPECT_FALSE(missing.started);
  EXPECT_EQ(missing.err, "not found (is it installed and on PATH?)");
  CommandOutcome slow = ProcessRunner(0.2).Run({"sleep", "30"});
  EXPECT_TRUE(slow.started);
  EXPECT_EQ(slow.exit_code, -1);
  EXPECT_NE(slow.err.find("timed out after 0.2 s"), std::string::npos) << slow.err;
  CommandOutcome big =
      runner.Run({"sh", "-c", "head -c 200000 /dev/zero; head -c 100000 /dev/zero >&2"});
  EXPECT_EQ(big.out.size(), 200000u);
  EXPECT_EQ(big.err.size(), 100000u);
}

}  // namespace
}  // namespace fai
