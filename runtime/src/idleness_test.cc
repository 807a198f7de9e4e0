// Idle inputs (SEMANTICS.md "Idleness", Flink's StatusWatermarkValve) through the harness: an idle
// channel stops holding the combined watermark back; when every channel is idle the largest
// watermark they reached is flushed once and the status goes downstream; a channel back from idle
// takes part again only once its watermark has caught up.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "dfc/testing/harness.h"

namespace dfc::rt {
namespace {

struct Row {
  int64_t v;
};

// Forwards watermarks and statuses like a generated chain; counts records.
class Forward final : public OperatorTask {
 public:
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
  }
  void ProcessBuffer(int, BufferBase& b) override { records += static_cast<Buffer<Row>&>(b).records.size(); }
  void OnWatermark(int64_t wm) override { out_.Broadcast(ElementKind::kWatermark, wm); }
  void OnWatermarkStatus(bool idle) override {
    statuses.push_back(idle);
    out_.Broadcast(ElementKind::kWatermarkStatus, idle ? 1 : 0);
  }
  void OnEndOfInput() override {}
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t) override {}
  void Close() override { out_.Broadcast(ElementKind::kEndOfInput, 0); }
  size_t records = 0;
  std::vector<bool> statuses;

 private:
  RecordWriter<Row> out_;
};

TaskHarness::Options Channels(int n) {
  TaskHarness::Options o;
  o.channels_per_input = {n};
  return o;
}

TEST(IdlenessTest, IdleChannelDoesNotHoldTheWatermarkBack) {
  TaskHarness h(std::make_unique<Forward>(), Channels(3));
  h.Open();
  h.ProcessWatermark(0, 100);
  h.ProcessWatermark(1, 200);
  EXPECT_TRUE(h.Watermarks(0).empty());  // channel 2 has no watermark yet
  h.ProcessWatermarkStatus(2, true);     // ... and goes idle: min over 0 and 1
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{100}));
  h.ProcessWatermark(0, 300);
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{100, 200}));
  h.ProcessWatermark(2, 50);  // an idle channel's watermark is ignored
  EXPECT_EQ(h.combined_watermark(), 200);
  EXPECT_TRUE(static_cast<Forward&>(h.task()).statuses.empty());
}

TEST(IdlenessTest, AllIdleFlushesTheMaximumOnceAndGoesIdleDownstream) {
  TaskHarness h(std::make_unique<Forward>(), Channels(2));
  h.Open();
  h.ProcessWatermark(0, 100);
  h.ProcessWatermark(1, 40);
  h.ProcessWatermarkStatus(1, true);  // min is now channel 0's: 100
  h.ProcessWatermarkStatus(0, true);  // all idle: no channel advances; nothing beyond 100 to flush
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{40, 100}));
  auto& f = static_cast<Forward&>(h.task());
  EXPECT_EQ(f.statuses, (std::vector<bool>{true}));
  // A record reactivates its channel (and the task) without moving the watermark.
  h.ProcessRecords<Row>(1, {{{1}, 45}});
  EXPECT_EQ(f.statuses, (std::vector<bool>{true, false}));
  EXPECT_EQ(h.combined_watermark(), 100);
  std::vector<int64_t> statuses;
  for (const auto& e : h.Elements(0, 0))
    if (e.kind == ElementKind::kWatermarkStatus) statuses.push_back(e.value);
  EXPECT_EQ(statuses, (std::vector<int64_t>{1, 0}));
}

TEST(IdlenessTest, AllIdleFlushesTheLargestWatermarkSeen) {
  TaskHarness h(std::make_unique<Forward>(), Channels(2));
  h.Open();
  h.ProcessWatermark(0, 100);
  h.ProcessWatermark(1, 40);  // combined 40
  h.ProcessWatermarkStatus(0, true);
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{40}));  // channel 1 alone: still 40
  h.ProcessWatermarkStatus(1, true);                        // all idle: flush the max, 100
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{40, 100}));
}

TEST(IdlenessTest, ReactivatedChannelIsIgnoredUntilItCatchesUp) {
  TaskHarness h(std::make_unique<Forward>(), Channels(2));
  h.Open();
  h.ProcessWatermark(0, 10);
  h.ProcessWatermark(1, 10);
  h.ProcessWatermarkStatus(1, true);
  h.ProcessWatermark(0, 100);
  EXPECT_EQ(h.combined_watermark(), 100);
  h.ProcessWatermarkStatus(1, false);  // back, but its watermark (10) is behind 100: not aligned
  h.ProcessWatermark(1, 50);
  h.ProcessWatermark(0, 150);
  EXPECT_EQ(h.combined_watermark(), 150);  // channel 1 still ignored
  h.ProcessWatermark(1, 160);              // caught up: takes part again
  EXPECT_EQ(h.combined_watermark(), 150);
  h.ProcessWatermark(0, 300);
  EXPECT_EQ(h.combined_watermark(), 160);
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{10, 100, 150, 160}));
}

TEST(IdlenessTest, EndedChannelWithIdleRestFiresEverything) {
  TaskHarness h(std::make_unique<Forward>(), Channels(2));
  h.Open();
  h.ProcessWatermarkStatus(1, true);
  h.ProcessWatermark(0, 5);
  h.EndInput(0);
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{5, kMaxWatermark}));
  h.EndInput(1);
  EXPECT_TRUE(h.ended());
}

}  // namespace
}  // namespace dfc::rt
