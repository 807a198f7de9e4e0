// Generated code under the operator harness: dfc generates the C++ of the small jobs in
// tests/harness/Inputs at build time (tests/CMakeLists.txt), and these tests drive their chain
// classes through TaskHarness — single thread, fake clock, exact outputs — as Flink tests an
// operator with its KeyedTwoInputStreamOperatorTestHarness. Each generated file is included in a
// namespace of its own (its `main` renamed), so several jobs live in one test binary.
#include "dfc/runtime.h"
#include "dfc/testing/harness.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#define main dfc_generated_main_co_process
namespace h_co {
#include "co_process.gen.cc"
}  // namespace h_co
#undef main
#define main dfc_generated_main_process_ttl
namespace h_ttl {
#include "process_ttl.gen.cc"
}  // namespace h_ttl
#undef main
#define main dfc_generated_main_join_ttl
namespace h_join {
#include "join_ttl.gen.cc"
}  // namespace h_join
#undef main

namespace dfc::rt {
namespace {

std::string Ts(int64_t ts) { return ts == kNoTimestamp ? "-" : std::to_string(ts); }

// ---- co_process: tests/harness/Inputs/co_process.json (chain 4: the co_process, output edge 0)

using CoA = h_co::dfc_job::A;
using CoB = h_co::dfc_job::B;
using CoOut = h_co::dfc_job::Out;

std::vector<std::string> CoRows(const TaskHarness& h) {
  std::vector<std::string> r;
  for (const auto& rec : h.Records<CoOut>(0))
    r.push_back(std::to_string(rec.value.k) + "," + rec.value.what + "," + std::to_string(rec.value.n) + "," +
                rec.value.names + " @" + Ts(rec.ts));
  return r;
}

TEST(GeneratedCoProcess, BothInputsShareKeyedStateAndTimers) {
  TaskHarness h(std::make_unique<h_co::dfc_job::dfc_Chain4>(), {.channels_per_input = {1, 1}, .start_millis = 1000});
  h.Open();
  ASSERT_EQ(h.context().keyed_backends().size(), 1u);  // one backend for both inputs
  h.ProcessRecord<CoA>(0, CoA{1, 5, 100}, 100);  // input 0: sum(1) = 5, event timer 110
  h.ProcessRecord<CoA>(0, CoA{2, 7, 120}, 120);  // sum(2) = 7, event timer 130
  h.ProcessRecord<CoB>(1, CoB{1, "x", 90}, 90);  // input 1 sees input 0's sum; processing timer 1100
  h.ProcessRecord<CoA>(0, CoA{1, 1, 105}, 105);  // sum(1) = 6, event timer 115
  h.ProcessRecord<CoB>(1, CoB{3, "y", 95}, 95);  // key 3: nothing summed yet (get() is null)
  EXPECT_EQ(CoRows(h), (std::vector<std::string>{"1,a,5, @100", "2,a,7, @120", "1,b,5, @90", "1,a,6, @105",
                                                 "3,b,-1, @95"}));
  h.ClearOutput();

  // Event time: the minimum of both inputs' watermarks.
  h.ProcessWatermark(0, 200);  // input 1 has none yet: no combined watermark, nothing fires
  EXPECT_TRUE(CoRows(h).empty());
  EXPECT_TRUE(h.Watermarks(0).empty());
  h.ProcessWatermark(1, 112);  // min(200, 112) = 112: the timer at 110 fires, then 112 goes on
  EXPECT_EQ(CoRows(h), (std::vector<std::string>{"1,event@110,6,x @110"}));
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{112}));
  h.ClearOutput();
  h.ProcessWatermark(1, 150);  // 150: 115 (key 1) and 130 (key 2), in time order
  EXPECT_EQ(CoRows(h), (std::vector<std::string>{"1,event@115,6,x @115", "2,event@130,7, @130"}));
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{150}));
  h.ClearOutput();
  h.ProcessWatermark(0, 140);  // behind input 0's last watermark: swallowed
  EXPECT_TRUE(h.Watermarks(0).empty());

  // Processing time: the fake clock. Both B rows registered now + 100 = 1100 (de-duplicated per key).
  h.clock().Advance(99);
  h.Tick();
  EXPECT_TRUE(CoRows(h).empty());
  h.clock().Advance(1);
  h.Tick();  // 1100: keys 1 and 3; processing-time outputs carry no timestamp
  EXPECT_EQ(CoRows(h), (std::vector<std::string>{"1,proc@1100,6,x @-", "3,proc@1100,-1,y @-"}));
  h.ClearOutput();

  // A processing-time timer still pending at the end of input is dropped; event-time ones fire.
  h.ProcessRecord<CoB>(1, CoB{2, "z", 160}, 160);  // processing timer 1200
  h.ProcessRecord<CoA>(0, CoA{2, 3, 300}, 300);    // sum(2) = 10, event timer 310
  h.ClearOutput();
  h.EndAllInputs();
  EXPECT_EQ(CoRows(h), (std::vector<std::string>{"2,event@310,10,z @310"}));
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{kMaxWatermark}));
}

// ---- process with state TTL: tests/harness/Inputs/process_ttl.json (chain 1)

using Cmd = h_ttl::dfc_job::Cmd;
using Seen = h_ttl::dfc_job::Seen;

struct TtlHarness {
  TtlHarness() : h(std::make_unique<h_ttl::dfc_job::dfc_Chain1>(), {.start_millis = 1000}) { h.Open(); }
  // Feeds one command at the current fake time; what it saw.
  std::string Run(int64_t k, const std::string& op, int64_t v = 0) {
    h.ClearOutput();
    h.ProcessRecord<Cmd>(0, Cmd{k, op, v}, 0);
    auto out = h.Values<Seen>(0);
    return out.size() == 1 ? out[0].what : "<" + std::to_string(out.size()) + " rows>";
  }
  void At(int64_t ms) { h.clock().Advance(ms - h.clock().NowMillis()); }
  TaskHarness h;
};

TEST(GeneratedProcessTtl, EveryStateKindExpiresOnTheProcessingClock) {
  TtlHarness t;
  t.Run(1, "w", 1);  // 1000
  t.At(1050);
  t.Run(1, "w", 2);  // value, touched, sum, avg rewritten at 1050; list and map gain a second entry
  t.At(1099);
  EXPECT_EQ(t.Run(1, "r"), "value=2 touched=2 list=1;2; map=1:10;2:20; sum=3 avg=1.500000");
  t.At(1100);  // the entries written at 1000 expire (1000 + 100 <= 1100), each on its own
  EXPECT_EQ(t.Run(1, "r"), "value=2 touched=2 list=2; map=2:20; sum=3 avg=1.500000");
  t.At(1150);  // everything written at 1050 expired; `touched` (OnReadAndWrite) was read at 1100
  EXPECT_EQ(t.Run(1, "r"), "value=-1 touched=2 list= map= sum=null avg=null");
  t.At(1240);
  EXPECT_EQ(t.Run(1, "touch"), "2");  // read at 1150: lives until 1250; this read extends it to 1340
  t.At(1340);
  EXPECT_EQ(t.Run(1, "r"), "value=-1 touched=-1 list= map= sum=null avg=null");
  t.Run(1, "w", 5);  // reducing and aggregating start afresh
  EXPECT_EQ(t.Run(1, "r"), "value=5 touched=5 list=5; map=5:50; sum=5 avg=5.000000");
}

TEST(GeneratedProcessTtl, KeysNeverSeenAgainAreCleanedUpIncrementally) {
  TtlHarness t;
  for (int64_t k = 100; k < 300; ++k) t.Run(k, "w", k);  // 200 keys at 1000, never read again
  KeyedStateBackend* b = t.h.context().keyed_backends().at(0).second;
  auto held = [&] {
    int n = 0;
    for (int kg = b->range().start; kg <= b->range().end; ++kg) {
      std::string s;
      b->SnapshotKeyGroup(kg, &s);
      n += s.empty() ? 0 : 1;
    }
    return n;
  };
  EXPECT_EQ(held(), 96);  // the 200 keys fall into 96 of the 128 key groups
  t.At(1100);
  for (int i = 0; i < 200; ++i) t.Run(1, "r");  // one live key's accesses sweep the others away
  t.At(1150);
  EXPECT_EQ(held(), 0);
}

// ---- the regular join with table.exec.state.ttl: tests/harness/Inputs/join_ttl.json (chain 2)

using JL = h_join::dfc_job::L;
using JR = h_join::dfc_job::R;
using JOut = h_join::dfc_job::dfc_row_3;

TEST(GeneratedJoinTtl, StoredRowsExpireAfterTheStateTtl) {
  TaskHarness h(std::make_unique<h_join::dfc_job::dfc_Chain2>(),
                {.channels_per_input = {1, 1}, .start_millis = 1000, .config = {{"table.exec.state.ttl", "100 ms"}}});
  h.Open();
  auto rows = [&] {
    std::vector<std::string> r;
    for (const auto& o : h.Values<JOut>(0)) r.push_back(std::to_string(o.k) + "," + o.l + "," + o.r);
    h.ClearOutput();
    return r;
  };
  auto at = [&](int64_t ms) { h.clock().Advance(ms - h.clock().NowMillis()); };
  h.ProcessRecord<JL>(0, JL{1, "a1"});  // 1000
  at(1050);
  h.ProcessRecord<JR>(1, JR{1, "b1"});
  EXPECT_EQ(rows(), (std::vector<std::string>{"1,a1,b1"}));
  at(1100);
  h.ProcessRecord<JR>(1, JR{1, "b2"});  // a1 (stored at 1000) has expired
  EXPECT_TRUE(rows().empty());
  at(1120);
  h.ProcessRecord<JL>(0, JL{1, "a2"});  // b1 (1050) and b2 (1100) are alive
  EXPECT_EQ(rows(), (std::vector<std::string>{"1,a2,b1", "1,a2,b2"}));
  at(1200);
  h.ProcessRecord<JL>(0, JL{1, "a3"});  // b1 and b2 have expired
  EXPECT_TRUE(rows().empty());
  h.ProcessRecord<JR>(1, JR{1, "b3"});  // a3 is alive; a2 (1120) too
  EXPECT_EQ(rows(), (std::vector<std::string>{"1,a2,b3", "1,a3,b3"}));
}

TEST(GeneratedJoinTtl, TheTtlIsReadFromTheConfigurationAtOpen) {
  TaskHarness h(std::make_unique<h_join::dfc_job::dfc_Chain2>(),
                {.channels_per_input = {1, 1}, .config = {{"table.exec.state.ttl", "an hour"}}});
  try {
    h.Open();
    FAIL() << "opened with a bad table.exec.state.ttl";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "table.exec.state.ttl must be a duration such as '1 h', '90 s' or '500 ms', got 'an hour'");
  }
}

}  // namespace
}  // namespace dfc::rt
