// InputProcessor: what a subtask's mailbox loop does with each element it takes from its input
// channels — records to ProcessBuffer, watermark alignment across channels and inputs, end of
// input. Shared by OperatorTask::Run (threaded) and TaskHarness (single-threaded tests) so both
// follow exactly the same rules (see OperatorTask in dfc/task.h).
//
// Threading: owned by one subtask, used only on its thread.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "dfc/metrics.h"
#include "dfc/stream.h"
#include "dfc/task.h"

namespace dfc::rt {

class InputProcessor {
 public:
  // `channel_inputs[c]` is the input index (0 or 1) of channel c. `metrics` may be null.
  InputProcessor(OperatorTask* task, std::vector<int> channel_inputs, TaskMetrics* metrics);

  enum class Status { kMore, kEnded };
  // Dispatches one element of channel `channel`. Returns kEnded once every channel has ended and
  // OnEndOfInput() ran. Records buffers are left to the caller to clear and recycle.
  Status Process(int channel, BufferBase& element);
  // Called when there are no channels at all: behaves as if every channel ended.
  Status EndWithoutChannels();

  // The combined watermark last passed to OnWatermark (kMinWatermark before the first).
  int64_t combined_watermark() const { return combined_; }
  // The minimum watermark over the channels of `input` (kMinWatermark until each has one).
  int64_t input_watermark(int input) const;
  bool ended() const { return num_ended_ == static_cast<int>(inputs_.size()); }

  // Checkpoint barriers (see OperatorTask in dfc/task.h). With `exactly_once`, a channel that
  // delivered the barrier being aligned is blocked through `block(channel, true)` and released
  // with `block(channel, false)` once the snapshot is taken. Without this call barriers are
  // aligned without blocking (at-least-once).
  void SetCheckpointing(bool exactly_once, std::function<void(int, bool)> block);

 private:
  void MaybeAdvance();
  void OnBarrier(int channel, int64_t id);
  void MaybeCompleteAlignment();
  void ReleaseChannels();

  OperatorTask* task_;
  std::vector<int> inputs_;       // per channel: input index
  std::vector<int64_t> wm_;       // per channel: highest watermark (kMax once ended)
  std::vector<bool> has_wm_;      // per channel: produced a watermark or ended
  std::vector<bool> ended_;       // per channel
  // Idleness (SEMANTICS.md): idle channels leave the minimum; a channel back from idle is
  // "unaligned" (left out) until its watermark reaches the combined one.
  std::vector<bool> idle_, aligned_;
  bool all_idle_ = false;  // the status last passed to OnWatermarkStatus
  void SetIdle(int channel, bool idle);
  int num_inputs_ = 0;
  int num_with_wm_ = 0;
  int num_ended_ = 0;
  int64_t combined_ = kMinWatermark;
  TaskMetrics* metrics_;
  // Barrier alignment: the checkpoint being aligned (0 = none), which channels delivered it (or
  // ended), and the last checkpoint snapshotted (older barriers are stale).
  bool exactly_once_ = false;
  std::function<void(int, bool)> block_;
  int64_t aligning_ = 0;
  int64_t done_ = 0;
  std::vector<bool> barrier_seen_;
  std::vector<bool> blocked_;
  int num_seen_ = 0;
};

}  // namespace dfc::rt
