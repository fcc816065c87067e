#include "canvas/modules/random_forest.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <stdexcept>

#include "canvas/modules/blob_codec.h"
#include "canvas/modules/feature_bins.h"
#include "canvas/modules/parallel_for.h"
#include "canvas/modules/rng.h"

namespace fai::quant {

namespace {

constexpr size_t kRowBlock = 4096;  // rows per parallel prediction work item
constexpr char kMagic[] = "FAIRF001";

struct HistBin {
  double sum_y = 0;  // sum of weight * label
  double sum_w = 0;  // sum of weights (draws)
  double count = 0;  // distinct rows
};
using Histogram = std::vector<HistBin>;

struct Split {
  int feature = -1;
  int bin = -1;
  double gain = 0;
  double left_sum_y = 0, left_sum_w = 0;
};

// Grows one tree. Owns its sample, row order and histogram buffers.
class TreeGrower {
 public:
  TreeGrower(const BinnedFeatures& data, const std::vector<double>& y, const ForestOptions& options,
             uint64_t tree)
      : data_(data),
        y_(y),
        options_(options),
        rng_(Rng::ForStream(options.seed, tree)),
        importance_(data.features, 0.0) {}

  RandomForest::Tree Grow() {
    DrawSample();
    struct Pending {
      int32_t node;
      size_t begin, end;
      int depth;
      std::unique_ptr<Histogram> hist;  // null when the node cannot split
      double sum_y, sum_w;
    };
    double sum_y = 0, sum_w = 0;
    for (uint32_t r : rows_) {
      sum_y += weighted_y_[r];
      sum_w += weight_[r];
    }
    nodes_.emplace_back();
    std::vector<Pending> stack;
    const double rows = static_cast<double>(rows_.size());
    stack.push_back({0, 0, rows_.size(), 0, CanSplit(rows, 0) ? Build(0, rows_.size()) : nullptr,
                     sum_y, sum_w});
    while (!stack.empty()) {
      Pending item = std::move(stack.back());
      stack.pop_back();
      nodes_[item.node].value = item.sum_y / item.sum_w;
      if (!item.hist) continue;
      const Split split =
          FindSplit(*item.hist, item.sum_y, item.sum_w, static_cast<double>(item.end - item.begin));
      if (split.feature < 0) {
        Release(std::move(item.hist));
        continue;
      }
      const size_t stride = data_.features;
      const uint8_t* bins = data_.bins.data();
      const auto middle =
          std::partition(rows_.begin() + item.begin, rows_.begin() + item.end,
                         [&](uint32_t r) { return bins[r * stride + split.feature] <= split.bin; });
      const size_t mid = static_cast<size_t>(middle - rows_.begin());
      const int32_t left = static_cast<int32_t>(nodes_.size()), right = left + 1;
      RandomForest::Node& node = nodes_[item.node];
      node.feature = split.feature;
      node.threshold = data_.edges[split.feature][split.bin];
      node.left = left;
      node.right = right;
      nodes_.emplace_back();
      nodes_.emplace_back();
      importance_[split.feature] += split.gain;

      const double left_y = split.left_sum_y, left_w = split.left_sum_w;
      const double right_y = item.sum_y - left_y, right_w = item.sum_w - left_w;
      const double left_rows = static_cast<double>(mid - item.begin),
                   right_rows = static_cast<double>(item.end - mid);
      const bool left_splits = CanSplit(left_rows, item.depth + 1),
                 right_splits = CanSplit(right_rows, item.depth + 1);
      std::unique_ptr<Histogram> left_hist, right_hist;
      if (left_splits || right_splits) {
        // Build the smaller child's histogram; the parent's minus it is the larger child's.
        const bool left_smaller = mid - item.begin <= item.end - mid;
        std::unique_ptr<Histogram> small =
            left_smaller ? Build(item.begin, mid) : Build(mid, item.end);
        const bool large_splits = left_smaller ? right_splits : left_splits;
        if (large_splits) {
          Histogram& parent = *item.hist;
          for (size_t b = 0; b < parent.size(); ++b) {
            parent[b].sum_y -= (*small)[b].sum_y;
            parent[b].sum_w -= (*small)[b].sum_w;
            parent[b].count -= (*small)[b].count;
          }
        } else {
          Release(std::move(item.hist));
        }
        std::unique_ptr<Histogram>& small_slot = left_smaller ? left_hist : right_hist;
        std::unique_ptr<Histogram>& large_slot = left_smaller ? right_hist : left_hist;
        if (left_smaller ? left_splits : right_splits) {
          small_slot = std::move(small);
        } else {
          Release(std::move(small));
        }
        if (large_splits) large_slot = std::move(item.hist);
      } else {
        Release(std::move(item.hist));
      }
      stack.push_back(
          {right, mid, item.end, item.depth + 1, std::move(right_hist), right_y, right_w});
      stack.push_back(
          {left, item.begin, mid, item.depth + 1, std::move(left_hist), left_y, left_w});
    }
    return std::move(nodes_);
  }

  const std::vector<double>& importance() const { return importance_; }

 private:
  void DrawSample() {
    const size_t n = data_.rows;
    const size_t draws = std::max<size_t>(
        1, static_cast<size_t>(std::llround(options_.row_fraction * static_cast<double>(n))));
    weight_.assign(n, 0.0);
    if (options_.bootstrap) {
      for (size_t k = 0; k < draws; ++k) weight_[rng_.UniformInt(n)] += 1;
    } else if (draws >= n) {
      std::fill(weight_.begin(), weight_.end(), 1.0);
    } else {
      std::vector<uint32_t> pool(n);
      std::iota(pool.begin(), pool.end(), 0);
      for (size_t k = 0; k < draws; ++k) {
        std::swap(pool[k], pool[k + rng_.UniformInt(n - k)]);
        weight_[pool[k]] = 1;
      }
    }
    weighted_y_.resize(n);
    rows_.clear();
    for (size_t r = 0; r < n; ++r) {
      weighted_y_[r] = weight_[r] * y_[r];
      if (weight_[r] > 0) rows_.push_back(static_cast<uint32_t>(r));
    }
  }

  // `rows`: distinct rows in the node.
  bool CanSplit(double rows, int depth) const {
    return rows >= 2.0 * options_.min_samples_per_leaf &&
           (options_.max_depth == 0 || depth < options_.max_depth);
  }

  std::unique_ptr<Histogram> Build(size_t begin, size_t end) {
    std::unique_ptr<Histogram> hist;
    if (free_.empty()) {
      hist = std::make_unique<Histogram>(data_.total_bins);
    } else {
      hist = std::move(free_.back());
      free_.pop_back();
      std::fill(hist->begin(), hist->end(), HistBin{});
    }
    HistBin* h = hist->data();
    const size_t stride = data_.features;
    const uint8_t* bins = data_.bins.data();
    const uint32_t* offset = data_.offset.data();
    for (size_t k = begin; k < end; ++k) {
      const uint32_t r = rows_[k];
      const uint8_t* row_bins = bins + static_cast<size_t>(r) * stride;
      const double wy = weighted_y_[r], w = weight_[r];
      for (size_t f = 0; f < stride; ++f) {
        HistBin& bin = h[offset[f] + row_bins[f]];
        bin.sum_y += wy;
        bin.sum_w += w;
        bin.count += 1;
      }
    }
    return hist;
  }

  void Release(std::unique_ptr<Histogram> hist) {
    if (hist) free_.push_back(std::move(hist));
  }

  // The features tried at a node, ascending.
  const std::vector<uint32_t>& DrawFeatures() {
    const size_t f_all = data_.features;
    const size_t k = std::clamp<size_t>(
        static_cast<size_t>(std::llround(options_.feature_fraction * static_cast<double>(f_all))),
        1, f_all);
    candidates_.resize(f_all);
    std::iota(candidates_.begin(), candidates_.end(), 0);
    if (k < f_all) {
      for (size_t i = 0; i < k; ++i)
        std::swap(candidates_[i], candidates_[i + rng_.UniformInt(f_all - i)]);
      candidates_.resize(k);
      std::sort(candidates_.begin(), candidates_.end());
    }
    return candidates_;
  }

  Split FindSplit(const Histogram& hist, double sum_y, double sum_w, double rows) {
    Split best;
    const double min_leaf = options_.min_samples_per_leaf;
    const double parent_score = sum_y * sum_y / sum_w;
    for (uint32_t f : DrawFeatures()) {
      const HistBin* h = hist.data() + data_.offset[f];
      const int bins = static_cast<int>(data_.edges[f].size()) + 1;
      double left_y = 0, left_w = 0, left_rows = 0;
      for (int b = 0; b + 1 < bins; ++b) {
        left_y += h[b].sum_y;
        left_w += h[b].sum_w;
        left_rows += h[b].count;
        if (left_rows < min_leaf || h[b].count == 0) continue;
        if (rows - left_rows < min_leaf) break;
        const double right_w = sum_w - left_w, right_y = sum_y - left_y;
        const double children_score = left_y * left_y / left_w + right_y * right_y / right_w;
        const double gain = children_score - parent_score;
        if (gain > best.gain && gain > 1e-12 * children_score) {
          best = {static_cast<int>(f), b, gain, left_y, left_w};
        }
      }
    }
    return best;
  }

  const BinnedFeatures& data_;
  const std::vector<double>& y_;
  const ForestOptions& options_;
  Rng rng_;
  std::vector<double> weight_, weighted_y_;
  std::vector<uint32_t> rows_;
  std::vector<uint32_t> candidates_;
  std::vector<std::unique_ptr<Histogram>> free_;
  RandomForest::Tree nodes_;
  std::vector<double> importance_;
};

void CheckOptions(const ForestOptions& o) {
  if (o.trees < 1) throw std::invalid_argument("the forest needs at least one tree");
  if (o.min_samples_per_leaf < 1)
    throw std::invalid_argument("min_samples_per_leaf must be at least 1");
  if (o.max_depth < 0) throw std::invalid_argument("max_depth must be 0 (unlimited) or positive");
  if (!(o.feature_fraction > 0 && o.feature_fraction <= 1))
    throw std::invalid_argument("feature_fraction must be in (0, 1]");
  if (!(o.row_fraction > 0 && o.row_fraction <= 1))
    throw std::invalid_argument("row_fraction must be in (0, 1]");
  if (o.max_bins < 2 || o.max_bins > 255)
    throw std::invalid_argument("max_bins must be in [2, 255]");
}

}  // namespace

RandomForest RandomForest::Fit(std::vector<std::string> feature_names, const Columns& x,
                               const std::vector<double>& y, const ForestOptions& options,
                               int threads) {
  CheckOptions(options);
  if (feature_names.size() != x.size())
    throw std::invalid_argument("feature names and columns differ in number");
  if (x.empty()) throw std::invalid_argument("no feature columns");
  if (y.empty()) throw std::invalid_argument("no rows to fit");
  for (size_t r = 0; r < y.size(); ++r)
    if (!std::isfinite(y[r]))
      throw std::invalid_argument("the label is not finite at row " + std::to_string(r) +
                                  " (drop such rows with data.dropna)");
  for (size_t f = 0; f < x.size(); ++f) {
    if (x[f]->size() != y.size())
      throw std::invalid_argument("feature \"" + feature_names[f] + "\" has " +
                                  std::to_string(x[f]->size()) + " rows, the label " +
                                  std::to_string(y.size()));
    for (size_t r = 0; r < y.size(); ++r)
      if (!std::isfinite((*x[f])[r]))
        throw std::invalid_argument("feature \"" + feature_names[f] + "\" is not finite at row " +
                                    std::to_string(r) + " (drop such rows with data.dropna)");
  }
  const BinnedFeatures data =
      BinnedFeatures::Build(x, y.size(), options.max_bins, options.seed, threads);

  RandomForest forest;
  forest.feature_names_ = std::move(feature_names);
  forest.trees_.resize(options.trees);
  std::vector<std::vector<double>> importance(options.trees);
  ParallelFor(threads, static_cast<size_t>(options.trees), [&](size_t t) {
    TreeGrower grower(data, y, options, t);
    forest.trees_[t] = grower.Grow();
    importance[t] = grower.importance();
  });
  forest.importance_sums_.assign(x.size(), 0.0);
  for (const std::vector<double>& tree_importance : importance)
    for (size_t f = 0; f < x.size(); ++f) forest.importance_sums_[f] += tree_importance[f];
  return forest;
}

std::vector<double> RandomForest::Predict(const Columns& x, int threads) const {
  if (x.size() != feature_names_.size())
    throw std::invalid_argument("the forest takes " + std::to_string(feature_names_.size()) +
                                " features, got " + std::to_string(x.size()));
  const size_t rows = x.empty() ? 0 : x[0]->size();
  std::vector<double> out(rows, 0.0);
  const double scale = 1.0 / static_cast<double>(trees_.size());
  ParallelForBlocks(threads, rows, kRowBlock, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      double sum = 0;
      for (const Tree& tree : trees_) {
        const Node* node = &tree[0];
        while (node->feature >= 0)
          node = &tree[(*x[node->feature])[r] <= node->threshold ? node->left : node->right];
        sum += node->value;
      }
      out[r] = sum * scale;
    }
  });
  return out;
}

std::vector<double> RandomForest::Importances() const {
  const double total = std::accumulate(importance_sums_.begin(), importance_sums_.end(), 0.0);
  std::vector<double> out(importance_sums_.size(), 0.0);
  if (total > 0)
    for (size_t f = 0; f < out.size(); ++f) out[f] = importance_sums_[f] / total;
  return out;
}

size_t RandomForest::num_nodes() const {
  size_t n = 0;
  for (const Tree& tree : trees_) n += tree.size();
  return n;
}

Blob RandomForest::ToBlob() const {
  BlobWriter w;
  w.PutRaw(kMagic);
  w.Put(static_cast<uint32_t>(feature_names_.size()));
  for (const std::string& name : feature_names_) w.PutString(name);
  w.PutString(label_);
  w.Put(static_cast<uint32_t>(trees_.size()));
  for (const Tree& tree : trees_) {
    w.Put(static_cast<uint32_t>(tree.size()));
    for (const Node& node : tree) {
      w.Put(node.feature);
      w.Put(node.left);
      w.Put(node.right);
      w.Put(node.threshold);
      w.Put(node.value);
    }
  }
  for (double v : importance_sums_) w.Put(v);
  return Blob{kBlobType, w.Take()};
}

RandomForest RandomForest::FromBlob(const Blob& blob) {
  if (blob.type != kBlobType)
    throw std::invalid_argument("expected a model blob of type " + std::string(kBlobType) +
                                ", got \"" + blob.type + "\"");
  BlobReader r(blob.bytes, "random forest blob");
  r.ExpectRaw(kMagic);
  RandomForest forest;
  const uint32_t features = r.GetCount(4);
  for (uint32_t f = 0; f < features; ++f) forest.feature_names_.push_back(r.GetString());
  forest.label_ = r.GetString();
  const uint32_t trees = r.GetCount(4);
  forest.trees_.resize(trees);
  constexpr size_t kNodeBytes = 3 * sizeof(int32_t) + 2 * sizeof(double);
  for (Tree& tree : forest.trees_) {
    tree.resize(r.GetCount(kNodeBytes));
    for (Node& node : tree) {
      node.feature = r.Get<int32_t>();
      node.left = r.Get<int32_t>();
      node.right = r.Get<int32_t>();
      node.threshold = r.Get<double>();
      node.value = r.Get<double>();
    }
    // Every child index must point forward inside the tree: no cycles, no out-of-range reads.
    for (size_t i = 0; i < tree.size(); ++i) {
      const Node& node = tree[i];
      const auto in_tree = [&](int32_t c) {
        return c > static_cast<int32_t>(i) && c < static_cast<int32_t>(tree.size());
      };
      if (tree.empty() || (node.feature >= 0 && (node.feature >= static_cast<int32_t>(features) ||
                                                 !in_tree(node.left) || !in_tree(node.right))))
        throw std::invalid_argument("random forest blob: truncated or damaged");
    }
    if (tree.empty()) throw std::invalid_argument("random forest blob: truncated or damaged");
  }
  forest.importance_sums_.resize(features);
  for (double& v : forest.importance_sums_) v = r.Get<double>();
  r.ExpectEnd();
  if (trees == 0) throw std::invalid_argument("random forest blob: no trees");
  return forest;
}

}  // namespace fai::quant
