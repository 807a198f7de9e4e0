// Keyed state (dfc/state.h): every state kind, namespaces, timers, and the key-group snapshot
// contract (round trip, redistribution to another parallelism, canonical bytes, restore before
// declaration, type checks). Parameterized over the state backends.
#include "dfc/state.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dfc/testing/harness.h"
#include "runtime/src/state_test_util.h"

namespace dfc::rt {
namespace {

using state_testing::BackendConfig;
using state_testing::NullTask;
using state_testing::SnapshotAll;

struct Env {
  explicit Env(const std::string& backend, int parallelism = 1, int subtask = 0, int max_parallelism = 128,
               const std::string& localdir = "") {
    TaskHarness::Options o;
    o.parallelism = parallelism;
    o.subtask = subtask;
    o.max_parallelism = max_parallelism;
    o.config = BackendConfig(backend);
    if (!localdir.empty()) o.config.emplace_back("state.backend.rocksdb.localdir", localdir);
    h = std::make_unique<TaskHarness>(std::make_unique<NullTask>(), o);
  }
  TaskContext& ctx() { return h->context(); }
  std::unique_ptr<TaskHarness> h;
};

class StateTest : public ::testing::TestWithParam<std::string> {};

TEST(KeyGroups, RangesMatchThePartitioner) {
  for (int p : {1, 2, 3, 4, 7, 128}) {
    int next = 0;
    for (int i = 0; i < p; ++i) {
      KeyGroupRange r = KeyGroupRangeForSubtask(128, p, i);
      EXPECT_EQ(r.start, next);
      for (int kg = r.start; kg <= r.end; ++kg) EXPECT_EQ(SubtaskForKeyGroup(kg, p, 128), i);
      next = r.end + 1;
    }
    EXPECT_EQ(next, 128);
  }
  // Composite keys hash like the HASH partitioner (codegen's KeyHashExpr).
  const std::tuple<int64_t, std::string> k{7, "x"};
  EXPECT_EQ(KeyGroupHash(k), HashCombine(HashValue(int64_t{7}), HashValue(std::string("x"))));
  EXPECT_EQ(KeyGroupHash(int64_t{7}), HashValue(int64_t{7}));
}

TEST(Serde, OrderPreservingIntegersAndRoundTrips) {
  std::string a, b;
  SerializeTo(&a, int64_t{-5});
  SerializeTo(&b, int64_t{3});
  EXPECT_LT(a, b);
  std::string s;
  SerializeTo(&s, std::tuple<int64_t, std::string, double, bool, int32_t>{-1, "hé", 2.5, true, -7});
  StateReader r(s);
  std::tuple<int64_t, std::string, double, bool, int32_t> t;
  Serde<decltype(t)>::Read(r, t);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(t, std::make_tuple(int64_t{-1}, std::string("hé"), 2.5, true, int32_t{-7}));
  StateReader bad(std::string_view(s.data(), 3));
  EXPECT_THROW(Serde<decltype(t)>::Read(bad, t), std::runtime_error);
}

TEST_P(StateTest, ValueStatePerKey) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  EXPECT_EQ(std::string(b->type_name()), GetParam() == "hashmap" ? "hashmap" : "rocksdb");
  auto& count = b->GetValueState<int64_t>("count");
  EXPECT_EQ(&count, &b->GetValueState<int64_t>("count"));  // the name is the descriptor
  EXPECT_THROW(b->GetValueState<std::string>("count"), std::logic_error);
  for (int64_t k : {1, 2, 1, 3, 1}) {
    b->SetCurrentKey(k);
    count.update(count.value_or(0) + 1);
  }
  b->SetCurrentKey(1);
  EXPECT_EQ(count.value(), std::optional<int64_t>(3));
  b->SetCurrentKey(2);
  EXPECT_EQ(*count.get(), 1);
  count.clear();
  EXPECT_FALSE(count.has());
  b->SetCurrentKey(3);
  EXPECT_TRUE(count.has());  // clear() cleared key 2 only
  b->SetCurrentKey(4);
  EXPECT_EQ(count.get(), nullptr);
  bool created = false;
  int64_t& v = count.get_or_insert(10, &created);
  EXPECT_TRUE(created);
  v += 5;
  EXPECT_EQ(count.value_or(0), 15);
  count.get_or_insert(0, &created);
  EXPECT_FALSE(created);
}

TEST_P(StateTest, ListMapReducingAggregating) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<std::string>(env.ctx(), "op");
  auto& list = b->GetListState<int64_t>("list");
  auto& map = b->GetMapState<std::string, int64_t>("map");
  auto& sum = b->GetReducingState<int64_t>("sum", [](int64_t a, int64_t x) { return a + x; });
  struct Avg {
    std::pair<int64_t, int64_t> create_accumulator() const { return {0, 0}; }
    void add(int64_t v, std::pair<int64_t, int64_t>& acc) const {
      acc.first += v;
      ++acc.second;
    }
    double get_result(const std::pair<int64_t, int64_t>& acc) const {
      return static_cast<double>(acc.first) / static_cast<double>(acc.second);
    }
  };
  auto& avg = b->GetAggregatingState<int64_t, double>("avg", Avg{});

  b->SetCurrentKey("a");
  list.add(1);
  list.add(2);
  map.put("x", 1);
  map.put("y", 2);
  map.put("x", 3);
  EXPECT_EQ(sum.add(4), 4);
  EXPECT_EQ(sum.add(5), 9);
  avg.add(1);
  avg.add(2);
  b->SetCurrentKey("b");
  EXPECT_TRUE(list.get().empty());
  EXPECT_TRUE(map.is_empty());
  EXPECT_EQ(sum.get(), nullptr);
  EXPECT_FALSE(avg.get().has_value());
  list.update({7});
  map.put("z", 9);
  b->SetCurrentKey("a");
  EXPECT_EQ(list.get(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(map.sorted_entries(), (std::vector<std::pair<std::string, int64_t>>{{"x", 3}, {"y", 2}}));
  EXPECT_EQ(*map.get("x"), 3);
  EXPECT_FALSE(map.contains("z"));
  map.remove("x");
  EXPECT_FALSE(map.contains("x"));
  EXPECT_EQ(*sum.get(), 9);
  EXPECT_EQ(avg.get(), std::optional<double>(1.5));
  list.update({});
  EXPECT_TRUE(list.get().empty());
  map.remove("y");
  EXPECT_TRUE(map.is_empty());
  b->SetCurrentKey("b");
  EXPECT_EQ(list.get(), (std::vector<int64_t>{7}));
  EXPECT_EQ(*map.get("z"), 9);
}

TEST_P(StateTest, NamespacesScopeTheState) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  auto& s = b->GetValueState<int64_t, int64_t>("per_window");
  b->SetCurrentKey(1);
  s.set_namespace(100);
  s.update(1);
  s.set_namespace(200);
  EXPECT_FALSE(s.has());
  s.update(2);
  s.set_namespace(100);
  EXPECT_EQ(s.value_or(0), 1);
  s.clear();
  s.set_namespace(200);
  EXPECT_EQ(s.value_or(0), 2);
}

// Fills a backend with one of everything for keys 0..n-1.
void Fill(KeyedBackend<int64_t>& b, int n) {
  auto& v = b.GetValueState<std::string>("v");
  auto& l = b.GetListState<int64_t>("l");
  auto& m = b.GetMapState<int64_t, std::string>("m");
  auto& t = b.GetTimerService("timers");
  for (int64_t k = 0; k < n; ++k) {
    b.SetCurrentKey(k);
    v.update("v" + std::to_string(k));
    l.add(k);
    l.add(k * 10);
    m.put(k, "m" + std::to_string(k));
    m.put(k + 1000, "n");
    t.RegisterEventTimeTimer(1000 + k);
    t.RegisterProcessingTimeTimer(5000 + k);
  }
}

void Check(KeyedBackend<int64_t>& b, int64_t k) {
  auto& v = b.GetValueState<std::string>("v");
  auto& l = b.GetListState<int64_t>("l");
  auto& m = b.GetMapState<int64_t, std::string>("m");
  b.SetCurrentKey(k);
  EXPECT_EQ(v.value_or("-"), "v" + std::to_string(k));
  EXPECT_EQ(l.get(), (std::vector<int64_t>{k, k * 10}));
  EXPECT_EQ(m.sorted_entries(), (std::vector<std::pair<int64_t, std::string>>{{k, "m" + std::to_string(k)}, {k + 1000, "n"}}));
}

TEST_P(StateTest, SnapshotRestoresAtAnotherParallelism) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  Fill(*b, 200);
  const auto snap = SnapshotAll(*b);
  EXPECT_GT(snap.size(), 80u);

  // Restore into 3 subtasks; each gets its key groups' entries, declared after the restore.
  int total_timers = 0;
  for (int i = 0; i < 3; ++i) {
    Env e(GetParam(), 3, i);
    auto r = MakeKeyedBackend<int64_t>(e.ctx(), "op");
    for (const auto& [kg, bytes] : snap)
      if (r->range().contains(kg)) r->RestoreKeyGroup(kg, bytes);
    EXPECT_EQ(r->UnclaimedRestoredStates().size(), 5u);  // v, l, m, timers/event, timers/processing
    auto& ts = r->GetTimerService("timers");
    for (int64_t k = 0; k < 200; ++k) {
      if (!r->range().contains(KeyGroupFor(KeyGroupHash(k), 128))) continue;
      Check(*r, k);
    }
    EXPECT_TRUE(r->UnclaimedRestoredStates().empty());
    // What this subtask holds snapshots to exactly the original bytes of its key groups.
    std::map<int, std::string> mine;
    for (const auto& [kg, bytes] : snap)
      if (r->range().contains(kg)) mine[kg] = bytes;
    EXPECT_EQ(SnapshotAll(*r), mine);
    std::vector<int64_t> fired;
    ts.AdvanceWatermark(1000 + 199, [&](const auto& t) {
      EXPECT_EQ(t.key, r->current_key());
      fired.push_back(t.ts);
    });
    EXPECT_TRUE(std::is_sorted(fired.begin(), fired.end()));
    total_timers += static_cast<int>(fired.size());
    EXPECT_EQ(ts.num_processing_timers(), fired.size());
  }
  EXPECT_EQ(total_timers, 200);
}

TEST_P(StateTest, SnapshotBytesAreCanonical) {
  // Same content, different insertion order and backend: same bytes.
  Env e1(GetParam()), e2("hashmap");
  auto a = MakeKeyedBackend<int64_t>(e1.ctx(), "op");
  auto b = MakeKeyedBackend<int64_t>(e2.ctx(), "op");
  Fill(*a, 50);
  auto& bv = b->GetValueState<std::string>("v");
  (void)bv;
  Fill(*b, 50);
  EXPECT_EQ(SnapshotAll(*a), SnapshotAll(*b));
  // A restored backend snapshots to the bytes it was restored from.
  Env e3(GetParam());
  auto c = MakeKeyedBackend<int64_t>(e3.ctx(), "op");
  const auto snap = SnapshotAll(*a);
  for (const auto& [kg, bytes] : snap) c->RestoreKeyGroup(kg, bytes);
  EXPECT_EQ(SnapshotAll(*c), snap);  // unclaimed entries travel on
  Fill(*c, 0);                        // declare: claims them
  EXPECT_EQ(SnapshotAll(*c), snap);
}

TEST_P(StateTest, RestoreChecksKindAndType) {
  Env env(GetParam());
  auto a = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  a->SetCurrentKey(1);
  a->GetValueState<int64_t>("s").update(5);
  const int kg = a->current_key_group();
  std::string bytes;
  a->SnapshotKeyGroup(kg, &bytes);
  {
    Env e(GetParam());
    auto b = MakeKeyedBackend<int64_t>(e.ctx(), "op");
    b->GetValueState<std::string>("s");
    try {
      b->RestoreKeyGroup(kg, bytes);
      FAIL() << "restored a BIGINT state into a STRING one";
    } catch (const std::runtime_error& err) {
      EXPECT_EQ(std::string(err.what()),
                "keyed state 's' of operator op: the restored state is VALUE<BIGINT> but the job declares "
                "VALUE<STRING>");
    }
  }
  {
    Env e(GetParam());
    auto b = MakeKeyedBackend<int64_t>(e.ctx(), "op");
    b->RestoreKeyGroup(kg, bytes);
    EXPECT_THROW(b->GetListState<int64_t>("s"), std::runtime_error);
  }
  {
    Env e(GetParam());
    auto b = MakeKeyedBackend<int64_t>(e.ctx(), "op");
    EXPECT_THROW(b->RestoreKeyGroup(kg, bytes.substr(0, bytes.size() - 1)), std::runtime_error);
    EXPECT_THROW(b->RestoreKeyGroup(kg, std::string(1, '\x09')), std::runtime_error);
  }
  {
    Env e(GetParam(), 2, 1);
    auto b = MakeKeyedBackend<int64_t>(e.ctx(), "op");
    EXPECT_THROW(b->RestoreKeyGroup(0, bytes), std::logic_error);  // not in [64, 127]
  }
}

TEST_P(StateTest, TimersFireInOrderDeduplicated) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<std::string>(env.ctx(), "op");
  auto& ts = b->GetTimerService("t");
  b->SetCurrentKey("b");
  ts.RegisterEventTimeTimer(20);
  ts.RegisterEventTimeTimer(10);
  ts.RegisterEventTimeTimer(10);  // duplicate
  b->SetCurrentKey("a");
  ts.RegisterEventTimeTimer(20);
  ts.RegisterEventTimeTimer(30);
  ts.DeleteEventTimeTimer(30);
  ts.RegisterProcessingTimeTimer(7);
  EXPECT_EQ(ts.num_event_timers(), 3u);
  EXPECT_EQ(b->next_processing_time(), 7);
  std::vector<std::string> fired;
  ts.AdvanceWatermark(15, [&](const auto& t) { fired.push_back(std::to_string(t.ts) + b->current_key()); });
  EXPECT_EQ(ts.current_watermark(), 15);
  ts.AdvanceWatermark(25, [&](const auto& t) {
    fired.push_back(std::to_string(t.ts) + b->current_key());
    if (t.ts == 20 && b->current_key() == "a") ts.RegisterEventTimeTimer(22);  // fires in this call
  });
  EXPECT_EQ(fired, (std::vector<std::string>{"10b", "20a", "20b", "22a"}));
  fired.clear();
  ts.AdvanceProcessingTime(6, [&](const auto& t) { fired.push_back("p" + std::to_string(t.ts)); });
  ts.AdvanceProcessingTime(7, [&](const auto& t) { fired.push_back("p" + std::to_string(t.ts) + b->current_key()); });
  EXPECT_EQ(fired, (std::vector<std::string>{"p7a"}));
  EXPECT_EQ(b->next_processing_time(), kMaxWatermark);
}

TEST_P(StateTest, ManyKeysThroughTheCache) {
  // More keys than the rocksdb cache holds: entries are written back and read again.
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  auto& c = b->GetValueState<int64_t>("c");
  auto& m = b->GetMapState<int64_t, int64_t>("m");
  for (int round = 0; round < 3; ++round) {
    for (int64_t k = 0; k < 100000; ++k) {
      b->SetCurrentKey(k);
      bool created = false;
      c.get_or_insert(0, &created) += k;
      if (k % 100 == 0) m.put(round, k);
    }
  }
  for (int64_t k = 0; k < 100000; k += 997) {
    b->SetCurrentKey(k);
    EXPECT_EQ(c.value_or(-1), 3 * k);
    if (k % 100 == 0) {
      EXPECT_EQ(m.entries().size(), 3u);
    } else {
      EXPECT_TRUE(m.is_empty());
    }
  }
  size_t entries = 0;
  for (const auto& [kg, bytes] : SnapshotAll(*b)) entries += bytes.size() > 0;
  EXPECT_EQ(entries, 128u);
}

TEST(RocksDbBackend, LivesInLocalDirAndCleansUp) {
  const std::string dir = ::testing::TempDir() + "/dfc_state_test_localdir";
  std::filesystem::remove_all(dir);
  Env env("rocksdb", 1, 0, 128, dir);
  std::string path;
  {
    auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op/1");
    ASSERT_NE(b->store(), nullptr);
    path = b->store()->path();
    EXPECT_EQ(path.rfind(dir + "/dfc-rocksdb-", 0), 0u) << path;
    EXPECT_TRUE(std::filesystem::exists(path));
    ASSERT_EQ(env.ctx().keyed_backends().size(), 1u);
    EXPECT_EQ(env.ctx().keyed_backends()[0].first, "op/1");
    EXPECT_EQ(env.ctx().keyed_backends()[0].second, b.get());
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(env.ctx().keyed_backends().empty());
  std::filesystem::remove_all(dir);
}

TEST(StateBackend, UnknownTypeIsAnError) {
  Env env("memory");
  try {
    MakeKeyedBackend<int64_t>(env.ctx(), "op");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "state.backend.type must be 'hashmap' or 'rocksdb', got 'memory'");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StateTest, ::testing::Values("hashmap", "rocksdb", "rocksdb-cache-16"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace dfc::rt

namespace dfc::rt {
namespace {

// A hand-written keyed process operator driven through the TaskHarness: counts records per key
// and, 10 ms of processing time after a key's first record, emits (key, count); an event-time
// timer at ts + 100 emits (key, -ts). Exercises the mailbox-loop hooks NextProcessingDeadline /
// OnProcessingTime with a FakeClock and timers firing before the watermark is forwarded.
class CountingProcess final : public OperatorTask {
 public:
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
    kb_ = MakeKeyedBackend<int64_t>(ctx, "counting");
    count_ = &kb_->GetValueState<int64_t>("count");
    timers_ = &kb_->GetTimerService("timers");
  }
  void ProcessBuffer(int, BufferBase& b) override {
    for (auto& r : static_cast<Buffer<int64_t>&>(b).records) {
      kb_->SetCurrentKey(r.value);
      if (!count_->has()) timers_->RegisterProcessingTimeTimer(ctx().clock()->NowMillis() + 10);
      count_->update(count_->value_or(0) + 1);
      if (r.ts != kNoTimestamp) timers_->RegisterEventTimeTimer(r.ts + 100);
    }
  }
  void OnWatermark(int64_t wm) override {
    timers_->AdvanceWatermark(wm, [&](const auto& t) { out_.Emit(std::make_pair(t.key, -t.ts), t.ts); });
    out_.Broadcast(ElementKind::kWatermark, wm);
  }
  void OnEndOfInput() override {}
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t) override {}
  int64_t NextProcessingDeadline() override { return kb_->next_processing_time(); }
  void OnProcessingTime(int64_t now) override {
    timers_->AdvanceProcessingTime(now, [&](const auto& t) {
      out_.Emit(std::make_pair(t.key, count_->value_or(0)), kNoTimestamp);
      count_->clear();
    });
  }
  void Close() override { out_.Broadcast(ElementKind::kEndOfInput, 0); }

 private:
  RecordWriter<std::pair<int64_t, int64_t>> out_;
  std::unique_ptr<KeyedBackend<int64_t>> kb_;
  ValueState<int64_t, int64_t>* count_ = nullptr;
  TimerService<int64_t>* timers_ = nullptr;
};

TEST(ProcessTimers, ProcessingAndEventTimeThroughTheHarness) {
  TaskHarness h(std::make_unique<CountingProcess>(), {.start_millis = 1000});
  h.Open();
  h.ProcessRecords<int64_t>(0, {{1, 5}, {2, 7}, {1, 9}});
  EXPECT_EQ(h.context().keyed_backends().size(), 1u);
  h.clock().Advance(5);
  h.ProcessRecord<int64_t>(0, 1, 10);
  h.Tick();  // 1005: nothing due
  EXPECT_EQ(h.Elements(0, 0).size(), 0u);
  h.clock().Advance(5);
  h.Tick();  // 1010: keys 1 and 2 time out (their first record came at 1000)
  using P = std::pair<int64_t, int64_t>;
  auto out = h.Values<P>(0);
  EXPECT_EQ(out, (std::vector<P>{{1, 3}, {2, 1}}));
  h.ClearOutput();
  h.ProcessWatermark(0, 108);  // event-time timers 105 and 107 fire, then the watermark goes on
  EXPECT_EQ(h.Values<P>(0), (std::vector<P>{{1, -105}, {2, -107}}));
  EXPECT_EQ(h.Watermarks(0), std::vector<int64_t>{108});
  auto recs = h.Records<P>(0);
  EXPECT_EQ(recs[0].ts, 105);
  h.ClearOutput();
  h.EndAllInputs();  // the final watermark fires 109 and 110
  EXPECT_EQ(h.Values<P>(0), (std::vector<P>{{1, -109}, {1, -110}}));
}

}  // namespace
}  // namespace dfc::rt
