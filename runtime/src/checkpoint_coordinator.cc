#include "runtime/src/checkpoint_coordinator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <utility>

#include "runtime/src/input_gate.h"
#include "runtime/src/job_runtime.h"

namespace dfc::rt {

std::string ParseCheckpointConfig(const JobConfig& config, const std::string& job_name,
                                  CheckpointConfig* out) {
  CheckpointConfig c;
  auto duration = [&](const char* key, int64_t* ns) -> std::string {
    if (!config.Has(key)) return "";
    const std::string v = config.Get(key, "");
    if (!ParseDuration(v, ns)) return std::string(key) + " must be a duration such as '10 s', got '" + v + "'";
    return "";
  };
  if (config.Has("execution.checkpointing.interval")) {
    if (auto e = duration("execution.checkpointing.interval", &c.interval_ns); !e.empty()) return e;
    if (c.interval_ns < 10'000'000) {
      return "execution.checkpointing.interval must be at least 10 ms, got '" +
             config.Get("execution.checkpointing.interval", "") + "'";
    }
    c.periodic = true;
  }
  const std::string mode = config.Get("execution.checkpointing.mode", "EXACTLY_ONCE");
  if (mode == "EXACTLY_ONCE") {
    c.exactly_once = true;
  } else if (mode == "AT_LEAST_ONCE") {
    c.exactly_once = false;
  } else {
    return "execution.checkpointing.mode must be EXACTLY_ONCE or AT_LEAST_ONCE, got '" + mode + "'";
  }
  if (auto e = duration("execution.checkpointing.timeout", &c.timeout_ns); !e.empty()) return e;
  if (auto e = duration("execution.checkpointing.min-pause", &c.min_pause_ns); !e.empty()) return e;
  c.dir = config.Get("execution.checkpointing.dir", config.Get("state.checkpoints.dir", ""));
  if (c.dir.empty()) c.dir = "checkpoints/" + job_name;
  // Flink's file:// URIs are accepted for local paths.
  if (c.dir.rfind("file://", 0) == 0) c.dir = c.dir.substr(7);
  c.savepoint_dir = config.Get("state.savepoints.dir", "savepoints/" + job_name);
  if (c.savepoint_dir.rfind("file://", 0) == 0) c.savepoint_dir = c.savepoint_dir.substr(7);
  auto positive = [&](const char* key, int* v, int min) -> std::string {
    const std::string s = config.Get(key, "");
    if (s.empty()) return "";
    char* end = nullptr;
    const long x = std::strtol(s.c_str(), &end, 10);
    if (*end != '\0' || x < min || x > 1'000'000) {
      return std::string(key) + " must be an integer >= " + std::to_string(min) + ", got '" + s + "'";
    }
    *v = static_cast<int>(x);
    return "";
  };
  if (config.Has("state.checkpoints.num-retained")) {
    if (auto e = positive("state.checkpoints.num-retained", &c.retained, 1); !e.empty()) return e;
  }
  if (auto e = positive("execution.checkpointing.num-retained", &c.retained, 1); !e.empty()) return e;
  // At least two complete checkpoints are kept, so a corrupt latest one can fall back.
  c.retained = std::max(c.retained, 2);
  if (auto e = positive("execution.checkpointing.tolerable-failed-checkpoints", &c.tolerable_failures, 0);
      !e.empty()) {
    return e;
  }
  *out = std::move(c);
  return "";
}

CheckpointCoordinator::CheckpointCoordinator(
    const CheckpointConfig& config, std::string job_name, int max_parallelism,
    std::vector<std::vector<TaskContext*>> subtasks, std::vector<TaskContext*> sources,
    std::vector<std::string> uids, int64_t next_id, CheckpointStats* stats, std::mutex* stats_mu,
    std::ostream& log, std::function<void(const std::string&)> fail_job,
    std::function<void()> on_savepoint_stop)
    : config_(config),
      job_name_(std::move(job_name)),
      max_parallelism_(max_parallelism),
      subtasks_(std::move(subtasks)),
      sources_(std::move(sources)),
      uids_(std::move(uids)),
      stats_(stats),
      stats_mu_(stats_mu),
      log_(log),
      fail_job_(std::move(fail_job)),
      on_savepoint_stop_(std::move(on_savepoint_stop)),
      next_id_(next_id) {
  for (const auto& v : subtasks_) total_subtasks_ += static_cast<int>(v.size());
}

CheckpointCoordinator::~CheckpointCoordinator() { Stop(); }

int64_t CheckpointCoordinator::NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void CheckpointCoordinator::Start() { thread_ = std::thread([this] { Loop(); }); }

void CheckpointCoordinator::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CheckpointCoordinator::Acknowledge(int vertex, int subtask, int64_t id,
                                        SnapshotWriter snapshot) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    acks_.push_back(Ack{vertex, subtask, id, std::move(snapshot)});
  }
  cv_.notify_all();
}

void CheckpointCoordinator::SubtaskFinished() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_task_ = true;
  }
  cv_.notify_all();
}

int64_t CheckpointCoordinator::TriggerSavepoint(const std::string& target, bool stop, bool drain) {
  int64_t r;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Request ids are unique in the process, across restarts.
    static std::atomic<int64_t> next_request{1};
    r = next_request.fetch_add(1);
    savepoints_[r] = SavepointStatus();
    savepoint_requests_.push_back(SavepointRequest{r, target, stop || drain, drain});
  }
  cv_.notify_all();
  return r;
}

SavepointStatus CheckpointCoordinator::SavepointStatusOf(int64_t request) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = savepoints_.find(request);
  if (it == savepoints_.end()) {
    SavepointStatus s;
    s.state = SavepointStatus::kFailed;
    s.failure = "unknown savepoint request " + std::to_string(request);
    return s;
  }
  return it->second;
}

int64_t CheckpointCoordinator::next_id() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_id_;
}

std::string CheckpointCoordinator::latest_completed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

void CheckpointCoordinator::SetKnownValid(std::vector<std::pair<int64_t, std::string>> valid) {
  std::lock_guard<std::mutex> lock(mu_);
  valid_ = std::move(valid);
}

void CheckpointCoordinator::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  int64_t next_trigger = NowNs() + config_.interval_ns;
  while (!stop_) {
    // Acknowledgements: written by this thread, outside the lock (pending_ is only ever
    // replaced by this thread).
    while (!acks_.empty()) {
      Ack a = std::move(acks_.front());
      acks_.pop_front();
      if (!pending_ || a.id != pending_->id) continue;  // of an aborted checkpoint
      if (pending_->error.empty()) {
        lock.unlock();
        std::string e = pending_->writer->AddSubtask(a.vertex, a.subtask, a.snapshot);
        lock.lock();
        if (!e.empty()) pending_->error = e;
      }
      ++pending_->acks;
    }
    if (pending_) {
      if (!pending_->error.empty()) {
        FailPending(lock, pending_->error, /*count=*/true);
      } else if (pending_->acks == total_subtasks_) {
        FinishPending(lock);
        next_trigger = std::max(next_trigger, last_end_ns_ + config_.min_pause_ns);
      } else if (finished_task_) {
        FailPending(lock, "a task finished before it could take part", /*count=*/false);
      } else if (NowNs() - pending_->start_ns > config_.timeout_ns) {
        FailPending(lock, "timed out (execution.checkpointing.timeout)", /*count=*/true);
      }
    }
    if (stop_) break;
    if (!pending_) {
      if (!savepoint_requests_.empty()) {
        SavepointRequest req = savepoint_requests_.front();
        savepoint_requests_.pop_front();
        if (finished_task_) {
          savepoints_[req.request].state = SavepointStatus::kFailed;
          savepoints_[req.request].failure = "the job is finishing: tasks have already ended";
        } else {
          TriggerLocked(lock, /*savepoint=*/true, &req);
        }
      } else if (config_.periodic && !finished_task_) {
        const int64_t now = NowNs();
        if (now >= next_trigger && now - last_end_ns_ >= config_.min_pause_ns) {
          next_trigger = now + config_.interval_ns;
          TriggerLocked(lock, /*savepoint=*/false, nullptr);
        }
      }
    }
    // Wake for acks and requests (notified), the next trigger, or the timeout check.
    int64_t wait_ns = 50'000'000;
    if (config_.periodic && !pending_) wait_ns = std::min(wait_ns, std::max<int64_t>(next_trigger - NowNs(), 0));
    if (acks_.empty() && !stop_) {
      cv_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(wait_ns, 1'000'000)));
    }
  }
  if (pending_) FailPending(lock, "the job stopped", /*count=*/false);
  for (auto& req : savepoint_requests_) {
    savepoints_[req.request].state = SavepointStatus::kFailed;
    savepoints_[req.request].failure = "the job stopped";
  }
  savepoint_requests_.clear();
}

void CheckpointCoordinator::TriggerLocked(std::unique_lock<std::mutex>& lock, bool savepoint,
                                          const SavepointRequest* req) {
  auto p = std::make_unique<Pending>();
  p->id = next_id_++;
  p->start_ns = NowNs();
  p->savepoint = savepoint;
  std::string dir;
  if (savepoint) {
    p->stop = req->stop;
    p->request = req->request;
    dir = req->target.empty() ? config_.savepoint_dir + "/savepoint-" + std::to_string(p->id)
                              : req->target;
  } else {
    dir = config_.dir + "/chk-" + std::to_string(p->id);
  }
  p->writer = std::make_unique<CheckpointWriter>(dir);
  pending_ = std::move(p);
  lock.unlock();
  std::string e = pending_->writer->Begin();
  lock.lock();
  if (!e.empty()) {
    pending_->error = e;
    return;
  }
  const bool drain = savepoint && req->drain;
  for (TaskContext* s : sources_) {
    if (drain) s->drain_id_.store(pending_->id, std::memory_order_release);
    s->trigger_id_.store(pending_->id, std::memory_order_release);
    s->control_pending_.store(true, std::memory_order_release);
  }
}

void CheckpointCoordinator::FailPending(std::unique_lock<std::mutex>& lock, const std::string& why,
                                        bool count) {
  std::unique_ptr<Pending> p = std::move(pending_);
  last_end_ns_ = NowNs();
  const std::string what = std::string(p->savepoint ? "savepoint " : "checkpoint ") +
                           std::to_string(p->id);
  lock.unlock();
  // A failed checkpoint leaves nothing that could pass for one (its manifest was never written,
  // but the directory goes too).
  DeleteCheckpoint(p->writer->dir());
  lock.lock();
  if (p->savepoint) {
    savepoints_[p->request].state = SavepointStatus::kFailed;
    savepoints_[p->request].failure = why;
  }
  if (!count) {
    std::lock_guard<std::mutex> s(*stats_mu_);
    ++stats_->aborted;
    return;
  }
  {
    std::lock_guard<std::mutex> s(*stats_mu_);
    ++stats_->failed;
  }
  log_ << "dfc: job '" << job_name_ << "': " << what << " failed: " << why << "\n";
  log_.flush();
  if (!p->savepoint && ++consecutive_failures_ > config_.tolerable_failures) {
    stop_ = true;  // no further checkpoints in this attempt
    lock.unlock();
    fail_job_(what + " failed: " + why +
              " (execution.checkpointing.tolerable-failed-checkpoints is " +
              std::to_string(config_.tolerable_failures) + ")");
    lock.lock();
  }
}

void CheckpointCoordinator::FinishPending(std::unique_lock<std::mutex>& lock) {
  Pending& p = *pending_;
  CheckpointInfo info;
  info.id = p.id;
  info.savepoint = p.savepoint;
  info.job_name = job_name_;
  info.max_parallelism = max_parallelism_;
  info.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  info.uids = uids_;
  lock.unlock();
  std::string e = p.writer->Finish(info);
  lock.lock();
  if (!e.empty()) {
    FailPending(lock, e, /*count=*/true);
    return;
  }
  std::unique_ptr<Pending> done = std::move(pending_);
  last_end_ns_ = NowNs();
  consecutive_failures_ = 0;
  {
    std::lock_guard<std::mutex> s(*stats_mu_);
    if (!done->savepoint) ++stats_->completed;
    stats_->last_id = done->id;
    stats_->last_duration_ms = (last_end_ns_ - done->start_ns) / 1'000'000;
    stats_->last_size = done->writer->size_bytes();
    stats_->last_path = done->writer->dir();
  }
  // Complete: every subtask may now publish what it staged for this checkpoint.
  for (const auto& v : subtasks_) {
    for (TaskContext* c : v) {
      int64_t prev = c->complete_id_.load(std::memory_order_relaxed);
      while (prev < done->id &&
             !c->complete_id_.compare_exchange_weak(prev, done->id, std::memory_order_release)) {
      }
      c->control_pending_.store(true, std::memory_order_release);
      if (c->input_gate_ != nullptr) c->input_gate_->PostMail([c] { c->HandleControl(); });
    }
  }
  if (done->savepoint) {
    savepoints_[done->request].state = SavepointStatus::kCompleted;
    savepoints_[done->request].location = done->writer->dir();
    if (done->stop) {
      stop_ = true;
      lock.unlock();
      // Let every subtask publish what the savepoint staged before the job is cancelled (a
      // resume from the savepoint would re-commit it anyway).
      const int64_t deadline = NowNs() + 5'000'000'000;
      for (const auto& v : subtasks_)
        for (TaskContext* c : v)
          while (c->handled_complete_.load(std::memory_order_acquire) < done->id && NowNs() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
      on_savepoint_stop_();
      lock.lock();
    }
    return;
  }
  latest_ = done->writer->dir();
  valid_.emplace_back(done->id, done->writer->dir());
  lock.unlock();
  ApplyRetention(done->id, done->writer->dir());
  lock.lock();
}

void CheckpointCoordinator::ApplyRetention(int64_t completed_id, const std::string& completed_dir) {
  // Keep the newest `retained` known-valid checkpoints; delete every other chk-* below the one
  // just completed (older checkpoints, and failed or corrupt leftovers).
  std::vector<std::pair<int64_t, std::string>> keep;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::sort(valid_.begin(), valid_.end());
    while (static_cast<int>(valid_.size()) > config_.retained) valid_.erase(valid_.begin());
    keep = valid_;
  }
  for (const auto& [id, dir] : ListCheckpoints(config_.dir)) {
    if (id >= completed_id) continue;
    bool kept = false;
    for (const auto& k : keep) kept |= k.first == id;
    if (!kept && !SameCheckpointDir(dir, protected_dir_)) DeleteCheckpoint(dir);
  }
  (void)completed_dir;
}

}  // namespace dfc::rt
