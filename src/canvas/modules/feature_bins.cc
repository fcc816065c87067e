#include "canvas/modules/feature_bins.h"

#include <algorithm>
#include <array>
#include <limits>

#include "canvas/modules/parallel_for.h"
#include "canvas/modules/rng.h"

namespace fai::quant {

namespace {

constexpr size_t kQuantileSample = 50000;  // values per feature used to place bin edges
constexpr size_t kRowBlock = 4096;         // rows per parallel work item

std::vector<double> BinEdges(const std::vector<double>& x, int max_bins, Rng rng) {
  std::vector<double> sample;
  if (x.size() <= kQuantileSample) {
    sample = x;
  } else {
    sample.resize(kQuantileSample);
    for (double& v : sample) v = x[rng.UniformInt(x.size())];
  }
  std::sort(sample.begin(), sample.end());
  std::vector<double> distinct = sample;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<double> edges;
  if (distinct.size() <= static_cast<size_t>(max_bins)) {
    for (size_t i = 0; i + 1 < distinct.size(); ++i)
      edges.push_back(0.5 * (distinct[i] + distinct[i + 1]));
    return edges;
  }
  const size_t m = sample.size();
  for (int k = 1; k < max_bins; ++k) {
    const double v = sample[static_cast<size_t>(k) * m / static_cast<size_t>(max_bins)];
    auto above = std::upper_bound(distinct.begin(), distinct.end(), v);
    if (above == distinct.end()) break;
    const double edge = 0.5 * (v + *above);
    if (edges.empty() || edge > edges.back()) edges.push_back(edge);
  }
  return edges;
}

}  // namespace

BinnedFeatures BinnedFeatures::Build(const std::vector<const std::vector<double>*>& x, size_t rows,
                                     int max_bins, uint64_t seed, int threads) {
  BinnedFeatures data;
  data.rows = rows;
  data.features = x.size();
  data.edges.resize(x.size());
  ParallelFor(threads, x.size(), [&](size_t f) {
    data.edges[f] = BinEdges(*x[f], max_bins, Rng::ForStream(seed ^ 0xb1b1b1b1ULL, f));
  });
  for (const std::vector<double>& e : data.edges) {
    data.offset.push_back(data.total_bins);
    data.total_bins += static_cast<uint32_t>(e.size() + 1);
  }
  // Edges padded to 255 with +infinity: the bin of v is the number of edges below v, found by a
  // branch-free binary search of 8 fixed steps.
  std::vector<std::array<double, 256>> padded(x.size());
  for (size_t f = 0; f < x.size(); ++f) {
    padded[f].fill(std::numeric_limits<double>::infinity());
    std::copy(data.edges[f].begin(), data.edges[f].end(), padded[f].begin());
  }
  data.bins.resize(rows * data.features);
  ParallelForBlocks(threads, rows, kRowBlock, [&](size_t begin, size_t end) {
    for (size_t f = 0; f < data.features; ++f) {
      const double* edges = padded[f].data();
      const std::vector<double>& column = *x[f];
      for (size_t r = begin; r < end; ++r) {
        const double v = column[r];
        size_t bin = 0;
        for (size_t step = 128; step > 0; step >>= 1) bin += edges[bin + step - 1] < v ? step : 0;
        data.bins[r * data.features + f] = static_cast<uint8_t>(bin);
      }
    }
  });
  return data;
}

}  // namespace fai::quant
