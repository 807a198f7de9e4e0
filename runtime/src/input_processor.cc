#include "runtime/src/input_processor.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include "runtime/src/input_gate.h"

namespace dfc::rt {

InputProcessor::InputProcessor(OperatorTask* task, std::vector<int> channel_inputs,
                               TaskMetrics* metrics)
    : task_(task),
      inputs_(std::move(channel_inputs)),
      wm_(inputs_.size(), kMinWatermark),
      has_wm_(inputs_.size(), false),
      ended_(inputs_.size(), false),
      idle_(inputs_.size(), false),
      aligned_(inputs_.size(), true),
      metrics_(metrics),
      barrier_seen_(inputs_.size(), false),
      blocked_(inputs_.size(), false) {
  for (int in : inputs_) num_inputs_ = std::max(num_inputs_, in + 1);
}

int64_t InputProcessor::input_watermark(int input) const {
  int64_t m = kMaxWatermark;
  bool any = false;
  for (size_t c = 0; c < inputs_.size(); ++c) {
    if (inputs_[c] != input) continue;
    if (!has_wm_[c]) return kMinWatermark;
    m = std::min(m, wm_[c]);
    any = true;
  }
  return any ? m : kMinWatermark;
}

void InputProcessor::MaybeAdvance() {
  // The combined watermark is the minimum over inputs of the per-input minimum, i.e. the minimum
  // over all channels (ended channels hold kMaxWatermark), leaving out idle and unaligned ones;
  // it needs a watermark from every channel that is not idle.
  int64_t m = kMaxWatermark;
  bool any = false;
  for (size_t c = 0; c < wm_.size(); ++c) {
    if (idle_[c]) continue;
    if (!aligned_[c]) {
      if (!has_wm_[c] || wm_[c] < combined_) continue;
      aligned_[c] = true;  // back from idle and caught up: takes part again
    }
    if (!has_wm_[c]) return;
    m = std::min(m, wm_[c]);
    any = true;
  }
  if (!any) {
    // Every channel idle: flush the largest watermark they reached (Flink's StatusWatermarkValve).
    m = kMinWatermark;
    for (size_t c = 0; c < wm_.size(); ++c)
      if (has_wm_[c]) m = std::max(m, wm_[c]);
  }
  if (m <= combined_) return;
  combined_ = m;
  if (metrics_ != nullptr) metrics_->input_watermark.store(m, std::memory_order_relaxed);
  task_->OnWatermark(m);
}

void InputProcessor::SetIdle(int c, bool idle) {
  if (ended_[c] || idle_[c] == idle) return;
  idle_[c] = idle;
  if (!idle) aligned_[c] = has_wm_[c] && wm_[c] >= combined_;
  bool all = true;
  for (size_t k = 0; k < idle_.size(); ++k) all = all && (idle_[k] || ended_[k]);
  if (all && !ended()) {
    MaybeAdvance();  // flushes the maximum
    if (!all_idle_) {
      all_idle_ = true;
      task_->OnWatermarkStatus(true);
    }
    return;
  }
  if (!all && all_idle_) {
    all_idle_ = false;
    task_->OnWatermarkStatus(false);
  }
  if (idle) MaybeAdvance();  // the idle channel may have held the minimum back
}

InputProcessor::Status InputProcessor::Process(int c, BufferBase& e) {
  switch (e.kind) {
    case ElementKind::kRecords:
      if (idle_[c]) SetIdle(c, false);  // a record makes its channel active again
      task_->ProcessBuffer(inputs_[c], e);
      return Status::kMore;
    case ElementKind::kWatermarkStatus:
      SetIdle(c, e.value != 0);
      return Status::kMore;
    case ElementKind::kWatermark:
      if (ended_[c] || idle_[c]) return Status::kMore;  // an idle channel's watermark is ignored
      if (!has_wm_[c]) {
        has_wm_[c] = true;
        ++num_with_wm_;
      }
      // A channel's watermark never goes backwards: a smaller one is swallowed.
      if (e.value > wm_[c]) wm_[c] = e.value;
      MaybeAdvance();
      return Status::kMore;
    case ElementKind::kBarrier:
      OnBarrier(c, e.value);
      return Status::kMore;
    case ElementKind::kEndOfInput:
      if (ended_[c]) return Status::kMore;
      ended_[c] = true;
      ++num_ended_;
      idle_[c] = false;
      aligned_[c] = true;
      if (!has_wm_[c]) {
        has_wm_[c] = true;
        ++num_with_wm_;
      }
      wm_[c] = kMaxWatermark;
      // An ended channel will deliver no barrier: it counts as aligned.
      if (aligning_ != 0 && !barrier_seen_[c]) {
        barrier_seen_[c] = true;
        ++num_seen_;
        MaybeCompleteAlignment();
      }
      MaybeAdvance();
      if (!ended()) return Status::kMore;
      task_->OnEndOfInput();
      return Status::kEnded;
  }
  return Status::kMore;
}

void InputProcessor::SetCheckpointing(bool exactly_once, std::function<void(int, bool)> block) {
  exactly_once_ = exactly_once;
  block_ = std::move(block);
}

void InputProcessor::OnBarrier(int c, int64_t id) {
  if (ended_[c] || id <= done_ || id < aligning_) return;  // stale: of an abandoned checkpoint
  if (id > aligning_) {
    // A newer checkpoint overtakes one still aligning (the coordinator abandoned it).
    ReleaseChannels();
    aligning_ = id;
    num_seen_ = 0;
    for (size_t k = 0; k < inputs_.size(); ++k) {
      barrier_seen_[k] = ended_[k];
      num_seen_ += ended_[k] ? 1 : 0;
    }
  }
  if (barrier_seen_[c]) return;
  barrier_seen_[c] = true;
  ++num_seen_;
  if (exactly_once_ && block_ && num_seen_ < static_cast<int>(inputs_.size())) {
    blocked_[c] = true;
    block_(c, true);
  }
  MaybeCompleteAlignment();
}

void InputProcessor::MaybeCompleteAlignment() {
  if (aligning_ == 0 || num_seen_ < static_cast<int>(inputs_.size())) return;
  const int64_t id = aligning_;
  done_ = id;
  aligning_ = 0;
  task_->ctx().PerformCheckpoint(id);
  ReleaseChannels();
}

void InputProcessor::ReleaseChannels() {
  for (size_t k = 0; k < blocked_.size(); ++k) {
    if (!blocked_[k]) continue;
    blocked_[k] = false;
    if (block_) block_(static_cast<int>(k), false);
  }
}

InputProcessor::Status InputProcessor::EndWithoutChannels() {
  if (combined_ < kMaxWatermark) {
    combined_ = kMaxWatermark;
    if (metrics_ != nullptr) metrics_->input_watermark.store(combined_, std::memory_order_relaxed);
    task_->OnWatermark(kMaxWatermark);
  }
  task_->OnEndOfInput();
  return Status::kEnded;
}

// ---- the mailbox loop ----

namespace {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void OperatorTask::Run() {
  InputGate* gate = ctx_->input_gate_;
  TaskMetrics* metrics = ctx_->metrics();
  Clock* clock = ctx_->clock();
  std::vector<int> inputs;
  const int n = gate == nullptr ? 0 : gate->num_channels();
  for (int c = 0; c < n; ++c) inputs.push_back(gate->channel_input(c));
  InputProcessor proc(this, std::move(inputs), metrics);
  if (ctx_->checkpointing()) {
    proc.SetCheckpointing(ctx_->exactly_once(), [gate](int c, bool b) { gate->SetBlocked(c, b); });
  }
  if (n == 0) {
    proc.EndWithoutChannels();
    return;
  }

  // OnTick cadence: the buffer timeout, but at least 1 ms so a zero timeout does not spin.
  const int64_t tick = std::max<int64_t>(ctx_->buffer_timeout_ns(), 1'000'000);
  int64_t next_tick = clock->NowNanos() + tick;

  // Busy time excludes time blocked on backpressure (Flink's busyTimeMsPerSecond); it is accounted
  // per segment between waits and at ticks, never per element.
  int64_t seg_start = SteadyNanos();
  int64_t seg_bp = metrics->backpressured_ns.load(std::memory_order_relaxed);
  auto account_busy = [&](int64_t now_steady) {
    const int64_t bp = metrics->backpressured_ns.load(std::memory_order_relaxed);
    const int64_t busy = (now_steady - seg_start) - (bp - seg_bp);
    if (busy > 0) metrics->busy_ns.fetch_add(busy, std::memory_order_relaxed);
    seg_start = now_steady;
    seg_bp = bp;
  };

  // Processing-time timers: fire the due ones; returns the next deadline (epoch ms).
  auto fire_timers = [&]() -> int64_t {
    int64_t deadline = NextProcessingDeadline();
    if (deadline != kMaxWatermark && clock->NowMillis() >= deadline) {
      OnProcessingTime(clock->NowMillis());
      deadline = NextProcessingDeadline();
    }
    return deadline;
  };

  std::unique_ptr<BufferBase> recycle;
  int recycle_channel = 0;
  std::vector<std::function<void()>> mails;
  while (true) {
    int c = 0;
    std::unique_ptr<BufferBase> e = gate->Poll(&c, std::move(recycle), recycle_channel, &mails);
    if (!mails.empty()) {
      for (auto& m : mails) m();
      mails.clear();
    }
    if (gate->cancelled()) throw Cancelled{};
    if (e) {
      if (proc.Process(c, *e) == InputProcessor::Status::kEnded) {
        account_busy(SteadyNanos());
        return;
      }
      if (e->kind == ElementKind::kRecords) {
        e->ClearRecords();
        recycle = std::move(e);
        recycle_channel = c;
      }
      fire_timers();
      const int64_t now = clock->NowNanos();
      if (now >= next_tick) {
        OnTick(now);
        next_tick = now + tick;
        account_busy(SteadyNanos());
      }
      continue;
    }
    // Nothing queued: flush so latency stays low at low rates, then sleep until input, a mail,
    // cancellation or the next tick.
    const int64_t deadline = fire_timers();  // before OnIdle, which flushes what they emit
    OnIdle();
    if (recycle) gate->Recycle(recycle_channel, std::move(recycle));
    const int64_t before = SteadyNanos();
    account_busy(before);
    int64_t wait_ns = std::max<int64_t>(next_tick - clock->NowNanos(), 0);
    if (deadline != kMaxWatermark)
      wait_ns = std::min(wait_ns, std::clamp<int64_t>(deadline - clock->NowMillis(), 0, 3'600'000) * 1'000'000);
    gate->Wait(before + wait_ns);
    const int64_t after = SteadyNanos();
    metrics->idle_ns.fetch_add(after - before, std::memory_order_relaxed);
    seg_start = after;
    fire_timers();
    const int64_t now = clock->NowNanos();
    if (now >= next_tick) {
      OnTick(now);
      next_tick = now + tick;
    }
  }
}

}  // namespace dfc::rt
