// RidgeModel: linear regression with an L2 penalty on standardised features.
//
// Fit() standardises each feature (mean 0, standard deviation 1 over the rows), solves
//   minimise (1/n) * ||y - mean(y) - Z b||^2 + alpha * ||b||^2
// and reports the coefficients on the original scale with an intercept, so alpha does not depend
// on the features' units. A constant feature gets coefficient 0. Sums over rows are taken in
// fixed blocks combined in block order: the fit is bit-identical for any thread count.
//
// Thread-safety: a fitted model is immutable; Predict() may run from several threads at once.
#ifndef FAI_CANVAS_MODULES_LINEAR_MODEL_H_
#define FAI_CANVAS_MODULES_LINEAR_MODEL_H_

#include <string>
#include <vector>

#include "fai/value.h"

namespace fai::quant {

class RidgeModel {
 public:
  using Columns = std::vector<const std::vector<double>*>;

  static constexpr const char* kBlobType = "fai.linear/1";

  // Throws std::invalid_argument on empty data, mismatched lengths or a non-finite value.
  static RidgeModel Fit(std::vector<std::string> feature_names, const Columns& x,
                        const std::vector<double>& y, double alpha, bool fit_intercept,
                        int threads);

  // intercept + sum coefficient[f] * x[f] per row (NaN where a feature is NaN).
  std::vector<double> Predict(const Columns& x, int threads) const;

  const std::vector<std::string>& feature_names() const { return feature_names_; }
  const std::vector<double>& coefficients() const { return coefficients_; }
  double intercept() const { return intercept_; }
  const std::string& label() const { return label_; }
  void set_label(std::string label) { label_ = std::move(label); }

  // The model as a Blob of type kBlobType and back; FromBlob throws std::invalid_argument on
  // another type or a damaged blob.
  Blob ToBlob() const;
  static RidgeModel FromBlob(const Blob& blob);

 private:
  std::vector<std::string> feature_names_;
  std::string label_;
  std::vector<double> coefficients_;
  double intercept_ = 0;
};

}  // namespace fai::quant

#endif  // FAI_CANVAS_MODULES_LINEAR_MODEL_H_
