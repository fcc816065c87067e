// HDF5 result writing: the store's chunked /summary table against the naive layout (one dataset
// per combination), in the same run, for N combinations with 10 scalar metrics each.
//
//   summary   SummaryTable::WriteHdf5: one chunked compound dataset, all rows buffered and
//             written at once (what fai-sweep writes as /summary); read back with ReadHdf5
//   naive     one 10-double dataset per combination under one group; read back one by one
//   full      the whole result layout through ResultWriter (for information): per combination a
//             task group holding its metrics map (10 entries), a combination group with its 2
//             params as attributes and a hard link to the task, plus /summary
// Every file is fsync'd before its clock stops; every read is checked value by value.
//
//   hdf5_write_bench [N=100000] [DIR=/tmp]     (prints a Markdown table)
#include <fcntl.h>
#include <hdf5.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/result_writer.h"
#include "io/summary_table.h"

namespace {

using fai::Value;

constexpr int kMetrics = 10;

double CpuSeconds() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = CpuSeconds();
  double Wall() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double Cpu() const { return CpuSeconds() - cpu; }
};

void Fsync(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

double Metric(size_t c, int m) {
  return static_cast<double>(c) * 0.001 + m * 1.5 + 1e-9 * static_cast<double>(c % 97);
}

std::string ComboId(size_t c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(c) * 0x9e3779b97f4a7c15ULL);
  return buf;
}

void Row(const char* layout, const char* step, size_t n, const Clock& clock, double file_mib) {
  const double wall = clock.Wall(), cpu = clock.Cpu();
  std::printf("| %s | %s | %zu | %.3f | %.3f | %.2f | %.1f |\n", layout, step, n, wall, cpu,
              1e6 * wall / n, file_mib);
}

double MiB(const std::string& path) {
  std::error_code ec;
  return static_cast<double>(std::filesystem::file_size(path, ec)) / (1 << 20);
}

bool Fail(const char* what) {
  std::fprintf(stderr, "hdf5_write_bench: %s\n", what);
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  const std::string summary_path = dir + "/hdf5_bench_summary.h5";
  const std::string naive_path = dir + "/hdf5_bench_naive.h5";
  const std::string full_path = dir + "/hdf5_bench_full.h5";
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);

  std::printf(
      "| layout | step | combinations | wall s | CPU s | wall µs / combination | file MiB |\n");
  std::printf("|---|---|---|---|---|---|---|\n");

  // The table as the driver has it: one Value per cell.
  Clock build;
  fai::SummaryTable table;
  {
    std::vector<Value> ids, status, p1, p2, wall, error;
    std::vector<std::vector<Value>> metrics(kMetrics);
    for (size_t c = 0; c < n; ++c) {
      ids.push_back(ComboId(c));
      status.push_back("ok");
      p1.push_back(static_cast<int64_t>(c % 50));
      p2.push_back(0.01 * static_cast<double>(c % 2000));
      for (int m = 0; m < kMetrics; ++m) metrics[m].push_back(Metric(c, m));
      wall.push_back(0.5);
      error.push_back("");
    }
    table.AddColumn("combo", std::move(ids));
    table.AddColumn("status", std::move(status));
    table.AddColumn("m12.iterations", std::move(p1));
    table.AddColumn("m12.feature_fraction", std::move(p2));
    for (int m = 0; m < kMetrics; ++m)
      table.AddColumn("m15.metric" + std::to_string(m), std::move(metrics[m]));
    table.AddColumn("wall_s", std::move(wall));
    table.AddTypedColumn("error", fai::SummaryColumn::Type::kString, std::move(error));
  }
  const double build_wall = build.Wall();
  Row("summary", "build the table (Values)", n, build, 0);

  // 1. The store's /summary.
  double summary_write = 0;
  {
    Clock clock;
    if (!table.WriteHdf5(summary_path).ok()) Fail("summary write failed");
    Fsync(summary_path);
    summary_write = clock.Wall();
    Row("summary", "write + fsync", n, clock, MiB(summary_path));
  }
  {
    Clock clock;
    fai::Result<fai::SummaryTable> back = fai::SummaryTable::ReadHdf5(summary_path);
    if (!back.ok() || back->rows() != n) Fail("summary read failed");
    Row("summary", "read back", n, clock, MiB(summary_path));
    for (size_t c = 0; c < n; ++c)
      for (int m = 0; m < kMetrics; ++m)
        if (!(back->columns()[4 + m].cells[c] == Value(Metric(c, m))))
          Fail("summary value differs");
  }

  // 2. Naive: one dataset per combination.
  double naive_write = 0;
  {
    Clock clock;
    hid_t file = H5Fcreate(naive_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t group = H5Gcreate2(file, "combos", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[1] = {kMetrics};
    hid_t space = H5Screate_simple(1, dims, nullptr);
    double values[kMetrics];
    for (size_t c = 0; c < n; ++c) {
      for (int m = 0; m < kMetrics; ++m) values[m] = Metric(c, m);
      hid_t ds = H5Dcreate2(group, ComboId(c).c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT,
                            H5P_DEFAULT, H5P_DEFAULT);
      if (ds < 0 || H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
        Fail("naive write");
      H5Dclose(ds);
    }
    H5Sclose(space);
    H5Gclose(group);
    H5Fclose(file);
    Fsync(naive_path);
    naive_write = clock.Wall();
    Row("naive", "write + fsync", n, clock, MiB(naive_path));
  }
  {
    Clock clock;
    hid_t file = H5Fopen(naive_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    double values[kMetrics];
    for (size_t c = 0; c < n; ++c) {
      const std::string name = "combos/" + ComboId(c);
      hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
      if (ds < 0 || H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
        Fail("naive read");
      H5Dclose(ds);
      for (int m = 0; m < kMetrics; ++m)
        if (values[m] != Metric(c, m)) Fail("naive value differs");
    }
    H5Fclose(file);
    Row("naive", "read back", n, clock, MiB(naive_path));
  }

  // 3. The whole layout (task groups, combination groups, links, /summary), for information.
  {
    Clock clock;
    auto writer = fai::ResultWriter::Create(full_path);
    if (!writer.ok()) Fail("full create");
    for (size_t c = 0; c < n; ++c) {
      fai::Dict metrics;
      for (int m = 0; m < kMetrics; ++m) metrics["metric" + std::to_string(m)] = Metric(c, m);
      const fai::Dict outputs{{"metrics", Value(std::move(metrics))}};
      const std::string key = ComboId(c) + ComboId(c + 1);
      if (!(*writer)->WriteTask("m15", key, outputs).ok()) Fail("full task");
      if (!(*writer)
               ->WriteCombo(ComboId(c),
                            {{"m12.iterations", static_cast<int64_t>(c % 50)},
                             {"m12.feature_fraction", 0.01 * static_cast<double>(c % 2000)}},
                            {{"m15", key}})
               .ok())
        Fail("full combo");
    }
    if (!(*writer)->WriteSummary(table).ok() || !(*writer)->Close().ok()) Fail("full close");
    Row("full layout", "write + fsync", n, clock, MiB(full_path));
  }

  std::printf(
      "\nsummary write: %.2f µs per combination (%.2f with building the table); naive / summary = "
      "%.0fx\n",
      1e6 * summary_write / n, 1e6 * (summary_write + build_wall) / n, naive_write / summary_write);
  for (const std::string& p : {summary_path, naive_path, full_path}) std::filesystem::remove(p);
  return 0;
}
