// MpiTransport's doorbells over real MPI ranks (registered at 1, 2 and 4 ranks, all on this
// host): a Wait() ends when a message arrives or when another thread calls Wake(), long before
// its timeout, and every message still arrives over MPI. Exits non-zero on any failed check.
#include <mpi.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "mpi/mpi_check.h"
#include "mpi_sched/mpi_transport.h"

namespace fai {
namespace {

using Clock = std::chrono::steady_clock;
// Long enough that a Wait() reaching it means it was not woken; a woken one takes microseconds.
constexpr std::chrono::microseconds kLong = std::chrono::seconds(60);

bool EndedEarly(Clock::time_point start) { return Clock::now() - start < kLong / 2; }

// Waits until a message arrives; checks that no Wait() ran to its timeout.
Envelope Receive(MpiTransport& t) {
  Envelope env;
  while (!t.TryReceive(&env)) {
    const auto start = Clock::now();
    t.Wait(kLong);
    CHECK(EndedEarly(start));
  }
  return env;
}

void Checks(MpiTransport& t) {
  CHECK(t.wakes_on_arrival());  // every rank is on this host

  // Another thread's Wake() ends a Wait().
  {
    std::thread waker([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      t.Wake();
    });
    const auto start = Clock::now();
    t.Wait(kLong);
    CHECK(EndedEarly(start));
    waker.join();
  }

  // Workers greet rank 0, which answers each; every Wait() is ended by the message's ring.
  MPI_Barrier(MPI_COMM_WORLD);
  if (t.rank() == 0) {
    for (int n = 1; n < t.size(); ++n) {
      Envelope hello = Receive(t);
      CHECK(hello.tag == Tag::kHello);
      CHECK(hello.payload == "hello from " + std::to_string(hello.source));
      t.Send(hello.source, Tag::kShutdown, "bye");
      t.Flush();
    }
  } else {
    t.Send(0, Tag::kHello, "hello from " + std::to_string(t.rank()));
    t.Flush();
    Envelope bye = Receive(t);
    CHECK(bye.source == 0 && bye.tag == Tag::kShutdown && bye.payload == "bye");
  }
  while (!t.Flush()) std::this_thread::yield();
}

}  // namespace
}  // namespace fai

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  {
    fai::MpiTransport transport(MPI_COMM_WORLD);
    fai::Checks(transport);
    MPI_Barrier(MPI_COMM_WORLD);
  }
  int failures = check_failures;
  MPI_Allreduce(MPI_IN_PLACE, &failures, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  MPI_Finalize();
  if (failures > 0) std::cerr << "transport_mpitest: " << failures << " check(s) failed\n";
  return failures > 0 ? 1 : 0;
}
