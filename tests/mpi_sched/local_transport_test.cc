// The in-process transport's waiting: a Wait() ends when a message arrives or Wake() is called,
// including when that happened before the Wait() began.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mpi_sched/transport.h"

namespace fai {
namespace {

using Clock = std::chrono::steady_clock;
// A Wait() that reaches this was not woken; a woken one takes microseconds.
constexpr std::chrono::microseconds kLong = std::chrono::seconds(60);

bool EndedEarly(Clock::time_point start) { return Clock::now() - start < kLong / 2; }

TEST(LocalTransportTest, WaitEndsWhenAMessageArrives) {
  LocalHub hub(2);
  auto a = hub.Connect(0);
  auto b = hub.Connect(1);
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    b->Send(0, Tag::kHello, "hi");
  });
  const auto start = Clock::now();
  Envelope env;
  while (!a->TryReceive(&env)) a->Wait(kLong);
  sender.join();
  EXPECT_TRUE(EndedEarly(start));
  EXPECT_EQ(env.source, 1);
  EXPECT_EQ(env.payload, "hi");
}

TEST(LocalTransportTest, WakeEndsTheCurrentOrTheNextWait) {
  LocalHub hub(1);
  auto t = hub.Connect(0);
  t->Wake();  // before the Wait: it must not be lost
  auto start = Clock::now();
  t->Wait(kLong);
  EXPECT_TRUE(EndedEarly(start));

  std::thread waker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    t->Wake();
  });
  start = Clock::now();
  t->Wait(kLong);
  waker.join();
  EXPECT_TRUE(EndedEarly(start));
  EXPECT_TRUE(t->wakes_on_arrival());
}

}  // namespace
}  // namespace fai
