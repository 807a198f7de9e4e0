// Hand-written counterpart of bench/jobs/shuffle.json: 2 generator threads hash-partition rows
// (dfc's key groups, max parallelism 128) in batches of 1024 into bounded queues (8 batches per
// producer/consumer pair) read by 2 consumer threads that blackhole them.
// usage: handwritten_shuffle [N]   (also prints sizeof(Record<Ev>) of dfc's channels)
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dfc/datagen.h"
#include "dfc/stream.h"

namespace {
struct Ev { int64_t k, seq; std::string payload; };
template <class T>
inline void Blackhole(const T& v) { asm volatile("" : : "r"(&v) : "memory"); }

constexpr int kP = 2, kMaxP = 128;
constexpr size_t kBatch = 1024, kCap = 8;
using Batch = std::vector<dfc::rt::Record<Ev>>;

struct Item { int from; Batch b; };
}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 20'000'000;
  std::printf("sizeof(Record<Ev>) = %zu bytes\n", sizeof(dfc::rt::Record<Ev>));
  struct Q { std::mutex mu; std::condition_variable cv; std::deque<Item> q; int in_flight[kP] = {}; int ended = 0; };
  Q qs[kP];
  std::vector<std::thread> ts;
  std::atomic<int64_t> consumed{0};
  for (int c = 0; c < kP; ++c)
    ts.emplace_back([&, c] {
      Q& q = qs[c];
      int64_t got = 0;
      for (;;) {
        std::unique_lock<std::mutex> l(q.mu);
        q.cv.wait(l, [&] { return !q.q.empty() || q.ended == kP; });
        if (q.q.empty()) break;
        Item it = std::move(q.q.front());
        q.q.pop_front();
        --q.in_flight[it.from];
        l.unlock();
        q.cv.notify_all();
        for (auto& r : it.b) Blackhole(r);
        got += static_cast<int64_t>(it.b.size());
      }
      consumed += got;
    });
  for (int s = 0; s < kP; ++s)
    ts.emplace_back([&, s] {
      Batch pending[kP];
      auto push = [&](int c) {
        Q& q = qs[c];
        std::unique_lock<std::mutex> l(q.mu);
        q.cv.wait(l, [&] { return q.in_flight[s] < static_cast<int>(kCap); });
        ++q.in_flight[s];
        q.q.push_back(Item{s, std::move(pending[c])});
        l.unlock();
        q.cv.notify_all();
        pending[c] = Batch();
        pending[c].reserve(kBatch);
      };
      for (auto& p : pending) p.reserve(kBatch);
      for (int64_t i = s; i < n; i += kP) {
        Ev e{dfc::rt::gen::RandomInt(i, 0, 0, 999999), 0 + i, dfc::rt::gen::RandomString(i, 2, 16)};
        const int c = dfc::rt::SubtaskForKeyGroup(dfc::rt::KeyGroupFor(dfc::rt::HashValue(e.k), kMaxP), kP, kMaxP);
        pending[c].push_back(dfc::rt::Record<Ev>{std::move(e), dfc::rt::kNoTimestamp});
        if (pending[c].size() >= kBatch) push(c);
      }
      for (int c = 0; c < kP; ++c) {
        if (!pending[c].empty()) push(c);
        std::lock_guard<std::mutex> l(qs[c].mu);
        ++qs[c].ended;
        qs[c].cv.notify_all();
      }
    });
  for (auto& t : ts) t.join();
  std::fprintf(stderr, "handwritten: %lld records in, %lld records out\n", static_cast<long long>(n),
               static_cast<long long>(consumed.load()));
}
