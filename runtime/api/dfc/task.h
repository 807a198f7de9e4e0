// Subtasks, their context, the record writer, and the job description that generated code hands
// to the runtime. See stream.h for the threading model and the data path.
//
// Generated code defines one class per fused operator chain:
//   * a chain whose head is a source derives from SourceTask and implements Run(), looping over
//     its connector and checking ShouldStop() between batches;
//   * any other chain derives from OperatorTask and implements ProcessBuffer() (a batch of records
//     from one input), OnWatermark() and OnEndOfInput(). OperatorTask::Run() is the mailbox loop.
// Operators inside a chain are inlined into each other: no virtual call or queue between them.
//
// Lifecycle (all on the subtask's own thread): create() -> Open(ctx) -> Run() -> Close() -> delete.
// Close() runs only when Run() returned normally; the destructor always runs (also on failure and
// cancellation), so connectors must release files and sockets in their destructors.
//
// End of input (the rule generated code follows):
//   * a SourceTask, at the end of Run(), calls on every writer
//       Broadcast(ElementKind::kWatermark, kMaxWatermark); Broadcast(ElementKind::kEndOfInput, 0);
//     (unless ShouldStop(): a cancelled source just returns);
//   * an OperatorTask forwards the final kMaxWatermark from OnWatermark() like any watermark, emits
//     what is left in OnEndOfInput(), and calls Broadcast(ElementKind::kEndOfInput, 0) on every
//     writer in Close().
//   Broadcast() flushes first, so end-of-input follows every record on each channel. Safety net:
//   after Close() returns, the runtime sends kEndOfInput itself on each output channel that did not
//   get one (so the job never hangs on a forgotten marker); pushing anything into a channel after
//   its kEndOfInput is an internal error (std::logic_error) that fails the job.
//
// Failure: any exception out of Open/Run/Close fails the job (OperatorError names the operator,
// anything else the chain); every other subtask is then cancelled: PushToChannel returns false and
// writers throw Cancelled, which unwinds the task without being reported.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dfc/checkpoint.h"
#include "dfc/clock.h"
#include "dfc/hash.h"
#include "dfc/metrics.h"
#include "dfc/stream.h"

namespace dfc::rt {

class JobRuntime;
class JobConfig;
class CheckpointCoordinator;
class Task;
class OperatorTask;
class KeyedStateBackend;

// Thrown out of a task when the job is cancelled (another task failed, or a signal arrived).
// Not an error of the task itself; the runner swallows it.
struct Cancelled {};

// Raised by generated code around a UDF call so that the failure names the operator.
class OperatorError : public std::runtime_error {
 public:
  OperatorError(std::string op_id, const std::string& what)
      : std::runtime_error(what), op_id_(std::move(op_id)) {}
  const std::string& op_id() const { return op_id_; }

 private:
  std::string op_id_;
};

// Generated code wraps each operator in `try { ... } catch (...) { RethrowAsOperatorError(id); }`:
// rethrows the exception being handled as an OperatorError naming operator `op_id` (its what(),
// or "exception of a non-std::exception type"); OperatorError and Cancelled pass through as they
// are. Out of line, so an operator costs the job one handler, not four typed ones to compile.
[[noreturn]] void RethrowAsOperatorError(const char* op_id);

class AsyncSnapshots;  // checkpoint_task.cc

// Everything a subtask can ask of the runtime. Owned by the runtime; valid for the task's life.
class TaskContext {
 public:
  int subtask() const { return subtask_; }
  int parallelism() const { return parallelism_; }
  int max_parallelism() const { return max_parallelism_; }
  const std::string& chain_name() const { return chain_name_; }

  // The channels of this subtask's `edge`-th outgoing edge (in JobSpec order for the vertex).
  const std::vector<ChannelRef>& output(int edge) const { return outputs_[edge]; }
  int num_outputs() const { return static_cast<int>(outputs_.size()); }

  // A node parameter: the -D <node>.<param>=value override if given, else `def`.
  std::string Param(std::string_view node, std::string_view param, std::string_view def) const;
  int64_t ParamInt(std::string_view node, std::string_view param, int64_t def) const;
  double ParamDouble(std::string_view node, std::string_view param, double def) const;
  // A job configuration value (-D key=value overrides the job's `config`).
  std::string Config(std::string_view key, std::string_view def) const;

  OperatorMetrics* op_metrics(int op_index_in_chain) { return &op_metrics_[op_index_in_chain]; }
  TaskMetrics* metrics() { return metrics_; }
  Clock* clock() const { return clock_; }

  bool cancelled() const;
  // execution.buffer-timeout in nanoseconds.
  int64_t buffer_timeout_ns() const { return buffer_timeout_ns_; }

  // The keyed state backends of this subtask's operators (dfc/state.h), with their operator uids,
  // in registration order. A backend registers itself when created and leaves when destroyed.
  const std::vector<std::pair<std::string, KeyedStateBackend*>>& keyed_backends() const {
    return keyed_backends_;
  }
  void RegisterKeyedBackend(const std::string& uid, KeyedStateBackend* b) { keyed_backends_.emplace_back(uid, b); }
  void UnregisterKeyedBackend(KeyedStateBackend* b) {
    for (auto it = keyed_backends_.begin(); it != keyed_backends_.end(); ++it) {
      if (it->second == b) {
        keyed_backends_.erase(it);
        return;
      }
    }
  }
  // ---- checkpoints (dfc/checkpoint.h, docs/CHECKPOINTS.md) ----
  // True when checkpointing is on (execution.checkpointing.interval set, or a savepoint may be
  // taken): transactional sinks then stage their output until a checkpoint completes.
  bool checkpointing() const { return checkpointing_; }
  // execution.checkpointing.mode: EXACTLY_ONCE aligns barriers, AT_LEAST_ONCE does not.
  bool exactly_once() const { return exactly_once_; }
  // The state this subtask starts from (empty on a fresh start).
  const RestoredState& restored_state() const { return restored_; }
  // Sources: true when the coordinator asked for a checkpoint or announced a completed one;
  // SourceLoop::Continue() then calls HandleControl() between two records.
  bool control_pending() const { return control_pending_.load(std::memory_order_relaxed); }
  // On the task's thread: takes the pending checkpoint trigger (a source emits its barrier at this
  // point of its stream) and completion notifications.
  void HandleControl();
  // On the task's thread, at barrier `id`: forwards the barrier, snapshots the chain and
  // acknowledges to the coordinator (the input processor calls it once aligned).
  void PerformCheckpoint(int64_t id);
  // Sources, after their last split and before their final watermark: with checkpointing, wait
  // (still taking part in checkpoints) until every source subtask of the job has read its
  // splits, so a subtask with little or no input (e.g. after restoring at a higher parallelism)
  // does not finish early and end checkpointing for everyone.
  void AwaitSourcesFinished();
  // After Open(): hands every keyed backend the restored key groups of its range (by uid).
  void RestoreKeyedState();
  // The last snapshot when there is no coordinator (TaskHarness).
  const SnapshotWriter& last_snapshot() const { return snapshot_; }
  // Sources: true after the barrier of a stop-with-savepoint with drain (the source emitted the
  // maximum watermark before it): SourceLoop::Continue() then produces nothing more and waits,
  // still taking part in checkpoint notifications, until the job is cancelled.
  bool draining() const { return draining_; }
  void WaitWhileDraining();

 private:
  friend class InlineTask;
  friend class JobRuntime;
  friend class TaskHarness;
  friend class OperatorTask;
  friend class CheckpointCoordinator;
  InputGate* input_gate_ = nullptr;               // this subtask's mailbox (null for sources)
  const JobConfig* config_ = nullptr;             // job config + -D overrides (null: defaults)
  const std::atomic<bool>* cancelled_ = nullptr;  // the job's cancellation flag
  int subtask_ = 0, parallelism_ = 1, max_parallelism_ = 128;
  std::string chain_name_;
  std::vector<std::vector<ChannelRef>> outputs_;
  OperatorMetrics* op_metrics_ = nullptr;
  TaskMetrics* metrics_ = nullptr;
  Clock* clock_ = nullptr;
  JobRuntime* runtime_ = nullptr;
  int64_t buffer_timeout_ns_ = 100'000'000;
  std::vector<std::pair<std::string, KeyedStateBackend*>> keyed_backends_;
  // Checkpoints: set by the runtime; the atomics are written by the coordinator thread.
  Task* task_ = nullptr;
  int vertex_ = 0;
  bool checkpointing_ = false;
  bool exactly_once_ = true;
  CheckpointCoordinator* coordinator_ = nullptr;  // null: keep the snapshot (TaskHarness)
  RestoredState restored_;
  SnapshotWriter snapshot_;
  std::shared_ptr<AsyncSnapshots> async_snapshots_;  // writes keyed state after the barrier
  std::atomic<bool> control_pending_{false};
  std::atomic<int64_t> trigger_id_{0};   // latest checkpoint a source must emit a barrier for
  std::atomic<int64_t> complete_id_{0};  // latest completed checkpoint
  std::atomic<int64_t> drain_id_{0};     // a savepoint with drain: emit the max watermark first
  bool draining_ = false;                // task thread only
  // Runtime chaining (pipeline.synchronous-exchange, runtime/src/inline_task.h): set on a subtask
  // whose thread also serves consumers; HandleControl() runs their posted mails through it.
  std::function<void()> serve_inline_;   // task thread only
  int64_t handled_trigger_ = 0;                // task thread only
  std::atomic<int64_t> handled_complete_{0};    // written by the task thread only
};

// How a writer picks the channel of a record.
enum class PartitionMode { kForward, kHash, kRebalance, kBroadcast };

// Writes one outgoing edge. Single-threaded (owned by one subtask).
template <class T>
class RecordWriter {
 public:
  using KeyHashFn = uint64_t (*)(const T&);

  RecordWriter() = default;
  void Init(TaskContext* ctx, int edge, PartitionMode mode, KeyHashFn key_hash = nullptr) {
    ctx_ = ctx;
    channels_ = ctx->output(edge);
    mode_ = mode;
    // FORWARD between vertices of different parallelism is wired all-to-all by the runtime (see
    // JobSpec) and then behaves as REBALANCE.
    if (mode_ == PartitionMode::kForward && channels_.size() != 1) mode_ = PartitionMode::kRebalance;
    // One channel: hashing or rebalancing would pick it anyway (no key hash per record).
    if (channels_.size() == 1) mode_ = PartitionMode::kForward;
    key_hash_ = key_hash;
    sync_ = false;
    for (const ChannelRef& ch : channels_) sync_ = sync_ || IsSynchronous(ch);
    pending_.resize(channels_.size());
    fill_.assign(channels_.size(), 0);
    next_ = ctx->subtask() % (channels_.empty() ? 1 : static_cast<int>(channels_.size()));
  }

  void Emit(const T& v, int64_t ts) { EmitImpl(v, ts); }
  void Emit(T&& v, int64_t ts) { EmitImpl(std::move(v), ts); }

  // Pushes every partially filled buffer downstream. A consumer served on this thread
  // (synchronous channel, dfc/stream.h) then has no input left: it flushes too (its OnIdle).
  void Flush() {
    FlushAll();
    if (sync_)
      for (const ChannelRef& ch : channels_) ChannelIdle(ch);
  }
  // Flushes if the oldest pending record has waited longer than the buffer timeout (with a
  // synchronous channel: at least every buffer timeout, so its consumer flushes what it emitted).
  void MaybeFlushOnTimeout(int64_t now_ns) {
    if ((has_pending_ || sync_) && now_ns - last_flush_ns_ >= ctx_->buffer_timeout_ns()) Flush();
  }
  bool has_pending() const { return has_pending_; }

  // Sends a control element (watermark, barrier, end of input) to every channel, after the records
  // already written (FIFO per channel).
  void Broadcast(ElementKind kind, int64_t value) {
    FlushAll();
    if (kind == ElementKind::kWatermark)
      ctx_->metrics()->output_watermark.store(value, std::memory_order_relaxed);
    for (auto& ch : channels_) {
      auto b = std::make_unique<Buffer<T>>();
      b->kind = kind;
      b->value = value;
      if (!PushToChannel(ch, std::move(b), &ctx_->metrics()->backpressured_ns)) throw Cancelled{};
    }
  }

 private:
  template <class U>
  void EmitImpl(U&& v, int64_t ts) {
    size_t c = 0;
    switch (mode_) {
      case PartitionMode::kForward:
        c = 0;
        break;
      case PartitionMode::kHash: {
        int kg = KeyGroupFor(key_hash_(v), ctx_->max_parallelism());
        c = static_cast<size_t>(SubtaskForKeyGroup(kg, static_cast<int>(channels_.size()),
                                                   ctx_->max_parallelism()));
        break;
      }
      case PartitionMode::kRebalance:
        c = static_cast<size_t>(next_);
        next_ = (next_ + 1) % static_cast<int>(channels_.size());
        break;
      case PartitionMode::kBroadcast:
        for (size_t i = 0; i + 1 < channels_.size(); ++i) Append(i, static_cast<const T&>(v), ts);
        c = channels_.size() - 1;
        break;
    }
    Append(c, std::forward<U>(v), ts);
  }

  // A recycled buffer comes back with the records the consumer processed (Buffer<T>::spent): the
  // writer assigns over them, so a string column reuses its heap block instead of allocating one
  // per record (and the consumer freeing it), and trims the ones it did not reach at the flush.
  template <class U>
  void Append(size_t c, U&& v, int64_t ts) {
    auto& p = pending_[c];
    if (!p) {
      fill_[c] = 0;
      std::unique_ptr<BufferBase> r = TakeRecycled(channels_[c]);
      if (r) {
        p.reset(static_cast<Buffer<T>*>(r.release()));
        p->records.swap(p->spent);  // the processed records: assigned over below
      } else {
        p = std::make_unique<Buffer<T>>();
        p->records.reserve(kBufferRecords);
      }
    }
    if (!has_pending_) {
      has_pending_ = true;
      last_flush_ns_ = ctx_->clock()->NowNanos();
    }
    auto& records = p->records;
    size_t& n = fill_[c];
    if (n < records.size()) {
      records[n].value = std::forward<U>(v);
      records[n].ts = ts;
    } else {
      records.push_back(Record<T>{T(std::forward<U>(v)), ts});
    }
    if (++n >= kBufferRecords) FlushChannel(c);
  }

  void FlushAll() {
    for (size_t i = 0; i < pending_.size(); ++i) FlushChannel(i);
    last_flush_ns_ = ctx_->clock()->NowNanos();
  }

  void FlushChannel(size_t c) {
    if (!pending_[c] || fill_[c] == 0) return;
    auto& records = pending_[c]->records;
    if (fill_[c] < records.size()) records.erase(records.begin() + static_cast<ptrdiff_t>(fill_[c]), records.end());
    if (!PushToChannel(channels_[c], std::move(pending_[c]), &ctx_->metrics()->backpressured_ns))
      throw Cancelled{};
    pending_[c].reset();
    fill_[c] = 0;
    has_pending_ = false;
    for (size_t n : fill_)
      if (n != 0) has_pending_ = true;
  }

  TaskContext* ctx_ = nullptr;
  std::vector<ChannelRef> channels_;
  std::vector<std::unique_ptr<Buffer<T>>> pending_;
  std::vector<size_t> fill_;  // records written into pending_[c] (its first fill_[c] records)
  PartitionMode mode_ = PartitionMode::kForward;
  KeyHashFn key_hash_ = nullptr;
  int next_ = 0;
  bool has_pending_ = false;
  bool sync_ = false;  // some channel is served synchronously (its consumer runs on this thread)
  int64_t last_flush_ns_ = 0;
};

// Base of every subtask.
class Task {
 public:
  virtual ~Task() = default;
  // Called on the task's thread before Run().
  virtual void Open(TaskContext& ctx) { ctx_ = &ctx; }
  virtual void Run() = 0;
  // Called on the task's thread after Run() returned normally: flush and close outputs.
  virtual void Close() {}
  TaskContext& ctx() { return *ctx_; }

  // ---- checkpoints (generated code overrides; all on the task's thread) ----
  // After Open(): start from `state` (restored or empty) — Flink's initializeState.
  virtual void InitializeState(const RestoredState& state) {}
  // At a barrier: flush the writers and broadcast kBarrier `id` on each.
  virtual void BroadcastBarrier(int64_t id) {}
  // At a barrier, after BroadcastBarrier: write every operator's state.
  virtual void SnapshotState(SnapshotWriter& w) {}
  // Checkpoint `id` (and every earlier one) is complete: sinks publish what they staged.
  virtual void NotifyCheckpointComplete(int64_t id) {}
  // The id of an operator whose state cannot be checkpointed yet, or nullptr.
  virtual const char* UncheckpointedOperator() const { return nullptr; }
  // Sources, at the barrier of a stop-with-savepoint with drain, before the barrier: emit the
  // maximum watermark (through the chain's operators: windows and timers fire).
  virtual void DrainForStop() {}

 protected:
  TaskContext* ctx_ = nullptr;
};

// A chain headed by a source. Run() produces records until the input is exhausted or
// ShouldStop(); at the end it broadcasts kMaxWatermark and then kEndOfInput on its writers itself
// (see "End of input" above). Before sleeping (rate limiting) it calls Flush() on its writers.
class SourceTask : public Task {
 public:
  bool ShouldStop() const { return ctx_->cancelled(); }
};

// A chain headed by an operator with inputs. Run() is the mailbox loop; subclasses implement the
// callbacks, all invoked on the task's thread.
//
// The loop takes elements round-robin from the non-empty input channels:
//   * records    -> ProcessBuffer(input, buffer); the emptied buffer goes back to its channel's
//                   recycle pool (so ProcessBuffer must not keep a reference to it);
//   * watermarks -> per-channel watermark (never decreasing); the combined watermark is the minimum
//                   over all channels of all inputs, where an ended channel counts as
//                   kMaxWatermark. OnWatermark(wm) runs only when every channel has produced a
//                   watermark or ended, and only when the combined value increases;
//   * watermark status -> an idle channel (Flink's WatermarkStatus.IDLE, sent by a source that had
//                   no records for its `idleness` timeout) leaves the minimum; when all channels
//                   are idle the maximum watermark among them is flushed and OnWatermarkStatus(true)
//                   runs; a channel that becomes active again (status 0, or a record) rejoins the
//                   minimum only once its watermark has caught up with the combined one;
//   * barriers   -> aligned checkpoints (execution.checkpointing.mode EXACTLY_ONCE): a channel
//                   that delivered barrier n is blocked until barrier n arrived on every live
//                   channel; then TaskContext::PerformCheckpoint(n) forwards the barrier and
//                   snapshots the chain, and the channels are released. AT_LEAST_ONCE does not
//                   block: the snapshot is taken when the last barrier n arrives;
//   * end of input on every channel -> OnEndOfInput(), then Run() returns (the runtime calls
//                   Close()).
// With no input available it calls OnIdle() and waits; while busy it calls OnTick(now) about
// every buffer timeout (also after an idle wait times out). Mails posted to the gate run between
// elements.
class OperatorTask : public Task {
 public:
  void Run() final;

  // A batch of records from input `input` (0 or 1). The buffer's records may be moved from.
  virtual void ProcessBuffer(int input, BufferBase& buffer) = 0;
  // The combined input watermark advanced to `wm` (the minimum over all inputs).
  virtual void OnWatermark(int64_t wm) = 0;
  // Every input has ended (after OnWatermark(kMaxWatermark)). Emit what is left; Close() then
  // broadcasts kEndOfInput on the writers (see "End of input" above).
  virtual void OnEndOfInput() = 0;
  // Called when the task has no input to process: flush writers so latency stays low.
  virtual void OnIdle() = 0;
  // Called periodically (about every buffer timeout) while busy: flush on timeout.
  virtual void OnTick(int64_t now_ns) = 0;
  // Every input channel went idle (true; after the maximum watermark they had reached was
  // passed to OnWatermark) or one became active again (false): forward the status downstream
  // (Broadcast(ElementKind::kWatermarkStatus, idle)) so idleness propagates like watermarks.
  virtual void OnWatermarkStatus(bool idle) {}
  // Processing-time timers: the earliest deadline (epoch ms of ctx.clock()->NowMillis()) of this
  // task's timers, kMaxWatermark when none. The loop asks after every element and wakes up for it;
  // once the clock reaches it, it calls OnProcessingTime(now_ms), which fires the due timers.
  virtual int64_t NextProcessingDeadline() { return kMaxWatermark; }
  virtual void OnProcessingTime(int64_t now_ms) { (void)now_ms; }
};

// ---- The job description generated code hands to the runtime ----

struct EdgeSpec {
  int from_vertex;
  int to_vertex;
  int to_input;  // input index at the consumer (0 or 1)
  PartitionMode mode;
};

// What an operator is, for the job summary: records in = records emitted by sources
// (their records_out), records out = records reaching sinks (their records_in).
enum class OperatorKind : uint8_t { kOperator, kSource, kSink };

struct OperatorSpec {
  const char* id;    // node id as written in the job
  const char* name;  // display name
  const char* uid;   // stable operator id
  OperatorKind kind = OperatorKind::kOperator;
};

struct VertexSpec {
  const char* name;           // chain display name, e.g. "bids -> big -> eur -> out"
  int parallelism;            // > 0: fixed by the job; 0: job default (--parallelism)
  int max_source_parallelism; // 1 for non-parallel sources (values), else 0 = unlimited
  std::vector<OperatorSpec> operators;
  std::function<std::unique_ptr<Task>()> create;
  // The chain works by the clock at every tick (processing-time windows: OnTick fires them): it
  // keeps its own thread even when pipeline.synchronous-exchange could serve it on its
  // producer's. (Processing-time timers of process functions do not need this.)
  bool timer_driven = false;
};

// Wiring: FORWARD edges connect subtask i to subtask i (both vertices must have the same
// parallelism; otherwise the edge is wired all-to-all and the writer falls back to REBALANCE).
// HASH, REBALANCE and BROADCAST edges connect every upstream subtask to every downstream subtask;
// TaskContext::output(e) then lists the channels in downstream-subtask order (channel index =
// downstream subtask, which hash partitioning relies on).
//
// Slots: each subtask runs on its own thread; a slot holds one subtask of each vertex (Flink's
// slot sharing), so the job needs as many slots as its highest parallelism.
struct JobSpec {
  const char* name;
  std::vector<std::pair<const char*, const char*>> config;  // the job's `config`, as written
  std::vector<VertexSpec> vertices;  // topological order
  std::vector<EdgeSpec> edges;       // a vertex's outgoing edges keep this relative order
  // Node parameters that may be overridden with -D <node>.<param>=value.
  std::vector<std::pair<const char*, const char*>> overridable_params;
};

// Parses the command line (--help, --parallelism, -D, --metrics-interval ...), runs the job to
// completion and returns the process exit code: 0 finished, 1 failed, 2 usage error,
// 130/143 stopped by SIGINT/SIGTERM.
int RunJobMain(const JobSpec& spec, int argc, char** argv);

}  // namespace dfc::rt
