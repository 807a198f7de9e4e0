// TaskHarness: drives one OperatorTask (a generated chain or a hand-written one) without threads,
// the idea of Flink's OneInputStreamOperatorTestHarness. Tests feed record buffers, watermarks and
// end-of-input into numbered input channels; the harness applies exactly the rules of the mailbox
// loop (OperatorTask::Run: watermark = minimum over channels, advancing only, end of input after
// every channel ended) and captures what the task's writers emit, per output edge and channel.
// Time is a FakeClock: advance it and call Tick() to exercise buffer timeouts and timers.
//
// After every Process*/EndInput call the harness calls OnIdle() (as the mailbox loop does when its
// input runs dry), so everything emitted is flushed and visible in the captured output.
//
// Threading: single-threaded; not for use with RunJobMain. Output channels are unbounded, so a
// task never blocks on backpressure here.
//
//   TaskHarness h(std::make_unique<MyChain>(), {.channels_per_input = {2}});
//   h.Open();
//   h.ProcessRecords<Bid>(0, {{bid1, 1000}, {bid2, 1500}});
//   h.ProcessWatermark(0, 2000);  h.ProcessWatermark(1, 1800);   // combined: 1800
//   EXPECT_EQ(h.Watermarks(0), std::vector<int64_t>{1800});
//   auto out = h.Records<Result>(0);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dfc/clock.h"
#include "dfc/stream.h"
#include "dfc/task.h"

namespace dfc::rt {

class TaskHarness {
 public:
  struct Options {
    // Input channels per input index: {1} = one input with one channel; {2, 1} = two inputs.
    // Channels are numbered input by input: input 0's channels first.
    std::vector<int> channels_per_input = {1};
    // Channels per outgoing edge (= the downstream parallelism of that edge).
    std::vector<int> output_channels = {1};
    int subtask = 0;
    int parallelism = 1;
    int max_parallelism = 128;
    int num_operators = 8;  // OperatorMetrics slots available to the chain
    int64_t buffer_timeout_ns = 100'000'000;
    int64_t start_millis = 0;  // FakeClock start
    std::vector<std::pair<std::string, std::string>> config = {};  // Config() values
    std::vector<std::pair<std::string, std::string>> params = {};  // "node.param" -> value
    // Barrier alignment as in EXACTLY_ONCE: elements fed into a channel blocked by an alignment
    // are held (in order) and processed once the checkpoint is taken. False: AT_LEAST_ONCE.
    bool exactly_once = false;
  };

  explicit TaskHarness(std::unique_ptr<OperatorTask> task);
  TaskHarness(std::unique_ptr<OperatorTask> task, Options options);
  ~TaskHarness();
  TaskHarness(const TaskHarness&) = delete;
  TaskHarness& operator=(const TaskHarness&) = delete;

  // Calls task->Open(context()).
  void Open();
  // Feeds a records buffer into `channel`.
  template <class T>
  void ProcessRecords(int channel, std::vector<Record<T>> records) {
    auto b = std::make_unique<Buffer<T>>();
    b->records = std::move(records);
    Feed(channel, std::move(b));
  }
  template <class T>
  void ProcessRecord(int channel, T value, int64_t ts = kNoTimestamp) {
    std::vector<Record<T>> r;
    r.push_back(Record<T>{std::move(value), ts});
    ProcessRecords<T>(channel, std::move(r));
  }
  void ProcessWatermark(int channel, int64_t watermark);
  void ProcessWatermarkAll(int64_t watermark);  // on every channel
  // A checkpoint barrier; once aligned, the task snapshots (see last_snapshot()).
  void ProcessBarrier(int channel, int64_t checkpoint_id);
  // The task's snapshot at the last aligned barrier (TaskContext::last_snapshot()).
  const SnapshotWriter& last_snapshot() const;
  // Marks `channel` idle (true) or active (false), as a source with `idleness` does.
  void ProcessWatermarkStatus(int channel, bool idle);
  void EndInput(int channel);
  void EndAllInputs();  // every channel: the final watermark, OnEndOfInput()
  // OnIdle() / OnTick(clock().NowNanos()), then collects the output. Tick() first fires the due
  // processing-time timers (OnProcessingTime when clock().NowMillis() reached
  // NextProcessingDeadline()) and flushes afterwards, as the mailbox loop does.
  void Idle();
  void Tick();
  // Close() followed by the runtime's end-of-input safety net (see dfc/task.h).
  void Close();

  FakeClock& clock();
  TaskContext& context();
  OperatorTask& task();
  TaskMetrics& metrics();
  OperatorMetrics& op_metrics(int op_index);
  // The combined watermark last passed to OnWatermark; true once OnEndOfInput ran.
  int64_t combined_watermark() const;
  bool ended() const;

  // ---- captured output of edge `edge` ----
  struct Element {
    ElementKind kind;
    int64_t value;       // watermark / checkpoint id
    size_t num_records;  // for kRecords
  };
  // Everything that reached `channel` of `edge`, in order.
  std::vector<Element> Elements(int edge, int channel) const;
  // The records of one channel, or of every channel in channel order when channel < 0 (copies).
  template <class T>
  std::vector<Record<T>> Records(int edge, int channel = -1) const {
    std::vector<Record<T>> out;
    const int n = num_output_channels(edge);
    for (int c = channel < 0 ? 0 : channel; c < (channel < 0 ? n : channel + 1); ++c) {
      for (const BufferBase* b : Captured(edge, c)) {
        if (b->kind != ElementKind::kRecords) continue;
        const auto& recs = static_cast<const Buffer<T>*>(b)->records;
        out.insert(out.end(), recs.begin(), recs.end());
      }
    }
    return out;
  }
  // Record values only.
  template <class T>
  std::vector<T> Values(int edge, int channel = -1) const {
    std::vector<T> out;
    for (auto& r : Records<T>(edge, channel)) out.push_back(r.value);
    return out;
  }
  // Watermarks that reached `channel` (writers broadcast them, so channel 0 sees all).
  std::vector<int64_t> Watermarks(int edge, int channel = 0) const;
  bool EndOfInputSent(int edge, int channel = 0) const;
  int num_output_channels(int edge) const;
  // Forgets the captured output.
  void ClearOutput();

 private:
  void Feed(int channel, std::unique_ptr<BufferBase> element);
  void Collect();
  std::vector<const BufferBase*> Captured(int edge, int channel) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dfc::rt
