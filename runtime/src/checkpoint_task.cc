// The subtask side of checkpoints (TaskContext's checkpoint methods, declared in dfc/task.h).
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dfc/state.h"
#include "dfc/task.h"
#include "runtime/src/checkpoint_coordinator.h"
#include "runtime/src/job_runtime.h"

namespace dfc::rt {

// The thread that writes a subtask's keyed state after the barrier (Flink's asynchronous part of
// a checkpoint): the task thread only captures the state (KeyedStateBackend::CaptureSnapshot,
// copy-on-write for hashmap states) and goes on; this thread serializes it and then acknowledges
// to the coordinator. One at a time per subtask. A backend that goes away while its snapshot is
// written cancels it and waits (~KeyedStateBackend); then nothing is acknowledged, and the
// snapshots are marked done only after the acknowledgement, so the coordinator (which outlives
// every task) is never called after a task is gone.
class AsyncSnapshots {
 public:
  ~AsyncSnapshots() { Join(); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  void Start(CheckpointCoordinator* coordinator, int vertex, int subtask, int64_t id, SnapshotWriter w,
             std::vector<std::unique_ptr<KeyedStateSnapshot>> snaps) {
    thread_ = std::thread([coordinator, vertex, subtask, id, w = std::move(w), snaps = std::move(snaps)]() mutable {
      bool ok = true;
      try {
        for (auto& s : snaps) {
          if (!ok) s->Cancel();  // still run: it releases its copy-on-write entries
          ok = s->Write(&w) && ok;
        }
      } catch (...) {
        ok = false;  // e.g. out of memory: the checkpoint is never acknowledged and times out
      }
      for (auto& s : snaps) ok = ok && !s->cancelled();
      if (ok) coordinator->Acknowledge(vertex, subtask, id, std::move(w));
      for (auto& s : snaps) s->MarkDone();
    });
  }

 private:
  std::thread thread_;
};

void TaskContext::HandleControl() {
  // Consumers served on this thread (runtime chaining): their checkpoint notifications.
  if (serve_inline_) serve_inline_();
  // Acquire pairs with the coordinator's release store of the flag, made after the ids.
  if (!control_pending_.exchange(false, std::memory_order_acq_rel)) return;
  const int64_t trigger = trigger_id_.load(std::memory_order_acquire);
  if (trigger > handled_trigger_) {
    handled_trigger_ = trigger;
    PerformCheckpoint(trigger);
  }
  const int64_t complete = complete_id_.load(std::memory_order_acquire);
  if (complete > handled_complete_.load(std::memory_order_relaxed)) {
    task_->NotifyCheckpointComplete(complete);
    handled_complete_.store(complete, std::memory_order_release);
  }
}

void TaskContext::PerformCheckpoint(int64_t id) {
  // Drain (a source, at the barrier of a stop-with-savepoint with drain): the maximum watermark
  // goes out first, so every event-time window and timer downstream fires before the barrier and
  // its results are in the savepoint's committed output.
  if (id == drain_id_.load(std::memory_order_acquire)) {
    task_->DrainForStop();
    draining_ = true;
  }
  // The barrier goes first so downstream can start aligning while this subtask snapshots; both
  // happen between the same two records.
  task_->BroadcastBarrier(id);
  SnapshotWriter w(id);
  task_->SnapshotState(w);
  // Keyed state (dfc/state.h): one blob per key group of each backend's range, captured here and
  // written on the snapshot thread.
  if (!async_snapshots_) async_snapshots_ = std::make_shared<AsyncSnapshots>();
  async_snapshots_->Join();  // the previous one (long done unless its checkpoint was aborted)
  std::vector<std::unique_ptr<KeyedStateSnapshot>> snaps;
  for (const auto& [uid, backend] : keyed_backends_) snaps.push_back(backend->CaptureSnapshot());
  if (coordinator_ != nullptr && !snaps.empty()) {
    async_snapshots_->Start(coordinator_, vertex_, subtask_, id, std::move(w), std::move(snaps));
    return;
  }
  for (auto& s : snaps) {
    s->Write(&w);
    s->MarkDone();
  }
  if (coordinator_ != nullptr) {
    coordinator_->Acknowledge(vertex_, subtask_, id, std::move(w));
  } else {
    snapshot_ = std::move(w);
  }
}

void TaskContext::RestoreKeyedState() {
  if (!restored_.restored()) return;
  for (const auto& [uid, backend] : keyed_backends_) {
    const KeyGroupRange range = backend->range();
    for (int kg = range.start; kg <= range.end; ++kg) {
      const std::string_view bytes = restored_.KeyGroup(uid, kg);
      if (bytes.empty()) continue;
      try {
        backend->RestoreKeyGroup(kg, bytes);
      } catch (const std::exception& e) {
        throw StateError("cannot restore the keyed state of operator uid '" + uid + "' (key group " +
                         std::to_string(kg) + "): " + e.what());
      }
    }
  }
}

void TaskContext::WaitWhileDraining() {
  while (!cancelled()) {
    if (control_pending()) HandleControl();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void TaskContext::AwaitSourcesFinished() {
  if (!checkpointing_ || runtime_ == nullptr) return;
  runtime_->SourceSubtaskDone();
  while (!cancelled() && runtime_->source_subtasks_running() > 0) {
    if (control_pending()) HandleControl();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace dfc::rt
