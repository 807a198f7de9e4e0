#include "runtime/src/inline_task.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <utility>
#include <vector>

#include "runtime/src/input_gate.h"

namespace dfc::rt {
namespace {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::vector<int> OneChannel(InputGate* gate) { return {gate->channel_input(0)}; }

}  // namespace

InlineTask::InlineTask(OperatorTask* task, TaskContext* ctx, InputGate* gate,
                       std::string chain_label, std::string subtask_label,
                       std::function<void()> finish, std::atomic<int64_t>* deadline_ms,
                       std::atomic<bool>* wake_pending)
    : task_(task),
      ctx_(ctx),
      gate_(gate),
      chain_label_(std::move(chain_label)),
      subtask_label_(std::move(subtask_label)),
      finish_(std::move(finish)),
      proc_(task, OneChannel(gate), ctx->metrics()),
      deadline_ms_(deadline_ms),
      wake_pending_(wake_pending) {
  if (ctx->checkpointing()) {
    // One channel: a barrier completes its alignment on arrival, nothing is ever blocked.
    proc_.SetCheckpointing(ctx->exactly_once(), [gate](int c, bool b) { gate->SetBlocked(c, b); });
  }
  tick_ = std::max<int64_t>(ctx->buffer_timeout_ns(), 1'000'000);
  next_tick_ = ctx->clock()->NowNanos() + tick_;
  gate_->AttachInline(this);
}

InlineTask::~InlineTask() { gate_->AttachInline(nullptr); }

template <class F>
void InlineTask::Guard(F&& f) {
  try {
    f();
  } catch (const Cancelled&) {
    throw;
  } catch (const InlineFailure&) {
    throw;  // of a consumer further down, already attributed
  } catch (const OperatorError& e) {
    throw InlineFailure("operator '" + e.op_id() + "' " + subtask_label_ + ": " + e.what());
  } catch (const std::exception& e) {
    throw InlineFailure(chain_label_ + ": " + e.what());
  } catch (...) {
    throw InlineFailure(chain_label_ + ": unknown exception");
  }
}

bool InlineTask::Deliver(std::unique_ptr<BufferBase> b) {
  if (gate_->cancelled()) return false;
  if (end_received_) {
    // The producer's error, as on a threaded channel (InputGate::Push).
    throw std::logic_error("internal error: element pushed into a channel after its end of input");
  }
  if (b->kind == ElementKind::kEndOfInput) end_received_ = true;
  const int64_t start = SteadyNanos();
  Guard([&] {
    if (proc_.Process(0, *b) == InputProcessor::Status::kEnded) {
      ended_ = true;
      finish_();
      return;
    }
    // As OperatorTask::Run after each element: due processing-time timers, the periodic tick.
    FireTimers();
    const int64_t now = ctx_->clock()->NowNanos();
    if (now >= next_tick_) {
      task_->OnTick(now);
      next_tick_ = now + tick_;
    }
  });
  if (b->kind == ElementKind::kRecords) {
    b->ClearRecords();
    spare_ = std::move(b);
  }
  ctx_->metrics()->busy_ns.fetch_add(SteadyNanos() - start, std::memory_order_relaxed);
  return true;
}

bool InlineTask::EnsureEndOfInput() {
  if (end_received_) return true;
  auto b = std::make_unique<BufferBase>();
  b->kind = ElementKind::kEndOfInput;
  return Deliver(std::move(b));
}

void InlineTask::Idle() {
  if (ended_ || gate_->cancelled()) return;
  Guard([&] { task_->OnIdle(); });
}

bool InlineTask::FireTimers() {
  int64_t deadline = task_->NextProcessingDeadline();
  bool fired = false;
  if (deadline != kMaxWatermark && ctx_->clock()->NowMillis() >= deadline) {
    task_->OnProcessingTime(ctx_->clock()->NowMillis());
    deadline = task_->NextProcessingDeadline();
    fired = true;
  }
  if (deadline_ms_->load(std::memory_order_relaxed) != deadline)
    deadline_ms_->store(deadline, std::memory_order_relaxed);
  return fired;
}

void InlineTask::ServeMails() {
  wake_pending_->store(false, std::memory_order_relaxed);
  Guard([&] {
    gate_->RunMails();
    // Woken for a timer while the producer is idle: what it emitted is flushed, as OnIdle would
    // be on a thread of its own.
    if (!ended_ && FireTimers()) task_->OnIdle();
  });
}

}  // namespace dfc::rt
