// Asynchronous keyed-state snapshots (dfc/state.h, keyed_snapshot.cc): CaptureSnapshot takes the
// state as of the barrier; changes made after it (updates, erasures, new keys, map entries) must
// not show in the snapshot, also when it is written on another thread while the task goes on
// changing the state (copy-on-write, CowSlot); the bytes are those of the synchronous
// SnapshotKeyGroup; a backend destroyed while its snapshot is in flight cancels it. Labelled
// concurrency: the tsan stage runs it.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "dfc/state.h"
#include "dfc/testing/harness.h"
#include "runtime/src/state_test_util.h"

namespace dfc::rt {
namespace {

using state_testing::BackendConfig;
using state_testing::NullTask;
using state_testing::SnapshotAll;

struct Env {
  explicit Env(const std::string& backend = "hashmap") {
    TaskHarness::Options o;
    o.config = BackendConfig(backend);
    h = std::make_unique<TaskHarness>(std::make_unique<NullTask>(), o);
  }
  TaskContext& ctx() { return h->context(); }
  std::unique_ptr<TaskHarness> h;
};

std::map<int, std::string> Written(const SnapshotWriter& w, const std::string& uid) {
  auto it = w.keyed_state().find(uid);
  return it == w.keyed_state().end() ? std::map<int, std::string>{} : it->second;
}

struct States {
  explicit States(KeyedBackend<int64_t>& b)
      : b(b),
        value(b.GetValueState<int64_t>("value")),
        list(b.GetListState<std::string>("list")),
        map(b.GetMapState<int64_t, std::string>("map")),
        timers(b.GetTimerService("timers")) {}
  void Fill(int64_t keys) {
    for (int64_t k = 0; k < keys; ++k) {
      b.SetCurrentKey(k);
      value.update(k * 10);
      list.add("a" + std::to_string(k));
      map.put(k, "m" + std::to_string(k));
      map.put(k + 1000, "n");
      timers.RegisterEventTimeTimer(100 + k);
    }
  }
  // Changes every kind of entry: updates, erasures, new keys, map puts and removes, timers.
  void Mutate(int64_t keys, int64_t round) {
    for (int64_t k = 0; k < keys; ++k) {
      b.SetCurrentKey(k);
      if (k % 3 == 0) {
        value.clear();
        list.clear();
        map.clear();
      } else {
        value.update(-k - round);
        list.add("b" + std::to_string(round));
        map.put(k, "x" + std::to_string(round));
        map.remove(k + 1000);
      }
      timers.DeleteEventTimeTimer(100 + k);
      b.SetCurrentKey(k + keys * (round + 1));  // a new key
      value.update(round);
    }
  }
  KeyedBackend<int64_t>& b;
  ValueState<int64_t, int64_t>& value;
  ListState<int64_t, std::string>& list;
  MapState<int64_t, int64_t, std::string>& map;
  TimerService<int64_t>& timers;
};

TEST(KeyedSnapshot, ExactBytesOfTheValueAtTheBarrier) {
  Env env;
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  auto& v = b->GetValueState<int64_t>("v");
  b->SetCurrentKey(1);
  v.update(5);
  const int kg = b->current_key_group();
  auto snap = b->CaptureSnapshot();
  v.update(7);  // after the barrier
  SnapshotWriter w(1);
  ASSERT_TRUE(snap->Write(&w));
  snap->MarkDone();
  // version 1, 1 part: "v", VALUE, "BIGINT", 1 entry: key 1 and value 5 (big-endian, sign flipped)
  const std::string expected = std::string("\x01\x01\x01v\x01\x06") + "BIGINT" + "\x01" +
                               std::string("\x08\x80\x00\x00\x00\x00\x00\x00\x01", 9) +
                               std::string("\x08\x80\x00\x00\x00\x00\x00\x00\x05", 9);
  EXPECT_EQ(Written(w, "op"), (std::map<int, std::string>{{kg, expected}}));
  EXPECT_EQ(*v.get(), 7);
  std::string now;
  b->SnapshotKeyGroup(kg, &now);
  EXPECT_EQ(now, expected.substr(0, expected.size() - 1) + "\x07");
}

TEST(KeyedSnapshot, ChangesAfterTheBarrierDoNotShow) {
  Env env;
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  States s(*b);
  s.Fill(300);
  const auto before = SnapshotAll(*b);
  ASSERT_EQ(before.size(), 111u);  // 300 keys over 128 key groups
  auto snap = b->CaptureSnapshot();
  s.Mutate(300, 0);
  const auto after = SnapshotAll(*b);  // the live state changed
  EXPECT_NE(after, before);
  SnapshotWriter w(1);
  ASSERT_TRUE(snap->Write(&w));
  snap->MarkDone();
  EXPECT_EQ(Written(w, "op"), before);
  // The next snapshot sees the changes.
  auto next = b->CaptureSnapshot();
  SnapshotWriter w2(2);
  ASSERT_TRUE(next->Write(&w2));
  next->MarkDone();
  EXPECT_EQ(Written(w2, "op"), after);
}

TEST(KeyedSnapshot, WrittenOnAnotherThreadWhileTheTaskGoesOn) {
  Env env;
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  States s(*b);
  s.Fill(2000);
  for (int64_t round = 0; round < 4; ++round) {
    const auto before = SnapshotAll(*b);
    auto snap = b->CaptureSnapshot();
    SnapshotWriter w(round + 1);
    std::atomic<bool> ok{false};
    std::thread writer([&] {
      ok = snap->Write(&w);
      snap->MarkDone();
    });
    s.Mutate(2000, round);  // races with the writer: every entry is either copied or read first
    writer.join();
    ASSERT_TRUE(ok);
    EXPECT_EQ(Written(w, "op"), before) << "round " << round;
  }
}

TEST(KeyedSnapshot, RestoresAndCarriesUnclaimedState) {
  Env env;
  auto a = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  States s(*a);
  s.Fill(100);
  auto snap = a->CaptureSnapshot();
  SnapshotWriter w(1);
  ASSERT_TRUE(snap->Write(&w));
  snap->MarkDone();
  const auto bytes = Written(w, "op");
  EXPECT_EQ(bytes, SnapshotAll(*a));
  // Restored before any state is declared: the entries wait, and travel on into the next
  // snapshot unchanged.
  Env env2;
  auto c = MakeKeyedBackend<int64_t>(env2.ctx(), "op");
  for (const auto& [kg, b] : bytes) c->RestoreKeyGroup(kg, b);
  auto snap2 = c->CaptureSnapshot();
  SnapshotWriter w2(2);
  ASSERT_TRUE(snap2->Write(&w2));
  snap2->MarkDone();
  EXPECT_EQ(Written(w2, "op"), bytes);
  States s2(*c);  // claims them
  s2.b.SetCurrentKey(7);
  EXPECT_EQ(*s2.value.get(), 70);
  EXPECT_EQ(SnapshotAll(*c), bytes);
}

TEST(KeyedSnapshot, RocksDbIsCollectedAtCapture) {
  Env env("rocksdb");
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  States s(*b);
  s.Fill(100);
  const auto before = SnapshotAll(*b);
  auto snap = b->CaptureSnapshot();
  s.Mutate(100, 0);
  SnapshotWriter w(1);
  ASSERT_TRUE(snap->Write(&w));
  snap->MarkDone();
  EXPECT_EQ(Written(w, "op"), before);
}

TEST(KeyedSnapshot, ABackendGoingAwayCancelsItsSnapshot) {
  Env env;
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  States s(*b);
  s.Fill(500);
  auto snap = b->CaptureSnapshot();
  s.Mutate(500, 0);  // copies the old values (freed by the cancelled snapshot: ASan checks)
  std::atomic<bool> ok{true};
  std::thread writer([&] {
    while (!snap->cancelled()) std::this_thread::yield();
    SnapshotWriter w(1);
    ok = snap->Write(&w);
    snap->MarkDone();
  });
  b.reset();  // cancels, and waits until the snapshot no longer reads the state
  writer.join();
  EXPECT_FALSE(ok);
}

}  // namespace
}  // namespace dfc::rt
