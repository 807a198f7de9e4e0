// dfc/window.h through the single-threaded harness: a hand-written chain shaped like the code
// codegen emits for window_aggregate (COUNT(*) and MAX(price) per auction).
#include "dfc/window.h"

#include <gtest/gtest.h>

#include <algorithm>
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

}  // namespace
}  // namespace dfc::rt
