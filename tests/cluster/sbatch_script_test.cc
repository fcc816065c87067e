#include "cluster/sbatch_script.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace fai {
namespace {

ClusterProfile Small() {
  Result<ClusterProfile> p = ParseClusterProfile(
      "name: small\nnodes: 2\ncpus_per_node: 8\nmemory_per_node: 32G\ngpus_per_node: 2\npartition: "
      "batch\n"
      "time_limit: \"04:00:00\"\nprice_per_node_minute: 0.05\n",
      "/etc/fai/small.yaml");
  EXPECT_TRUE(p.ok()) << p.status().message();
  return *p;
}

SweepJob Job() {
  SweepJob job;
  job.job_name = "fai-small-results";
  job.fai_sweep = "/opt/fai/bin/fai-sweep";
  job.sweep_args = {"/data/canvas.json", "/data/grid.yaml", "--output",
                    "/data/results.h5",  "--cluster",       "/etc/fai/small.yaml"};
  job.work_dir = "/data";
  job.log_path = "/data/results.slurm-%j.log";
  return job;
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(FAI_SOURCE_DIR) + "/" + relative);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SbatchScript, ShellQuote) {
  EXPECT_EQ(ShellQuote("plain"), "'plain'");
  EXPECT_EQ(ShellQuote("it's; rm -rf ~"), "'it'\\''s; rm -rf ~'");
  EXPECT_EQ(ShellQuote(""), "''");
}

TEST(SbatchScript, JobNames) {
  EXPECT_EQ(SweepJobName("small", "/data/results.h5"), "fai-small-results");
  EXPECT_EQ(SweepJobName("local", "out dir/my run!.h5"), "fai-local-my_run_");
  EXPECT_EQ(ProfileJobComment("small"), "fai-sweep:small");
}

TEST(SbatchScript, OptionsFromProfile) {
  const auto opts = SbatchOptionsFor(Small(), Job());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"--job-name", "fai-small-results"},
      {"--comment", "fai-sweep:small"},
      {"--nodes", "2"},
      {"--ntasks-per-node", "1"},
      {"--cpus-per-task", "8"},
      {"--mem", "32768M"},
      {"--gres", "gpu:2"},
      {"--partition", "batch"},
      {"--time", "04:00:00"},
      {"--output", "/data/results.slurm-%j.log"},
      {"--chdir", "/data"}};
  EXPECT_EQ(opts, expected);
}

TEST(SbatchScript, RendersReplacingAndAddingOptions) {
  const std::string tmpl =
      "#!/bin/bash\n"
      "# a template\n"
      "#SBATCH --job-name=fai-sweep\n"
      "#SBATCH --nodes=1\n"
      "#SBATCH --nodes 3\n"
      "#SBATCH --exclusive\n"
      "#SBATCH -p short\n"
      "# a comment after the options\n"
      "\n"
      "set -e\n"
      "exec mpirun \"$FAI_SWEEP\" \"$@\"\n";
  ClusterProfile p = Small();
  p.sbatch_options = {"--qos=high", "--requeue"};
  Result<std::string> script = RenderSbatchScript(tmpl, p, Job());
  ASSERT_TRUE(script.ok()) << script.status().message();
  const std::string expected =
      "#!/bin/bash\n"
      "# a template\n"
      "#SBATCH --job-name=fai-small-results\n"
      "#SBATCH --nodes=2\n"
      "\n"  // the repeated --nodes line is dropped
      "#SBATCH --exclusive\n"
      "#SBATCH -p short\n"
      "#SBATCH --comment=fai-sweep:small\n"
      "#SBATCH --ntasks-per-node=1\n"
      "#SBATCH --cpus-per-task=8\n"
      "#SBATCH --mem=32768M\n"
      "#SBATCH --gres=gpu:2\n"
      "#SBATCH --partition=batch\n"
      "#SBATCH --time=04:00:00\n"
      "#SBATCH --output=/data/results.slurm-%j.log\n"
      "#SBATCH --chdir=/data\n"
      "#SBATCH --qos=high\n"
      "#SBATCH --requeue\n"
      "\n"
      "# ---- written by `fai-sweep submit --cluster small` (/etc/fai/small.yaml) ----\n"
      "# Resubmit this file as it is (sbatch FILE) to resume the sweep, e.g. after a time limit:\n"
      "# the same command on the same output continues where the last run stopped.\n"
      "FAI_SWEEP='/opt/fai/bin/fai-sweep'\n"
      "set -- '/data/canvas.json' '/data/grid.yaml' '--output' '/data/results.h5' '--cluster' "
      "'/etc/fai/small.yaml'\n"
      "# ----\n"
      "# a comment after the options\n"
      "\n"
      "set -e\n"
      "exec mpirun \"$FAI_SWEEP\" \"$@\"\n";
  EXPECT_EQ(*script, expected);
}

TEST(SbatchScript, NoMemoryNoPartitionNoTime) {
  Result<ClusterProfile> p = ParseClusterProfile("nodes: 1\ncpus_per_node: 4\n", "plain.yaml");
  ASSERT_TRUE(p.ok());
  SweepJob job = Job();
  job.log_path.clear();
  job.work_dir.clear();
  const auto opts = SbatchOptionsFor(*p, job);
  for (const auto& [option, value] : opts) {
    EXPECT_NE(option, "--mem");
    EXPECT_NE(option, "--gres");
    EXPECT_NE(option, "--partition");
    EXPECT_NE(option, "--time");
    EXPECT_NE(option, "--output");
  }
}

TEST(SbatchScript, RejectsTemplatesWithoutHeaderOrBody) {
  EXPECT_FALSE(RenderSbatchScript("#!/bin/bash\nexec true\n", Small(), Job()).ok());
  EXPECT_FALSE(RenderSbatchScript("#!/bin/bash\n#SBATCH --nodes=1\n", Small(), Job()).ok());
}

// The shipped templates: profile values land in the header, the command after it, and the
// rendered script is what sbatch reads (every #SBATCH line before the first command).
TEST(SbatchScript, ShippedTemplates) {
  for (const char* name :
       {"scripts/slurm/fai-sweep-cpu.sbatch", "scripts/slurm/fai-sweep-gpu.sbatch"}) {
    const std::string tmpl = ReadSource(name);
    ASSERT_FALSE(tmpl.empty()) << name;
    Result<std::string> script = RenderSbatchScript(tmpl, Small(), Job());
    ASSERT_TRUE(script.ok()) << script.status().message();
    std::stringstream lines(*script);
    std::string line;
    bool in_header = true;
    std::vector<std::string> header_options;
    while (std::getline(lines, line)) {
      if (in_header && !line.empty() && line[0] != '#') in_header = false;
      if (line.rfind("#SBATCH", 0) == 0) {
        EXPECT_TRUE(in_header) << name << ": #SBATCH after the first command: " << line;
        header_options.push_back(line);
      }
    }
    for (const char* want :
         {"#SBATCH --nodes=2", "#SBATCH --cpus-per-task=8", "#SBATCH --gres=gpu:2",
          "#SBATCH --time=04:00:00", "#SBATCH --job-name=fai-small-results",
          "#SBATCH --output=/data/results.slurm-%j.log", "#SBATCH --mem=32768M"})
      EXPECT_EQ(std::count(header_options.begin(), header_options.end(), std::string(want)), 1)
          << name << " " << want;
    EXPECT_NE(script->find("FAI_SWEEP='/opt/fai/bin/fai-sweep'\nset -- '/data/canvas.json'"),
              std::string::npos);
    EXPECT_NE(script->find("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"),
              std::string::npos);
    EXPECT_NE(script->find("exec mpirun"), std::string::npos);
  }
}

}  // namespace
}  // namespace fai
