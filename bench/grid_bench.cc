// Grid expansion: lazy Grid::ForEach against materialising every Combination in a vector.
//
// Expands a ~10^5 and a ~10^6 combination grid (three axes, a zip group and exclude entries),
// first lazily (the way SweepPlan reads a grid), then into a std::vector<Combination>, and
// prints the time, combinations per second and the process's peak RSS after each step. Lazy
// runs come first, so an unchanged peak between the 10^5 and the 10^6 run shows that expansion
// memory does not grow with the number of combinations.
//
//   grid_bench            (no arguments; prints a Markdown table)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/content_hash.h"
#include "sweep/grid.h"

namespace {

long PeakRssKiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

// a × b × zip combinations before exclude (the zip group varies its two lists together).
std::string GridYaml(int a, int b, int zip) {
  return "grid:\n"
         "  m12.iterations: {range: [0, " +
         std::to_string(a) +
         "]}\n"
         "  m12.feature_fraction: {linspace: [0.01, 1.0, " +
         std::to_string(b) +
         "]}\n"
         "zip:\n"
         "  - m1.start_day: {range: [0, " +
         std::to_string(zip) +
         "]}\n"
         "    m1.label: {logspace: [-3, 0, " +
         std::to_string(zip) +
         "]}\n"
         "exclude:\n"
         "  - {m12.iterations: 3}\n"
         "  - {m12.iterations: 7, m1.start_day: 2}\n";
}

struct Measure {
  uint64_t combinations = 0;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // this process's CPU time (the machine may be shared)
  long peak_rss_kib = 0;
};

double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

template <typename Body>
Measure Time(Body&& body) {
  Measure m;
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  m.combinations = body();
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.cpu_seconds = CpuSeconds() - cpu_start;
  m.peak_rss_kib = PeakRssKiB();
  return m;
}

Measure Lazy(const fai::Grid& grid) {
  return Time([&] {
    uint64_t n = 0, mix = 0;
    grid.ForEach([&](const fai::Combination& c) {
      mix ^= c.hash.lo + c.values.size();
      ++n;
      return true;
    });
    if (mix == 42) std::printf(" ");  // keeps the work observable
    return n;
  });
}

Measure Materialised(const fai::Grid& grid, std::vector<fai::Combination>* out) {
  return Time([&] {
    grid.ForEach([&](const fai::Combination& c) {
      out->push_back(c);
      return true;
    });
    return static_cast<uint64_t>(out->size());
  });
}

// CPU microseconds per digest of a 138-byte message (the size of one combination of the 10^6
// grid): the id hash dominates expansion, so this explains the figures above.
template <typename Hash>
double MicrosPerHash(Hash&& hash) {
  std::string bytes(138, 'x');
  uint64_t mix = 0;
  const int n = 300000;
  const double start = CpuSeconds();
  for (int i = 0; i < n; ++i) {
    bytes[i % bytes.size()] = static_cast<char>(i);
    mix ^= hash(bytes).lo;
  }
  const double us = (CpuSeconds() - start) / n * 1e6;
  if (mix == 42) std::printf(" ");
  return us;
}

void Row(const char* grid, const char* mode, const Measure& m) {
  std::printf("| %s | %s | %llu | %.3f | %.3f | %.2f M/s | %.1f MiB |\n", grid, mode,
              static_cast<unsigned long long>(m.combinations), m.seconds, m.cpu_seconds,
              m.combinations / m.cpu_seconds / 1e6, m.peak_rss_kib / 1024.0);
}

}  // namespace

int main() {
  const long baseline = PeakRssKiB();
  fai::Result<fai::Grid> small = fai::Grid::Parse(GridYaml(100, 100, 10), "small.yaml");
  fai::Result<fai::Grid> large = fai::Grid::Parse(GridYaml(100, 100, 100), "large.yaml");
  if (!small.ok() || !large.ok()) {
    std::fprintf(stderr, "%s%s\n", small.status().message().c_str(),
                 large.status().message().c_str());
    return 1;
  }
  const auto count_start = std::chrono::steady_clock::now();
  const uint64_t large_count = large->Count();
  const double count_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - count_start).count();

  std::printf("peak RSS before expansion: %.1f MiB; Count() of the 10^6 grid: %llu in %.3f s\n\n",
              baseline / 1024.0, static_cast<unsigned long long>(large_count), count_seconds);
  std::printf(
      "| grid | mode | combinations | wall s | CPU s | combinations/CPU s | peak RSS after |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  const Measure lazy_small = Lazy(*small);
  Row("10^5", "lazy ForEach", lazy_small);
  const Measure lazy_large = Lazy(*large);
  Row("10^6", "lazy ForEach", lazy_large);
  Measure vec_small, vec_large;
  {
    std::vector<fai::Combination> all;
    vec_small = Materialised(*small, &all);
    Row("10^5", "into std::vector", vec_small);
  }
  {
    std::vector<fai::Combination> all;
    vec_large = Materialised(*large, &all);
    Row("10^6", "into std::vector", vec_large);
  }
  std::printf(
      "\n10^6: materialising takes %.2fx the CPU time of lazy expansion; lazy expansion "
      "added %.1f MiB to the peak going from 10^5 to 10^6, the vector %.1f MiB\n",
      vec_large.cpu_seconds / lazy_large.cpu_seconds,
      (lazy_large.peak_rss_kib - lazy_small.peak_rss_kib) / 1024.0,
      (vec_large.peak_rss_kib - lazy_large.peak_rss_kib) / 1024.0);
  std::printf(
      "\nid hash of a 138-byte combination (ContentHash::Of, Boost's SHA-1): %.3f CPU us\n",
      MicrosPerHash([](const std::string& b) { return fai::ContentHash::Of(b); }));
  return 0;
}
