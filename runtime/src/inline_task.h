// InlineTask: runtime chaining (pipeline.synchronous-exchange, default true). When the executable
// starts, a consumer subtask whose only input channel is also its producer's only channel on that
// edge (parallelism 1 -> 1, or a pointwise FORWARD edge) and whose chain is not driven by the
// clock (VertexSpec::timer_driven) is served on the producer's thread: the channel's InputGate is
// synchronous, and a buffer pushed into it is processed by this object before the push returns.
// A 1 -> 1 channel is a FIFO hand-off, so the consumer sees the same records, watermarks,
// barriers and end of input in the same order as on its own thread; what goes away is the
// channel's locking, the futex waits and a thread switch per buffer. Multi-input consumers
// (unions, joins, connect) keep their own thread and mailbox.
//
// It does for the consumer what OperatorTask::Run does on a thread of its own:
//   * each pushed element goes through an InputProcessor (watermarks, barriers: a single channel
//     aligns trivially, end of input), then OnTick about every buffer timeout;
//   * when the producer flushes (its OnIdle, a source before sleeping, or at least every buffer
//     timeout, see RecordWriter::Flush) the consumer's OnIdle runs: it flushes its own writers;
//   * its mails (checkpoint-complete notifications) are posted to its gate, which wakes the thread
//     (the group's root subtask: its HandleControl serves them);
//   * processing-time timers (a process function's): due ones fire after each element; the
//     earliest deadline is published in `deadline_ms`, and the runtime's JobMaster loop (every
//     20 ms) posts an empty mail to the gate once it has passed (`wake_pending`), so they also
//     fire while the producer is idle. Chains with processing-time windows (OnTick work) keep
//     their own thread (VertexSpec::timer_driven);
//   * at end of input, `finish` (the runtime's: SubtaskFinished, Close, the end-of-input safety
//     net) runs on the spot;
//   * a failure is reported as the consumer's (InlineFailure carries the finished message).
// Metrics stay per vertex: its operators count their own records; its busy time is the time
// spent processing its input (also counted in its producer's, which it runs inside).
//
// Threading: every method except construction runs on the root subtask's thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "dfc/stream.h"
#include "dfc/task.h"
#include "runtime/src/input_processor.h"

namespace dfc::rt {

class InputGate;

// A failure of a consumer served on another subtask's thread, with its message complete
// ("operator 'x' (subtask 1/1): ..." or "chain '...' (subtask 1/1): ..."). Derives from
// OperatorError so that the producer's operators (RethrowAsOperatorError) pass it through
// unchanged; the runtime reports what() as it is.
class InlineFailure : public OperatorError {
 public:
  explicit InlineFailure(const std::string& message) : OperatorError("", message) {}
};

class InlineTask {
 public:
  // `chain_label`: "chain 'name' (subtask i/p)"; `subtask_label`: "(subtask i/p)".
  InlineTask(OperatorTask* task, TaskContext* ctx, InputGate* gate, std::string chain_label,
             std::string subtask_label, std::function<void()> finish,
             std::atomic<int64_t>* deadline_ms, std::atomic<bool>* wake_pending);
  ~InlineTask();
  InlineTask(const InlineTask&) = delete;
  InlineTask& operator=(const InlineTask&) = delete;

  // The producer pushed `buffer`: process it now. False when the job is cancelled.
  bool Deliver(std::unique_ptr<BufferBase> buffer);
  // The emptied records buffer of the last delivery (for the producer's writer), or nullptr.
  std::unique_ptr<BufferBase> TakeSpare() { return std::move(spare_); }
  // The runtime's end-of-input safety net: delivers kEndOfInput unless it already came.
  bool EnsureEndOfInput();
  // The producer has nothing more for now: OnIdle (flush).
  void Idle();
  // Runs the mails posted to the consumer's gate, then the due processing-time timers.
  void ServeMails();

 private:
  template <class F>
  void Guard(F&& f);
  // Fires the due processing-time timers; publishes the next deadline. True when some fired.
  bool FireTimers();

  OperatorTask* task_;
  TaskContext* ctx_;
  InputGate* gate_;
  std::string chain_label_, subtask_label_;
  std::function<void()> finish_;
  InputProcessor proc_;
  std::unique_ptr<BufferBase> spare_;
  bool end_received_ = false;  // kEndOfInput was pushed
  bool ended_ = false;         // processed: OnEndOfInput and finish_ ran
  int64_t tick_ = 0, next_tick_ = 0;
  std::atomic<int64_t>* deadline_ms_;
  std::atomic<bool>* wake_pending_;
};

}  // namespace dfc::rt
