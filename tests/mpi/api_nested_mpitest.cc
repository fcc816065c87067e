// Nested calls on 1-CPU workers (registered at 1, 2 and 4 ranks): a task blocked in get() gives
// its CPU slot back, so a chain of ten nested calls completes even on a single 1-CPU worker.
#include <iostream>

#include "fai/runtime.h"

namespace {

int Chain(int depth) { return depth == 0 ? 0 : fai::get(fai::remote(Chain, depth - 1)) + 1; }
FAI_REMOTE(Chain);

int Fan(int width) {
  std::vector<fai::Ref<int>> parts;
  for (int i = 0; i < width; ++i) parts.push_back(fai::remote(Chain, 2));
  int total = 0;
  for (int v : fai::get(parts)) total += v;
  return total;
}
FAI_REMOTE(Fan);

}  // namespace

int main(int argc, char** argv) {
  fai::MainOptions options;
  options.cpus_per_rank = 1;
  return fai::Main(argc, argv, [] {
    const int chain = fai::get(fai::remote(Chain, 10));
    const int fan = fai::get(fai::remote(Fan, 4));
    const bool ok = chain == 10 && fan == 8;
    std::cout << "api_nested_mpitest: chain=" << chain << " fan=" << fan << " "
              << (ok ? "1 passed, 0 failed" : "0 passed, 1 failed") << "\n";
    return ok ? 0 : 1;
  }, options);
}
