// State TTL (dfc/state_ttl.h) on the harness's fake clock: expiry per kind (VALUE, LIST elements,
// MAP entries, REDUCING, AGGREGATING), OnCreateAndWrite vs OnReadAndWrite, never returning
// expired values, incremental cleanup of keys never accessed again, timestamps surviving a
// snapshot/restore (also at another parallelism), and the incompatibility of TTL and plain state
// on restore. Parameterized over the state backends.
#include "dfc/state_ttl.h"

#include <gtest/gtest.h>

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
  explicit Env(const std::string& backend, int parallelism = 1, int subtask = 0, int64_t start = 1000) {
    TaskHarness::Options o;
    o.parallelism = parallelism;
    o.subtask = subtask;
    o.start_millis = start;
    o.config = BackendConfig(backend);
    h = std::make_unique<TaskHarness>(std::make_unique<NullTask>(), o);
  }
  TaskContext& ctx() { return h->context(); }
  FakeClock& clock() { return h->clock(); }
  std::unique_ptr<TaskHarness> h;
};

class StateTtlTest : public ::testing::TestWithParam<std::string> {};

const StateTtlConfig kWrite{.ttl_ms = 100};
const StateTtlConfig kRead{.ttl_ms = 100, .update = StateTtlConfig::UpdateType::kOnReadAndWrite};

TEST_P(StateTtlTest, ValueExpiresAfterItsLastWrite) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  TtlValueState<int64_t, int64_t> v(*b, "v", kWrite);
  b->SetCurrentKey(1);
  EXPECT_EQ(v.get(), nullptr);
  v.update(10);  // t = 1000
  env.clock().Advance(60);
  EXPECT_EQ(v.value_or(-1), 10);  // a read does not extend OnCreateAndWrite
  env.clock().Advance(39);        // 1099: 1 ms left
  EXPECT_EQ(v.value(), std::optional<int64_t>(10));
  env.clock().Advance(1);  // 1100 = 1000 + ttl: expired
  EXPECT_FALSE(v.has());
  EXPECT_EQ(v.value_or(-1), -1);
  v.update(11);  // a write restarts it
  env.clock().Advance(99);
  EXPECT_EQ(v.value_or(-1), 11);
}

TEST_P(StateTtlTest, OnReadAndWriteExtendsOnEveryRead) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  TtlValueState<int64_t, int64_t> v(*b, "v", kRead);
  b->SetCurrentKey(1);
  v.update(10);
  for (int i = 0; i < 5; ++i) {
    env.clock().Advance(90);
    EXPECT_EQ(v.value_or(-1), 10) << i;
  }
  env.clock().Advance(100);
  EXPECT_EQ(v.get(), nullptr);
}

TEST_P(StateTtlTest, ListElementsAndMapEntriesExpireOneByOne) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  TtlListState<int64_t, std::string> l(*b, "l", kWrite);
  TtlMapState<int64_t, std::string, int64_t> m(*b, "m", kWrite);
  b->SetCurrentKey(7);
  l.add("a");
  m.put("a", 1);
  env.clock().Advance(50);
  l.add("b");
  m.put("b", 2);
  auto elems = [&] {
    std::vector<std::string> r;
    for (const std::string& s : l.get()) r.push_back(s);
    return r;
  };
  EXPECT_EQ(elems(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(m.sorted_entries(), (std::vector<std::pair<std::string, int64_t>>{{"a", 1}, {"b", 2}}));
  env.clock().Advance(50);  // 1100: "a" expired, "b" (1050) not
  EXPECT_EQ(elems(), (std::vector<std::string>{"b"}));
  EXPECT_EQ(m.get("a"), nullptr);
  ASSERT_NE(m.get("b"), nullptr);
  EXPECT_EQ(*m.get("b"), 2);
  EXPECT_EQ(m.entries().size(), 1u);
  EXPECT_FALSE(m.is_empty());
  env.clock().Advance(50);  // 1150: everything expired
  EXPECT_TRUE(l.get().empty());
  EXPECT_TRUE(m.is_empty());
  EXPECT_FALSE(m.contains("b"));
  l.update({"x", "y"});
  EXPECT_EQ(elems(), (std::vector<std::string>{"x", "y"}));
}

TEST_P(StateTtlTest, ReducingAndAggregatingStartAfreshWhenExpired) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  auto sum = [](int64_t a, int64_t x) { return a + x; };
  TtlReducingState<int64_t, int64_t, decltype(sum)> r(*b, "r", kWrite, sum);
  auto avg_add = [](const int64_t& in, std::pair<int64_t, int64_t> acc) {
    return std::pair<int64_t, int64_t>{acc.first + in, acc.second + 1};
  };
  auto avg_get = [](const std::pair<int64_t, int64_t>& acc) { return static_cast<double>(acc.first) / acc.second; };
  using Agg = LambdaAggregateFunction<std::pair<int64_t, int64_t>, DefaultAccumulator<std::pair<int64_t, int64_t>>,
                                      decltype(avg_add), decltype(avg_get)>;
  TtlAggregatingState<int64_t, int64_t, std::pair<int64_t, int64_t>, double, Agg> a(*b, "a", kWrite,
                                                                                     Agg{{}, avg_add, avg_get});
  b->SetCurrentKey(3);
  EXPECT_EQ(r.get(), nullptr);
  EXPECT_EQ(a.get(), std::nullopt);
  r.add(1);
  a.add(1);
  env.clock().Advance(80);
  EXPECT_EQ(r.add(2), 3);  // written at 1080: lives until 1180
  a.add(2);
  EXPECT_EQ(a.get(), std::optional<double>(1.5));
  env.clock().Advance(100);  // 1180
  EXPECT_EQ(r.get(), nullptr);
  EXPECT_EQ(a.get(), std::nullopt);
  EXPECT_EQ(r.add(5), 5);
  a.add(4);
  a.add(6);
  EXPECT_EQ(a.get(), std::optional<double>(5.0));
}

// Keys written once and never read again are removed by the other keys' accesses.
TEST_P(StateTtlTest, IncrementalCleanupRemovesKeysNeverAccessedAgain) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  TtlValueState<int64_t, int64_t> v(*b, "v", kWrite);
  TtlListState<int64_t, int64_t> l(*b, "l", kWrite);
  for (int64_t k = 0; k < 1000; ++k) {
    b->SetCurrentKey(k);
    v.update(k);
    l.add(k);
  }
  // rocksdb: the cache writes everything back to RocksDB and forgets it (as when it is full).
  v.table().Evict();
  l.table().Evict();
  env.clock().Advance(100);  // all expired
  // One hot key keeps being accessed; the cursors sweep the cold ones away: the cache's buckets,
  // and with rocksdb (where the small cache wrote most of them back) the store's key groups, one
  // per kTtlStoreSweepEvery accesses of a state.
  b->SetCurrentKey(-1);
  for (uint32_t i = 0; i < 129 * kTtlStoreSweepEvery; ++i) {
    v.update(i);
    l.get();
  }
  EXPECT_LE(v.table().cached(), 1u);
  EXPECT_LE(l.table().cached(), 1u);
  if (GetParam() == "hashmap") {  // the whole state is the table
    size_t n = 0;
    v.table().ForEachCached([&](const auto&, const auto&, const auto&) { ++n; });
    EXPECT_EQ(n, 1u);
  }
  // Nothing but the hot key is in a snapshot (which reads the store with rocksdb).
  const auto snap = SnapshotAll(*b);
  int kgs = 0;
  for (const auto& [kg, bytes] : snap) kgs += bytes.empty() ? 0 : 1;
  EXPECT_EQ(kgs, 1);
}

TEST_P(StateTtlTest, TimestampsSurviveSnapshotAndRestoreAtAnotherParallelism) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  {
    TtlValueState<int64_t, int64_t> v(*b, "v", kWrite);
    TtlMapState<int64_t, int64_t, int64_t> m(*b, "m", kWrite);
    for (int64_t k = 0; k < 40; ++k) {
      b->SetCurrentKey(k);
      v.update(k);
      m.put(k, k * 2);
      if (k == 19) env.clock().Advance(50);  // keys 0-19 at 1000, 20-39 at 1050
    }
  }
  const auto snap = SnapshotAll(*b);
  int restored = 0;
  for (int i = 0; i < 2; ++i) {
    Env e(GetParam(), 2, i, /*start=*/1099);
    auto r = MakeKeyedBackend<int64_t>(e.ctx(), "op");
    for (const auto& [kg, bytes] : snap)
      if (r->range().contains(kg)) r->RestoreKeyGroup(kg, bytes);
    TtlValueState<int64_t, int64_t> v(*r, "v", kWrite);
    TtlMapState<int64_t, int64_t, int64_t> m(*r, "m", kWrite);
    for (int64_t k = 0; k < 40; ++k) {
      if (!r->range().contains(KeyGroupFor(KeyGroupHash(k), 128))) continue;
      r->SetCurrentKey(k);
      ASSERT_EQ(v.value_or(-1), k);  // 1099: nothing expired yet
      ++restored;
    }
    e.clock().Advance(1);  // 1100: keys 0-19 expire, 20-39 live until 1150
    for (int64_t k = 0; k < 40; ++k) {
      if (!r->range().contains(KeyGroupFor(KeyGroupHash(k), 128))) continue;
      r->SetCurrentKey(k);
      EXPECT_EQ(v.value_or(-1), k < 20 ? -1 : k) << k;
      const int64_t* x = m.get(k);
      EXPECT_EQ(x ? *x : -1, k < 20 ? -1 : 2 * k) << k;
    }
  }
  EXPECT_EQ(restored, 40);
}

TEST_P(StateTtlTest, TtlAndPlainStateDoNotRestoreIntoEachOther) {
  Env env(GetParam());
  auto b = MakeKeyedBackend<int64_t>(env.ctx(), "op");
  b->SetCurrentKey(1);
  b->GetValueState<int64_t>("v").update(1);
  const auto snap = SnapshotAll(*b);
  Env e(GetParam());
  auto r = MakeKeyedBackend<int64_t>(e.ctx(), "op");
  for (const auto& [kg, bytes] : snap) r->RestoreKeyGroup(kg, bytes);
  try {
    TtlValueState<int64_t, int64_t> v(*r, "v", kWrite);
    FAIL() << "restored a plain state into a TTL state";
  } catch (const std::runtime_error& err) {
    EXPECT_STREQ(err.what(),
                 "keyed state 'v' of operator op: the restored state is VALUE<BIGINT> but the job declares "
                 "VALUE<TTL<BIGINT>>");
  }
}

TEST(StateTtlConfigDuration, ReadsFlinkDurations) {
  for (const auto& [text, ms] : std::vector<std::pair<std::string, int64_t>>{
           {"1 h", 3600000}, {"2h", 7200000}, {"1 d", 86400000}, {"90 s", 90000}, {"500 ms", 500}, {"250", 250},
           {"3 min", 180000}}) {
    TaskHarness::Options o;
    o.config = {{"table.exec.state.ttl", text}};
    TaskHarness h(std::make_unique<NullTask>(), o);
    EXPECT_EQ(ConfigDurationMillis(h.context(), "table.exec.state.ttl", 0), ms) << text;
  }
  TaskHarness::Options o;
  o.config = {{"table.exec.state.ttl", "soon"}};
  TaskHarness h(std::make_unique<NullTask>(), o);
  EXPECT_THROW(ConfigDurationMillis(h.context(), "table.exec.state.ttl", 0), std::invalid_argument);
  EXPECT_EQ(ConfigDurationMillis(h.context(), "other.key", 7), 7);
}

INSTANTIATE_TEST_SUITE_P(Backends, StateTtlTest, ::testing::Values("hashmap", "rocksdb", "rocksdb-cache-16"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace dfc::rt
