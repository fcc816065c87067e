// The C++ API: remote functions over the same MPI runtime as the sweeps (DESIGN §8).
//
//   int Square(int x) { return x * x; }
//   FAI_REMOTE(Square);                      // once, at namespace scope: known on every rank
//
//   int main(int argc, char** argv) {
//     return fai::Main(argc, argv, [] {     // runs on rank 0; the other ranks serve tasks
//       fai::Ref<int> r = fai::remote(Square, 7);
//       fai::Ref<int> s = fai::remote(fai::Options{.num_cpus = 0.5}, Square, r);  // refs as args
//       return fai::get(s) == 2401 ? 0 : 1;
//     });
//   }
//
// Arguments and results are any Boost.Serialization-able type (std containers, strings, Eigen
// matrices through fai/value.h's Matrix via fai::Value, ...). A Ref passed as an argument is
// waited for and resolved on the worker, and the task is placed near its largest input. A task
// may itself call remote() and get(); while it waits in get() its CPU slot goes back to the pool.
// An exception in a remote task comes back from get() as fai::TaskError.
//
// Thread-safety: remote/get/put/wait may be called from any thread of the program on rank 0 and
// from inside remote tasks.
#ifndef FAI_RUNTIME_H_
#define FAI_RUNTIME_H_

#include <Eigen/Dense>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/stream.hpp>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

// Eigen dense matrices and vectors as arguments and results.
namespace boost::serialization {
template <class Archive, typename S, int R, int C, int O, int MR, int MC>
void save(Archive& ar, const Eigen::Matrix<S, R, C, O, MR, MC>& m, unsigned) {
  const int64_t rows = m.rows(), cols = m.cols();
  ar << rows << cols;
  if (m.size() > 0) ar << make_array(m.data(), static_cast<size_t>(m.size()));
}
template <class Archive, typename S, int R, int C, int O, int MR, int MC>
void load(Archive& ar, Eigen::Matrix<S, R, C, O, MR, MC>& m, unsigned) {
  int64_t rows = 0, cols = 0;
  ar >> rows >> cols;
  m.resize(rows, cols);
  if (m.size() > 0) ar >> make_array(m.data(), static_cast<size_t>(m.size()));
}
template <class Archive, typename S, int R, int C, int O, int MR, int MC>
void serialize(Archive& ar, Eigen::Matrix<S, R, C, O, MR, MC>& m, unsigned version) {
  split_free(ar, m, version);
}
}  // namespace boost::serialization

namespace fai {

// Resources a remote call asks for.
struct Options {
  double num_cpus = 1;      // fractional allowed
  double num_gpus = 0;      // below 1 shares one device
  std::string memory = {};  // "4G"; empty: none
};

// What get() throws when the remote task failed.
class TaskError : public std::runtime_error {
 public:
  TaskError(std::string function, int rank, const std::string& message)
      : std::runtime_error(function + " failed on rank " + std::to_string(rank) + ": " + message),
        function_(std::move(function)),
        rank_(rank),
        message_(message) {}
  const std::string& function() const { return function_; }
  int rank() const { return rank_; }
  const std::string& message() const { return message_; }

 private:
  std::string function_;
  int rank_;
  std::string message_;
};

// A handle to the result of a remote call (or a put). Cheap to copy; serialisable, so refs can
// be passed to and returned from tasks.
template <typename T>
class Ref {
 public:
  Ref() = default;
  explicit Ref(uint64_t id) : id_(id) {}
  uint64_t id() const { return id_; }
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & id_;
  }

 private:
  uint64_t id_ = UINT64_MAX;
};

namespace internal {

// Numbers and strings are copied as they are; everything else goes through a Boost binary
// archive (whose set-up costs a locale, noticeable for tiny calls).
template <typename T>
std::string Encode(const T& value) {
  if constexpr (std::is_arithmetic_v<T>) {
    return std::string(reinterpret_cast<const char*>(&value), sizeof(T));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return value;
  }
  std::string out;
  {
    boost::iostreams::stream<boost::iostreams::back_insert_device<std::string>> os(out);
    boost::archive::binary_oarchive ar(os, boost::archive::no_header | boost::archive::no_codecvt);
    ar << value;
  }
  return out;
}

template <typename T>
T Decode(const std::string& bytes) {
  if constexpr (std::is_arithmetic_v<T>) {
    T value{};
    if (bytes.size() != sizeof(T)) throw std::invalid_argument("fai: a value of the wrong size arrived");
    std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return bytes;
  }
  boost::iostreams::stream<boost::iostreams::array_source> is(bytes.data(), bytes.size());
  boost::archive::binary_iarchive ar(is, boost::archive::no_header | boost::archive::no_codecvt);
  T value;
  ar >> value;
  return value;
}

// One argument of a call: its bytes, or the id of the object (a Ref) holding them.
struct Arg {
  bool is_ref = false;
  uint64_t ref = 0;
  std::string bytes;
};

template <typename T>
struct IsRef : std::false_type {};
template <typename T>
struct IsRef<Ref<T>> : std::true_type {};

// A parameter of type P may receive a P or a Ref<P>.
template <typename P, typename A>
Arg MakeArg(A&& a) {
  using D = std::decay_t<A>;
  if constexpr (IsRef<D>::value && !IsRef<std::decay_t<P>>::value) {
    return Arg{true, a.id(), {}};
  } else {
    return Arg{false, 0, Encode(static_cast<std::decay_t<P>>(std::forward<A>(a)))};
  }
}

using Invoker = std::function<std::string(const std::vector<std::string>& args)>;

// Registers `name` once per process; returns true (for static initialisation).
bool RegisterFunction(const std::string& name, const void* fn, Invoker invoker);
// The registered name of `fn`. Throws std::invalid_argument when it was not registered.
const std::string& FunctionName(const void* fn);

template <typename R, typename... P, size_t... I>
std::string InvokeWith(R (*fn)(P...), const std::vector<std::string>& args, std::index_sequence<I...>) {
  return Encode(fn(Decode<std::decay_t<P>>(args[I])...));
}

template <typename R, typename... P>
bool Register(const std::string& name, R (*fn)(P...)) {
  return RegisterFunction(name, reinterpret_cast<const void*>(fn), [fn](const std::vector<std::string>& args) {
    if (args.size() != sizeof...(P)) throw std::invalid_argument("wrong number of arguments");
    return InvokeWith(fn, args, std::index_sequence_for<P...>{});
  });
}

// The runtime side (src/mpi_sched/api_client.cc).
uint64_t Submit(const std::string& function, std::vector<Arg> args, const Options& options);
uint64_t PutBytes(std::string bytes);
std::string GetBytes(uint64_t id);
std::vector<uint64_t> WaitIds(const std::vector<uint64_t>& ids, size_t n, double timeout_s);

}  // namespace internal

// Calls `fn(args...)` on a worker and returns a Ref to its result.
template <typename R, typename... P, typename... A>
Ref<R> remote(const Options& options, R (*fn)(P...), A&&... args) {
  static_assert(sizeof...(P) == sizeof...(A), "remote(): wrong number of arguments");
  std::vector<internal::Arg> encoded = {internal::MakeArg<P>(std::forward<A>(args))...};
  return Ref<R>(internal::Submit(internal::FunctionName(reinterpret_cast<const void*>(fn)), std::move(encoded), options));
}
template <typename R, typename... P, typename... A>
Ref<R> remote(R (*fn)(P...), A&&... args) {
  return remote(Options{}, fn, std::forward<A>(args)...);
}

// Waits for the result. Throws TaskError when the task failed.
template <typename T>
T get(const Ref<T>& ref) {
  return internal::Decode<T>(internal::GetBytes(ref.id()));
}
template <typename T>
std::vector<T> get(const std::vector<Ref<T>>& refs) {
  std::vector<T> out;
  out.reserve(refs.size());
  for (const Ref<T>& r : refs) out.push_back(get(r));
  return out;
}

// Stores `value` once on a worker; pass the Ref to as many calls as you like.
template <typename T>
Ref<T> put(const T& value) {
  return Ref<T>(internal::PutBytes(internal::Encode(value)));
}

// Waits until `n` of `refs` are done or `timeout_s` passed (negative: no limit); returns the
// done ones, in the order given.
template <typename T>
std::vector<Ref<T>> wait(const std::vector<Ref<T>>& refs, size_t n, double timeout_s = -1) {
  std::vector<uint64_t> ids;
  for (const Ref<T>& r : refs) ids.push_back(r.id());
  std::vector<Ref<T>> done;
  for (uint64_t id : internal::WaitIds(ids, n, timeout_s)) done.push_back(Ref<T>(id));
  return done;
}

// Inside a remote task: the GPUs it was granted, numbered from 0, and its CPUs. Outside a task:
// none and 0.
std::vector<int> gpu_ids();
double num_cpus();

struct MainOptions {
  double cpus_per_rank = 0;   // 0: from Slurm or the host (as fai-sweep)
  int gpus_per_rank = -1;     // -1: from CUDA_VISIBLE_DEVICES / Slurm
  std::string mem_per_rank;   // "": from Slurm or the host
};

// Starts the runtime: `program` runs on rank 0 while the other ranks serve tasks (with one rank,
// a local worker serves). Returns program's status on rank 0, 0 elsewhere.
int Main(int argc, char** argv, const std::function<int()>& program, const MainOptions& options = {});

}  // namespace fai

// Registers a function for remote calls under its own name; use once at namespace scope.
#define FAI_REMOTE(fn) \
  [[maybe_unused]] static const bool fai_remote_registered_##fn = ::fai::internal::Register(#fn, &fn)

#endif  // FAI_RUNTIME_H_
