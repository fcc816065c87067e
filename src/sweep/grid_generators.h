// The value generators of grid.yaml (DESIGN §3): `range`, `linspace` and `logspace` axes, and the
// distributions of a `random` block with their portable, per-sample random stream.
//
// Pure functions of their arguments: no files, no clocks, no global state; thread-safe.
// Error messages say what was expected and carry no path; the parser puts the path in front.
#ifndef FAI_SWEEP_GRID_GENERATORS_H_
#define FAI_SWEEP_GRID_GENERATORS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/status.h"
#include "fai/value.h"

namespace fai {

// The most values a single generated axis (or a random block's samples) may have.
inline constexpr uint64_t kMaxAxisValues = 10'000'000;

// {range: [start, stop, step]}: start, start+step, ... with stop excluded, like Python's range
// ([stop] and [start, stop] also work; step defaults to 1). All-int arguments give ints; otherwise
// doubles computed as start + i*step (not accumulated), stop always excluded (numpy.arange can
// include it through rounding: [1.0, 1.3, 0.1]). A negative step counts down. Errors: step
// 0, non-numbers, an empty range, more than kMaxAxisValues values.
Result<std::vector<Value>> RangeValues(const List& args);

// {linspace: [start, stop, num]}: numpy.linspace with endpoint: num doubles, start + i*step with
// step = (stop-start)/(num-1), the last exactly stop (num 1 gives [start]). Errors as above.
Result<std::vector<Value>> LinspaceValues(const List& args);

// {logspace: [start, stop, num]} or [start, stop, num, base]: base ** linspace(start, stop, num),
// base 10 by default (numpy.logspace). Doubles.
Result<std::vector<Value>> LogspaceValues(const List& args);

// The random stream of sample `index` of a random block with `seed`: std::mt19937_64 seeded by
// std::seed_seq{seed low 32 bits, seed high, index low, index high}. Both the engine and seed_seq
// are specified exactly by the standard, and no std:: distribution is used, so the draws are the
// same on every platform and sample i does not depend on how many samples are drawn.
class SampleStream {
 public:
  SampleStream(uint64_t seed, uint64_t index);

  // A double in [0, 1) with 53 random bits.
  double Uniform01();
  // An integer in [0, n), unbiased (rejection). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // An integer in [lo, hi], unbiased. REQUIRES: lo <= hi.
  int64_t IntInclusive(int64_t lo, int64_t hi);

 private:
  std::mt19937_64 engine_;
};

// One `random.params` entry: {uniform: [a, b]}, {loguniform: [a, b]} (0 < a), {randint: [a, b]}
// (inclusive ints) or {choice: [v, ...]}.
struct Distribution {
  enum class Kind { kUniform, kLogUniform, kRandInt, kChoice };

  // Validates the arguments of `kind_name` ("uniform", ...). Errors say what was expected.
  static Result<Distribution> Make(const std::string& kind_name, const List& args);
  // The names Make accepts, for did-you-mean messages.
  static const std::vector<std::string>& KindNames();

  // Draws one value from `stream`: a double for uniform/loguniform, an int for randint, an
  // element for choice.
  Value Draw(SampleStream* stream) const;

  Kind kind = Kind::kUniform;
  Value low;  // uniform/loguniform: double; randint: int. Unused for choice.
  Value high;
  List choices;  // choice only
};

}  // namespace fai

#endif  // FAI_SWEEP_GRID_GENERATORS_H_
