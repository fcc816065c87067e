#include "mpi_sched/transport.h"

namespace fai {

class LocalTransport : public Transport {
 public:
  LocalTransport(LocalHub* hub, int rank) : hub_(hub), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(hub_->boxes_.size()); }
  void Send(int dest, Tag tag, std::string payload) override {
    ++stats_.messages_sent;
    stats_.bytes_sent += payload.size();
    LocalHub::Mailbox& box = *hub_->boxes_[dest];
    {
      std::lock_guard<std::mutex> lock(box.mu);
      box.queue.push_back(Envelope{rank_, tag, std::move(payload)});
    }
    box.arrived.notify_one();
  }
  bool TryReceive(Envelope* out) override {
    LocalHub::Mailbox& box = *hub_->boxes_[rank_];
    std::lock_guard<std::mutex> lock(box.mu);
    if (box.queue.empty()) return false;
    *out = std::move(box.queue.front());
    box.queue.pop_front();
    ++stats_.messages_received;
    stats_.bytes_received += out->payload.size();
    stats_.largest_received = std::max<uint64_t>(stats_.largest_received, out->payload.size());
    return true;
  }
  bool Flush() override { return true; }
  void Wait(std::chrono::microseconds timeout) override {
    LocalHub::Mailbox& box = *hub_->boxes_[rank_];
    std::unique_lock<std::mutex> lock(box.mu);
    box.arrived.wait_for(lock, timeout, [&] { return !box.queue.empty() || box.woken; });
    box.woken = false;
  }
  bool wakes_on_arrival() const override { return true; }
  void Wake() override {
    LocalHub::Mailbox& box = *hub_->boxes_[rank_];
    {
      std::lock_guard<std::mutex> lock(box.mu);
      box.woken = true;
    }
    box.arrived.notify_one();
  }

 private:
  LocalHub* hub_;
  int rank_;
};

LocalHub::LocalHub(int size) {
  for (int i = 0; i < size; ++i) boxes_.push_back(std::make_unique<Mailbox>());
}

std::unique_ptr<Transport> LocalHub::Connect(int rank) { return std::make_unique<LocalTransport>(this, rank); }

}  // namespace fai
