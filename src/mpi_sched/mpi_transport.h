// MpiTransport: Transport over MPI_COMM_WORLD with non-blocking sends and probe-and-receive.
// REQUIRES: MPI is initialised and every call comes from the thread that initialised it.
#ifndef FAI_MPI_SCHED_MPI_TRANSPORT_H_
#define FAI_MPI_SCHED_MPI_TRANSPORT_H_

#include <mpi.h>

#include <list>

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

 private:
  struct Pending {
    std::string payload;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  std::list<Pending> pending_;
};

}  // namespace fai

#endif  // FAI_MPI_SCHED_MPI_TRANSPORT_H_
