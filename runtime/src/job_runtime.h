// JobRuntime: the in-process application cluster of one job executable (internal to the runtime).
// It resolves parallelism and slots, wires the subtasks' input gates per EdgeSpec, runs one thread
// per subtask (Open -> Run -> Close), handles failure and cancellation, and reports metrics.
// RunJobMain (dfc/task.h) = ParseCommandLine + JobRuntime + a signal thread.
//
// Threading model: Run() is called on the "JobMaster" thread (main); it starts one thread per
// subtask and then only waits, printing the metrics table every --metrics-interval. Cancel() may
// be called from any thread (a failing task, the signal thread, a test). Subtask threads touch the
// runtime only through Fail()/Cancel()/their TaskContext and the atomic metrics.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "dfc/clock.h"
#include "dfc/metrics.h"
#include "dfc/task.h"
#include "runtime/src/checkpoint_coordinator.h"
#include "runtime/src/input_gate.h"
#include "runtime/src/restart_strategy.h"

namespace dfc::rt {

// The parsed command line of a job executable.
struct RunOptions {
  bool help = false;
  bool verbose = false;        // -v: print the per-operator table at the end
  int parallelism = 0;         // --parallelism N; 0 = not given
  double metrics_interval_s = 0;  // --metrics-interval S; 0 = off
  std::vector<std::pair<std::string, std::string>> config;  // -D key=value (config keys)
  std::map<std::string, std::string> params;                // -D node.param=value
  // Restore (docs/CHECKPOINTS.md): --from-checkpoint PATH|latest|none, --from-savepoint PATH.
  std::string from_checkpoint;
  std::string from_savepoint;
  bool allow_non_restored_state = false;  // --allow-non-restored-state
};

// Parses argv (argv[0] is the program). Returns an empty string on success, else the usage error
// (without the "dfc: " prefix).
std::string ParseCommandLine(const JobSpec& spec, int argc, char** argv, RunOptions* options);
// The --help text.
std::string UsageText(const JobSpec& spec, const char* argv0);

// Parses a Flink duration ("100 ms", "100ms", "1 s", "2 min", "0"; a bare number is
// milliseconds) into nanoseconds. Returns false when malformed.
bool ParseDuration(std::string_view text, int64_t* nanos);

// The job's configuration: `config` of the JobSpec overridden by -D key=value, and the node
// parameter overrides. Immutable once built; read concurrently by every subtask.
class JobConfig {
 public:
  JobConfig(const JobSpec& spec, const RunOptions& options);
  // The value of `key`, or `def` when not set.
  std::string Get(std::string_view key, std::string_view def) const;
  bool Has(std::string_view key) const;
  // The -D override of `node`.`param`, or `def`.
  std::string Param(std::string_view node, std::string_view param, std::string_view def) const;

 private:
  std::map<std::string, std::string, std::less<>> config_;
  std::map<std::string, std::string, std::less<>> params_;  // "node.param" -> value
};

class JobRuntime {
 public:
  // `err` receives the summary, the metrics tables and failure messages.
  JobRuntime(const JobSpec& spec, RunOptions options, std::ostream& err,
             Clock* clock = SystemClock());
  ~JobRuntime();
  JobRuntime(const JobRuntime&) = delete;
  JobRuntime& operator=(const JobRuntime&) = delete;

  // Resolves parallelism, slots and config, and wires the gates. Returns an empty string on
  // success, else the error and sets *exit_code (2 for a bad option value, 1 for not enough
  // slots).
  std::string Build(int* exit_code);
  // Runs the built job to the end. Returns 0 (finished), 1 (failed), 130/143 (cancelled by
  // SIGINT/SIGTERM). Prints the summary or the failure on `err`.
  int Run();

  // Cancels the job: wakes every gate, unblocks every producer. `signal` is SIGINT/SIGTERM, or 0
  // for a cancellation caused by a failure or a test. Any thread; idempotent.
  void Cancel(int signal);
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  // After Build(): the resolved numbers (for tests).
  int parallelism(int vertex) const { return vertices_[vertex]->parallelism; }
  int max_parallelism() const { return max_parallelism_; }
  int slots() const { return slots_; }
  // Records emitted by sources / reaching sinks so far (for tests and the summary).
  uint64_t records_in() const;
  uint64_t records_out() const;
  // Highest number of buffers queued in any single gate seen by the metrics sampler (tests).
  int64_t peak_queued_buffers() const { return peak_queued_.load(std::memory_order_relaxed); }
  // The per-operator table over the last `interval_s` seconds (cumulative when `since_start`).
  std::string MetricsTable(bool since_start);
  // Source subtasks of the current attempt that have not read all their splits yet
  // (TaskContext::AwaitSourcesFinished).
  void SourceSubtaskDone() { sources_running_.fetch_sub(1, std::memory_order_acq_rel); }
  int source_subtasks_running() const { return sources_running_.load(std::memory_order_acquire); }
  // Checkpoint counters so far (any thread).
  CheckpointStats checkpoint_stats() const;
  // Requests a savepoint (any thread; REST). Returns the request id, or -1 when checkpointing
  // is not possible right now (*error says why). `drain`: stop-with-savepoint --drain.
  int64_t TriggerSavepoint(const std::string& target, bool stop, bool drain, std::string* error);
  SavepointStatus SavepointStatusOf(int64_t request) const;
  std::string job_name() const { return spec_.name; }
  // The metrics of one vertex (chain) in Flink's vertex scope, for the REST endpoint (any
  // thread): "<subtask>.<metric>" for the subtask's task metrics and
  // "<subtask>.<operator id>.<metric>" for each operator of the chain; subtasks count from 0.
  // Sorted by name. Empty when `vertex` is out of range.
  std::vector<std::pair<std::string, std::string>> VertexMetrics(int vertex);
  // The vertices as the REST endpoint lists them: chain name, resolved parallelism, operator ids
  // (any thread).
  struct VertexInfo {
    std::string name;
    int parallelism = 0;
    std::vector<std::string> operators;
    uint64_t records_in = 0, records_out = 0;  // of the chain's first / last operator
  };
  std::vector<VertexInfo> Vertices();
  // "RUNNING", "RESTARTING", "FINISHED", "FAILED", "CANCELED" (Flink's job states).
  std::string state() const;

 private:
  struct Subtask {
    TaskContext ctx;
    TaskMetrics metrics;
    std::unique_ptr<OperatorMetrics[]> op_metrics;
    std::unique_ptr<InputGate> gate;
    std::thread thread;
    // Runtime chaining (runtime/src/inline_task.h): the producer subtask feeding this one's only
    // channel, and that producer's output edge (to check it has only this channel).
    int feeder_vertex = -1, feeder_subtask = -1, feeder_edge = -1;
    // This subtask runs on `inline_root`'s thread; a root lists the subtasks it serves
    // (vertex, subtask) in topological order.
    Subtask* inline_root = nullptr;
    std::vector<std::pair<int, int>> inline_members;
    // A served consumer's earliest processing-time timer (epoch ms, kMaxWatermark: none), and
    // whether the JobMaster has posted it a wake-up mail not yet served.
    std::atomic<int64_t> inline_deadline_ms{kMaxWatermark};
    std::atomic<bool> inline_wake_pending{false};
    // Metric values at the previous report (for per-interval rates); master thread only.
    int64_t last_busy = 0, last_idle = 0, last_bp = 0;
  };
  struct Vertex {
    int parallelism = 1;
    bool has_inputs = false;
    std::vector<std::unique_ptr<Subtask>> subtasks;
  };

  std::string BuildGraph(int* exit_code);
  // Restore: picks and loads the checkpoint/savepoint to start from (options or latest).
  std::string ChooseRestore(bool first_attempt, int* exit_code);
  std::string CheckRestoredUids(const RestoredState::Data& data);
  int RunAttempt();
  void RunSubtask(int vertex, int subtask);
  void Fail(const std::string& message);
  std::string SubtaskLabel(int vertex, int subtask) const;
  // Decides which subtasks run on their producer's thread (pipeline.synchronous-exchange).
  std::string PlanInlineSubtasks();
  void SampleQueues();
  // Posts a wake-up mail to each served consumer whose processing-time timer is due.
  void WakeDueInlineTimers();

  const JobSpec& spec_;
  RunOptions options_;
  std::ostream& err_;
  Clock* clock_;
  std::unique_ptr<JobConfig> config_;
  std::vector<std::unique_ptr<Vertex>> vertices_;
  int max_parallelism_ = 128;
  int slots_ = 1;
  int64_t buffer_timeout_ns_ = 100'000'000;
  bool built_ = false;

  std::atomic<bool> cancelled_{false};
  std::atomic<int> signal_{0};
  std::atomic<int64_t> peak_queued_{0};
  std::mutex graph_mu_;           // Build() vs Cancel(): the vertices and their gates
  std::mutex mu_;                 // guards failure_, running_
  std::condition_variable done_cv_;
  std::string failure_;           // first failure message; empty = none
  int running_ = 0;               // subtask threads not yet finished
  int64_t last_report_ns_ = 0;    // master thread only

  // Checkpoints and restarts (docs/CHECKPOINTS.md).
  CheckpointConfig checkpoint_config_;
  bool checkpointing_ = false;    // tasks take part in checkpoints (interval, rest or restore)
  bool max_parallelism_set_ = false;
  RestartStrategy restart_;
  std::unique_ptr<RestoredState::Data> restored_;  // what the current attempt started from
  std::string restored_path_;
  std::string no_claim_dir_;  // the snapshot named by --from-checkpoint/--from-savepoint: never deleted
  std::unique_ptr<CheckpointCoordinator> coordinator_;  // of the current attempt
  int64_t next_checkpoint_id_ = 1;
  std::vector<std::pair<int64_t, std::string>> known_valid_;
  mutable std::mutex stats_mu_;
  CheckpointStats stats_;
  std::atomic<bool> restarting_{false};
  std::atomic<int> sources_running_{0};
  std::atomic<int> final_state_{0};  // 0 running, 1 finished, 2 failed, 3 cancelled
  std::string stopped_savepoint_;  // set when stop-with-savepoint ended the job
  mutable std::mutex coordinator_mu_;  // guards coordinator_, finished_savepoints_ (REST threads)
  std::map<int64_t, SavepointStatus> finished_savepoints_;  // of earlier attempts
};

}  // namespace dfc::rt
