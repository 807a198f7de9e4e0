// dfc/window.h through the single-threaded harness: a hand-written chain shaped like the code
// codegen emits for window_aggregate (COUNT(*) and MAX(price) per auction).
#include "dfc/window.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <iterator>
#include <tuple>
#include <vector>

#include "dfc/testing/harness.h"

namespace dfc::rt {
namespace {

struct Bid {
  int64_t auction;
  int64_t price;
};

struct Result {
  int64_t auction, start, end, count, max_price;
  int64_t ts;
  bool operator==(const Result& o) const {
    return std::tie(auction, start, end, count, max_price, ts) ==
           std::tie(o.auction, o.start, o.end, o.count, o.max_price, o.ts);
  }
  bool operator<(const Result& o) const {
    return std::tie(end, auction, start) < std::tie(o.end, o.auction, o.start);
  }
};

struct Acc {
  int64_t count = 0;
  int64_t max_price = INT64_MIN;
  void Merge(const Acc& o) {
    count += o.count;
    max_price = std::max(max_price, o.max_price);
  }
};

struct Row {
  int64_t auction, start, end, count, max_price;
};

class WindowChain final : public OperatorTask {
 public:
  WindowChain(int64_t size, int64_t slide, int64_t offset = 0) : size_(size), slide_(slide), offset_(offset) {}
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
    agg_ = std::make_unique<WindowAggregator<int64_t, Acc>>(size_, slide_, offset_, ctx.op_metrics(0));
  }
  void ProcessBuffer(int, BufferBase& b) override {
    for (auto& r : static_cast<Buffer<Bid>&>(b).records) {
      agg_->Add(r.value.auction, r.ts, [&](Acc& a) {
        ++a.count;
        a.max_price = std::max(a.max_price, r.value.price);
      });
    }
  }
  void OnWatermark(int64_t wm) override {
    agg_->OnWatermark(wm, [&](const int64_t& k, int64_t s, int64_t e, const Acc& a) {
      Row row{k, s, e, a.count, a.max_price};
      out_.Emit(row, e - 1);
    });
    out_.Broadcast(ElementKind::kWatermark, wm);
  }
  void OnEndOfInput() override {}
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t now) override { out_.MaybeFlushOnTimeout(now); }
  void Close() override { out_.Broadcast(ElementKind::kEndOfInput, 0); }

 private:
  int64_t size_, slide_, offset_;
  std::unique_ptr<WindowAggregator<int64_t, Acc>> agg_;
  RecordWriter<Row> out_;
};

std::vector<Result> Results(TaskHarness& h) {
  std::vector<Result> r;
  for (const auto& rec : h.Records<Row>(0))
    r.push_back({rec.value.auction, rec.value.start, rec.value.end, rec.value.count, rec.value.max_price, rec.ts});
  return r;
}

TEST(WindowTest, WindowStartFloorsNegativeTimestamps) {
  EXPECT_EQ(WindowStart(0, 0, 10), 0);
  EXPECT_EQ(WindowStart(9, 0, 10), 0);
  EXPECT_EQ(WindowStart(10, 0, 10), 10);
  EXPECT_EQ(WindowStart(-1, 0, 10), -10);
  EXPECT_EQ(WindowStart(-10, 0, 10), -10);
  EXPECT_EQ(WindowStart(-11, 0, 10), -20);
  EXPECT_EQ(WindowStart(7, 3, 10), 3);
  EXPECT_EQ(WindowStart(2, 3, 10), -7);
}

TEST(WindowTest, TumblingBoundariesIncludingNegativeTimestamps) {
  TaskHarness h(std::make_unique<WindowChain>(10, 10));
  h.Open();
  h.ProcessRecords<Bid>(0, {{{1, 5}, -11}, {{1, 7}, -10}, {{1, 3}, -1}, {{1, 4}, 0}, {{2, 8}, 9}, {{1, 6}, 10}});
  h.ProcessWatermarkAll(-2);  // fires [-20, -10) only: [-10, 0) needs watermark -1
  EXPECT_EQ(Results(h), (std::vector<Result>{{1, -20, -10, 1, 5, -11}}));
  h.ProcessWatermarkAll(-1);
  EXPECT_EQ(Results(h), (std::vector<Result>{{1, -20, -10, 1, 5, -11}, {1, -10, 0, 2, 7, -1}}));
  h.ProcessWatermarkAll(9);
  h.ProcessWatermarkAll(19);
  auto r = Results(h);
  ASSERT_EQ(r.size(), 5u);
  std::sort(r.begin() + 2, r.begin() + 4);
  EXPECT_EQ(r[2], (Result{1, 0, 10, 1, 4, 9}));
  EXPECT_EQ(r[3], (Result{2, 0, 10, 1, 8, 9}));
  EXPECT_EQ(r[4], (Result{1, 10, 20, 1, 6, 19}));
  // Results precede the watermark that fired them.
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{-2, -1, 9, 19}));
}

TEST(WindowTest, SlidingCountsAndMaxOverPanes) {
  // size 10, slide 4: panes of 2; windows [-4,6), [0,10), [4,14), [8,18), ...
  TaskHarness h(std::make_unique<WindowChain>(10, 4));
  h.Open();
  h.ProcessRecords<Bid>(0, {{{1, 1}, 1}, {{1, 5}, 5}, {{1, 3}, 9}, {{1, 2}, 12}});
  h.EndAllInputs();
  const std::vector<Result> want = {
      {1, -8, 2, 1, 1, 1},   {1, -4, 6, 2, 5, 5},  {1, 0, 10, 3, 5, 9},
      {1, 4, 14, 3, 5, 13},  {1, 8, 18, 2, 3, 17}, {1, 12, 22, 1, 2, 21},
  };
  EXPECT_EQ(Results(h), want);
}

TEST(WindowTest, SlidingWithOffsetAndNonDivisibleSlide) {
  // size 5, slide 3, offset 1: windows start at ...,-2, 1, 4, 7; panes of 1.
  TaskHarness h(std::make_unique<WindowChain>(5, 3, 1));
  h.Open();
  h.ProcessRecords<Bid>(0, {{{7, 10}, 4}, {{7, 20}, 6}});
  h.EndAllInputs();
  auto r = Results(h);
  // Independent brute force: every window [s, s+5) with s = 1 + 3k containing a record.
  std::vector<Result> brute;
  for (int64_t s = -8; s <= 10; s += 3) {
    int64_t n = 0, mx = INT64_MIN;
    for (auto [t, p] : std::vector<std::pair<int64_t, int64_t>>{{4, 10}, {6, 20}}) {
      if (t >= s && t < s + 5) {
        ++n;
        mx = std::max(mx, p);
      }
    }
    if (n) brute.push_back({7, s, s + 5, n, mx, s + 4});
  }
  EXPECT_EQ(r, brute);
}

TEST(WindowTest, LateRecordDroppedAndCountedOutOfOrderWithinBoundKept) {
  TaskHarness h(std::make_unique<WindowChain>(10, 10));
  h.Open();
  h.ProcessRecords<Bid>(0, {{{1, 1}, 15}, {{1, 2}, 12}});  // out of order, not late
  h.ProcessWatermarkAll(9);
  h.ProcessRecords<Bid>(0, {{{1, 3}, 9}});   // [0,10) fired with watermark 9... none had data, still late
  h.ProcessRecords<Bid>(0, {{{1, 4}, 10}});  // on time for [10,20)
  h.ProcessWatermarkAll(19);
  EXPECT_EQ(Results(h), (std::vector<Result>{{1, 10, 20, 3, 4, 19}}));
  EXPECT_EQ(h.op_metrics(0).late_records_dropped.load(), 1u);
}

TEST(WindowTest, SlidingLatenessIsPerWindow) {
  // size 10, slide 5. Watermark 9 fires [0,10); a record at 7 still belongs to [5,15).
  TaskHarness h(std::make_unique<WindowChain>(10, 5));
  h.Open();
  h.ProcessRecords<Bid>(0, {{{1, 1}, 3}});
  h.ProcessWatermarkAll(9);
  h.ProcessRecords<Bid>(0, {{{1, 9}, 7}});   // not added to [0,10) (fired), added to [5,15)
  h.ProcessWatermarkAll(14);
  h.ProcessRecords<Bid>(0, {{{1, 8}, 8}});   // every window of 8 has fired: dropped
  h.EndAllInputs();
  EXPECT_EQ(Results(h), (std::vector<Result>{{1, -5, 5, 1, 1, 4}, {1, 0, 10, 1, 1, 9}, {1, 5, 15, 1, 9, 14}}));
  EXPECT_EQ(h.op_metrics(0).late_records_dropped.load(), 1u);
}


// ---- sessions, lateness, side output, count and processing-time windows ----

struct Ev {
  int64_t key;
  int64_t v;
};
struct SumAcc {
  int64_t count = 0, sum = 0;
  void Merge(const SumAcc& o) {
    count += o.count;
    sum += o.sum;
  }
};
struct Sum {
  int64_t key, start, end, count, sum, ts;
  bool operator==(const Sum& o) const {
    return std::tie(key, start, end, count, sum, ts) == std::tie(o.key, o.start, o.end, o.count, o.sum, o.ts);
  }
};
std::ostream& operator<<(std::ostream& os, const Sum& s) {
  return os << "{" << s.key << " [" << s.start << "," << s.end << ") n=" << s.count << " sum=" << s.sum << " @" << s.ts
            << "}";
}

// Shaped like the generated code of a window op with a late-data side output: edge 0 results,
// edge 1 the late records. `processing_time`: records take the clock's time and OnTick fires.
template <class Engine>
class TimeChain final : public OperatorTask {
 public:
  using Factory = std::function<std::unique_ptr<Engine>(OperatorMetrics*)>;
  TimeChain(Factory f, bool processing_time = false) : factory_(std::move(f)), processing_time_(processing_time) {}
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
    if (ctx.num_outputs() > 1) late_.Init(&ctx, 1, PartitionMode::kForward);
    win_ = factory_(ctx.op_metrics(0));
  }
  void ProcessBuffer(int, BufferBase& b) override {
    for (auto& r : static_cast<Buffer<Ev>&>(b).records) {
      const int64_t t = processing_time_ ? ctx().clock()->NowMillis() : r.ts;
      const Ev v = r.value;
      AddResult res = win_->Add(
          v.key, t,
          [&](SumAcc& a) {
            ++a.count;
            a.sum += v.v;
          },
          Emitter());
      if (res == AddResult::kLate && ctx().num_outputs() > 1) late_.Emit(v, r.ts);
    }
  }
  void OnWatermark(int64_t wm) override {
    if (!processing_time_) win_->OnWatermark(wm, Emitter());
    out_.Broadcast(ElementKind::kWatermark, wm);
    if (ctx().num_outputs() > 1) late_.Broadcast(ElementKind::kWatermark, wm);
  }
  void OnEndOfInput() override {
    if (processing_time_) win_->OnWatermark(kMaxWatermark, Emitter());
  }
  void OnIdle() override {
    out_.Flush();
    if (ctx().num_outputs() > 1) late_.Flush();
  }
  void OnTick(int64_t) override {
    if (processing_time_) win_->OnWatermark(ctx().clock()->NowMillis(), Emitter());
    out_.Flush();
  }
  void Close() override {
    out_.Broadcast(ElementKind::kEndOfInput, 0);
    if (ctx().num_outputs() > 1) late_.Broadcast(ElementKind::kEndOfInput, 0);
  }
  Engine& engine() { return *win_; }

 private:
  auto Emitter() {
    return [this](const int64_t& k, int64_t s, int64_t e, const SumAcc& a) { out_.Emit(Sum{k, s, e, a.count, a.sum, 0}, e - 1); };
  }
  Factory factory_;
  bool processing_time_;
  std::unique_ptr<Engine> win_;
  RecordWriter<Sum> out_;
  RecordWriter<Ev> late_;
};

using Sessions = SessionWindows<int64_t, SumAcc>;
using Panes = PaneWindows<int64_t, SumAcc>;

std::vector<Sum> Sums(TaskHarness& h) {
  std::vector<Sum> r;
  for (const auto& rec : h.Records<Sum>(0)) {
    Sum s = rec.value;
    s.ts = rec.ts;
    r.push_back(s);
  }
  return r;
}
std::vector<std::pair<int64_t, int64_t>> Late(TaskHarness& h) {  // (value, ts) of side-output records
  std::vector<std::pair<int64_t, int64_t>> r;
  for (const auto& rec : h.Records<Ev>(1)) r.push_back({rec.value.v, rec.ts});
  return r;
}

TaskHarness::Options TwoOutputs() {
  TaskHarness::Options o;
  o.output_channels = {1, 1};
  return o;
}

TEST(SessionWindowTest, OverlappingAndTouchingWindowsMerge) {
  TaskHarness h(std::make_unique<TimeChain<Sessions>>([](OperatorMetrics* m) {
    return std::make_unique<Sessions>(5, WindowOptions{0, false, m});
  }));
  h.Open();
  // key 1: [0,5) + [3,8) -> [0,8); [10,15) apart; then 8 -> [8,13) touches [0,8) and overlaps
  // [10,15): all merge into [0,15). key 2: [20,25) and [25,30) touch -> [20,30).
  h.ProcessRecords<Ev>(0, {{{1, 1}, 0}, {{1, 2}, 3}, {{1, 4}, 10}, {{2, 10}, 20}});
  h.ProcessWatermarkAll(6);  // nothing ends before 7
  EXPECT_TRUE(Sums(h).empty());
  h.ProcessRecords<Ev>(0, {{{1, 8}, 8}, {{2, 20}, 25}});
  h.ProcessWatermarkAll(14);
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 15, 4, 15, 14}}));
  h.ProcessWatermarkAll(100);
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 15, 4, 15, 14}, {2, 20, 30, 2, 30, 29}}));
  EXPECT_EQ(static_cast<TimeChain<Sessions>&>(h.task()).engine().num_windows(), 0u);
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{6, 14, 100}));
}

TEST(SessionWindowTest, GapBoundaryDoesNotMergeAcrossAGap) {
  TaskHarness h(std::make_unique<TimeChain<Sessions>>([](OperatorMetrics* m) {
    return std::make_unique<Sessions>(5, WindowOptions{0, false, m});
  }));
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 0}, {{1, 2}, 6}});  // [0,5) and [6,11): a 1 ms gap
  h.EndAllInputs();
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 5, 1, 1, 4}, {1, 6, 11, 1, 2, 10}}));
}

TEST(SessionWindowTest, LateRecordWithinLatenessRefiresMergedSessionBeyondGoesToSideOutput) {
  // gap 10, allowed lateness 20, late records to the side output.
  TaskHarness h(std::make_unique<TimeChain<Sessions>>([](OperatorMetrics* m) {
                  return std::make_unique<Sessions>(10, WindowOptions{20, true, m});
                }),
                TwoOutputs());
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 0}, {{1, 2}, 5}});  // [0,15)
  h.ProcessWatermarkAll(14);                             // fires [0,15) n=2
  h.ProcessRecords<Ev>(0, {{{1, 4}, 12}});               // merges: [0,22), due at 21
  h.ProcessWatermarkAll(30);                             // fires [0,22) n=3
  EXPECT_EQ(Sums(h).size(), 2u);
  h.ProcessRecords<Ev>(0, {{{1, 8}, 15}});  // [15,25) merges into [0,25), behind the watermark:
  EXPECT_EQ(Sums(h).size(), 3u);            // a late firing at once, with everything (n=4)
  h.ProcessWatermarkAll(41);
  h.ProcessRecords<Ev>(0, {{{1, 16}, 21}});  // [21,31) merges: [0,31), fires at once (n=5)
  h.ProcessRecords<Ev>(0, {{{1, 32}, 2}});   // [2,12): 11 + 20 <= 41, past lateness: late
  h.ProcessWatermarkAll(50);                 // [0,31) is dropped at 30 + 20 = 50
  EXPECT_EQ(static_cast<TimeChain<Sessions>&>(h.task()).engine().num_windows(), 0u);
  h.EndAllInputs();
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 15, 2, 3, 14},
                                       {1, 0, 22, 3, 7, 21},
                                       {1, 0, 25, 4, 15, 24},
                                       {1, 0, 31, 5, 31, 30}}));
  EXPECT_EQ(Late(h), (std::vector<std::pair<int64_t, int64_t>>{{32, 2}}));
  EXPECT_EQ(h.op_metrics(0).late_records_dropped.load(), 0u);  // it went to the side output
}

TEST(PaneWindowTest, LateRecordWithinLatenessUpdatesFiredWindowBeyondGoesToSideOutput) {
  TaskHarness h(std::make_unique<TimeChain<Panes>>([](OperatorMetrics* m) {
                  return std::make_unique<Panes>(10, 10, 0, WindowOptions{5, true, m});
                }),
                TwoOutputs());
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 1}, {{1, 2}, 2}});
  h.ProcessWatermarkAll(9);                // fires [0,10): n=2
  h.ProcessRecords<Ev>(0, {{{1, 4}, 3}});  // within lateness (9 + 5 > 9): fires again, n=3
  h.ProcessWatermarkAll(13);
  h.ProcessRecords<Ev>(0, {{{1, 8}, 9}});  // 9 + 5 = 14 > 13: still within lateness, n=4
  h.ProcessWatermarkAll(14);               // window state dropped (9 + 5 <= 14)
  h.ProcessRecords<Ev>(0, {{{1, 16}, 5}}); // late: side output
  h.ProcessRecords<Ev>(0, {{{1, 32}, 10}}); // on time for [10,20)
  h.EndAllInputs();
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 10, 2, 3, 9},
                                       {1, 0, 10, 3, 7, 9},
                                       {1, 0, 10, 4, 15, 9},
                                       {1, 10, 20, 1, 32, 19}}));
  EXPECT_EQ(Late(h), (std::vector<std::pair<int64_t, int64_t>>{{16, 5}}));
  EXPECT_EQ(h.op_metrics(0).late_records_dropped.load(), 0u);
}

TEST(PaneWindowTest, SlidingLateFiringUpdatesOnlyFiredWindowsWithinLateness) {
  // size 10, slide 5, lateness 5. Record at 7 belongs to [0,10) and [5,15).
  TaskHarness h(std::make_unique<TimeChain<Panes>>([](OperatorMetrics* m) {
    return std::make_unique<Panes>(10, 5, 0, WindowOptions{5, false, m});
  }));
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 6}});
  h.ProcessWatermarkAll(9);                // fires [-5,5)? no data; [0,10) n=1
  h.ProcessRecords<Ev>(0, {{{1, 2}, 7}});  // [0,10) re-fires n=2; [5,15) not fired yet
  h.ProcessWatermarkAll(15);               // [5,15) n=2; [0,10) state dropped (9 + 5 <= 15)
  h.ProcessRecords<Ev>(0, {{{1, 4}, 4}});  // windows [-5,5), [0,10) both past lateness: 4 + 5 <= 15 late
  h.EndAllInputs();
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 10, 1, 1, 9}, {1, 0, 10, 2, 3, 9}, {1, 5, 15, 2, 3, 14}}));
  EXPECT_EQ(h.op_metrics(0).late_records_dropped.load(), 1u);  // no side output: counted
}

TEST(PaneWindowTest, RecordInAGapBetweenSlidingWindowsIsSkippedNotLate) {
  // size 2, slide 5: windows [0,2), [5,7)...; a record at 3 is in none.
  TaskHarness h(std::make_unique<TimeChain<Panes>>([](OperatorMetrics* m) {
    return std::make_unique<Panes>(2, 5, 0, WindowOptions{0, false, m});
  }));
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 1}, {{1, 2}, 3}, {{1, 4}, 6}});
  h.EndAllInputs();
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 2, 1, 1, 1}, {1, 5, 7, 1, 4, 6}}));
  EXPECT_EQ(h.op_metrics(0).late_records_dropped.load(), 0u);
}

TEST(PaneWindowTest, ProcessingTimeTumblingFiresOnTheClock) {
  TaskHarness::Options o;
  o.start_millis = 1000;
  TaskHarness h(std::make_unique<TimeChain<Panes>>(
                    [](OperatorMetrics* m) { return std::make_unique<Panes>(10'000, 10'000, 0, WindowOptions{0, false, m}); },
                    /*processing_time=*/true),
                o);
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, kNoTimestamp}, {{2, 2}, kNoTimestamp}});
  h.clock().Set(9'000);
  h.ProcessRecords<Ev>(0, {{{1, 3}, kNoTimestamp}});
  h.clock().Set(9'998);
  h.Tick();
  EXPECT_TRUE(Sums(h).empty());
  h.clock().Set(10'500);  // 9999 reached: [0,10s) fires
  h.ProcessRecords<Ev>(0, {{{1, 5}, kNoTimestamp}});  // belongs to [10s,20s)
  h.Tick();
  auto r = Sums(h);
  ASSERT_EQ(r.size(), 2u);
  std::sort(r.begin(), r.end(), [](const Sum& a, const Sum& b) { return a.key < b.key; });
  EXPECT_EQ(r[0], (Sum{1, 0, 10'000, 2, 4, 9'999}));
  EXPECT_EQ(r[1], (Sum{2, 0, 10'000, 1, 2, 9'999}));
  h.EndAllInputs();  // dfc fires what is pending at the end of input
  h.Close();
  EXPECT_EQ(Sums(h).back(), (Sum{1, 10'000, 20'000, 1, 5, 19'999}));
}

class CountChain final : public OperatorTask {
 public:
  CountChain(int64_t n, bool purge, bool fire_at_end) : win_(n, purge), fire_at_end_(fire_at_end) {}
  auto Emitter() {
    return [this](const int64_t& k, const SumAcc& a) {
      out_.Emit(Sum{k, INT64_MIN, INT64_MAX, a.count, a.sum, 0}, INT64_MAX);
    };
  }
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
  }
  void ProcessBuffer(int, BufferBase& b) override {
    for (auto& r : static_cast<Buffer<Ev>&>(b).records) {
      win_.Add(r.value.key, [&](SumAcc& a) { ++a.count; a.sum += r.value.v; }, Emitter());
    }
  }
  void OnWatermark(int64_t wm) override { out_.Broadcast(ElementKind::kWatermark, wm); }
  void OnEndOfInput() override {
    if (fire_at_end_) win_.FireRemaining(Emitter());
  }
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t) override {}
  void Close() override { out_.Broadcast(ElementKind::kEndOfInput, 0); }

 private:
  CountWindows<int64_t, SumAcc> win_;
  bool fire_at_end_;
  RecordWriter<Sum> out_;
};

TEST(CountWindowTest, PurgingCountTriggerFiresEveryNPerKey) {
  TaskHarness h(std::make_unique<CountChain>(2, true, false));
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 0}, {{2, 10}, 0}, {{1, 2}, 0}, {{1, 3}, 0}, {{2, 20}, 0}, {{1, 4}, 0}, {{1, 5}, 0}});
  h.EndAllInputs();  // key 1's fifth record never fires (no end-of-input firing)
  std::vector<std::pair<int64_t, int64_t>> got;
  for (const Sum& s : Sums(h)) got.push_back({s.key, s.sum});
  EXPECT_EQ(got, (std::vector<std::pair<int64_t, int64_t>>{{1, 3}, {2, 30}, {1, 7}}));
  EXPECT_EQ(h.Records<Sum>(0)[0].ts, INT64_MAX);  // the global window's max timestamp
}

TEST(CountWindowTest, AccumulatingCountTriggerAndEndOfInputFiring) {
  TaskHarness h(std::make_unique<CountChain>(2, false, true));
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 0}, {{1, 2}, 0}, {{1, 3}, 0}, {{1, 4}, 0}, {{1, 5}, 0}, {{2, 7}, 0}});
  h.EndAllInputs();
  h.Close();
  std::vector<std::pair<int64_t, int64_t>> got;
  for (const Sum& s : Sums(h)) got.push_back({s.count, s.sum});
  // 2 records (3), 4 records (10), then the end: key 1 with 5 (15), key 2 with 1 (7).
  EXPECT_EQ(got, (std::vector<std::pair<int64_t, int64_t>>{{2, 3}, {4, 10}, {5, 15}, {1, 7}}));
}

TEST(WindowTest, WatermarkIsTheMinimumOfTwoInputs) {
  // A window fed by two inputs (e.g. a union) fires only when both inputs' watermarks pass.
  TaskHarness::Options o;
  o.channels_per_input = {1, 1};
  TaskHarness h(std::make_unique<TimeChain<Panes>>([](OperatorMetrics* m) {
                  return std::make_unique<Panes>(10, 10, 0, WindowOptions{0, false, m});
                }),
                o);
  h.Open();
  h.ProcessRecords<Ev>(0, {{{1, 1}, 3}});
  h.ProcessRecords<Ev>(1, {{{1, 2}, 5}});
  h.ProcessWatermark(0, 20);
  EXPECT_TRUE(Sums(h).empty());
  h.ProcessWatermark(1, 8);
  EXPECT_TRUE(Sums(h).empty());
  EXPECT_EQ(h.combined_watermark(), 8);
  h.ProcessWatermark(1, 12);
  EXPECT_EQ(Sums(h), (std::vector<Sum>{{1, 0, 10, 2, 3, 9}}));
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{8, 12}));
}

// DenseMap (dfc/dense_map.h), the key map of PaneWindows: insertion order, lookups across index
// rebuilds (growth and bulk erasure), colliding hashes.
struct ConstantHash {
  size_t operator()(int64_t) const { return 0x1234'5678'0000'0001ULL; }  // every key collides
};

TEST(DenseMapTest, KeepsInsertionOrderAcrossGrowthAndErase) {
  DenseMap<int64_t, int64_t, KeyHasher> m;
  for (int64_t k = 0; k < 10000; ++k) m[k * 7] += k;
  for (int64_t k = 0; k < 10000; ++k) m[k * 7] += 1;  // existing keys: no new entries
  ASSERT_EQ(m.size(), 10000u);
  int64_t i = 0;
  for (const auto& [k, v] : m) {
    EXPECT_EQ(k, i * 7);
    EXPECT_EQ(v, i + 1);
    ++i;
  }
  m.EraseIf([](std::pair<int64_t, int64_t>& e) {
    e.second *= 2;
    return e.first % 3 != 0;
  });
  ASSERT_EQ(m.size(), 3334u);
  i = 0;
  for (const auto& [k, v] : m) {
    EXPECT_EQ(k, i * 21);
    EXPECT_EQ(v, 2 * (i * 3 + 1));
    ++i;
  }
  EXPECT_EQ(m.find(7), nullptr);
  ASSERT_NE(m.find(21), nullptr);
  EXPECT_EQ(m.find(21)->second, 8);
  m[5] = 1;  // appended after the survivors
  EXPECT_EQ(std::prev(m.end())->first, 5);
  m.EraseIf([](std::pair<int64_t, int64_t>&) { return true; });
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.find(5), nullptr);
  m[1] = 2;
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.find(1)->second, 2);
}

TEST(DenseMapTest, CollidingHashesAndStringKeys) {
  DenseMap<int64_t, int, ConstantHash> c;
  for (int64_t k = 0; k < 100; ++k) c[k] = static_cast<int>(k);
  for (int64_t k = 0; k < 100; ++k) EXPECT_EQ(c.find(k)->second, k);
  EXPECT_EQ(c.find(100), nullptr);
  DenseMap<std::string, int, KeyHasher> s;
  s["a long string beyond the small buffer"] = 1;
  s["b"] = 2;
  EXPECT_EQ(s["a long string beyond the small buffer"], 1);
  EXPECT_EQ(s.size(), 2u);
}

}  // namespace
}  // namespace dfc::rt
