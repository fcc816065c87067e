#include "mpi_sched/mpi_transport.h"

#include <stdexcept>

namespace fai {

MpiTransport::MpiTransport(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

MpiTransport::~MpiTransport() {
  // Sends still in flight must complete before their buffers go away.
  for (Pending& p : pending_) MPI_Wait(&p.request, MPI_STATUS_IGNORE);
}

void MpiTransport::Send(int dest, Tag tag, std::string payload) {
  if (payload.size() > static_cast<size_t>(INT32_MAX))
    throw std::length_error("message of " + std::to_string(payload.size()) + " bytes exceeds MPI's 2 GiB limit");
  ++stats_.messages_sent;
  stats_.bytes_sent += payload.size();
  pending_.push_back(Pending{std::move(payload), MPI_REQUEST_NULL});
  Pending& p = pending_.back();
  MPI_Isend(p.payload.data(), static_cast<int>(p.payload.size()), MPI_BYTE, dest, static_cast<int>(tag), comm_,
            &p.request);
}

bool MpiTransport::TryReceive(Envelope* out) {
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, &status);
  if (!flag) return false;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  out->source = status.MPI_SOURCE;
  out->tag = static_cast<Tag>(status.MPI_TAG);
  out->payload.resize(count);
  MPI_Recv(out->payload.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, comm_, MPI_STATUS_IGNORE);
  ++stats_.messages_received;
  stats_.bytes_received += count;
  stats_.largest_received = std::max<uint64_t>(stats_.largest_received, count);
  return true;
}

bool MpiTransport::Flush() {
  for (auto it = pending_.begin(); it != pending_.end();) {
    int done = 0;
    MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
    it = done ? pending_.erase(it) : std::next(it);
  }
  return pending_.empty();
}

}  // namespace fai
