#include "sweep/grid_generators.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fai {

namespace {

std::string Show(const List& args) { return Value(args).ToString(); }

bool AllNumbers(const List& args) {
  for (const Value& v : args)
    if (!v.is_number()) return false;
  return true;
}

bool AllInts(const List& args) {
  for (const Value& v : args)
    if (v.kind() != ValueKind::kInt) return false;
  return true;
}

bool AllFinite(const List& args) {
  for (const Value& v : args)
    if (!std::isfinite(v.as_double())) return false;
  return true;
}

Status TooMany(const char* what, uint64_t n) {
  return Status::InvalidInput(std::string(what) + " gives " + std::to_string(n) +
                              " values, more than the limit of " + std::to_string(kMaxAxisValues) +
                              " for one axis");
}

// ceil(span / step) for span, step > 0, without overflow.
uint64_t CeilDiv(uint64_t span, uint64_t step) { return span / step + (span % step != 0 ? 1 : 0); }

Result<std::vector<Value>> IntRange(int64_t start, int64_t stop, int64_t step) {
  uint64_t n = 0;
  if (step > 0 && stop > start) {
    n = CeilDiv(static_cast<uint64_t>(stop) - static_cast<uint64_t>(start),
                static_cast<uint64_t>(step));
  } else if (step < 0 && stop < start) {
    n = CeilDiv(static_cast<uint64_t>(start) - static_cast<uint64_t>(stop),
                uint64_t{0} - static_cast<uint64_t>(step));
  }
  if (n == 0) {
    return Status::InvalidInput("range [" + std::to_string(start) + ", " + std::to_string(stop) +
                                ", " + std::to_string(step) +
                                "] is empty (stop is excluded; a negative step counts down)");
  }
  if (n > kMaxAxisValues) return TooMany("range", n);
  std::vector<Value> values;
  values.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    // Modular arithmetic: every result lies between start and stop, so it fits.
    values.emplace_back(
        static_cast<int64_t>(static_cast<uint64_t>(start) + i * static_cast<uint64_t>(step)));
  }
  return values;
}

Result<std::vector<Value>> FloatRange(double start, double stop, double step) {
  const double q = (stop - start) / step;
  if (q > static_cast<double>(kMaxAxisValues)) {
    return TooMany("range", q >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(std::ceil(q)));
  }
  uint64_t n = q > 0 ? static_cast<uint64_t>(std::ceil(q)) : 0;
  // (stop-start)/step can round up past an integer; stop stays excluded.
  auto at = [&](uint64_t i) { return start + static_cast<double>(i) * step; };
  while (n > 0 && !(step > 0 ? at(n - 1) < stop : at(n - 1) > stop)) --n;
  if (n == 0) {
    return Status::InvalidInput("range [" + Value(start).ToString() + ", " +
                                Value(stop).ToString() + ", " + Value(step).ToString() +
                                "] is empty (stop is excluded; a negative step counts down)");
  }
  std::vector<Value> values;
  values.reserve(n);
  for (uint64_t i = 0; i < n; ++i) values.emplace_back(at(i));
  return values;
}

// numpy.linspace(start, stop, num) as doubles; shared by linspace and logspace.
Result<std::vector<double>> Linspace(const char* name, const Value& start_v, const Value& stop_v,
                                     const Value& num_v) {
  if (num_v.kind() != ValueKind::kInt || num_v.as_int() < 1) {
    return Status::InvalidInput(std::string(name) + ": num must be a positive integer, got " +
                                num_v.ToString());
  }
  const uint64_t num = static_cast<uint64_t>(num_v.as_int());
  if (num > kMaxAxisValues) return TooMany(name, num);
  const double start = start_v.as_double();
  const double stop = stop_v.as_double();
  const double div = static_cast<double>(num - 1);
  const double delta = stop - start;
  const double step = num > 1 ? delta / div : 0.0;
  std::vector<double> out(num);
  for (uint64_t i = 0; i < num; ++i) {
    const double x = static_cast<double>(i);
    // numpy: y = arange(num) * step + start, or (arange/div) * delta when step underflows to 0.
    out[i] = step != 0.0 ? x * step + start : (num > 1 ? x / div * delta + start : start);
  }
  if (num > 1) out.back() = stop;
  return out;
}

}  // namespace

Result<std::vector<Value>> RangeValues(const List& args) {
  if (args.empty() || args.size() > 3 || !AllNumbers(args)) {
    return Status::InvalidInput(
        "expected {range: [start, stop]} or {range: [start, stop, step]} "
        "with numbers, got " +
        Show(args));
  }
  List full = args.size() == 1 ? List{Value(0), args[0]} : args;
  if (full.size() == 2) full.push_back(Value(1));
  if (AllInts(full)) {
    if (full[2].as_int() == 0) return Status::InvalidInput("range: step must not be 0");
    return IntRange(full[0].as_int(), full[1].as_int(), full[2].as_int());
  }
  if (!AllFinite(full))
    return Status::InvalidInput("range: expected finite numbers, got " + Show(args));
  if (full[2].as_double() == 0.0) return Status::InvalidInput("range: step must not be 0");
  return FloatRange(full[0].as_double(), full[1].as_double(), full[2].as_double());
}

Result<std::vector<Value>> LinspaceValues(const List& args) {
  if (args.size() != 3 || !AllNumbers(args) || !AllFinite({args[0], args[1]})) {
    return Status::InvalidInput(
        "expected {linspace: [start, stop, num]} with finite numbers, got " + Show(args));
  }
  Result<std::vector<double>> xs = Linspace("linspace", args[0], args[1], args[2]);
  if (!xs.ok()) return xs.status();
  return std::vector<Value>(xs->begin(), xs->end());
}

Result<std::vector<Value>> LogspaceValues(const List& args) {
  if (args.size() < 3 || args.size() > 4 || !AllNumbers(args) || !AllFinite({args[0], args[1]})) {
    return Status::InvalidInput(
        "expected {logspace: [start, stop, num]} or {logspace: [start, stop, num, base]} with "
        "finite numbers, got " +
        Show(args));
  }
  const double base = args.size() == 4 ? args[3].as_double() : 10.0;
  if (!(base > 0) || !std::isfinite(base)) {
    return Status::InvalidInput("logspace: base must be a positive number, got " +
                                args[3].ToString());
  }
  Result<std::vector<double>> xs = Linspace("logspace", args[0], args[1], args[2]);
  if (!xs.ok()) return xs.status();
  std::vector<Value> values;
  values.reserve(xs->size());
  for (double x : *xs) {
    const double v = std::pow(base, x);
    if (!std::isfinite(v)) {
      return Status::InvalidInput("logspace: " + Value(base).ToString() + " ** " +
                                  Value(x).ToString() + " is out of the range of a double");
    }
    values.emplace_back(v);
  }
  return values;
}

SampleStream::SampleStream(uint64_t seed, uint64_t index) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                    static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32)};
  engine_.seed(seq);
}

double SampleStream::Uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

uint64_t SampleStream::Below(uint64_t n) {
  // Reject the lowest (2^64 mod n) draws so that every residue is equally likely.
  const uint64_t threshold = (uint64_t{0} - n) % n;
  for (;;) {
    const uint64_t x = engine_();
    if (x >= threshold) return x % n;
  }
}

int64_t SampleStream::IntInclusive(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  const uint64_t offset = span == 0 ? engine_() : Below(span);  // span 0: all 2^64 values
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

const std::vector<std::string>& Distribution::KindNames() {
  static const std::vector<std::string> kNames = {"uniform", "loguniform", "randint", "choice"};
  return kNames;
}

Result<Distribution> Distribution::Make(const std::string& kind_name, const List& args) {
  Distribution d;
  if (kind_name == "choice") {
    if (args.empty())
      return Status::InvalidInput("expected {choice: [value, ...]} with at least one value");
    d.kind = Kind::kChoice;
    d.choices = args;
    return d;
  }
  if (kind_name == "randint") {
    if (args.size() != 2 || !AllInts(args)) {
      return Status::InvalidInput(
          "expected {randint: [low, high]} with integers (both inclusive), got " + Show(args));
    }
    if (args[0].as_int() > args[1].as_int()) {
      return Status::InvalidInput("randint: low must not exceed high, got " + Show(args));
    }
    d.kind = Kind::kRandInt;
    d.low = args[0];
    d.high = args[1];
    return d;
  }
  const bool log = kind_name == "loguniform";
  if (!log && kind_name != "uniform") {
    return Status::InvalidInput("unknown distribution \"" + kind_name + "\"");
  }
  if (args.size() != 2 || !AllNumbers(args) || !AllFinite(args)) {
    return Status::InvalidInput("expected {" + kind_name +
                                ": [low, high]} with finite numbers, got " + Show(args));
  }
  const double lo = args[0].as_double(), hi = args[1].as_double();
  if (lo > hi) {
    return Status::InvalidInput(kind_name + ": low must not exceed high, got " + Show(args));
  }
  if (log && !(lo > 0)) {
    return Status::InvalidInput("loguniform: bounds must be positive, got " + Show(args));
  }
  d.kind = log ? Kind::kLogUniform : Kind::kUniform;
  d.low = Value(lo);
  d.high = Value(hi);
  return d;
}

Value Distribution::Draw(SampleStream* stream) const {
  switch (kind) {
    case Kind::kUniform: {
      const double lo = low.as_double(), hi = high.as_double();
      return Value(std::min(hi, lo + stream->Uniform01() * (hi - lo)));
    }
    case Kind::kLogUniform: {
      // exp(log(x)) may round just outside the bounds; keep draws within them.
      const double lo = std::log(low.as_double()), hi = std::log(high.as_double());
      const double x = std::exp(lo + stream->Uniform01() * (hi - lo));
      return Value(std::clamp(x, low.as_double(), high.as_double()));
    }
    case Kind::kRandInt:
      return Value(stream->IntInclusive(low.as_int(), high.as_int()));
    case Kind::kChoice:
      return choices[stream->Below(choices.size())];
  }
  return Value();
}

}  // namespace fai
