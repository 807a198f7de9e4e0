// Stream elements and the data path between subtasks.
//
// Threading model
// ---------------
// Every subtask runs on its own thread (its "slot"), driven by a mailbox loop
// (dfc::rt::OperatorTask::Run): records, watermarks, end-of-input markers, timers and control
// actions ("mails") all execute on that thread. Other threads only enqueue: producers push
// Buffers into the subtask's InputGate, the job master posts mails. A subtask's operator state is
// therefore never shared and needs no locks.
//
// Data path
// ---------
// Records travel in Buffers (a vector of up to kBufferRecords records) through bounded
// channels: one channel per (upstream subtask, downstream subtask) pair of an edge, each holding at
// most kChannelCapacity buffers. A producer whose channel is full blocks (that is backpressure; it
// propagates hop by hop to the sources); nothing is dropped, and a channel is FIFO. A writer
// flushes its pending buffer when it is full, when the writer's subtask runs out of input (so
// latency stays low at low rates), and at the latest after execution.buffer-timeout.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace dfc::rt {

inline constexpr int64_t kMinWatermark = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMaxWatermark = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kNoTimestamp = std::numeric_limits<int64_t>::min();
inline constexpr size_t kBufferRecords = 1024;  // records per buffer before a flush
inline constexpr size_t kChannelCapacity = 8;   // buffers in flight per channel

// A record with its event timestamp (kNoTimestamp when it has none).
template <class T>
struct Record {
  T value;
  int64_t ts;
};

enum class ElementKind : uint8_t {
  kRecords,     // a batch of records
  kWatermark,   // value = watermark
  kBarrier,     // value = checkpoint id
  kEndOfInput,  // the producing subtask has finished
  kWatermarkStatus,  // value = 1: the producer is idle (holds no watermark back), 0: active again
};

// What travels through a channel. Typed record storage lives in Buffer<T>.
struct BufferBase {
  ElementKind kind = ElementKind::kRecords;
  int64_t value = 0;
  virtual ~BufferBase() = default;
  // Empties the buffer before it goes back to its channel's recycle pool. Called by the runtime on
  // the consumer's thread. Buffer<T> keeps the processed records aside (see `spent`).
  virtual void ClearRecords() {}
  // Number of records held (0 for control elements). For tests and diagnostics.
  virtual size_t num_records() const { return 0; }
};

// All buffers of one channel are Buffer<T> of the same T (one channel belongs to one edge).
template <class T>
struct Buffer final : BufferBase {
  std::vector<Record<T>> records;
  // The records the consumer is done with (moved-from or not), kept by ClearRecords() so that the
  // producer's RecordWriter, taking the buffer back, assigns over them: a string column then reuses
  // its heap storage instead of allocating per record (and the consumer freeing it).
  std::vector<Record<T>> spent;
  void ClearRecords() override {
    spent.swap(records);
    records.clear();
  }
  size_t num_records() const override { return records.size(); }
};

class InputGate;

// One outgoing channel: a target gate and the channel index inside it.
struct ChannelRef {
  InputGate* gate;
  int channel;
};

// Pushes `buffer` into a channel, blocking while it is full. Returns false (and deletes the
// buffer) when the job is being cancelled. Accounts the blocked time as backpressure.
bool PushToChannel(const ChannelRef& ch, std::unique_ptr<BufferBase> buffer,
                   std::atomic<int64_t>* backpressured_ns);

// Runtime chaining (pipeline.synchronous-exchange, runtime/src/inline_task.h): when a consumer's
// only input channel is the producer's only channel on that edge (1 -> 1), the consumer's chain
// runs on the producer's thread: PushToChannel processes the buffer before it returns, in the
// same order of records, watermarks, barriers and end of input as a threaded channel would.
bool IsSynchronous(const ChannelRef& ch);
// A synchronous channel's producer flushed (it has nothing more for now): the consumer runs its
// OnIdle (flushes its own writers). No-op for other channels.
void ChannelIdle(const ChannelRef& ch);

// An empty records buffer that the consumer of `ch` has handed back (its vector keeps its
// capacity), or nullptr when none is waiting. Keeps the steady state free of allocations.
std::unique_ptr<BufferBase> TakeRecycled(const ChannelRef& ch);

}  // namespace dfc::rt
