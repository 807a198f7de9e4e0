#include "runtime/src/input_gate.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

#include "runtime/src/inline_task.h"

namespace dfc::rt {
namespace {

int64_t SteadyNowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Buffers in circulation per channel: the ring, one being filled, one being processed.
constexpr size_t kMaxPooled = kChannelCapacity + 2;

}  // namespace

InputGate::InputGate(size_t capacity, TaskMetrics* metrics)
    : capacity_(capacity == 0 ? 1 : capacity),
      bounded_(capacity != 0 && capacity <= 4096),
      metrics_(metrics) {}

InputGate::~InputGate() = default;

int InputGate::AddChannel(int input) {
  std::lock_guard<std::mutex> lock(mu_);
  auto ch = std::make_unique<Channel>();
  ch->input = input;
  if (bounded_) ch->ring.resize(capacity_);
  ch->pool.reserve(kMaxPooled);
  channels_.push_back(std::move(ch));
  return static_cast<int>(channels_.size()) - 1;
}

bool InputGate::Push(int channel, std::unique_ptr<BufferBase> buffer,
                     std::atomic<int64_t>* backpressured_ns) {
  if (synchronous_) {
    if (inline_ == nullptr) throw std::logic_error("internal error: synchronous channel without its consumer");
    return inline_->Deliver(std::move(buffer));
  }
  std::unique_lock<std::mutex> lock(mu_);
  return PushLocked(lock, *channels_[channel], std::move(buffer), backpressured_ns);
}

bool InputGate::PushLocked(std::unique_lock<std::mutex>& lock, Channel& ch,
                           std::unique_ptr<BufferBase> buffer,
                           std::atomic<int64_t>* backpressured_ns) {
  if (cancelled_.load(std::memory_order_relaxed)) return false;
  if (ch.end_of_input) {
    throw std::logic_error("internal error: element pushed into a channel after its end of input");
  }
  if (bounded_ && ch.size == capacity_) {
    // Backpressure: wait for the consumer to make room. Only this wait is timed, so an
    // unblocked push costs no clock reads.
    const int64_t start = SteadyNowNanos();
    ++ch.producers_waiting;
    ch.space.wait(lock, [&] {
      return ch.size < capacity_ || cancelled_.load(std::memory_order_relaxed);
    });
    --ch.producers_waiting;
    if (backpressured_ns != nullptr) {
      backpressured_ns->fetch_add(SteadyNowNanos() - start, std::memory_order_relaxed);
    }
    if (cancelled_.load(std::memory_order_relaxed)) return false;
  }
  if (buffer->kind == ElementKind::kEndOfInput) ch.end_of_input = true;
  if (bounded_) {
    ch.ring[(ch.head + ch.size) % capacity_] = std::move(buffer);
  } else {
    ch.overflow.push_back(std::move(buffer));
  }
  ++ch.size;
  ++queued_;
  if (metrics_ != nullptr) metrics_->queued_buffers.store(queued_, std::memory_order_relaxed);
  if (consumer_waiting_) {
    consumer_waiting_ = false;
    consumer_cv_.notify_one();
  }
  return true;
}

bool InputGate::EnsureEndOfInput(int channel) {
  if (synchronous_) return inline_ == nullptr || inline_->EnsureEndOfInput();
  std::unique_lock<std::mutex> lock(mu_);
  Channel& ch = *channels_[channel];
  if (ch.end_of_input) return true;
  auto b = std::make_unique<BufferBase>();
  b->kind = ElementKind::kEndOfInput;
  return PushLocked(lock, ch, std::move(b), nullptr);
}

std::unique_ptr<BufferBase> InputGate::TakeRecycled(int channel) {
  if (synchronous_) return inline_ == nullptr ? nullptr : inline_->TakeSpare();
  std::lock_guard<std::mutex> lock(mu_);
  auto& pool = channels_[channel]->pool;
  if (pool.empty()) return nullptr;
  std::unique_ptr<BufferBase> b = std::move(pool.back());
  pool.pop_back();
  return b;
}

void InputGate::RecycleLocked(int channel, std::unique_ptr<BufferBase> buffer) {
  auto& pool = channels_[channel]->pool;
  if (pool.size() < kMaxPooled) pool.push_back(std::move(buffer));
  // else: dropped here; destroyed (with the spent records it keeps, see Buffer<T>::spent) when
  // `buffer` goes out of scope, still under the lock.
}

bool InputGate::HasElementLocked() const {
  if (num_blocked_ == 0) return queued_ > 0;
  for (const auto& ch : channels_)
    if (!ch->blocked && ch->size > 0) return true;
  return false;
}

void InputGate::SetBlocked(int channel, bool blocked) {
  std::lock_guard<std::mutex> lock(mu_);
  Channel& ch = *channels_[channel];
  if (ch.blocked == blocked) return;
  ch.blocked = blocked;
  num_blocked_ += blocked ? 1 : -1;
}

void InputGate::Recycle(int channel, std::unique_ptr<BufferBase> buffer) {
  std::lock_guard<std::mutex> lock(mu_);
  RecycleLocked(channel, std::move(buffer));
}

std::unique_ptr<BufferBase> InputGate::Poll(int* channel, std::unique_ptr<BufferBase> recycle,
                                            int recycle_channel,
                                            std::vector<std::function<void()>>* mails) {
  std::lock_guard<std::mutex> lock(mu_);
  if (recycle) RecycleLocked(recycle_channel, std::move(recycle));
  if (!mails_.empty()) {
    for (auto& m : mails_) mails->push_back(std::move(m));
    mails_.clear();
  }
  if (queued_ == 0) return nullptr;
  const int n = static_cast<int>(channels_.size());
  for (int k = 0; k < n; ++k) {
    const int c = (next_channel_ + k) % n;
    Channel& ch = *channels_[c];
    if (ch.size == 0 || ch.blocked) continue;
    std::unique_ptr<BufferBase> b;
    if (bounded_) {
      b = std::move(ch.ring[ch.head]);
      ch.head = (ch.head + 1) % capacity_;
    } else {
      b = std::move(ch.overflow.front());
      ch.overflow.pop_front();
    }
    --ch.size;
    --queued_;
    if (metrics_ != nullptr) metrics_->queued_buffers.store(queued_, std::memory_order_relaxed);
    if (ch.producers_waiting > 0) ch.space.notify_one();
    next_channel_ = (c + 1) % n;
    *channel = c;
    return b;
  }
  return nullptr;  // every non-empty channel is blocked (barrier alignment)
}

void InputGate::Wait(int64_t deadline_ns) {
  std::unique_lock<std::mutex> lock(mu_);
  auto ready = [&] {
    return HasElementLocked() || !mails_.empty() || cancelled_.load(std::memory_order_relaxed);
  };
  const auto deadline =
      std::chrono::steady_clock::time_point(std::chrono::nanoseconds(deadline_ns));
  // The flag is re-armed before every wait: producers clear it when they notify, so a spurious
  // wake-up followed by another wait must announce itself again.
  while (!ready()) {
    consumer_waiting_ = true;
    if (deadline_ns < 0) {
      consumer_cv_.wait(lock);
    } else if (consumer_cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      break;
    }
  }
  consumer_waiting_ = false;
}

void InputGate::PostMail(std::function<void()> mail) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    mails_.push_back(std::move(mail));
    if (consumer_waiting_) {
      consumer_waiting_ = false;
      consumer_cv_.notify_one();
    }
  }
  if (synchronous_ && wake_) wake_();
}

void InputGate::ServeSynchronously(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(mu_);
  synchronous_ = true;
  wake_ = std::move(wake);
}

void InputGate::RunMails() {
  std::vector<std::function<void()>> mails;
  {
    std::lock_guard<std::mutex> lock(mu_);
    mails.swap(mails_);
  }
  for (auto& m : mails) m();
}

void InputGate::InlineIdle() {
  if (synchronous_ && inline_ != nullptr) inline_->Idle();
}

void InputGate::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_.store(true, std::memory_order_release);
  consumer_cv_.notify_all();
  for (auto& ch : channels_) ch->space.notify_all();
}

int64_t InputGate::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_;
}

bool PushToChannel(const ChannelRef& ch, std::unique_ptr<BufferBase> buffer,
                   std::atomic<int64_t>* backpressured_ns) {
  return ch.gate->Push(ch.channel, std::move(buffer), backpressured_ns);
}

bool IsSynchronous(const ChannelRef& ch) { return ch.gate->synchronous(); }

void ChannelIdle(const ChannelRef& ch) { ch.gate->InlineIdle(); }

std::unique_ptr<BufferBase> TakeRecycled(const ChannelRef& ch) {
  return ch.gate->TakeRecycled(ch.channel);
}

}  // namespace dfc::rt
