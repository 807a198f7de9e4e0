// Barrier alignment through the single-threaded harness: EXACTLY_ONCE holds a channel after its
// barrier until every channel delivered it, so the snapshot covers exactly the records before the
// barrier on each channel; AT_LEAST_ONCE does not hold (records after an early barrier are in the
// snapshot: replayed after a restore). Newer barriers abandon an older alignment; ended channels
// count as aligned.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dfc/checkpoint.h"
#include "dfc/testing/harness.h"

namespace dfc::rt {
namespace {

// Sums its input; the snapshot is the sum and the records seen; forwards barriers.
class Summer final : public OperatorTask {
 public:
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
  }
  void ProcessBuffer(int input, BufferBase& b) override {
    for (auto& r : static_cast<Buffer<int64_t>&>(b).records) {
      sum_ += r.value;
      seen.push_back(r.value);
    }
  }
  void OnWatermark(int64_t) override {}
  void OnEndOfInput() override {}
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t now) override { out_.MaybeFlushOnTimeout(now); }
  void BroadcastBarrier(int64_t id) override { out_.Broadcast(ElementKind::kBarrier, id); }
  void SnapshotState(SnapshotWriter& w) override {
    std::string* e = w.AddOperatorEntry("sum");
    StateOut(e).Put(sum_);
    ++snapshots;
  }

  std::vector<int64_t> seen;
  int snapshots = 0;

 private:
  int64_t sum_ = 0;
  RecordWriter<int64_t> out_;
};

int64_t SnapshotSum(const TaskHarness& h) {
  const auto& ops = h.last_snapshot().operator_state();
  auto it = ops.find("sum");
  if (it == ops.end() || it->second.empty()) return -1;
  StateIn in(it->second[0]);
  int64_t v = 0;
  in.Get(&v);
  return v;
}

TEST(AlignmentTest, ExactlyOnceHoldsTheChannelUntilAligned) {
  auto owned = std::make_unique<Summer>();
  Summer* task = owned.get();
  TaskHarness h(std::move(owned), {.channels_per_input = {2}, .exactly_once = true});
  h.Open();
  h.ProcessRecord<int64_t>(0, 1);
  h.ProcessBarrier(0, 1);
  h.ProcessRecord<int64_t>(0, 100);  // after the barrier on channel 0: held
  h.ProcessRecord<int64_t>(1, 2);    // before the barrier on channel 1: processed
  EXPECT_EQ(task->seen, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(task->snapshots, 0);
  h.ProcessBarrier(1, 1);  // aligned: snapshot 1 + 2, then the held record
  EXPECT_EQ(task->snapshots, 1);
  EXPECT_EQ(SnapshotSum(h), 3);
  EXPECT_EQ(task->seen, (std::vector<int64_t>{1, 2, 100}));
  EXPECT_EQ(h.last_snapshot().checkpoint_id(), 1);
  // The barrier went downstream once.
  int barriers = 0;
  for (const auto& e : h.Elements(0, 0)) barriers += e.kind == ElementKind::kBarrier ? 1 : 0;
  EXPECT_EQ(barriers, 1);
}

TEST(AlignmentTest, AtLeastOnceDoesNotHold) {
  auto owned = std::make_unique<Summer>();
  Summer* task = owned.get();
  TaskHarness h(std::move(owned), {.channels_per_input = {2}});
  h.Open();
  h.ProcessRecord<int64_t>(0, 1);
  h.ProcessBarrier(0, 1);
  h.ProcessRecord<int64_t>(0, 100);  // not held: lands in the snapshot (a duplicate on replay)
  h.ProcessRecord<int64_t>(1, 2);
  h.ProcessBarrier(1, 1);
  EXPECT_EQ(task->snapshots, 1);
  EXPECT_EQ(SnapshotSum(h), 103);
}

TEST(AlignmentTest, NewerBarrierAbandonsOlderAndEndedChannelsCountAsAligned) {
  auto owned = std::make_unique<Summer>();
  Summer* task = owned.get();
  TaskHarness h(std::move(owned), {.channels_per_input = {1, 2}, .exactly_once = true});
  h.Open();
  h.ProcessBarrier(0, 1);            // checkpoint 1 starts aligning on channel 0
  h.ProcessRecord<int64_t>(0, 5);    // held
  h.ProcessBarrier(1, 2);            // checkpoint 2 overtakes 1: channel 0 released
  EXPECT_EQ(task->seen, (std::vector<int64_t>{5}));
  h.ProcessBarrier(0, 1);            // stale
  h.ProcessBarrier(0, 2);
  EXPECT_EQ(task->snapshots, 0);
  h.EndInput(2);                     // the last channel ends: aligned without its barrier
  EXPECT_EQ(task->snapshots, 1);
  EXPECT_EQ(h.last_snapshot().checkpoint_id(), 2);
  EXPECT_EQ(SnapshotSum(h), 5);
}

}  // namespace
}  // namespace dfc::rt
