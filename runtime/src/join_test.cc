// dfc/join.h through the single-threaded harness: hand-written two-input chains shaped like the
// code codegen emits for interval_join and window_join.
#include "dfc/join.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <tuple>
#include <vector>

#include "dfc/testing/harness.h"
#include "dfc/window.h"

namespace dfc::rt {
namespace {

struct L {
  int64_t key, v;
};
struct R {
  int64_t key, w;
};
struct Out {
  int64_t key, v, w, ts;
  bool operator==(const Out& o) const { return std::tie(key, v, w, ts) == std::tie(o.key, o.v, o.w, o.ts); }
};
std::ostream& operator<<(std::ostream& os, const Out& o) {
  return os << "{" << o.key << ": " << o.v << " x " << o.w << " @" << o.ts << "}";
}

TaskHarness::Options TwoInputs() {
  TaskHarness::Options o;
  o.channels_per_input = {1, 1};
  return o;
}

std::vector<Out> Outs(TaskHarness& h) {
  std::vector<Out> r;
  for (const auto& rec : h.Records<Out>(0)) r.push_back({rec.value.key, rec.value.v, rec.value.w, rec.ts});
  return r;
}

class IntervalChain final : public OperatorTask {
 public:
  IntervalChain(int64_t lower, int64_t upper) : lower_(lower), upper_(upper) {}
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
    join_ = std::make_unique<IntervalJoin<int64_t, L, R>>(lower_, upper_, ctx.op_metrics(0));
  }
  void ProcessBuffer(int input, BufferBase& b) override {
    auto emit = [&](const L& l, const R& r, int64_t ts) { out_.Emit(Out{l.key, l.v, r.w, 0}, ts); };
    if (input == 1) {
      for (auto& r : static_cast<Buffer<R>&>(b).records) join_->AddRight(r.value.key, r.ts, r.value, emit);
      return;
    }
    for (auto& r : static_cast<Buffer<L>&>(b).records) join_->AddLeft(r.value.key, r.ts, r.value, emit);
  }
  void OnWatermark(int64_t wm) override {
    join_->OnWatermark(wm);
    out_.Broadcast(ElementKind::kWatermark, wm);
  }
  void OnEndOfInput() override {}
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t) override {}
  void Close() override { out_.Broadcast(ElementKind::kEndOfInput, 0); }
  IntervalJoin<int64_t, L, R>& join() { return *join_; }

 private:
  int64_t lower_, upper_;
  std::unique_ptr<IntervalJoin<int64_t, L, R>> join_;
  RecordWriter<Out> out_;
};

TEST(IntervalJoinTest, BoundsAreInclusiveAtExactlyLowerAndUpper) {
  // right.ts - left.ts in [-2, 3]: a left at 10 matches rights at 8..13.
  TaskHarness h(std::make_unique<IntervalChain>(-2, 3), TwoInputs());
  h.Open();
  h.ProcessRecords<R>(1, {{{1, 7}, 7}, {{1, 8}, 8}, {{1, 13}, 13}, {{1, 14}, 14}, {{2, 10}, 10}});
  h.ProcessRecords<L>(0, {{{1, 100}, 10}});
  EXPECT_EQ(Outs(h), (std::vector<Out>{{1, 100, 8, 10}, {1, 100, 13, 13}}));
  // A right row arriving later joins the buffered left rows with ts - 3 <= l.ts <= ts + 2.
  h.ProcessRecords<L>(0, {{{1, 200}, 20}, {{1, 300}, 23}, {{1, 400}, 24}});
  h.ProcessRecords<R>(1, {{{1, 21}, 21}});  // l.ts in [18, 23]: 20 and 23
  EXPECT_EQ(Outs(h), (std::vector<Out>{{1, 100, 8, 10}, {1, 100, 13, 13}, {1, 200, 21, 21}, {1, 300, 21, 23}}));
}

TEST(IntervalJoinTest, LateRecordsDroppedAndStateCleanedOnWatermark) {
  TaskHarness h(std::make_unique<IntervalChain>(-2, 3), TwoInputs());
  h.Open();
  auto& join = static_cast<IntervalChain&>(h.task()).join();
  h.ProcessRecords<L>(0, {{{1, 1}, 10}, {{1, 2}, 20}});
  h.ProcessRecords<R>(1, {{{1, 3}, 11}, {{1, 4}, 30}});
  EXPECT_EQ(join.buffered_left(), 2u);
  EXPECT_EQ(join.buffered_right(), 2u);
  // The operator's watermark is the minimum of both inputs.
  h.ProcessWatermark(0, 15);
  EXPECT_EQ(join.buffered_left(), 2u);
  h.ProcessWatermark(1, 13);  // combined 13: left@10 kept until 10 + 3; right@11 until 11 + 2
  EXPECT_EQ(join.buffered_left(), 1u);
  EXPECT_EQ(join.buffered_right(), 1u);
  h.ProcessRecords<L>(0, {{{1, 5}, 12}});  // 12 < 13: late
  EXPECT_EQ(h.op_metrics(0).late_records_dropped.load(), 1u);
  h.ProcessRecords<R>(1, {{{1, 6}, 13}});  // not late; l.ts in [10, 15]: left@10 is gone
  h.ProcessWatermarkAll(40);
  EXPECT_EQ(join.buffered_left(), 0u);
  EXPECT_EQ(join.buffered_right(), 0u);
  EXPECT_EQ(Outs(h), (std::vector<Out>{{1, 1, 3, 11}}));
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{13, 40}));
}

using JoinAcc = WindowJoinAcc<L, R>;

class WindowJoinChain final : public OperatorTask {
 public:
  explicit WindowJoinChain(std::function<void(WindowJoinChain&)> make) : make_(std::move(make)) {}
  auto Emitter() {
    return [this](const int64_t& k, int64_t, int64_t end, const JoinAcc& a) {
      a.ForEachPair([&](const L& l, const R& r) { out_.Emit(Out{k, l.v, r.w, 0}, end - 1); });
    };
  }
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
    make_(*this);
  }
  template <class Engine>
  void Run(Engine& e, int input, BufferBase& b) {
    if (input == 1) {
      for (auto& r : static_cast<Buffer<R>&>(b).records)
        e.Add(r.value.key, r.ts, [&](JoinAcc& a) { a.right.push_back(r.value); }, Emitter());
    } else {
      for (auto& r : static_cast<Buffer<L>&>(b).records)
        e.Add(r.value.key, r.ts, [&](JoinAcc& a) { a.left.push_back(r.value); }, Emitter());
    }
  }
  void ProcessBuffer(int input, BufferBase& b) override {
    if (panes) Run(*panes, input, b);
    else Run(*sessions, input, b);
  }
  void OnWatermark(int64_t wm) override {
    if (panes) panes->OnWatermark(wm, Emitter());
    else sessions->OnWatermark(wm, Emitter());
    out_.Broadcast(ElementKind::kWatermark, wm);
  }
  void OnEndOfInput() override {}
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t) override {}
  void Close() override { out_.Broadcast(ElementKind::kEndOfInput, 0); }

  std::unique_ptr<PaneWindows<int64_t, JoinAcc>> panes;
  std::unique_ptr<SessionWindows<int64_t, JoinAcc>> sessions;

 private:
  std::function<void(WindowJoinChain&)> make_;
  RecordWriter<Out> out_;
};

TEST(WindowJoinTest, TumblingJoinsEveryPairPerKeyAndWindowNothingForOneSidedWindows) {
  TaskHarness h(std::make_unique<WindowJoinChain>([](WindowJoinChain& c) {
                  c.panes = std::make_unique<PaneWindows<int64_t, JoinAcc>>(10, 10, 0, WindowOptions{});
                }),
                TwoInputs());
  h.Open();
  h.ProcessRecords<L>(0, {{{1, 1}, 1}, {{1, 2}, 5}, {{2, 3}, 6}, {{1, 4}, 12}});
  h.ProcessRecords<R>(1, {{{1, 10}, 9}, {{1, 20}, 2}, {{3, 30}, 3}, {{1, 40}, 10}});
  h.ProcessWatermarkAll(9);
  // [0,10), key 1: left {1, 2} x right {10, 20}; key 2 has no right rows, key 3 no left rows.
  EXPECT_EQ(Outs(h), (std::vector<Out>{{1, 1, 10, 9}, {1, 1, 20, 9}, {1, 2, 10, 9}, {1, 2, 20, 9}}));
  h.EndAllInputs();
  EXPECT_EQ(Outs(h).back(), (Out{1, 4, 40, 19}));
  EXPECT_EQ(Outs(h).size(), 5u);
}

TEST(WindowJoinTest, SlidingJoinPairsRowsInEveryCommonWindow) {
  // size 10, slide 5: rows at 7 (left) and 9 (right) share [0,10) and [5,15).
  TaskHarness h(std::make_unique<WindowJoinChain>([](WindowJoinChain& c) {
                  c.panes = std::make_unique<PaneWindows<int64_t, JoinAcc>>(10, 5, 0, WindowOptions{});
                }),
                TwoInputs());
  h.Open();
  h.ProcessRecords<L>(0, {{{1, 1}, 7}, {{1, 2}, 3}});
  h.ProcessRecords<R>(1, {{{1, 10}, 9}});
  h.EndAllInputs();
  EXPECT_EQ(Outs(h), (std::vector<Out>{{1, 2, 10, 9}, {1, 1, 10, 9}, {1, 1, 10, 14}}));
}

TEST(WindowJoinTest, SessionJoinMergesBothSidesRows) {
  TaskHarness h(std::make_unique<WindowJoinChain>([](WindowJoinChain& c) {
                  c.sessions = std::make_unique<SessionWindows<int64_t, JoinAcc>>(5, WindowOptions{});
                }),
                TwoInputs());
  h.Open();
  h.ProcessRecords<L>(0, {{{1, 1}, 0}, {{1, 2}, 20}});
  h.ProcessRecords<R>(1, {{{1, 10}, 4}, {{1, 20}, 30}});  // 4 merges with [0,5) -> [0,9)
  h.EndAllInputs();
  // [0,9): left 1 x right 10. [20,25) has no right row, [30,35) no left row.
  EXPECT_EQ(Outs(h), (std::vector<Out>{{1, 1, 10, 8}}));
}

}  // namespace
}  // namespace dfc::rt
