#include "cluster/cluster_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fai {
namespace {

namespace fs = std::filesystem;

class ClusterCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("fai-catalog-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Touch(const fs::path& relative,
                    const std::string& text = "nodes: 1\ncpus_per_node: 1\n") {
    const fs::path p = root_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

  fs::path root_;
};

TEST_F(ClusterCatalogTest, WorkingDirectoryCheckout) {
  Touch("src/configs/clusters/b.yaml");
  Touch("src/configs/clusters/a.yml");
  Touch("src/configs/clusters/notes.txt");
  Touch("src/scripts/slurm/fai-sweep-cpu.sbatch", "#!/bin/bash\n");
  CatalogPlaces places;
  places.cwd = (root_ / "src").string();
  ClusterCatalog catalog(places);
  EXPECT_EQ(catalog.profile_dir(), (root_ / "src/configs/clusters").string());
  ASSERT_EQ(catalog.ProfilePaths().size(), 2u);
  EXPECT_EQ(fs::path(catalog.ProfilePaths()[0]).filename(), "a.yml");
  Result<std::string> a = catalog.Resolve("a");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, (root_ / "src/configs/clusters/a.yml").string());
  Result<std::string> typo = catalog.Resolve("bb");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(typo.status().message().find("no profile of that name"), std::string::npos);
  EXPECT_NE(typo.status().message().find("did you mean \"b\"?"), std::string::npos)
      << typo.status().message();
  Result<std::string> cpu = catalog.TemplatePath(false);
  ASSERT_TRUE(cpu.ok()) << cpu.status().message();
  EXPECT_EQ(*cpu, (root_ / "src/scripts/slurm/fai-sweep-cpu.sbatch").string());
  EXPECT_FALSE(catalog.TemplatePath(true).ok());  // no GPU template there
}

TEST_F(ClusterCatalogTest, EnvironmentWinsAndPathsAreTakenAsGiven) {
  Touch("env/x.yaml");
  Touch("src/configs/clusters/x.yaml");
  const std::string other = Touch("elsewhere/mine.yaml");
  CatalogPlaces places;
  places.clusters_env = (root_ / "env").string();
  places.cwd = (root_ / "src").string();
  ClusterCatalog catalog(places);
  EXPECT_EQ(*catalog.Resolve("x"), (root_ / "env/x.yaml").string());
  EXPECT_EQ(*catalog.Resolve(other), other);
  EXPECT_FALSE(catalog.Resolve((root_ / "elsewhere/none.yaml").string()).ok());
}

TEST_F(ClusterCatalogTest, SourceTreeOfTheBuildDirectory) {
  Touch("checkout/configs/clusters/local.yaml");
  Touch("checkout/scripts/slurm/fai-sweep-gpu.sbatch", "#!/bin/bash\n");
  Touch("build/CMakeCache.txt", "CMAKE_BUILD_TYPE:STRING=Release\nfai-sweep_SOURCE_DIR:STATIC=" +
                                    (root_ / "checkout").string() + "\n");
  EXPECT_EQ(SourceDirOfBuild((root_ / "build").string()), (root_ / "checkout").string());
  EXPECT_EQ(SourceDirOfBuild((root_ / "nowhere").string()), "");
  CatalogPlaces places;
  places.cwd = (root_ / "somewhere").string();
  places.exe = (root_ / "build/fai-sweep").string();
  ClusterCatalog catalog(places);
  EXPECT_EQ(*catalog.Resolve("local"), (root_ / "checkout/configs/clusters/local.yaml").string());
  EXPECT_EQ(*catalog.TemplatePath(true),
            (root_ / "checkout/scripts/slurm/fai-sweep-gpu.sbatch").string());
}

TEST_F(ClusterCatalogTest, InstalledTree) {
  Touch("prefix/share/fai-sweep/clusters/site.yaml");
  CatalogPlaces places;
  places.exe = (root_ / "prefix/bin/fai-sweep").string();
  ClusterCatalog catalog(places);
  EXPECT_EQ(*catalog.Resolve("site"),
            (root_ / "prefix/share/fai-sweep/clusters/site.yaml").string());
}

TEST_F(ClusterCatalogTest, NothingFound) {
  CatalogPlaces places;
  places.cwd = (root_ / "empty").string();
  ClusterCatalog catalog(places);
  EXPECT_EQ(catalog.profile_dir(), "");
  EXPECT_TRUE(catalog.ProfilePaths().empty());
  Result<std::string> r = catalog.Resolve("small");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no profile directory found"), std::string::npos);
  EXPECT_NE(r.status().message().find("FAI_CLUSTERS_DIR"), std::string::npos);
}

}  // namespace
}  // namespace fai
