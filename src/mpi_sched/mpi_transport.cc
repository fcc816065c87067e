#include "mpi_sched/mpi_transport.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace fai {

MpiTransport::MpiTransport(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
  ring_due_.assign(size_, 0);
  OpenDoorbells();
}

MpiTransport::~MpiTransport() {
  // Sends still in flight must complete before their buffers go away.
  for (Pending& p : pending_) MPI_Wait(&p.request, MPI_STATUS_IGNORE);
  if (doorbell_ >= 0) close(doorbell_);
}

void MpiTransport::OpenDoorbells() {
  struct Name {
    int32_t length = 0;  // of the abstract name; 0: none
    char bytes[sizeof(sockaddr_un::sun_path)] = {};
  } mine;
  doorbell_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (doorbell_ >= 0) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    // Autobind: binding just the family makes the kernel pick a unique abstract name.
    socklen_t length = sizeof(sa_family_t);
    const bool bound = bind(doorbell_, reinterpret_cast<sockaddr*>(&address), length) == 0;
    length = sizeof address;
    if (bound &&
        getsockname(doorbell_, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
        length > offsetof(sockaddr_un, sun_path)) {
      mine.length = static_cast<int32_t>(length - offsetof(sockaddr_un, sun_path));
      std::memcpy(mine.bytes, address.sun_path, static_cast<size_t>(mine.length));
    } else {
      close(doorbell_);
      doorbell_ = -1;
    }
  }
  // Only ranks that share this host can ring each other.
  MPI_Comm host;
  MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &host);
  int host_size = 0;
  MPI_Comm_size(host, &host_size);
  std::vector<Name> names(static_cast<size_t>(host_size));
  std::vector<int> ranks(static_cast<size_t>(host_size));
  MPI_Allgather(&mine, sizeof mine, MPI_BYTE, names.data(), sizeof mine, MPI_BYTE, host);
  MPI_Allgather(&rank_, 1, MPI_INT, ranks.data(), 1, MPI_INT, host);
  peers_.assign(static_cast<size_t>(size_), Doorbell{});
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].length <= 0) continue;
    Doorbell& d = peers_[static_cast<size_t>(ranks[i])];
    d.address.sun_family = AF_UNIX;
    std::memcpy(d.address.sun_path, names[i].bytes, static_cast<size_t>(names[i].length));
    d.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + static_cast<size_t>(names[i].length));
  }
  // Abstract sockets live in a network namespace: ranks of one host in different namespaces (as
  // in some container set-ups) cannot ring each other. Each rank rings the next one on its host
  // around a cycle, which crosses any such border; only if every ring arrived do the loops rely
  // on them.
  int works = doorbell_ >= 0 && std::all_of(peers_.begin(), peers_.end(), [](const Doorbell& d) { return d.length > 0; });
  if (host_size > 1) {
    int host_rank = 0;
    MPI_Comm_rank(host, &host_rank);
    Ring(ranks[static_cast<size_t>((host_rank + 1) % host_size)]);
    MPI_Barrier(host);
    works = works && TakeRings() > 0;
  }
  MPI_Allreduce(MPI_IN_PLACE, &works, 1, MPI_INT, MPI_MIN, host);
  MPI_Comm_free(&host);
  every_peer_rings_ = works == 1;
}

int MpiTransport::TakeRings() {
  int rings = 0;
  char ring[64];
  while (doorbell_ >= 0 && recv(doorbell_, ring, sizeof ring, MSG_DONTWAIT) > 0) ++rings;
  return rings;
}

void MpiTransport::Ring(int rank) const {
  const Doorbell& d = peers_[static_cast<size_t>(rank)];
  if (doorbell_ < 0 || d.length == 0) return;
  const char ring = 1;
  // A full socket (EAGAIN) has rung already; any other failure leaves the wait to its clock.
  (void)sendto(doorbell_, &ring, 1, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&d.address), d.length);
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
  if (!ring_due_[static_cast<size_t>(dest)]) {
    ring_due_[static_cast<size_t>(dest)] = 1;
    to_ring_.push_back(dest);
  }
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
  // Rung after the sends started: a receiver woken by the ring finds the message (or finds it on
  // a later pass, when a large one still needs this rank's progress).
  for (int dest : to_ring_) {
    Ring(dest);
    ring_due_[static_cast<size_t>(dest)] = 0;
  }
  to_ring_.clear();
  return pending_.empty();
}

void MpiTransport::Wait(std::chrono::microseconds timeout) {
  // A send still in flight (a large message, sent by rendezvous) completes only while this rank
  // calls into MPI: look again soon rather than sleep through the whole timeout.
  if (!pending_.empty()) timeout = std::min(timeout, std::chrono::microseconds(50));
  if (timeout.count() <= 0) return;
  if (doorbell_ < 0) {
    std::this_thread::sleep_for(timeout);
  } else {
    pollfd p{doorbell_, POLLIN, 0};
    const timespec limit{static_cast<time_t>(timeout.count() / 1000000),
                         static_cast<long>(timeout.count() % 1000000) * 1000};
    (void)ppoll(&p, 1, &limit, nullptr);
    TakeRings();
  }
  // Open MPI's ob1 looks for a match before it progresses, so a probe finds only what arrived
  // before the previous probe. This one brings in what arrived while waiting (the message whose
  // ring ended the wait) for the caller's next TryReceive.
  int flag = 0;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, MPI_STATUS_IGNORE);
}

void MpiTransport::Wake() { Ring(rank_); }

}  // namespace fai
