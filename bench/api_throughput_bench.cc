// No-op remote + get throughput of the C++ API (fai/runtime.h):
//   mpirun -n 4 build/bench/api_throughput_bench [calls]
// Submits `calls` no-op remote calls asking 0.01 CPU, then gets every result.
// Prints: "api ranks=<n> items=<count> seconds=<s> rate=<items/s>".
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "fai/runtime.h"

namespace {
int Noop(int x) { return x; }
FAI_REMOTE(Noop);
}  // namespace

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::atoi(argv[1]) : 100000;
  return fai::Main(argc, argv, [&] {
    // Warm up: every worker is up.
    fai::get(fai::remote(Noop, 0));
    const auto start = std::chrono::steady_clock::now();
    std::vector<fai::Ref<int>> refs;
    refs.reserve(calls);
    for (int i = 0; i < calls; ++i) refs.push_back(fai::remote(fai::Options{.num_cpus = 0.01}, Noop, i));
    long long sum = 0;
    for (const fai::Ref<int>& r : refs) sum += fai::get(r);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    int ranks = 1;
    if (const char* n = std::getenv("OMPI_COMM_WORLD_SIZE")) ranks = std::atoi(n);
    std::cout << "api ranks=" << ranks << " items=" << calls << " seconds=" << s << " rate=" << calls / s << "\n";
    return sum == static_cast<long long>(calls) * (calls - 1) / 2 ? 0 : 1;
  });
}
