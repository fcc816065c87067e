// MpiTransport: Transport over an MPI communicator with non-blocking sends and probe-and-receive.
//
// MPI has no wait for a message that does not spin, and spinning ranks take the cores their own
// tasks need. So ranks that share a host (as MPI_Comm_split_type sees it) also have a doorbell
// each, an abstract Unix datagram socket: Flush() rings the receivers of what it sent, and an idle
// loop sleeps in Wait() until its doorbell rings. Ranks on other hosts are not rung; their
// messages are found when the wait times out. The doorbells only shorten waits: every message
// still travels over MPI, and a lost or failed ring costs latency, never a message.
//
// REQUIRES: MPI is initialised and every call but Wake() comes from the thread that initialised
// it. The constructor is collective over `comm`.
#ifndef FAI_MPI_SCHED_MPI_TRANSPORT_H_
#define FAI_MPI_SCHED_MPI_TRANSPORT_H_

#include <mpi.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <list>
#include <vector>

#include "mpi_sched/transport.h"

namespace fai {

class MpiTransport : public Transport {
 public:
  explicit MpiTransport(MPI_Comm comm);
  ~MpiTransport() override;
  MpiTransport(const MpiTransport&) = delete;
  MpiTransport& operator=(const MpiTransport&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void Send(int dest, Tag tag, std::string payload) override;
  bool TryReceive(Envelope* out) override;
  bool Flush() override;
  void Wait(std::chrono::microseconds timeout) override;
  void Wake() override;
  bool wakes_on_arrival() const override { return every_peer_rings_; }

 private:
  struct Pending {
    std::string payload;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  struct Doorbell {
    sockaddr_un address{};
    socklen_t length = 0;  // 0: not on this host, or it has none
  };
  void OpenDoorbells();
  void Ring(int rank) const;
  // Empties this rank's doorbell; returns how many rings it held.
  int TakeRings();

  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  std::list<Pending> pending_;
  int doorbell_ = -1;              // this rank's socket
  std::vector<Doorbell> peers_;    // by rank, this one included
  bool every_peer_rings_ = false;
  std::vector<char> ring_due_;     // by rank: sent to since the last Flush
  std::vector<int> to_ring_;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_MPI_TRANSPORT_H_
