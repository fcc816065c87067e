// Walk-forward training with the C++ API: a synthetic daily panel is shared once with fai::put;
// for each of N windows a remote task fits a ridge regression on the previous T days and
// predicts the next S days; the windows run in parallel on the workers; one last task backtests
// the stitched out-of-sample predictions.
//
//   mpirun -n 4 build/examples/rolling_training [windows] [train_days] [test_days]
#include <boost/serialization/vector.hpp>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <random>

#include "fai/runtime.h"

namespace {

constexpr int kFeatures = 8;

// Day d's rows: features X (instruments x kFeatures) and next-day returns y.
struct Panel {
  int days = 0;
  int instruments = 0;
  Eigen::MatrixXd x;  // (days * instruments) x kFeatures
  Eigen::VectorXd y;  // days * instruments
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & days & instruments & x & y;
  }
};

Panel MakePanel(int days, int instruments, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  Panel p{days, instruments, Eigen::MatrixXd(days * instruments, kFeatures), Eigen::VectorXd(days * instruments)};
  Eigen::VectorXd beta(kFeatures);
  for (int k = 0; k < kFeatures; ++k) beta(k) = (k % 2 ? -0.02 : 0.03) / (1 + k);
  for (int r = 0; r < days * instruments; ++r) {
    for (int k = 0; k < kFeatures; ++k) p.x(r, k) = noise(rng);
    // Slowly drifting signal: why walk-forward retraining pays.
    const double drift = 1.0 + 0.5 * std::sin(r / static_cast<double>(instruments) / 60.0);
    p.y(r) = drift * p.x.row(r).dot(beta) + 0.4 * noise(rng);
  }
  return p;
}

// Fits ridge on days [start - train, start) and predicts days [start, start + test).
std::vector<double> TrainAndPredict(Panel panel, int start, int train, int test) {
  const int n = panel.instruments;
  const Eigen::MatrixXd x = panel.x.middleRows((start - train) * n, train * n);
  const Eigen::VectorXd y = panel.y.segment((start - train) * n, train * n);
  const Eigen::MatrixXd gram = x.transpose() * x + 1.0 * Eigen::MatrixXd::Identity(kFeatures, kFeatures);
  const Eigen::VectorXd w = gram.ldlt().solve(x.transpose() * y);
  const Eigen::VectorXd pred = panel.x.middleRows(start * n, test * n) * w;
  return std::vector<double>(pred.data(), pred.data() + pred.size());
}
FAI_REMOTE(TrainAndPredict);

// Long the top fifth, short the bottom fifth each day; returns {days, mean daily return, sharpe, hit rate}.
std::vector<double> Backtest(Panel panel, std::vector<std::vector<double>> windows, int first_day) {
  const int n = panel.instruments;
  std::vector<double> daily;
  int day = first_day;
  for (const std::vector<double>& w : windows) {
    for (size_t offset = 0; offset + n <= w.size(); offset += n, ++day) {
      std::vector<int> order(n);
      for (int i = 0; i < n; ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](int a, int b) { return w[offset + a] > w[offset + b]; });
      const int k = std::max(1, n / 5);
      double r = 0;
      for (int i = 0; i < k; ++i) r += panel.y(day * n + order[i]) - panel.y(day * n + order[n - 1 - i]);
      daily.push_back(r / (2 * k));
    }
  }
  double mean = 0, var = 0, hits = 0;
  for (double r : daily) mean += r / daily.size();
  for (double r : daily) {
    var += (r - mean) * (r - mean) / std::max<size_t>(1, daily.size() - 1);
    hits += r > 0;
  }
  return {static_cast<double>(daily.size()), mean, std::sqrt(252.0) * mean / std::sqrt(var), hits / daily.size()};
}
FAI_REMOTE(Backtest);

}  // namespace

int main(int argc, char** argv) {
  const int windows = argc > 1 ? std::atoi(argv[1]) : 12;
  const int train = argc > 2 ? std::atoi(argv[2]) : 120;
  const int test = argc > 3 ? std::atoi(argv[3]) : 20;
  return fai::Main(argc, argv, [&] {
    const int days = train + windows * test;
    fai::Ref<Panel> panel = fai::put(MakePanel(days, 200, 42));  // shared once

    std::vector<fai::Ref<std::vector<double>>> predictions;
    for (int w = 0; w < windows; ++w)
      predictions.push_back(fai::remote(fai::Options{.num_cpus = 1}, TrainAndPredict, panel, train + w * test, train, test));
    std::vector<std::vector<double>> stitched = fai::get(predictions);

    const std::vector<double> result = fai::get(fai::remote(Backtest, panel, stitched, train));
    std::cout << std::fixed << std::setprecision(4) << windows << " windows of " << train << " training days, "
              << test << " test days each\n"
              << "out-of-sample days " << static_cast<int>(result[0]) << "  mean daily return " << result[1]
              << "  sharpe " << result[2] << "  hit rate " << result[3] << "\n";
    return result[2] > 0 ? 0 : 1;
  });
}
