// The mailbox rules (watermark alignment, end of input) through the single-threaded harness.
#include "dfc/testing/harness.h"

#include <gtest/gtest.h>

#include <vector>

namespace dfc::rt {
namespace {

// A chain that forwards records (x10) and watermarks, counting callbacks.
class PassThrough final : public OperatorTask {
 public:
  explicit PassThrough(bool send_eoi = true) : send_eoi_(send_eoi) {}
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
  }
  void ProcessBuffer(int input, BufferBase& b) override {
    auto& recs = static_cast<Buffer<int64_t>&>(b).records;
    ctx_->op_metrics(0)->AddIn(recs.size());
    for (auto& r : recs) out_.Emit(r.value * 10 + input, r.ts);
  }
  void OnWatermark(int64_t wm) override {
    watermarks.push_back(wm);
    out_.Broadcast(ElementKind::kWatermark, wm);
  }
  void OnEndOfInput() override { ++ends; }
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t now) override { out_.MaybeFlushOnTimeout(now); }
  void Close() override {
    if (send_eoi_) out_.Broadcast(ElementKind::kEndOfInput, 0);
  }

  std::vector<int64_t> watermarks;
  int ends = 0;

 private:
  bool send_eoi_;
  RecordWriter<int64_t> out_;
};

TEST(HarnessTest, RecordsPassThroughWithTimestamps) {
  auto task = std::make_unique<PassThrough>();
  TaskHarness h(std::move(task));
  h.Open();
  h.ProcessRecords<int64_t>(0, {{1, 100}, {2, 200}});
  h.ProcessRecord<int64_t>(0, 3, 300);
  auto out = h.Records<int64_t>(0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].value, 10);
  EXPECT_EQ(out[2].value, 30);
  EXPECT_EQ(out[2].ts, 300);
  EXPECT_EQ(h.op_metrics(0).records_in.load(), 3u);
  EXPECT_EQ(h.Elements(0, 0).size(), 2u);  // two flushed buffers (flush on idle)
  EXPECT_EQ(h.Elements(0, 0)[0].num_records, 2u);
}

TEST(HarnessTest, WatermarkIsMinimumOverChannelsAndOnlyAdvances) {
  auto owned = std::make_unique<PassThrough>();
  PassThrough* task = owned.get();
  TaskHarness h(std::move(owned), {.channels_per_input = {3}});
  h.Open();
  h.ProcessWatermark(0, 100);
  h.ProcessWatermark(1, 50);
  EXPECT_TRUE(task->watermarks.empty());  // channel 2 has not produced one yet
  h.ProcessWatermark(2, 70);
  EXPECT_EQ(task->watermarks, (std::vector<int64_t>{50}));
  h.ProcessWatermark(1, 40);  // goes backwards on its channel: swallowed
  h.ProcessWatermark(1, 200);
  EXPECT_EQ(task->watermarks, (std::vector<int64_t>{50, 70}));
  h.ProcessWatermark(2, 150);
  EXPECT_EQ(task->watermarks, (std::vector<int64_t>{50, 70, 100}));
  EXPECT_EQ(h.Watermarks(0), (std::vector<int64_t>{50, 70, 100}));
  EXPECT_EQ(h.metrics().input_watermark.load(), 100);
  EXPECT_EQ(h.metrics().output_watermark.load(), 100);
}

TEST(HarnessTest, EndedChannelCountsAsMaxAndEndOfInputFollowsMaxWatermark) {
  auto owned = std::make_unique<PassThrough>();
  PassThrough* task = owned.get();
  TaskHarness h(std::move(owned), {.channels_per_input = {1, 1}});
  h.Open();
  h.ProcessWatermark(0, 10);
  h.EndInput(1);  // input 1 ended without a watermark: counts as the maximum
  EXPECT_EQ(task->watermarks, (std::vector<int64_t>{10}));
  h.ProcessRecord<int64_t>(0, 7, 20);
  EXPECT_EQ(h.Values<int64_t>(0), (std::vector<int64_t>{70}));
  EXPECT_EQ(task->ends, 0);
  h.EndInput(0);
  EXPECT_EQ(task->watermarks, (std::vector<int64_t>{10, kMaxWatermark}));
  EXPECT_EQ(task->ends, 1);
  EXPECT_TRUE(h.ended());
  h.Close();
  EXPECT_TRUE(h.EndOfInputSent(0));
  // Output order on the channel: wm 10, record, MAX, end of input.
  auto el = h.Elements(0, 0);
  ASSERT_EQ(el.size(), 4u);
  EXPECT_EQ(el[0].kind, ElementKind::kWatermark);
  EXPECT_EQ(el[1].kind, ElementKind::kRecords);
  EXPECT_EQ(el[2].value, kMaxWatermark);
  EXPECT_EQ(el[3].kind, ElementKind::kEndOfInput);
}

TEST(HarnessTest, SecondInputRecordsCarryTheirInputIndex) {
  TaskHarness h(std::make_unique<PassThrough>(), {.channels_per_input = {1, 2}});
  h.Open();
  h.ProcessRecord<int64_t>(2, 5);  // channel 2 belongs to input 1
  h.ProcessRecord<int64_t>(0, 5);
  EXPECT_EQ(h.Values<int64_t>(0), (std::vector<int64_t>{51, 50}));
}

TEST(HarnessTest, RuntimeSendsForgottenEndOfInputAfterClose) {
  TaskHarness h(std::make_unique<PassThrough>(/*send_eoi=*/false), {.output_channels = {1}});
  h.Open();
  h.EndAllInputs();
  EXPECT_FALSE(h.EndOfInputSent(0));
  h.Close();
  EXPECT_TRUE(h.EndOfInputSent(0));
}

TEST(HarnessTest, BufferTimeoutFlushesOnTickWithFakeClock) {
  // A writer that is never flushed on idle: only the tick flushes it.
  class Lazy final : public OperatorTask {
   public:
    void Open(TaskContext& ctx) override {
      OperatorTask::Open(ctx);
      out_.Init(&ctx, 0, PartitionMode::kForward);
    }
    void ProcessBuffer(int, BufferBase& b) override {
      for (auto& r : static_cast<Buffer<int64_t>&>(b).records) out_.Emit(r.value, r.ts);
    }
    void OnWatermark(int64_t) override {}
    void OnEndOfInput() override {}
    void OnIdle() override {}
    void OnTick(int64_t now) override { out_.MaybeFlushOnTimeout(now); }

   private:
    RecordWriter<int64_t> out_;
  };
  TaskHarness h(std::make_unique<Lazy>(), {.buffer_timeout_ns = 100'000'000});
  h.Open();
  h.ProcessRecord<int64_t>(0, 1);
  h.Tick();
  EXPECT_TRUE(h.Records<int64_t>(0).empty());
  h.clock().Advance(100);
  h.Tick();
  EXPECT_EQ(h.Records<int64_t>(0).size(), 1u);
}

TEST(HarnessTest, ParamsAndConfig) {
  TaskHarness h(std::make_unique<PassThrough>(),
                {.config = {{"execution.buffer-timeout", "5 ms"}}, .params = {{"src.rate", "42"}}});
  EXPECT_EQ(h.context().Config("execution.buffer-timeout", "x"), "5 ms");
  EXPECT_EQ(h.context().Config("nope", "d"), "d");
  EXPECT_EQ(h.context().ParamInt("src", "rate", 1), 42);
  EXPECT_EQ(h.context().Param("src", "other", "def"), "def");
  EXPECT_FALSE(h.context().cancelled());
}

TEST(HarnessTest, HashWriterPicksSubtaskByKeyGroup) {
  class Keyed final : public OperatorTask {
   public:
    void Open(TaskContext& ctx) override {
      OperatorTask::Open(ctx);
      out_.Init(&ctx, 0, PartitionMode::kHash, [](const int64_t& v) { return HashValue(v); });
    }
    void ProcessBuffer(int, BufferBase& b) override {
      for (auto& r : static_cast<Buffer<int64_t>&>(b).records) out_.Emit(r.value, r.ts);
    }
    void OnWatermark(int64_t) override {}
    void OnEndOfInput() override {}
    void OnIdle() override { out_.Flush(); }
    void OnTick(int64_t) override {}

   private:
    RecordWriter<int64_t> out_;
  };
  TaskHarness h(std::make_unique<Keyed>(), {.output_channels = {4}});
  h.Open();
  std::vector<Record<int64_t>> in;
  for (int64_t k = 0; k < 1000; ++k) in.push_back({k, 0});
  h.ProcessRecords<int64_t>(0, in);
  size_t total = 0;
  for (int c = 0; c < 4; ++c) {
    for (int64_t k : h.Values<int64_t>(0, c)) {
      EXPECT_EQ(SubtaskForKeyGroup(KeyGroupFor(HashValue(k), 128), 4, 128), c);
      ++total;
    }
  }
  EXPECT_EQ(total, 1000u);
}

}  // namespace
}  // namespace dfc::rt
