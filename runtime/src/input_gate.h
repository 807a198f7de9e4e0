// InputGate: the mailbox of one subtask (internal to the runtime; generated code reaches it only
// through PushToChannel / TakeRecycled in dfc/stream.h).
//
// A gate owns its input channels, one per (upstream subtask, incoming edge), each tagged with the
// input index (0 or 1) of its edge at the consumer. A channel is a bounded FIFO ring of at most
// `capacity` elements (kChannelCapacity by default) plus a recycle pool of emptied record buffers
// that the producer takes back, so the steady state does not allocate. The gate also holds a queue
// of mails: control actions posted by other threads and run on the consumer's thread.
//
// Threading model: exactly one consumer thread (the subtask's mailbox loop) calls Poll / Wait /
// Recycle; any number of producer threads call Push / TakeRecycled (in practice one producer per
// channel); any thread may call PostMail and Cancel. One mutex guards everything. Producers block
// on their channel's condition variable while it is full; the consumer blocks on its own condition
// variable. To keep lock traffic low, a producer notifies the consumer only when the consumer is
// waiting, and the consumer notifies a producer only when that producer waits for space; Poll also
// returns the previously processed buffer to its pool in the same critical section.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "dfc/metrics.h"
#include "dfc/stream.h"

namespace dfc::rt {

class InlineTask;

class InputGate {
 public:
  // `capacity`: elements per channel before Push blocks (the test harness uses an unbounded one).
  // `metrics` (optional): queued_buffers is kept up to date.
  explicit InputGate(size_t capacity = kChannelCapacity, TaskMetrics* metrics = nullptr);
  ~InputGate();
  InputGate(const InputGate&) = delete;
  InputGate& operator=(const InputGate&) = delete;

  // Wiring, before any thread runs: adds a channel fed by one upstream subtask and returns its
  // index.
  int AddChannel(int input);
  int num_channels() const { return static_cast<int>(channels_.size()); }
  int channel_input(int channel) const { return channels_[channel]->input; }

  // ---- runtime chaining (runtime/src/inline_task.h) ----
  // Wiring, before any thread runs: the gate's one channel is served on its producer's thread.
  // Push, TakeRecycled and EnsureEndOfInput then go to the attached InlineTask (the producer's
  // thread); PostMail queues the mail and calls `wake` (which makes that thread run RunMails).
  void ServeSynchronously(std::function<void()> wake);
  bool synchronous() const { return synchronous_; }
  // On the producer's thread, before the first push (nullptr: detach).
  void AttachInline(InlineTask* task) { inline_ = task; }
  // On the producer's thread: runs the mails posted so far.
  void RunMails();
  // The producer flushed: the attached consumer runs its OnIdle.
  void InlineIdle();

  // ---- producers ----
  // Appends `buffer` to `channel`, blocking while the channel is full. Returns false (and drops
  // the buffer) once the gate is cancelled. Blocked time is added to `*backpressured_ns`.
  // Throws std::logic_error when the channel already received kEndOfInput.
  bool Push(int channel, std::unique_ptr<BufferBase> buffer, std::atomic<int64_t>* backpressured_ns);
  // An emptied records buffer of `channel`, or nullptr.
  std::unique_ptr<BufferBase> TakeRecycled(int channel);
  // Appends kEndOfInput unless the channel already got one (the runtime's safety net after
  // Close()). Returns false when cancelled.
  bool EnsureEndOfInput(int channel);

  // ---- consumer ----
  // In one critical section: hands `recycle` (if any; an emptied records buffer) back to the pool
  // of `recycle_channel`, moves pending mails into `*mails`, and pops the next element round-robin
  // over the non-empty channels. Returns nullptr when no element is queued; never blocks.
  std::unique_ptr<BufferBase> Poll(int* channel, std::unique_ptr<BufferBase> recycle,
                                   int recycle_channel, std::vector<std::function<void()>>* mails);
  // Blocks until an element or a mail is queued, the gate is cancelled, or the steady clock
  // passes `deadline_ns` (steady_clock nanoseconds; < 0 = no deadline).
  void Wait(int64_t deadline_ns);
  // Returns an emptied records buffer to its channel's pool (outside of Poll).
  void Recycle(int channel, std::unique_ptr<BufferBase> buffer);
  // Barrier alignment: a blocked channel is skipped by Poll and does not wake Wait; its
  // producer fills it up to capacity and then blocks (backpressure), nothing is dropped.
  void SetBlocked(int channel, bool blocked);

  // ---- any thread ----
  void PostMail(std::function<void()> mail);
  // Wakes the consumer and every blocked producer; Push returns false from now on.
  void Cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  // Elements currently queued over all channels (for tests and metrics).
  int64_t queued() const;

 private:
  struct Channel {
    int input = 0;
    std::vector<std::unique_ptr<BufferBase>> ring;  // `capacity_` slots once bounded
    std::deque<std::unique_ptr<BufferBase>> overflow;  // only for the unbounded (harness) gate
    size_t head = 0, size = 0;
    std::vector<std::unique_ptr<BufferBase>> pool;  // recycled record buffers
    bool end_of_input = false;                      // kEndOfInput was pushed
    bool blocked = false;                           // aligning a barrier (consumer's choice)
    int producers_waiting = 0;
    std::condition_variable space;
  };

  // An element the consumer may take (on an unblocked channel) is queued.
  bool HasElementLocked() const;
  bool PushLocked(std::unique_lock<std::mutex>& lock, Channel& ch,
                  std::unique_ptr<BufferBase> buffer, std::atomic<int64_t>* backpressured_ns);
  void RecycleLocked(int channel, std::unique_ptr<BufferBase> buffer);

  const size_t capacity_;
  const bool bounded_;
  TaskMetrics* const metrics_;
  mutable std::mutex mu_;
  std::condition_variable consumer_cv_;
  bool consumer_waiting_ = false;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::vector<std::function<void()>> mails_;
  int64_t queued_ = 0;
  int num_blocked_ = 0;
  int next_channel_ = 0;  // round-robin cursor
  std::atomic<bool> cancelled_{false};
  bool synchronous_ = false;     // set while wiring, read-only afterwards
  std::function<void()> wake_;   // synchronous gates: set while wiring
  InlineTask* inline_ = nullptr; // synchronous gates: the producer's thread only
};

}  // namespace dfc::rt
