// The checkpoint coordinator of a job executable (Flink's CheckpointCoordinator, in-process):
// triggers checkpoints at the sources every execution.checkpointing.interval, collects the
// acknowledgements (each carrying one subtask's snapshot), writes them through CheckpointWriter,
// commits the checkpoint by writing its manifest, notifies every subtask that it is complete
// (transactional sinks publish then), and applies retention. Savepoints are the same protocol
// written into a directory of the user's choice, outside retention.
//
// Protocol per checkpoint n (one at a time, ids increasing, never reused across restarts):
//   trigger      sources get n and emit barrier n between two records (TaskContext::HandleControl);
//   align        operators align barrier n over their input channels (exactly-once) or just
//                wait for it on all channels (at-least-once), then snapshot and forward it;
//   acknowledge  each subtask hands its snapshot to the coordinator, whose I/O thread writes and
//                fsyncs the subtask's state file;
//   complete     when every subtask acknowledged: manifest (temp, fsync, rename, fsync dir), then
//                complete_id is published to every subtask, then older checkpoints beyond the
//                retained number are deleted.
// A checkpoint fails on an I/O error or timeout (counted; more than
// execution.checkpointing.tolerable-failed-checkpoints consecutive failures fail the job) and is
// aborted (not counted) when a subtask finishes, since barriers cannot pass finished tasks.
//
// Threading: one coordinator thread does the triggering and all checkpoint I/O; subtask threads
// call Acknowledge / SubtaskFinished; any thread may call TriggerSavepoint and read Stats.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "dfc/task.h"
#include "runtime/src/checkpoint_storage.h"

namespace dfc::rt {

class JobConfig;

// execution.checkpointing.* and friends, resolved.
struct CheckpointConfig {
  bool periodic = false;         // execution.checkpointing.interval is set
  int64_t interval_ns = 0;
  bool exactly_once = true;      // execution.checkpointing.mode
  int64_t timeout_ns = 600'000'000'000;  // 10 min (Flink's default)
  int64_t min_pause_ns = 0;
  std::string dir;               // execution.checkpointing.dir; default ./checkpoints/<job>
  int retained = 2;              // execution.checkpointing.num-retained, at least 2 kept
  int tolerable_failures = 0;    // execution.checkpointing.tolerable-failed-checkpoints
  std::string savepoint_dir;     // state.savepoints.dir; default ./savepoints/<job>
};
// Reads the keys from `config`. Returns "" or the error (naming the key).
std::string ParseCheckpointConfig(const JobConfig& config, const std::string& job_name,
                                  CheckpointConfig* out);

// What the end-of-job summary and REST report.
struct CheckpointStats {
  int64_t completed = 0;        // numberOfCompletedCheckpoints
  int64_t failed = 0;           // numberOfFailedCheckpoints
  int64_t aborted = 0;          // aborted because a task finished (not failures)
  int64_t last_id = 0;
  int64_t last_duration_ms = 0;  // lastCheckpointDuration
  int64_t last_size = 0;         // lastCheckpointSize (bytes)
  std::string last_path;
  int64_t restored_id = 0;       // lastCheckpointRestore...
  std::string restored_path;
  int64_t restore_duration_ms = 0;
};

// A savepoint request's status (REST: /jobs/<id>/savepoints/<trigger-id>).
struct SavepointStatus {
  enum State { kInProgress, kCompleted, kFailed } state = kInProgress;
  std::string location;  // the savepoint directory when completed
  std::string failure;
};

class CheckpointCoordinator {
 public:
  // `subtasks[v][s]`: every subtask's context; `sources`: those whose chain starts with a source.
  // `next_id`: the first id to use. `fail_job` is called (from the coordinator thread) when
  // failures exceed the tolerable number; `on_savepoint_stop` after a stop-with-savepoint
  // completed.
  CheckpointCoordinator(const CheckpointConfig& config, std::string job_name, int max_parallelism,
                        std::vector<std::vector<TaskContext*>> subtasks,
                        std::vector<TaskContext*> sources, std::vector<std::string> uids,
                        int64_t next_id, CheckpointStats* stats, std::mutex* stats_mu,
                        std::ostream& log, std::function<void(const std::string&)> fail_job,
                        std::function<void()> on_savepoint_stop);
  ~CheckpointCoordinator();

  // Starts / stops the coordinator thread. Stop() aborts a checkpoint in flight.
  void Start();
  void Stop();

  // ---- subtask threads ----
  void Acknowledge(int vertex, int subtask, int64_t id, SnapshotWriter snapshot);
  void SubtaskFinished();

  // ---- any thread ----
  // Requests a savepoint into `target` (empty: state.savepoints.dir/savepoint-<id>); with `stop`,
  // the job is cancelled once it completed. Returns the request id (for SavepointStatusOf).
  // With `drain` (implies stop) the sources emit the maximum watermark before the barrier.
  int64_t TriggerSavepoint(const std::string& target, bool stop, bool drain = false);
  SavepointStatus SavepointStatusOf(int64_t request) const;
  std::map<int64_t, SavepointStatus> AllSavepoints() const {
    std::lock_guard<std::mutex> lock(mu_);
    return savepoints_;
  }
  // The id the next checkpoint will get (after Stop(): to continue numbering on restart).
  int64_t next_id() const;
  // The latest checkpoint completed by this coordinator ("" = none).
  std::string latest_completed() const;
  // Checkpoints known to be valid, oldest first (retention keeps the newest `retained`).
  void SetKnownValid(std::vector<std::pair<int64_t, std::string>> valid);
  // A checkpoint directory retention must never delete: the one the job was explicitly started
  // from (--from-checkpoint DIR / --from-savepoint DIR; Flink's default NO_CLAIM restore mode).
  void SetProtected(std::string dir) { protected_dir_ = std::move(dir); }

 private:
  std::string protected_dir_;  // see SetProtected; "" = none
  struct Pending {
    int64_t id = 0;
    int64_t start_ns = 0;
    bool savepoint = false;
    bool stop = false;
    int64_t request = 0;  // savepoint request id
    std::unique_ptr<CheckpointWriter> writer;
    int acks = 0;
    std::string error;
  };
  struct Ack {
    int vertex, subtask;
    int64_t id;
    SnapshotWriter snapshot;
  };
  struct SavepointRequest {
    int64_t request;
    std::string target;
    bool stop;
    bool drain;
  };

  void Loop();
  void TriggerLocked(std::unique_lock<std::mutex>& lock, bool savepoint, const SavepointRequest* req);
  void FinishPending(std::unique_lock<std::mutex>& lock);
  void FailPending(std::unique_lock<std::mutex>& lock, const std::string& why, bool count);
  void ApplyRetention(int64_t completed_id, const std::string& completed_dir);
  static int64_t NowNs();

  const CheckpointConfig config_;
  const std::string job_name_;
  const int max_parallelism_;
  const std::vector<std::vector<TaskContext*>> subtasks_;
  const std::vector<TaskContext*> sources_;
  const std::vector<std::string> uids_;
  int total_subtasks_ = 0;
  CheckpointStats* stats_;
  std::mutex* stats_mu_;
  std::ostream& log_;
  std::function<void(const std::string&)> fail_job_;
  std::function<void()> on_savepoint_stop_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool finished_task_ = false;
  int64_t next_id_;
  int64_t last_end_ns_ = 0;
  int consecutive_failures_ = 0;
  std::unique_ptr<Pending> pending_;
  std::deque<Ack> acks_;
  std::deque<SavepointRequest> savepoint_requests_;
  std::map<int64_t, SavepointStatus> savepoints_;
  std::vector<std::pair<int64_t, std::string>> valid_;  // known-valid checkpoints, oldest first
  std::string latest_;
  std::thread thread_;
};

}  // namespace dfc::rt
