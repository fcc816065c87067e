// BinnedFeatures: every feature of a training set mapped once to at most 255 quantile bins, the
// input of histogram-based tree growing (random_forest.h).
//
// Edges come from a sample of at most 50,000 values per feature (drawn with Rng::ForStream from
// the seed, so they do not depend on the thread count): with at most `max_bins` distinct values
// every value gets its own bin, otherwise the edges sit at the sample's quantiles. An edge is the
// midpoint between two observed values, so "value <= edge" separates the same training rows and
// generalises between them. Immutable after Build; safe to read from several threads.
#ifndef FAI_CANVAS_MODULES_FEATURE_BINS_H_
#define FAI_CANVAS_MODULES_FEATURE_BINS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fai::quant {

struct BinnedFeatures {
  // Bins x[f] (each of `rows` finite values) into at most max_bins (2..255) bins per feature.
  static BinnedFeatures Build(const std::vector<const std::vector<double>*>& x, size_t rows,
                              int max_bins, uint64_t seed, int threads);

  size_t rows = 0, features = 0;
  // Row-major: bins[row * features + f] is the bin of x[f][row].
  std::vector<uint8_t> bins;
  // Bin b of feature f holds the values <= edges[f][b] and above edges[f][b - 1]; the last bin
  // has no upper edge, so feature f has edges[f].size() + 1 bins.
  std::vector<std::vector<double>> edges;
  std::vector<uint32_t> offset;  // first slot of each feature in a histogram over all bins
  uint32_t total_bins = 0;       // slots in such a histogram
};

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_FEATURE_BINS_H_
