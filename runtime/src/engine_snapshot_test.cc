// Snapshot / restore of the window and join engines (dfc/window.h, dfc/join.h) through the keyed
// state contract: a run that is snapshotted midway (after some windows fired, with others pending,
// sessions open, join rows buffered) and continued on restored engines — at parallelism 1 -> 2,
// keys moving by key group — emits exactly what an uninterrupted run emits. Every case runs on
// each state backend: the uninterrupted run on hashmap, the snapshotted run and one of the
// restored subtasks on the backend under test (rocksdb with a one-entry cache, so the window
// panes live in RocksDB), the other restored subtask on hashmap (the snapshot format is
// the same). WindowStoreTest: with a small cache the pane state really is in RocksDB.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "dfc/join.h"
#include "dfc/state.h"
#include "dfc/testing/harness.h"
#include "runtime/src/state_test_util.h"
#include "dfc/window.h"

namespace dfc::rt {

struct SnapAcc {
  int64_t count = 0, sum = 0;
  void Merge(const SnapAcc& o) {
    count += o.count;
    sum += o.sum;
  }
};
inline void dfc_serde_write(StateWriter& w, const SnapAcc& a) {
  Serde<int64_t>::Write(w, a.count);
  Serde<int64_t>::Write(w, a.sum);
}
inline void dfc_serde_read(StateReader& r, SnapAcc& a) {
  Serde<int64_t>::Read(r, a.count);
  Serde<int64_t>::Read(r, a.sum);
}
inline std::string dfc_serde_type(const SnapAcc*) { return "SNAPACC"; }

namespace {

using state_testing::BackendConfig;
using state_testing::NullTask;

// The backend under test (set by the parameterized fixture).
std::string g_backend = "hashmap";

// One subtask's context (parallelism p, max parallelism 16) on `backend`.
struct Env {
  Env(int p, int s, const std::string& type = "hashmap") {
    TaskHarness::Options o;
    o.parallelism = p;
    o.subtask = s;
    o.max_parallelism = 16;
    o.config = BackendConfig(type);
    h = std::make_unique<TaskHarness>(std::make_unique<NullTask>(), o);
    backend = MakeKeyedBackend<int64_t>(h->context(), "op");
  }
  std::unique_ptr<TaskHarness> h;
  std::unique_ptr<KeyedBackend<int64_t>> backend;
};

int SubtaskOf(int64_t key, int p) { return SubtaskForKeyGroup(KeyGroupFor(KeyGroupHash(key), 16), p, 16); }

// A step of a run: a record (key, t, value) or a watermark (key < 0).
struct Step {
  int64_t key, t, v;
};
using Out = std::vector<std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t>>;

// Runs `steps` on one engine; then runs them again, snapshotting after step `cut` and continuing
// on two restored engines (keys routed by key group); the sorted outputs must be equal.
// make() builds an engine; feed(engine, step, out) applies a step; wm(engine) its watermark.
template <class Engine, class Make, class Feed>
bool CheckRestore(const std::vector<Step>& steps, size_t cut, Make make, Feed feed) {
  Out expected;
  {
    Env env(1, 0);
    auto e = make();
    e->Attach(*env.backend, "engine");
    for (const Step& s : steps) feed(*e, s, expected);
  }
  Out got;
  std::map<int, std::string> snap;
  int64_t wm = 0;
  {
    Env env(1, 0, g_backend);
    auto e = make();
    e->Attach(*env.backend, "engine");
    for (size_t i = 0; i < cut; ++i) feed(*e, steps[i], got);
    for (int kg = 0; kg < 16; ++kg) env.backend->SnapshotKeyGroup(kg, &snap[kg]);
    wm = e->watermark();
  }
  bool restored_any = false;
  std::vector<std::unique_ptr<Env>> envs;
  std::vector<std::unique_ptr<Engine>> engines;
  for (int s = 0; s < 2; ++s) {
    envs.push_back(std::make_unique<Env>(2, s, s == 0 ? g_backend : "hashmap"));
    engines.push_back(make());
    engines[s]->Attach(*envs[s]->backend, "engine");
    const KeyGroupRange r = envs[s]->backend->range();
    for (int kg = r.start; kg <= r.end; ++kg) {
      if (snap[kg].empty()) continue;
      envs[s]->backend->RestoreKeyGroup(kg, snap[kg]);
      restored_any = true;
    }
    engines[s]->FinishRestore(wm);
  }
  for (size_t i = cut; i < steps.size(); ++i) {
    const Step& s = steps[i];
    if (s.key < 0) {
      for (auto& e : engines) feed(*e, s, got);
    } else {
      feed(*engines[SubtaskOf(s.key, 2)], s, got);
    }
  }
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(got, expected) << "snapshot after step " << cut;
  return restored_any;
}

std::vector<Step> Steps(std::initializer_list<Step> s) { return s; }

class EngineSnapshotTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { g_backend = GetParam(); }
  void TearDown() override { g_backend = "hashmap"; }
};

template <class E>
auto WindowFeed() {
  return [](E& e, const Step& s, Out& out) {
    auto emit = [&](const int64_t& k, int64_t ws, int64_t we, const SnapAcc& a) {
      out.emplace_back(k, ws, we, a.count, a.sum);
    };
    if (s.key < 0) {
      e.OnWatermark(s.t, emit);
    } else {
      e.Add(s.key, s.t, [&](SnapAcc& a) { ++a.count; a.sum += s.v; }, emit);
    }
  };
}

TEST_P(EngineSnapshotTest, SlidingPanesFiredWindowsDoNotFireAgain) {
  using E = PaneWindows<int64_t, SnapAcc>;
  // size 10, slide 5: pane [5,10) belongs to [0,10) (fires at wm 9, before the cut) and [5,15)
  // (pending at the cut).
  auto steps = Steps({{1, 1, 1}, {2, 3, 10}, {1, 6, 100}, {3, 7, 1000}, {-1, 9, 0}, {1, 11, 2}, {2, 8, 20},
                      {-1, 14, 0}, {4, 16, 5}, {1, 19, 7}, {-1, 100, 0}});
  int restored = 0;
  for (size_t cut = 1; cut < steps.size(); ++cut)
    restored += CheckRestore<E>(steps, cut, [] { return std::make_unique<E>(10, 5, 0, WindowOptions{}); }, WindowFeed<E>());
  EXPECT_GT(restored, 0);
}

TEST_P(EngineSnapshotTest, TumblingWithLatenessKeepsLateFirings) {
  using E = PaneWindows<int64_t, SnapAcc>;
  auto steps = Steps({{1, 1, 1}, {2, 12, 10}, {-1, 10, 0}, {1, 5, 100}, {3, 8, 3}, {-1, 13, 0}, {1, 2, 4},
                      {-1, 40, 0}});
  int restored = 0;
  for (size_t cut = 1; cut < steps.size(); ++cut)
    restored += CheckRestore<E>(steps, cut, [] { return std::make_unique<E>(10, 10, 0, WindowOptions{5, false, nullptr}); },
                    WindowFeed<E>());
  EXPECT_GT(restored, 0);
}

TEST_P(EngineSnapshotTest, SessionsMidMerge) {
  using E = SessionWindows<int64_t, SnapAcc>;
  // key 1: [0,5) and [8,13) open at the cut; 4 bridges them afterwards -> one session [0,13).
  auto steps = Steps({{1, 0, 1}, {1, 8, 2}, {2, 3, 10}, {-1, 2, 0}, {1, 4, 4}, {2, 20, 20}, {-1, 10, 0},
                      {3, 30, 5}, {2, 22, 40}, {-1, 100, 0}});
  int restored = 0;
  for (size_t cut = 1; cut < steps.size(); ++cut)
    restored += CheckRestore<E>(steps, cut, [] { return std::make_unique<E>(5, WindowOptions{}); }, WindowFeed<E>());
  EXPECT_GT(restored, 0);
}

TEST_P(EngineSnapshotTest, SessionsWithLateness) {
  using E = SessionWindows<int64_t, SnapAcc>;
  auto steps = Steps({{1, 0, 1}, {2, 3, 10}, {-1, 6, 0}, {1, 2, 4}, {-1, 9, 0}, {1, 3, 8}, {2, 1, 3},
                      {-1, 30, 0}, {1, 29, 1}, {-1, 100, 0}});
  int restored = 0;
  for (size_t cut = 1; cut < steps.size(); ++cut)
    restored += CheckRestore<E>(steps, cut, [] { return std::make_unique<E>(3, WindowOptions{4, false, nullptr}); },
                    WindowFeed<E>());
  EXPECT_GT(restored, 0);
}

TEST_P(EngineSnapshotTest, GlobalCountWindows) {
  using E = CountWindows<int64_t, SnapAcc>;
  struct W : E {
    using E::E;
    int64_t watermark() const { return kMinWatermark; }
  };
  auto feed = [](W& e, const Step& s, Out& out) {
    if (s.key < 0) return;
    e.Add(s.key, [&](SnapAcc& a) { ++a.count; a.sum += s.v; },
          [&](const int64_t& k, const SnapAcc& a) { out.emplace_back(k, 0, 0, a.count, a.sum); });
  };
  auto steps = Steps({{1, 0, 1}, {1, 0, 2}, {2, 0, 10}, {1, 0, 3}, {1, 0, 4}, {2, 0, 20}, {3, 0, 5}, {2, 0, 30},
                      {1, 0, 5}, {1, 0, 6}, {3, 0, 6}, {3, 0, 7}});
  int restored = 0;
  for (size_t cut = 1; cut < steps.size(); ++cut) {
    restored += CheckRestore<W>(steps, cut, [] { return std::make_unique<W>(3, false); }, feed);
    restored += CheckRestore<W>(steps, cut, [] { return std::make_unique<W>(2, true); }, feed);
  }
  EXPECT_GT(restored, 0);
}

TEST_P(EngineSnapshotTest, IntervalJoinBuffers) {
  using E = IntervalJoin<int64_t, int64_t, int64_t>;
  // v >= 100: a right row; else a left row. lower -2, upper 3.
  auto feed = [](E& e, const Step& s, Out& out) {
    auto emit = [&](const int64_t& l, const int64_t& r, int64_t ts) { out.emplace_back(s.key, l, r, ts, 0); };
    if (s.key < 0) {
      e.OnWatermark(s.t);
    } else if (s.v >= 100) {
      e.AddRight(s.key, s.t, s.v, emit);
    } else {
      e.AddLeft(s.key, s.t, s.v, emit);
    }
  };
  auto steps = Steps({{1, 10, 1}, {1, 11, 101}, {2, 10, 2}, {1, 12, 3}, {-1, 9, 0}, {2, 13, 102}, {1, 14, 104},
                      {-1, 12, 0}, {1, 15, 105}, {2, 14, 4}, {1, 13, 5}, {-1, 30, 0}, {1, 31, 6}, {1, 32, 106}});
  int restored = 0;
  for (size_t cut = 1; cut < steps.size(); ++cut)
    restored += CheckRestore<E>(steps, cut, [] { return std::make_unique<E>(-2, 3); }, feed);
  EXPECT_GT(restored, 0);
}

TEST_P(EngineSnapshotTest, WindowJoin) {
  using Acc = WindowJoinAcc<int64_t, int64_t>;
  using E = PaneWindows<int64_t, Acc>;
  auto feed = [](E& e, const Step& s, Out& out) {
    auto emit = [&](const int64_t& k, int64_t, int64_t we, const Acc& a) {
      a.ForEachPair([&](const int64_t& l, const int64_t& r) { out.emplace_back(k, l, r, we - 1, 0); });
    };
    if (s.key < 0) {
      e.OnWatermark(s.t, emit);
    } else {
      e.Add(s.key, s.t, [&](Acc& a) { if (s.v >= 100) a.right.push_back(s.v); else a.left.push_back(s.v); }, emit);
    }
  };
  auto steps = Steps({{1, 1, 1}, {1, 2, 101}, {2, 4, 2}, {1, 6, 3}, {-1, 5, 0}, {2, 8, 102}, {1, 7, 104},
                      {1, 3, 5}, {-1, 20, 0}});
  int restored = 0;
  for (size_t cut = 1; cut < steps.size(); ++cut)
    restored += CheckRestore<E>(steps, cut, [] { return std::make_unique<E>(10, 5, 0, WindowOptions{}); }, feed);
  EXPECT_GT(restored, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, EngineSnapshotTest, ::testing::Values("hashmap", "rocksdb-cache-1"),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// Many keys, a 16-entry cache: sliding windows with allowed lateness (late firings), records out
// of order, give exactly the hashmap backend's results while the engine never caches more than
// 16 keys; the panes went through RocksDB (reads and writes counted in the operator's metrics);
// a pane's entries are dropped from RocksDB once its windows are past their lateness.
TEST(WindowStoreTest, PanesLiveInRocksDbBehindASmallCache) {
  using E = PaneWindows<int64_t, SnapAcc>;
  std::vector<Step> steps;
  uint64_t x = 12345;
  auto rnd = [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  for (int64_t t = 0; t < 4000; ++t) {
    steps.push_back({static_cast<int64_t>(rnd() % 3000), t - static_cast<int64_t>(rnd() % 40), static_cast<int64_t>(rnd() % 100)});
    if (t % 97 == 0) steps.push_back({-1, t - 60, 0});
    if (t % 501 == 0) steps.push_back({static_cast<int64_t>(rnd() % 3000), t - 150, 7});  // late, within lateness
  }
  steps.push_back({-1, 100000, 0});
  auto run = [&](const std::string& backend, size_t* max_cached, uint64_t* reads, uint64_t* writes) {
    Env env(1, 0, backend);
    E e(300, 100, 0, WindowOptions{200, false, &env.h->op_metrics(0)});
    e.Attach(*env.backend, "engine");
    Out out;
    auto feed = WindowFeed<E>();
    for (const Step& s : steps) {
      feed(e, s, out);
      *max_cached = std::max(*max_cached, e.cached_keys());
    }
    *reads = env.h->op_metrics(0).state_store_reads.load();
    *writes = env.h->op_metrics(0).state_store_writes.load();
    EXPECT_EQ(e.store() != nullptr, backend != "hashmap");
    if (e.store()) {
      EXPECT_EQ(e.cached_keys(), 0u);  // every pane was dropped from RocksDB after the last firing
      size_t left = 0;
      env.backend->store()->ScanAll(env.backend->store()->Column("engine:engine"), "",
                                    [&](std::string_view, std::string_view) { ++left; });
      EXPECT_EQ(left, 0u);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  size_t hm_cached = 0, rk_cached = 0;
  uint64_t hm_r = 0, hm_w = 0, rk_r = 0, rk_w = 0;
  const Out expected = run("hashmap", &hm_cached, &hm_r, &hm_w);
  const Out got = run("rocksdb-cache-16", &rk_cached, &rk_r, &rk_w);
  EXPECT_GT(expected.size(), 3000u);
  EXPECT_EQ(got, expected);
  EXPECT_GT(hm_cached, 500u);
  EXPECT_LE(rk_cached, 16u);
  EXPECT_EQ(hm_r + hm_w, 0u);
  EXPECT_GT(rk_w, steps.size() / 16);
  EXPECT_GT(rk_r, 0u);
}

}  // namespace
}  // namespace dfc::rt
