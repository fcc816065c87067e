// Transport: how a rank sends and receives tagged byte messages. The master and worker loops
// talk only to this interface; MpiTransport carries it over MPI, LocalHub over in-process queues
// (the one-rank run, and tests that run several "ranks" as threads).
//
// A Transport is used by one thread only (its rank's communication thread), except Wake().
#ifndef FAI_MPI_SCHED_TRANSPORT_H_
#define FAI_MPI_SCHED_TRANSPORT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mpi_sched/wire.h"

namespace fai {

struct Envelope {
  int source = 0;
  Tag tag = Tag::kHello;
  std::string payload;
};

// Byte counters, for tests and usage reports.
struct TrafficStats {
  uint64_t messages_sent = 0;
  uint64_t bytes_sent = 0;
  uint64_t messages_received = 0;
  uint64_t bytes_received = 0;
  uint64_t largest_received = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Queues a message; never blocks on the receiver.
  virtual void Send(int dest, Tag tag, std::string payload) = 0;
  // Takes one arrived message if there is one.
  virtual bool TryReceive(Envelope* out) = 0;
  // Completes finished sends and tells the receivers that messages are there. Returns true when
  // nothing is left in flight.
  virtual bool Flush() = 0;
  // Waits until a message may have arrived or Wake() was called (since the previous Wait), or
  // `timeout` passed. It may return early; callers look for messages and wait again.
  virtual void Wait(std::chrono::microseconds timeout) = 0;
  // Ends the current or the next Wait(). Any thread of this process may call it.
  virtual void Wake() = 0;
  // Whether a message from any rank ends a Wait() (else Wait() finds some only at its timeout).
  virtual bool wakes_on_arrival() const = 0;
  const TrafficStats& stats() const { return stats_; }

  template <typename T>
  void SendMessage(int dest, Tag tag, const T& message) {
    Send(dest, tag, ToBytes(message));
  }

 protected:
  TrafficStats stats_;
};

// In-process ranks: one mailbox per rank. Thread-safe: each rank's Transport may live on its own thread.
class LocalHub {
 public:
  explicit LocalHub(int size);
  // The transport of `rank`. The hub must outlive it.
  std::unique_ptr<Transport> Connect(int rank);

 private:
  friend class LocalTransport;
  struct Mailbox {
    std::mutex mu;
    std::condition_variable arrived;
    std::deque<Envelope> queue;
    bool woken = false;
  };
  std::vector<std::unique_ptr<Mailbox>> boxes_;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_TRANSPORT_H_
