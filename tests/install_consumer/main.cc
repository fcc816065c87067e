// Out-of-tree program using the installed fai package: squares numbers remotely.
#include <iostream>

#include "fai/runtime.h"

int Square(int x) { return x * x; }
FAI_REMOTE(Square);

int main(int argc, char** argv) {
  return fai::Main(argc, argv, [] {
    std::vector<fai::Ref<int>> refs;
    for (int i = 1; i <= 5; ++i) refs.push_back(fai::remote(Square, i));
    int total = 0;
    for (int v : fai::get(refs)) total += v;
    std::cout << "sum of squares " << total << "\n";
    return total == 55 ? 0 : 1;
  });
}
