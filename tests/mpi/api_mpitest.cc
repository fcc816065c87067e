// The C++ API over real MPI ranks (registered at 1, 2 and 4 ranks): the seed's Python examples
// ported with the same assertions, nested calls, refs, put, wait, errors and Eigen arguments.
// Exits non-zero on any failed check.
#include <unistd.h>

#include <algorithm>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <iostream>
#include <numeric>
#include <thread>

#include "fai/runtime.h"
#include "mpi/mpi_check.h"

namespace {


int func1() { return 10; }
FAI_REMOTE(func1);

std::vector<int> Devices() { return fai::gpu_ids(); }
FAI_REMOTE(Devices);

// Start and end (steady clock, ms) and the worker's pid.
std::vector<double> Timed(int ms) {
  auto now = [] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
  const double start = now();
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return {start, now(), static_cast<double>(getpid())};
}
FAI_REMOTE(Timed);

double Sum(std::vector<double> v) { return std::accumulate(v.begin(), v.end(), 0.0); }
FAI_REMOTE(Sum);

std::string node1() { return "node1"; }
std::string node2(std::string a) { return a + "->node2"; }
std::string node3(std::string b) { return b + "->node3"; }
std::string node4(std::string a, std::string c) { return a + "->node4," + c + "->node4"; }
FAI_REMOTE(node1);
FAI_REMOTE(node2);
FAI_REMOTE(node3);
FAI_REMOTE(node4);

// The seed's remote main: builds the DAG from inside a task and waits for it.
std::string remote_main() {
  fai::Ref<std::string> n1 = fai::remote(node1);
  fai::Ref<std::string> n2 = fai::remote(node2, n1);
  fai::Ref<std::string> n3 = fai::remote(node3, n2);
  return fai::get(fai::remote(node4, n1, n3));
}
FAI_REMOTE(remote_main);

// A chain of nested calls: each level waits for the next inside its task.
int Chain(int depth) { return depth == 0 ? 0 : fai::get(fai::remote(Chain, depth - 1)) + 1; }
FAI_REMOTE(Chain);

int Fails(int x) {
  if (x < 0) throw std::invalid_argument("negative input " + std::to_string(x));
  return x;
}
FAI_REMOTE(Fails);

Eigen::MatrixXd Twice(Eigen::MatrixXd m) { return 2 * m; }
FAI_REMOTE(Twice);

int Program() {
  // func1: single and list get.
  CHECK(fai::get(fai::remote(func1)) == 10);
  std::vector<fai::Ref<int>> refs;
  for (int i = 0; i < 3; ++i) refs.push_back(fai::remote(func1));
  CHECK(fai::get(refs) == (std::vector<int>{10, 10, 10}));

  // GPU-declared tasks see their devices from 0.
  std::vector<int> one = fai::get(fai::remote(fai::Options{.num_cpus = 1, .num_gpus = 1}, Devices));
  CHECK(one == std::vector<int>{0});
  std::vector<int> two = fai::get(fai::remote(fai::Options{.num_cpus = 1, .num_gpus = 2}, Devices));
  CHECK(two == (std::vector<int>{0, 1}));
  CHECK(fai::get(fai::remote(Devices)).empty());

  // The waiting example: 8-CPU workers, tasks of 5 CPUs: one per worker at a time, in waves.
  std::vector<fai::Ref<std::vector<double>>> timed;
  for (int i = 0; i < 4; ++i) timed.push_back(fai::remote(fai::Options{.num_cpus = 5}, Timed, 150));
  std::vector<std::vector<double>> spans = fai::get(timed);
  std::sort(spans.begin(), spans.end());
  for (size_t i = 0; i < spans.size(); ++i)
    for (size_t j = i + 1; j < spans.size(); ++j)
      if (spans[i][2] == spans[j][2]) CHECK(spans[j][0] >= spans[i][1]);  // same worker: no overlap
  CHECK(spans[3][0] >= std::min(spans[0][1], spans[1][1]));             // the last waited for an end

  // A large object shared once by put and passed by ref.
  std::vector<double> big(5'000'000, 0.5);
  fai::Ref<std::vector<double>> shared = fai::put(big);
  std::vector<fai::Ref<double>> sums;
  for (int i = 0; i < 3; ++i) sums.push_back(fai::remote(Sum, shared));
  for (double s : fai::get(sums)) CHECK(s == 2'500'000.0);

  // The node1 -> node2 -> node3 -> node4 DAG from a remote main.
  CHECK(fai::get(fai::remote(remote_main)) == "node1->node4,node1->node2->node3->node4");

  // Nested calls: ten levels deep, each waiting inside its task.
  CHECK(fai::get(fai::remote(Chain, 10)) == 10);

  // Errors come back with message, function and rank; the runtime goes on.
  bool thrown = false;
  try {
    fai::get(fai::remote(Fails, -3));
  } catch (const fai::TaskError& e) {
    thrown = true;
    CHECK(e.function() == "Fails");
    CHECK(e.message().find("negative input -3") != std::string::npos);
    CHECK(e.rank() >= 0);
  }
  CHECK(thrown);
  CHECK(fai::get(fai::remote(Fails, 4)) == 4);

  // Eigen matrices as arguments and results.
  Eigen::MatrixXd m = Eigen::MatrixXd::Random(3, 4);
  CHECK(fai::get(fai::remote(Twice, m)).isApprox(2 * m));

  // wait: the quick one is done first.
  std::vector<fai::Ref<std::vector<double>>> mixed = {fai::remote(fai::Options{.num_cpus = 0.5}, Timed, 400),
                                                      fai::remote(fai::Options{.num_cpus = 0.5}, Timed, 1)};
  std::vector<fai::Ref<std::vector<double>>> done = fai::wait(mixed, 1);
  CHECK(!done.empty());
  CHECK(fai::wait(mixed, 2).size() == 2);

  std::cout << "api_mpitest: " << (check_failures == 0 ? "1 passed, 0 failed" : "0 passed, 1 failed") << "\n";
  return check_failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  fai::MainOptions options;
  options.cpus_per_rank = 8;
  options.gpus_per_rank = 2;
  return fai::Main(argc, argv, Program, options);
}
