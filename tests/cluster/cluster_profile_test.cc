#include "cluster/cluster_profile.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fai {
namespace {

constexpr const char* kSmall = R"(
name: small
nodes: 2
cpus_per_node: 8
memory_per_node: 32G
gpus_per_node: 2
partition: batch
time_limit: "04:00:00"
price_per_node_minute: 0.05
idle_timeout: 5m
quota: {cpus: 100, memory: 400G}
)";

TEST(ClusterProfile, ParsesTheDesignExample) {
  Result<ClusterProfile> p = ParseClusterProfile(kSmall, "small.yaml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->name, "small");
  EXPECT_EQ(p->nodes, 2);
  EXPECT_EQ(p->cpus_per_node, 8);
  EXPECT_EQ(p->memory_per_node, 32ull << 30);
  EXPECT_EQ(p->gpus_per_node, 2);
  EXPECT_EQ(p->partition, "batch");
  EXPECT_EQ(p->time_limit, "04:00:00");
  EXPECT_EQ(p->time_limit_s, 4 * 3600);
  EXPECT_DOUBLE_EQ(p->price_per_node_minute, 0.05);
  EXPECT_DOUBLE_EQ(p->idle_timeout_s, 300);
  EXPECT_DOUBLE_EQ(p->quota.cpus, 100);
  EXPECT_EQ(p->quota.memory_bytes, 400ull << 30);
  EXPECT_EQ(p->total_cpus(), 16);
  EXPECT_EQ(p->total_memory(), 64ull << 30);
  EXPECT_EQ(p->total_gpus(), 4);
  EXPECT_TRUE(CheckQuota(*p).ok());
}

TEST(ClusterProfile, DefaultsAndNameFromFile) {
  Result<ClusterProfile> p =
      ParseClusterProfile("nodes: 3\ncpus_per_node: 4\n", "/x/configs/clusters/tiny.yaml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->name, "tiny");
  EXPECT_EQ(p->memory_per_node, 0u);
  EXPECT_EQ(p->gpus_per_node, 0);
  EXPECT_TRUE(p->partition.empty());
  EXPECT_TRUE(p->time_limit.empty());
  EXPECT_EQ(p->time_limit_s, 0);
  // FAI's default per-user limit.
  EXPECT_DOUBLE_EQ(p->quota.cpus, 100);
  EXPECT_EQ(p->quota.memory_bytes, 400ull << 30);
  EXPECT_EQ(p->quota.gpus, -1);
}

TEST(ClusterProfile, ErrorsNameFileAndKey) {
  Result<ClusterProfile> p =
      ParseClusterProfile("nodes: 0\ncpus_per_nod: 4\nmemory_per_node: lots\n", "bad.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kInvalidInput);
  const std::string& m = p.status().message();
  EXPECT_NE(m.find("bad.yaml: cpus_per_nod: unknown key; did you mean \"cpus_per_node\"?"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("bad.yaml: cpus_per_node: missing"), std::string::npos) << m;
  EXPECT_NE(m.find("bad.yaml: nodes: expected an integer of at least 1, got 0"), std::string::npos)
      << m;
  EXPECT_NE(m.find("bad.yaml: memory_per_node: expected a size such as 32G or 512M, got the string "
                   "\"lots\""),
            std::string::npos)
      << m;
}

TEST(ClusterProfile, MoreErrors) {
  auto error = [](const std::string& yaml) {
    Result<ClusterProfile> p = ParseClusterProfile("nodes: 1\ncpus_per_node: 1\n" + yaml, "p.yaml");
    return p.ok() ? std::string("ok") : p.status().message();
  };
  EXPECT_EQ(
      error("time_limit: soon\n"),
      "p.yaml: time_limit: expected a Slurm time limit such as \"04:00:00\", \"90\" (minutes) or "
      "\"1-12:00:00\", got the string \"soon\"");
  EXPECT_EQ(error("price_per_node_minute: -1\n"),
            "p.yaml: price_per_node_minute: expected a number of at least 0, got -1");
  EXPECT_EQ(error("quota: {cpu: 10}\n").substr(0, 48),
            "p.yaml: quota.cpu: unknown key; did you mean \"cp");
  EXPECT_EQ(error("name: my-profile\n"),
            "p.yaml: name: \"my-profile\": use letters, digits, '_' and '.' only (it becomes part "
            "of job names)");
  EXPECT_EQ(error("idle_timeout: forever\n"),
            "p.yaml: idle_timeout: expected a duration such as 5m, 300s or 300, got the string "
            "\"forever\"");
  EXPECT_EQ(error("sbatch_options: [-q]\n").substr(0, 31), "p.yaml: sbatch_options: expecte");
  EXPECT_EQ(error("sbatch_options: [\"--qos=high\"]\naccount: proj1\n"), "ok");
  Result<ClusterProfile> list = ParseClusterProfile("- 1\n", "l.yaml");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().message(),
            "l.yaml: expected a map of profile keys (nodes, cpus_per_node, ...), got a list");
  Result<ClusterProfile> broken = ParseClusterProfile("nodes: [1\n", "b.yaml");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message().rfind("b.yaml:", 0), 0u);
  EXPECT_NE(broken.status().message().find("malformed YAML"), std::string::npos);
}

TEST(ClusterProfile, QuotaRefusedWithFigures) {
  Result<ClusterProfile> p = ParseClusterProfile(
      "name: big\nnodes: 16\ncpus_per_node: 8\nmemory_per_node: 32G\n", "big.yaml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  Status s = CheckQuota(*p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(),
            "big.yaml: profile \"big\" asks 128 CPUs (16 nodes x 8) but its quota allows 100 CPUs; "
            "asks 512 GiB of "
            "memory (16 nodes x 32 GiB) but its quota allows 400 GiB (lower nodes or the per-node "
            "figures, or raise "
            "quota: in the profile)");
  // Exactly at the quota is allowed; a raised quota admits it.
  EXPECT_TRUE(CheckQuota(*ParseClusterProfile(
                             "nodes: 10\ncpus_per_node: 10\nmemory_per_node: 40G\n", "e.yaml"))
                  .ok());
  EXPECT_TRUE(
      CheckQuota(*ParseClusterProfile(
                     "nodes: 16\ncpus_per_node: 8\nquota: {cpus: 128, memory: 1T}\n", "r.yaml"))
          .ok());
  Result<ClusterProfile> gpus = ParseClusterProfile(
      "nodes: 2\ncpus_per_node: 1\ngpus_per_node: 4\nquota: {gpus: 4}\n", "g.yaml");
  ASSERT_TRUE(gpus.ok()) << gpus.status().message();
  EXPECT_EQ(CheckQuota(*gpus).message(),
            "g.yaml: profile \"g\" asks 8 GPUs (2 nodes x 4) but its quota allows 4 GPUs (lower "
            "nodes or the "
            "per-node figures, or raise quota: in the profile)");
}

TEST(ClusterProfile, SlurmTimes) {
  int64_t s = 0;
  EXPECT_TRUE(ParseSlurmTime("90", &s));
  EXPECT_EQ(s, 90 * 60);
  EXPECT_TRUE(ParseSlurmTime("10:30", &s));
  EXPECT_EQ(s, 10 * 60 + 30);
  EXPECT_TRUE(ParseSlurmTime("04:00:00", &s));
  EXPECT_EQ(s, 4 * 3600);
  EXPECT_TRUE(ParseSlurmTime("1-12", &s));
  EXPECT_EQ(s, 36 * 3600);
  EXPECT_TRUE(ParseSlurmTime("2-00:30", &s));
  EXPECT_EQ(s, 48 * 3600 + 30 * 60);
  EXPECT_TRUE(ParseSlurmTime("1-01:02:03", &s));
  EXPECT_EQ(s, 86400 + 3723);
  for (const char* bad :
       {"", "0", "UNLIMITED", "1:60", "1:2:3:4", "a", "-1", "1-", "1:", "00:00:00", "1-2:60"})
    EXPECT_FALSE(ParseSlurmTime(bad, &s)) << bad;
  EXPECT_EQ(FormatSlurmTime(4 * 3600), "04:00:00");
  EXPECT_EQ(FormatSlurmTime(86400 + 3723), "1-01:02:03");
  EXPECT_EQ(FormatSlurmTime(59), "00:00:59");
}

TEST(ClusterProfile, ShippedProfilesParseAndFitTheirQuota) {
  namespace fs = std::filesystem;
  int count = 0;
  for (const fs::directory_entry& e :
       fs::directory_iterator(fs::path(FAI_SOURCE_DIR) / "configs" / "clusters")) {
    Result<ClusterProfile> p = LoadClusterProfile(e.path().string());
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->name, e.path().stem().string());
    EXPECT_TRUE(CheckQuota(*p).ok()) << CheckQuota(*p).message();
    ++count;
  }
  EXPECT_GE(count, 3);
}

TEST(ClusterProfile, UnreadableFile) {
  Result<ClusterProfile> p = LoadClusterProfile("/nonexistent/x.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "/nonexistent/x.yaml: cannot read the cluster profile");
}

}  // namespace
}  // namespace fai
