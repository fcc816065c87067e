#include "canvas/modules/linear_model.h"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

#include "canvas/modules/blob_codec.h"
#include "canvas/modules/parallel_for.h"

namespace fai::quant {

namespace {

constexpr size_t kRowBlock = 8192;
constexpr char kMagic[] = "FAILR001";

// Column sums of x (and y) over fixed row blocks, added in block order.
template <typename BlockFn>
Eigen::MatrixXd BlockSum(size_t rows, int threads, Eigen::Index out_rows, Eigen::Index out_cols,
                         BlockFn&& fn) {
  const size_t blocks = (rows + kRowBlock - 1) / kRowBlock;
  std::vector<Eigen::MatrixXd> partial(blocks);
  ParallelForBlocks(threads, rows, kRowBlock,
                    [&](size_t begin, size_t end) { partial[begin / kRowBlock] = fn(begin, end); });
  Eigen::MatrixXd total = Eigen::MatrixXd::Zero(out_rows, out_cols);
  for (const Eigen::MatrixXd& p : partial) total += p;
  return total;
}

}  // namespace

RidgeModel RidgeModel::Fit(std::vector<std::string> feature_names, const Columns& x,
                           const std::vector<double>& y, double alpha, bool fit_intercept,
                           int threads) {
  const size_t n = y.size();
  const Eigen::Index k = static_cast<Eigen::Index>(x.size());
  if (n == 0) throw std::invalid_argument("no rows to fit");
  if (x.empty() || feature_names.size() != x.size())
    throw std::invalid_argument("no (or unnamed) feature columns");
  for (size_t r = 0; r < n; ++r)
    if (!std::isfinite(y[r]))
      throw std::invalid_argument("the label is not finite at row " + std::to_string(r));
  for (size_t f = 0; f < x.size(); ++f) {
    if (x[f]->size() != n)
      throw std::invalid_argument("feature \"" + feature_names[f] + "\" has another length");
    for (size_t r = 0; r < n; ++r)
      if (!std::isfinite((*x[f])[r]))
        throw std::invalid_argument("feature \"" + feature_names[f] + "\" is not finite at row " +
                                    std::to_string(r) + " (drop such rows with data.dropna)");
  }
  // Block of rows as a matrix [x | y].
  auto block = [&](size_t begin, size_t end) {
    Eigen::MatrixXd m(static_cast<Eigen::Index>(end - begin), k + 1);
    for (Eigen::Index f = 0; f < k; ++f)
      for (size_t r = begin; r < end; ++r) m(static_cast<Eigen::Index>(r - begin), f) = (*x[f])[r];
    for (size_t r = begin; r < end; ++r) m(static_cast<Eigen::Index>(r - begin), k) = y[r];
    return m;
  };
  const double inv_n = 1.0 / static_cast<double>(n);
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(k + 1);
  if (fit_intercept)
    mean = BlockSum(n, threads, k + 1, 1,
                    [&](size_t b, size_t e) -> Eigen::MatrixXd {
                      return block(b, e).colwise().sum().transpose();
                    }) *
           inv_n;
  // Centred cross-products [x | y]' [x | y] / n.
  const Eigen::MatrixXd cross = BlockSum(n, threads, k + 1, k + 1,
                                         [&](size_t b, size_t e) -> Eigen::MatrixXd {
                                           Eigen::MatrixXd m = block(b, e);
                                           m.rowwise() -= mean.transpose();
                                           return m.transpose() * m;
                                         }) *
                                inv_n;
  Eigen::VectorXd scale(k);
  for (Eigen::Index f = 0; f < k; ++f) scale(f) = std::sqrt(cross(f, f));
  // Standardised system (Z'Z/n + alpha I) b = Z'y/n; constant features drop out.
  Eigen::MatrixXd gram = Eigen::MatrixXd::Identity(k, k) * alpha;
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k);
  for (Eigen::Index i = 0; i < k; ++i) {
    if (scale(i) == 0) {
      gram(i, i) = 1;
      continue;
    }
    rhs(i) = cross(i, k) / scale(i);
    for (Eigen::Index j = 0; j < k; ++j)
      if (scale(j) != 0) gram(i, j) += cross(i, j) / (scale(i) * scale(j));
  }
  const Eigen::VectorXd b = gram.ldlt().solve(rhs);
  RidgeModel model;
  model.feature_names_ = std::move(feature_names);
  model.coefficients_.resize(k);
  model.intercept_ = mean(k);
  for (Eigen::Index f = 0; f < k; ++f) {
    model.coefficients_[f] = scale(f) == 0 ? 0.0 : b(f) / scale(f);
    model.intercept_ -= model.coefficients_[f] * mean(f);
  }
  return model;
}

std::vector<double> RidgeModel::Predict(const Columns& x, int threads) const {
  if (x.size() != coefficients_.size())
    throw std::invalid_argument("the model takes " + std::to_string(coefficients_.size()) +
                                " features, got " + std::to_string(x.size()));
  const size_t rows = x.empty() ? 0 : x[0]->size();
  std::vector<double> out(rows);
  ParallelForBlocks(threads, rows, kRowBlock, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      double sum = intercept_;
      for (size_t f = 0; f < x.size(); ++f) sum += coefficients_[f] * (*x[f])[r];
      out[r] = sum;
    }
  });
  return out;
}

Blob RidgeModel::ToBlob() const {
  BlobWriter w;
  w.PutRaw(kMagic);
  w.Put(static_cast<uint32_t>(feature_names_.size()));
  for (size_t f = 0; f < feature_names_.size(); ++f) {
    w.PutString(feature_names_[f]);
    w.Put(coefficients_[f]);
  }
  w.PutString(label_);
  w.Put(intercept_);
  return Blob{kBlobType, w.Take()};
}

RidgeModel RidgeModel::FromBlob(const Blob& blob) {
  if (blob.type != kBlobType)
    throw std::invalid_argument("expected a model blob of type " + std::string(kBlobType) +
                                ", got \"" + blob.type + "\"");
  BlobReader r(blob.bytes, "linear model blob");
  r.ExpectRaw(kMagic);
  RidgeModel model;
  const uint32_t features = r.GetCount(4 + sizeof(double));
  for (uint32_t f = 0; f < features; ++f) {
    model.feature_names_.push_back(r.GetString());
    model.coefficients_.push_back(r.Get<double>());
  }
  model.label_ = r.GetString();
  model.intercept_ = r.Get<double>();
  r.ExpectEnd();
  return model;
}

}  // namespace fai::quant
