// RandomForest: a regression forest with histogram-based split finding.
//
// Fit() bins every feature once into at most `max_bins` quantile bins (edges are midpoints
// between observed values), then grows each tree on its own bootstrap sample (or subsample) of
// the rows: at every node it builds per-feature histograms of (sum of labels, sum of weights)
// (the larger child's by subtracting the smaller child's from its parent's), draws the features
// to try, and takes the split with the largest decrease of squared error, subject to
// min_samples_per_leaf. A prediction is the mean of the trees' leaf values.
//
// Determinism: tree t draws from Rng::ForStream(seed, t) and trees are built independently, so
// the same data and options give a bit-identical forest (and predictions) for any thread count.
//
// Thread-safety: a fitted forest is immutable; Predict() may run from several threads at once.
#ifndef FAI_CANVAS_MODULES_RANDOM_FOREST_H_
#define FAI_CANVAS_MODULES_RANDOM_FOREST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fai/value.h"

namespace fai::quant {

struct ForestOptions {
  int trees = 10;                 // number of trees
  int min_samples_per_leaf = 20;  // fewest distinct rows in a leaf (as scikit-learn counts them)
  int max_depth = 0;              // greatest depth of a leaf (the root is depth 0); 0: unlimited
  double feature_fraction = 1.0;  // share of the features tried at each split, in (0, 1]
  double row_fraction = 1.0;      // rows drawn per tree, as a share of all rows, in (0, 1]
  bool bootstrap = true;          // draw rows with replacement (else without)
  int max_bins = 255;             // quantile bins per feature, 2..255
  uint64_t seed = 0;              // drives the row and feature draws
};

class RandomForest {
 public:
  // Feature columns: x[f] points to feature f's values, one per row.
  using Columns = std::vector<const std::vector<double>*>;

  static constexpr const char* kBlobType = "fai.random_forest/1";

  // Fits a forest on x (feature_names.size() columns of y.size() rows) using up to `threads`
  // threads. Throws std::invalid_argument on empty data, mismatched lengths, a non-finite value
  // (the message names the feature and row) or options out of range.
  static RandomForest Fit(std::vector<std::string> feature_names, const Columns& x,
                          const std::vector<double>& y, const ForestOptions& options, int threads);

  // Mean prediction of the trees for every row of x (the features in feature_names() order).
  // A NaN feature value follows the right branch.
  std::vector<double> Predict(const Columns& x, int threads) const;

  // Per feature: the total decrease of squared error of its splits, normalised to sum to 1
  // (all 0 when no tree split).
  std::vector<double> Importances() const;

  const std::vector<std::string>& feature_names() const { return feature_names_; }
  const std::string& label() const { return label_; }
  void set_label(std::string label) { label_ = std::move(label); }
  size_t num_trees() const { return trees_.size(); }
  size_t num_nodes() const;

  // The forest as a Blob of type kBlobType (a little-endian binary format: features, label,
  // trees, importances), and back. FromBlob throws std::invalid_argument on another type or a
  // damaged blob.
  Blob ToBlob() const;
  static RandomForest FromBlob(const Blob& blob);

  struct Node {
    int32_t feature = -1;  // -1: a leaf
    int32_t left = -1;     // child for value <= threshold
    int32_t right = -1;    // child for value > threshold (and NaN)
    double threshold = 0;
    double value = 0;  // the leaf's prediction
  };
  using Tree = std::vector<Node>;  // node 0 is the root

 private:
  std::vector<std::string> feature_names_;
  std::string label_;
  std::vector<Tree> trees_;
  std::vector<double> importance_sums_;  // per feature, not normalised
};

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_RANDOM_FOREST_H_
