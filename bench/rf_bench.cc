// rf_bench: fits fai's random forest (canvas/modules/random_forest.h) on a CSV and scores it on
// another, for bench/rf_vs_sklearn.sh. Every column but `label` is a feature.
//
//   rf_bench TRAIN.csv TEST.csv [--trees 10] [--min-leaf 50] [--threads 2] [--seed 0]
//
// Prints one JSON object: {"impl": "fai", "fit_s": ..., "fit_cpu_s": ..., "predict_s": ..., "r2":
// ..., ...}.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "canvas/modules/csv_table.h"
#include "canvas/modules/panel.h"
#include "canvas/modules/random_forest.h"

namespace {

using fai::quant::RandomForest;

double RSquared(const std::vector<double>& prediction, const std::vector<double>& truth) {
  double mean = 0;
  for (double v : truth) mean += v;
  mean /= static_cast<double>(truth.size());
  double residual = 0, total = 0;
  for (size_t r = 0; r < truth.size(); ++r) {
    residual += (truth[r] - prediction[r]) * (truth[r] - prediction[r]);
    total += (truth[r] - mean) * (truth[r] - mean);
  }
  return 1 - residual / total;
}

// CPU seconds of the whole process (every thread) so far.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

fai::Table Load(const char* path) {
  fai::Result<fai::Table> table = fai::quant::ReadCsvTable(path);
  if (!table.ok()) {
    std::cerr << "rf_bench: " << table.status().message() << "\n";
    std::exit(2);
  }
  return std::move(table).value();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: rf_bench TRAIN.csv TEST.csv [--trees N] [--min-leaf N] [--threads N] "
                 "[--seed N]\n";
    return 2;
  }
  fai::quant::ForestOptions options;
  options.trees = 10;
  options.min_samples_per_leaf = 50;
  int threads = 2;
  for (int i = 3; i + 1 < argc; i += 2) {
    const long v = std::strtol(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--trees"))
      options.trees = static_cast<int>(v);
    else if (!std::strcmp(argv[i], "--min-leaf"))
      options.min_samples_per_leaf = static_cast<int>(v);
    else if (!std::strcmp(argv[i], "--threads"))
      threads = static_cast<int>(v);
    else if (!std::strcmp(argv[i], "--seed"))
      options.seed = static_cast<uint64_t>(v);
  }
  const fai::Table train = Load(argv[1]), test = Load(argv[2]);
  const std::vector<std::string> features = fai::quant::SelectFeatures(train, {}, "label");

  const double cpu_start = ProcessCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const RandomForest forest =
      RandomForest::Fit(features, fai::quant::ColumnPointers(train, features),
                        fai::quant::NumericColumn(train, "label"), options, threads);
  const auto fitted = std::chrono::steady_clock::now();
  const double fit_cpu = ProcessCpuSeconds() - cpu_start;
  const std::vector<double> prediction =
      forest.Predict(fai::quant::ColumnPointers(test, features), threads);
  const auto predicted = std::chrono::steady_clock::now();
  const double r2 = RSquared(prediction, fai::quant::NumericColumn(test, "label"));
  std::printf(
      "{\"impl\": \"fai\", \"fit_s\": %.4f, \"fit_cpu_s\": %.4f, \"predict_s\": %.4f, \"r2\": "
      "%.5f, \"train_rows\": %zu, \"features\": %zu, "
      "\"trees\": %d, \"min_leaf\": %d, \"threads\": %d, \"nodes\": %zu}\n",
      std::chrono::duration<double>(fitted - start).count(), fit_cpu,
      std::chrono::duration<double>(predicted - fitted).count(), r2, train.rows(), features.size(),
      options.trees, options.min_samples_per_leaf, threads, forest.num_nodes());
  return 0;
}
