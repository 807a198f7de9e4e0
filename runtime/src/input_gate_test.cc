#include "runtime/src/input_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "dfc/stream.h"

namespace dfc::rt {
namespace {

std::unique_ptr<BufferBase> Records(int64_t tag) {
  auto b = std::make_unique<Buffer<int64_t>>();
  b->records.push_back(Record<int64_t>{tag, tag});
  b->value = tag;
  return b;
}

std::unique_ptr<BufferBase> PollOne(InputGate& g, int* channel) {
  std::vector<std::function<void()>> mails;
  return g.Poll(channel, nullptr, 0, &mails);
}

TEST(InputGateTest, FifoPerChannelAndRoundRobin) {
  InputGate g;
  const int a = g.AddChannel(0), b = g.AddChannel(1);
  EXPECT_EQ(g.channel_input(b), 1);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(g.Push(a, Records(i), nullptr));
  for (int i = 10; i < 13; ++i) ASSERT_TRUE(g.Push(b, Records(i), nullptr));
  EXPECT_EQ(g.queued(), 6);
  std::vector<int64_t> from_a, from_b, order;
  int c = -1;
  while (auto e = PollOne(g, &c)) {
    (c == a ? from_a : from_b).push_back(e->value);
    order.push_back(c);
  }
  EXPECT_EQ(from_a, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(from_b, (std::vector<int64_t>{10, 11, 12}));
  EXPECT_EQ(order, (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));  // round-robin
  EXPECT_EQ(g.queued(), 0);
}

TEST(InputGateTest, ProducerBlocksWhenFullAndResumes) {
  InputGate g;
  const int ch = g.AddChannel(0);
  for (size_t i = 0; i < kChannelCapacity; ++i) ASSERT_TRUE(g.Push(ch, Records(i), nullptr));
  std::atomic<bool> pushed{false};
  std::atomic<int64_t> bp{0};
  std::thread producer([&] {
    EXPECT_TRUE(g.Push(ch, Records(99), &bp));
    pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(pushed.load());  // blocked: the channel is full
  EXPECT_EQ(g.queued(), static_cast<int64_t>(kChannelCapacity));
  int c;
  auto first = PollOne(g, &c);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->value, 0);
  producer.join();
  EXPECT_TRUE(pushed.load());
  EXPECT_GE(bp.load(), 50'000'000);  // blocked time is backpressure
  std::vector<int64_t> rest;
  while (auto e = PollOne(g, &c)) rest.push_back(e->value);
  ASSERT_EQ(rest.size(), kChannelCapacity);
  EXPECT_EQ(rest.back(), 99);
}

TEST(InputGateTest, CancelUnblocksProducerAndConsumer) {
  InputGate g;
  const int ch = g.AddChannel(0);
  for (size_t i = 0; i < kChannelCapacity; ++i) ASSERT_TRUE(g.Push(ch, Records(i), nullptr));
  std::atomic<int> result{-1};
  std::thread producer([&] { result = g.Push(ch, Records(1), nullptr) ? 1 : 0; });
  InputGate empty;
  empty.AddChannel(0);
  std::thread consumer([&] { empty.Wait(-1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  g.Cancel();
  empty.Cancel();
  producer.join();
  consumer.join();
  EXPECT_EQ(result.load(), 0);
  EXPECT_FALSE(g.Push(ch, Records(2), nullptr));
}

TEST(InputGateTest, WaitWakesOnDataMailAndDeadline) {
  InputGate g;
  const int ch = g.AddChannel(0);
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t0.time_since_epoch()).count();
  g.Wait(now_ns + 20'000'000);  // times out
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(19));

  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    g.Push(ch, Records(5), nullptr);
  });
  g.Wait(-1);
  producer.join();
  EXPECT_EQ(g.queued(), 1);

  int c;
  ASSERT_NE(PollOne(g, &c), nullptr);
  std::atomic<int> ran{0};
  std::thread poster([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    g.PostMail([&] { ran = 1; });
  });
  g.Wait(-1);
  poster.join();
  std::vector<std::function<void()>> mails;
  EXPECT_EQ(g.Poll(&c, nullptr, 0, &mails), nullptr);
  ASSERT_EQ(mails.size(), 1u);
  mails[0]();
  EXPECT_EQ(ran.load(), 1);
}

TEST(InputGateTest, RecycledBuffersReturnToTheirChannel) {
  InputGate g;
  const int a = g.AddChannel(0), b = g.AddChannel(0);
  EXPECT_EQ(g.TakeRecycled(a), nullptr);
  ASSERT_TRUE(g.Push(a, Records(1), nullptr));
  int c;
  auto e = PollOne(g, &c);
  BufferBase* raw = e.get();
  e->ClearRecords();
  std::vector<std::function<void()>> mails;
  EXPECT_EQ(g.Poll(&c, std::move(e), a, &mails), nullptr);
  EXPECT_EQ(g.TakeRecycled(b), nullptr);
  auto r = g.TakeRecycled(a);
  ASSERT_EQ(r.get(), raw);
  EXPECT_EQ(r->num_records(), 0u);
}

TEST(InputGateTest, PushAfterEndOfInputIsAnInternalError) {
  InputGate g;
  const int ch = g.AddChannel(0);
  EXPECT_TRUE(g.EnsureEndOfInput(ch));
  EXPECT_TRUE(g.EnsureEndOfInput(ch));  // idempotent
  EXPECT_EQ(g.queued(), 1);
  EXPECT_THROW(g.Push(ch, Records(1), nullptr), std::logic_error);
}

TEST(InputGateTest, ManyProducersOneConsumerUnderContention) {
  InputGate g;
  constexpr int kProducers = 4, kPerProducer = 2000;
  std::vector<int> chans;
  for (int i = 0; i < kProducers; ++i) chans.push_back(g.AddChannel(0));
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) ASSERT_TRUE(g.Push(chans[p], Records(i), nullptr));
    });
  }
  std::vector<int64_t> next(kProducers, 0);
  int received = 0;
  std::vector<std::function<void()>> mails;
  while (received < kProducers * kPerProducer) {
    int c;
    auto e = g.Poll(&c, nullptr, 0, &mails);
    if (!e) {
      g.Wait(-1);
      continue;
    }
    ASSERT_EQ(e->value, next[c]++);
    ++received;
  }
  for (auto& t : producers) t.join();
}

}  // namespace
}  // namespace dfc::rt
