#include "runtime/src/job_runtime.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "runtime/src/inline_task.h"

namespace dfc::rt {
namespace {

bool ParsePositiveInt(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return false;
  *out = v;
  return true;
}

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int RoundUpToPowerOfTwo(int x) {
  int p = 1;
  while (p < x) p <<= 1;
  return p;
}

std::string FormatWatermark(int64_t wm) {
  if (wm == kMinWatermark) return "-";
  if (wm == kMaxWatermark) return "MAX";
  return std::to_string(wm);
}

}  // namespace

// ---- JobConfig ----

JobConfig::JobConfig(const JobSpec& spec, const RunOptions& options) {
  for (const auto& [k, v] : spec.config) config_[k] = v;
  for (const auto& [k, v] : options.config) config_[k] = v;
  for (const auto& [k, v] : options.params) params_[k] = v;
}

std::string JobConfig::Get(std::string_view key, std::string_view def) const {
  auto it = config_.find(key);
  return it == config_.end() ? std::string(def) : it->second;
}

bool JobConfig::Has(std::string_view key) const { return config_.find(key) != config_.end(); }

std::string JobConfig::Param(std::string_view node, std::string_view param,
                             std::string_view def) const {
  std::string key(node);
  key += '.';
  key += param;
  auto it = params_.find(key);
  return it == params_.end() ? std::string(def) : it->second;
}

// ---- TaskContext (declared in dfc/task.h) ----

std::string TaskContext::Param(std::string_view node, std::string_view param,
                               std::string_view def) const {
  return config_ == nullptr ? std::string(def) : config_->Param(node, param, def);
}

int64_t TaskContext::ParamInt(std::string_view node, std::string_view param, int64_t def) const {
  if (config_ == nullptr) return def;
  const std::string v = config_->Param(node, param, "");
  if (v.empty()) return def;
  char* end = nullptr;
  errno = 0;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end == v.c_str() || *end != '\0') {
    throw std::invalid_argument("parameter " + std::string(node) + "." + std::string(param) +
                                " must be an integer, got '" + v + "'");
  }
  return x;
}

double TaskContext::ParamDouble(std::string_view node, std::string_view param, double def) const {
  if (config_ == nullptr) return def;
  const std::string v = config_->Param(node, param, "");
  if (v.empty()) return def;
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(v.c_str(), &end);
  if (errno != 0 || end == v.c_str() || *end != '\0' || !std::isfinite(x)) {
    throw std::invalid_argument("parameter " + std::string(node) + "." + std::string(param) +
                                " must be a number, got '" + v + "'");
  }
  return x;
}

std::string TaskContext::Config(std::string_view key, std::string_view def) const {
  return config_ == nullptr ? std::string(def) : config_->Get(key, def);
}

bool TaskContext::cancelled() const {
  return cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed);
}

// ---- durations ----

bool ParseDuration(std::string_view text, int64_t* nanos) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  size_t j = i;
  while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
  if (j == i || j - i > 15) return false;
  int64_t n = 0;
  for (size_t k = i; k < j; ++k) n = n * 10 + (text[k] - '0');
  while (j < text.size() && text[j] == ' ') ++j;
  std::string_view unit = text.substr(j);
  while (!unit.empty() && unit.back() == ' ') unit.remove_suffix(1);
  int64_t mult;
  if (unit.empty() || unit == "ms" || unit == "milli" || unit == "millis" ||
      unit == "millisecond" || unit == "milliseconds") {
    mult = 1'000'000;
  } else if (unit == "ns" || unit == "nano" || unit == "nanos" || unit == "nanoseconds") {
    mult = 1;
  } else if (unit == "us" || unit == "micro" || unit == "micros" || unit == "microseconds") {
    mult = 1'000;
  } else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" ||
             unit == "seconds") {
    mult = 1'000'000'000;
  } else if (unit == "min" || unit == "m" || unit == "minute" || unit == "minutes") {
    mult = 60'000'000'000;
  } else {
    return false;
  }
  *nanos = n * mult;
  return true;
}

// ---- JobRuntime ----

JobRuntime::JobRuntime(const JobSpec& spec, RunOptions options, std::ostream& err, Clock* clock)
    : spec_(spec), options_(std::move(options)), err_(err), clock_(clock) {}

JobRuntime::~JobRuntime() {
  // Run() joins every thread; a runtime built but never run has none.
  Cancel(0);
  for (auto& v : vertices_)
    for (auto& s : v->subtasks)
      if (s->thread.joinable()) s->thread.join();
}

std::string JobRuntime::Build(int* exit_code) {
  // Cancel() may run concurrently (a signal during start-up): it walks the gates under this lock.
  std::lock_guard<std::mutex> graph_lock(graph_mu_);
  *exit_code = 2;
  config_ = std::make_unique<JobConfig>(spec_, options_);

  int default_p = 1;
  if (options_.parallelism > 0) {
    default_p = options_.parallelism;
  } else if (config_->Has("parallelism.default")) {
    if (!ParsePositiveInt(config_->Get("parallelism.default", ""), &default_p)) {
      return "parallelism.default must be a positive integer, got '" +
             config_->Get("parallelism.default", "") + "'";
    }
  }

  std::string bt = config_->Get("execution.buffer-timeout", "100 ms");
  if (bt == "-1") {
    buffer_timeout_ns_ = int64_t{1} << 62;  // Flink: -1 disables the timeout
  } else if (!ParseDuration(bt, &buffer_timeout_ns_)) {
    return "execution.buffer-timeout must be a duration such as '100 ms', got '" + bt + "'";
  }

  int highest = 1;
  for (const VertexSpec& vs : spec_.vertices) {
    auto v = std::make_unique<Vertex>();
    v->parallelism = vs.parallelism > 0 ? vs.parallelism : default_p;
    if (vs.max_source_parallelism > 0) {
      v->parallelism = std::min(v->parallelism, vs.max_source_parallelism);
    }
    highest = std::max(highest, v->parallelism);
    vertices_.push_back(std::move(v));
  }
  for (const EdgeSpec& e : spec_.edges) {
    if (e.from_vertex < 0 || e.to_vertex < 0 ||
        e.from_vertex >= static_cast<int>(vertices_.size()) ||
        e.to_vertex >= static_cast<int>(vertices_.size())) {
      *exit_code = 1;
      return "internal error: edge refers to a missing vertex";
    }
    vertices_[e.to_vertex]->has_inputs = true;
  }

  // Max parallelism: one value for the whole job, so a hash writer and the keyed operator it feeds
  // agree on key groups. Flink's default rule, applied to the highest parallelism.
  max_parallelism_set_ = config_->Has("pipeline.max-parallelism");
  if (config_->Has("pipeline.max-parallelism")) {
    if (!ParsePositiveInt(config_->Get("pipeline.max-parallelism", ""), &max_parallelism_)) {
      return "pipeline.max-parallelism must be a positive integer, got '" +
             config_->Get("pipeline.max-parallelism", "") + "'";
    }
  } else {
    max_parallelism_ = std::clamp(RoundUpToPowerOfTwo(highest + highest / 2), 128, 32768);
  }
  if (max_parallelism_ < highest) {
    *exit_code = 1;
    return "the parallelism " + std::to_string(highest) +
           " is higher than the maximum parallelism " + std::to_string(max_parallelism_);
  }

  // Slots: a slot holds one subtask of every vertex (slot sharing), so the job needs `highest`.
  if (config_->Has("taskmanager.numberOfTaskSlots")) {
    if (!ParsePositiveInt(config_->Get("taskmanager.numberOfTaskSlots", ""), &slots_)) {
      return "taskmanager.numberOfTaskSlots must be a positive integer, got '" +
             config_->Get("taskmanager.numberOfTaskSlots", "") + "'";
    }
    if (slots_ < highest) {
      *exit_code = 1;
      return "could not acquire the minimum required resources: the job needs " +
             std::to_string(highest) + " task slots, taskmanager.numberOfTaskSlots is " +
             std::to_string(slots_);
    }
  } else {
    slots_ = std::max(static_cast<int>(std::thread::hardware_concurrency()), highest);
  }

  if (std::string e = ParseCheckpointConfig(*config_, spec_.name, &checkpoint_config_); !e.empty()) {
    return e;
  }
  checkpointing_ = checkpoint_config_.periodic || config_->Has("rest.port") ||
                   !options_.from_savepoint.empty() ||
                   (!options_.from_checkpoint.empty() && options_.from_checkpoint != "none");
  if (std::string e = restart_.Configure(*config_, checkpoint_config_.periodic); !e.empty()) return e;
  if (std::string e = ChooseRestore(/*first_attempt=*/true, exit_code); !e.empty()) return e;
  return BuildGraph(exit_code);
}

// Subtasks, gates and channels of one attempt (rebuilt from scratch on every restart).
std::string JobRuntime::BuildGraph(int* exit_code) {
  *exit_code = 2;
  for (auto& v : vertices_) {
    v->subtasks.clear();
  }
  // Subtasks and their gates.
  for (size_t vi = 0; vi < vertices_.size(); ++vi) {
    Vertex& v = *vertices_[vi];
    const VertexSpec& vs = spec_.vertices[vi];
    for (int i = 0; i < v.parallelism; ++i) {
      auto s = std::make_unique<Subtask>();
      const size_t nops = std::max<size_t>(vs.operators.size(), 1);
      s->op_metrics = std::make_unique<OperatorMetrics[]>(nops);
      if (v.has_inputs) s->gate = std::make_unique<InputGate>(kChannelCapacity, &s->metrics);
      TaskContext& c = s->ctx;
      c.subtask_ = i;
      c.parallelism_ = v.parallelism;
      c.max_parallelism_ = max_parallelism_;
      c.chain_name_ = vs.name;
      c.op_metrics_ = s->op_metrics.get();
      c.metrics_ = &s->metrics;
      c.clock_ = clock_;
      c.runtime_ = this;
      c.input_gate_ = s->gate.get();
      c.config_ = config_.get();
      c.cancelled_ = &cancelled_;
      c.buffer_timeout_ns_ = buffer_timeout_ns_;
      c.vertex_ = static_cast<int>(vi);
      c.checkpointing_ = checkpointing_;
      c.exactly_once_ = checkpoint_config_.exactly_once;
      c.restored_.Reset(restored_.get(), i, v.parallelism, max_parallelism_);
      v.subtasks.push_back(std::move(s));
    }
  }

  // Channels, edge by edge in JobSpec order (a vertex's outgoing edges keep that order).
  for (const EdgeSpec& e : spec_.edges) {
    Vertex& up = *vertices_[e.from_vertex];
    Vertex& down = *vertices_[e.to_vertex];
    for (auto& s : up.subtasks) s->ctx.outputs_.emplace_back();
    const bool pointwise = e.mode == PartitionMode::kForward && up.parallelism == down.parallelism;
    const int edge = static_cast<int>(up.subtasks.front()->ctx.outputs_.size()) - 1;
    auto feed = [&](Subtask& d, int i) {
      d.feeder_vertex = e.from_vertex;
      d.feeder_subtask = i;
      d.feeder_edge = edge;
    };
    for (int i = 0; i < up.parallelism; ++i) {
      auto& out = up.subtasks[i]->ctx.outputs_.back();
      if (pointwise) {
        InputGate* g = down.subtasks[i]->gate.get();
        out.push_back(ChannelRef{g, g->AddChannel(e.to_input)});
        feed(*down.subtasks[i], i);
      } else {
        for (int j = 0; j < down.parallelism; ++j) {
          InputGate* g = down.subtasks[j]->gate.get();
          out.push_back(ChannelRef{g, g->AddChannel(e.to_input)});
          feed(*down.subtasks[j], i);
        }
      }
    }
  }
  if (std::string err = PlanInlineSubtasks(); !err.empty()) return err;
  if (cancelled()) {
    for (auto& v : vertices_)
      for (auto& s : v->subtasks)
        if (s->gate) s->gate->Cancel();
  }
  built_ = true;
  *exit_code = 0;
  return "";
}

void JobRuntime::Cancel(int signal) {
  if (signal != 0) {
    int expected = 0;
    signal_.compare_exchange_strong(expected, signal);
  }
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
  {
    std::lock_guard<std::mutex> graph_lock(graph_mu_);
    for (auto& v : vertices_)
      for (auto& s : v->subtasks)
        if (s->gate) s->gate->Cancel();
  }
  std::lock_guard<std::mutex> lock(mu_);
  done_cv_.notify_all();
}

void JobRuntime::Fail(const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Errors that follow a cancellation are consequences, not causes.
    if (!failure_.empty() || cancelled()) return;
    failure_ = message;
  }
  Cancel(0);
}

std::string JobRuntime::PlanInlineSubtasks() {
  const std::string on = config_->Get("pipeline.synchronous-exchange", "true");
  if (on != "true" && on != "false") {
    return "pipeline.synchronous-exchange must be true or false, got '" + on + "'";
  }
  if (on == "false") return "";
  // Vertices are in topological order, so a producer's root is known before its consumers.
  for (size_t vi = 0; vi < vertices_.size(); ++vi) {
    if (spec_.vertices[vi].timer_driven) continue;
    for (auto& s : vertices_[vi]->subtasks) {
      if (!s->gate || s->gate->num_channels() != 1 || s->feeder_vertex < 0) continue;
      Subtask& feeder = *vertices_[s->feeder_vertex]->subtasks[s->feeder_subtask];
      if (feeder.ctx.outputs_[s->feeder_edge].size() != 1) continue;  // 1 -> n: stays threaded
      Subtask* root = feeder.inline_root != nullptr ? feeder.inline_root : &feeder;
      s->inline_root = root;
      root->inline_members.emplace_back(static_cast<int>(vi), s->ctx.subtask_);
      // Mails for the consumer (checkpoint notifications) wake the root's thread, which serves
      // them in HandleControl (sources poll the flag; operator tasks get a mail).
      TaskContext* r = &root->ctx;
      s->gate->ServeSynchronously([r] {
        r->control_pending_.store(true, std::memory_order_release);
        if (r->input_gate_ != nullptr) r->input_gate_->PostMail([r] { r->HandleControl(); });
      });
    }
  }
  return "";
}

std::string JobRuntime::SubtaskLabel(int vertex, int subtask) const {
  return "(subtask " + std::to_string(subtask + 1) + "/" +
         std::to_string(vertices_[vertex]->parallelism) + ")";
}

void JobRuntime::RunSubtask(int vi, int si) {
  Subtask& s = *vertices_[vi]->subtasks[si];
  std::unique_ptr<Task> task;
  // Consumers served on this thread (runtime chaining, runtime/src/inline_task.h), in
  // topological order, with their tasks.
  std::vector<std::unique_ptr<Task>> member_tasks;
  std::vector<std::unique_ptr<InlineTask>> inlines;
  int cur_v = vi, cur_s = si;  // whose code runs (for failure messages outside a chain's run)
  auto chain_of = [&](int v, int i) {
    return "chain '" + std::string(spec_.vertices[v].name) + "' " + SubtaskLabel(v, i);
  };
  auto chain = [&] { return chain_of(cur_v, cur_s); };
  // Open -> restore, on this thread.
  auto start = [&](int v, int i) -> std::unique_ptr<Task> {
    cur_v = v;
    cur_s = i;
    Subtask& x = *vertices_[v]->subtasks[i];
    std::unique_ptr<Task> t = spec_.vertices[v].create();
    x.ctx.task_ = t.get();
    t->Open(x.ctx);
    if (x.ctx.checkpointing_) {
      if (const char* op = t->UncheckpointedOperator()) {
        throw std::runtime_error("operator '" + std::string(op) +
                                 "' keeps state that checkpoints do not cover yet; run the job "
                                 "without checkpointing (execution.checkpointing.interval)");
      }
    }
    x.ctx.RestoreKeyedState();
    t->InitializeState(x.ctx.restored_);
    return t;
  };
  // After Run(): Close and the safety net of the end-of-input rule (dfc/task.h).
  auto finish = [this](Subtask& x, Task& t) {
    if (x.ctx.coordinator_ != nullptr) x.ctx.coordinator_->SubtaskFinished();
    if (cancelled()) return;
    t.Close();
    for (const auto& edge : x.ctx.outputs_)
      for (const ChannelRef& ch : edge)
        if (!ch.gate->EnsureEndOfInput(ch.channel)) throw Cancelled{};
  };
  try {
    // The consumers first: their gates must be served before this task pushes anything.
    for (const auto& [mv, ms] : s.inline_members) {
      member_tasks.push_back(start(mv, ms));
      Subtask& m = *vertices_[mv]->subtasks[ms];
      Task* t = member_tasks.back().get();
      auto* op = dynamic_cast<OperatorTask*>(t);
      if (op == nullptr) throw std::logic_error("internal error: a consumer chain is not an OperatorTask");
      inlines.push_back(std::make_unique<InlineTask>(op, &m.ctx, m.gate.get(), chain(), SubtaskLabel(mv, ms),
                                                     [&finish, &m, t] { finish(m, *t); },
                                                     &m.inline_deadline_ms, &m.inline_wake_pending));
    }
    if (!inlines.empty()) {
      s.ctx.serve_inline_ = [&inlines] {
        for (auto& x : inlines) x->ServeMails();
      };
    }
    task = start(vi, si);
    task->Run();
    finish(s, *task);
  } catch (const Cancelled&) {
    // Unwinding because the job is being cancelled; the cause is reported elsewhere.
  } catch (const InlineFailure& e) {
    Fail(e.what());  // a consumer's, attributed where it happened
  } catch (const OperatorError& e) {
    Fail("operator '" + e.op_id() + "' " + SubtaskLabel(cur_v, cur_s) + ": " + e.what());
  } catch (const std::exception& e) {
    Fail(chain() + ": " + e.what());
  } catch (...) {
    Fail(chain() + ": unknown exception");
  }
  s.ctx.serve_inline_ = nullptr;
  inlines.clear();
  // Destroyed on their thread, also after a failure, so connectors close their files here.
  try {
    task.reset();
  } catch (...) {
    Fail(chain_of(vi, si) + ": exception while destroying the task");
  }
  for (size_t k = member_tasks.size(); k-- > 0;) {
    try {
      member_tasks[k].reset();
    } catch (...) {
      Fail(chain_of(s.inline_members[k].first, s.inline_members[k].second) +
           ": exception while destroying the task");
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (--running_ == 0) done_cv_.notify_all();
}

uint64_t JobRuntime::records_in() const {
  uint64_t n = 0;
  for (size_t vi = 0; vi < vertices_.size(); ++vi) {
    const auto& ops = spec_.vertices[vi].operators;
    for (size_t k = 0; k < ops.size(); ++k) {
      if (ops[k].kind != OperatorKind::kSource) continue;
      for (auto& s : vertices_[vi]->subtasks) n += s->op_metrics[k].records_out.load();
    }
  }
  return n;
}

uint64_t JobRuntime::records_out() const {
  uint64_t n = 0;
  for (size_t vi = 0; vi < vertices_.size(); ++vi) {
    const auto& ops = spec_.vertices[vi].operators;
    for (size_t k = 0; k < ops.size(); ++k) {
      if (ops[k].kind != OperatorKind::kSink) continue;
      for (auto& s : vertices_[vi]->subtasks) n += s->op_metrics[k].records_in.load();
    }
  }
  return n;
}

void JobRuntime::SampleQueues() {
  for (auto& v : vertices_)
    for (auto& s : v->subtasks) {
      const int64_t q = s->metrics.queued_buffers.load(std::memory_order_relaxed);
      int64_t peak = peak_queued_.load(std::memory_order_relaxed);
      while (q > peak && !peak_queued_.compare_exchange_weak(peak, q)) {
      }
    }
}

void JobRuntime::WakeDueInlineTimers() {
  int64_t now_ms = -1;
  for (auto& v : vertices_)
    for (auto& s : v->subtasks) {
      if (s->inline_root == nullptr) continue;
      const int64_t d = s->inline_deadline_ms.load(std::memory_order_relaxed);
      if (d == kMaxWatermark) continue;
      if (now_ms < 0) now_ms = clock_->NowMillis();
      if (now_ms >= d && !s->inline_wake_pending.exchange(true, std::memory_order_relaxed)) {
        s->gate->PostMail([] {});  // served with the timers (InlineTask::ServeMails)
      }
    }
}

std::vector<std::pair<std::string, std::string>> JobRuntime::VertexMetrics(int vertex) {
  std::vector<std::pair<std::string, std::string>> out;
  std::lock_guard<std::mutex> graph_lock(graph_mu_);
  if (vertex < 0 || static_cast<size_t>(vertex) >= vertices_.size()) return out;
  const Vertex& v = *vertices_[vertex];
  const VertexSpec& vs = spec_.vertices[vertex];
  auto ms = [](int64_t ns) { return std::to_string(ns / 1'000'000); };
  for (size_t si = 0; si < v.subtasks.size(); ++si) {
    const Subtask& s = *v.subtasks[si];
    const std::string p = std::to_string(si) + ".";
    const TaskMetrics& m = s.metrics;
    const size_t nops = vs.operators.size();
    if (nops > 0) {
      out.emplace_back(p + "numRecordsIn", std::to_string(s.op_metrics[0].records_in.load()));
      out.emplace_back(p + "numRecordsOut", std::to_string(s.op_metrics[nops - 1].records_out.load()));
    }
    out.emplace_back(p + "accumulatedBusyTime", ms(m.busy_ns.load()));
    out.emplace_back(p + "accumulatedIdleTime", ms(m.idle_ns.load()));
    out.emplace_back(p + "accumulatedBackPressuredTime", ms(m.backpressured_ns.load()));
    out.emplace_back(p + "currentInputWatermark", std::to_string(m.input_watermark.load()));
    out.emplace_back(p + "currentOutputWatermark", std::to_string(m.output_watermark.load()));
    out.emplace_back(p + "buffers.inputQueueLength", std::to_string(m.queued_buffers.load()));
    for (size_t k = 0; k < nops; ++k) {
      const OperatorMetrics& om = s.op_metrics[k];
      const std::string q = p + vs.operators[k].id + ".";
      out.emplace_back(q + "numRecordsIn", std::to_string(om.records_in.load()));
      out.emplace_back(q + "numRecordsOut", std::to_string(om.records_out.load()));
      out.emplace_back(q + "numLateRecordsDropped", std::to_string(om.late_records_dropped.load()));
      out.emplace_back(q + "numRecordsInErrors", std::to_string(om.errors_skipped.load()));
      out.emplace_back(q + "stateStoreReads", std::to_string(om.state_store_reads.load()));
      out.emplace_back(q + "stateStoreWrites", std::to_string(om.state_store_writes.load()));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<JobRuntime::VertexInfo> JobRuntime::Vertices() {
  std::vector<VertexInfo> out;
  std::lock_guard<std::mutex> graph_lock(graph_mu_);
  for (size_t vi = 0; vi < vertices_.size(); ++vi) {
    const VertexSpec& vs = spec_.vertices[vi];
    VertexInfo info;
    info.name = vs.name;
    info.parallelism = vertices_[vi]->parallelism;
    for (const OperatorSpec& op : vs.operators) info.operators.emplace_back(op.id);
    const size_t nops = vs.operators.size();
    for (const auto& s : vertices_[vi]->subtasks) {
      if (nops == 0) break;
      info.records_in += s->op_metrics[0].records_in.load();
      info.records_out += s->op_metrics[nops - 1].records_out.load();
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::string JobRuntime::MetricsTable(bool since_start) {
  const int64_t now = clock_->NowNanos();
  const double secs = std::max(1e-9, (now - last_report_ns_) / 1e9);
  last_report_ns_ = now;
  std::ostringstream o;
  char line[512];
  std::snprintf(line, sizeof line, "  %-24s %8s %14s %14s %10s %10s %10s  %s\n", "operator",
                "subtasks", "numRecordsIn", "numRecordsOut", "busy ms/s", "idle ms/s", "bp ms/s",
                "watermark");
  o << line;
  for (size_t vi = 0; vi < vertices_.size(); ++vi) {
    Vertex& v = *vertices_[vi];
    const VertexSpec& vs = spec_.vertices[vi];
    // Busy/idle/backpressure belong to the chain (one thread); every operator of the chain shows
    // its chain's values, averaged over subtasks.
    double busy = 0, idle = 0, bp = 0;
    int64_t wm = kMaxWatermark;
    for (auto& s : v.subtasks) {
      const int64_t b = s->metrics.busy_ns.load(), i = s->metrics.idle_ns.load(),
                    p = s->metrics.backpressured_ns.load();
      busy += static_cast<double>(b - (since_start ? 0 : s->last_busy));
      idle += static_cast<double>(i - (since_start ? 0 : s->last_idle));
      bp += static_cast<double>(p - (since_start ? 0 : s->last_bp));
      s->last_busy = b;
      s->last_idle = i;
      s->last_bp = p;
      wm = std::min(wm, v.has_inputs ? s->metrics.input_watermark.load()
                                     : s->metrics.output_watermark.load());
    }
    const double per = 1e6 * secs * static_cast<double>(v.subtasks.size());
    for (size_t k = 0; k < vs.operators.size(); ++k) {
      uint64_t in = 0, out = 0;
      for (auto& s : v.subtasks) {
        in += s->op_metrics[k].records_in.load();
        out += s->op_metrics[k].records_out.load();
      }
      std::snprintf(line, sizeof line, "  %-24s %8d %14llu %14llu %10.0f %10.0f %10.0f  %s\n",
                    vs.operators[k].id, v.parallelism, static_cast<unsigned long long>(in),
                    static_cast<unsigned long long>(out), busy / per, idle / per, bp / per,
                    FormatWatermark(wm).c_str());
      o << line;
    }
  }
  return o.str();
}

int JobRuntime::Run() {
  if (!built_) {
    int code = 0;
    std::string error = Build(&code);
    if (!error.empty()) {
      err_ << "dfc: job '" << spec_.name << "': " << error << "\n";
      return code;
    }
  }
  if (options_.verbose) {
    // Runtime chaining (pipeline.synchronous-exchange): which consumers run on which thread.
    for (size_t vi = 0; vi < vertices_.size(); ++vi)
      for (auto& x : vertices_[vi]->subtasks)
        if (x->inline_root != nullptr) {
          const TaskContext& r = x->inline_root->ctx;
          err_ << "dfc: chain '" << spec_.vertices[vi].name << "' " << SubtaskLabel(static_cast<int>(vi), x->ctx.subtask_)
               << " runs on the thread of chain '" << spec_.vertices[r.vertex_].name << "' "
               << SubtaskLabel(r.vertex_, r.subtask_) << " (pipeline.synchronous-exchange)\n";
        }
  }
  const int64_t start = clock_->NowNanos();
  last_report_ns_ = start;
  std::string failure;
  while (true) {
    const int64_t attempt_start = SteadyNs();
    RunAttempt();
    {
      std::lock_guard<std::mutex> lock(mu_);
      failure = failure_;
    }
    if (failure.empty() || signal_.load() != 0) break;
    // A task failed: restart from the latest completed checkpoint if the strategy allows.
    int64_t delay = 0;
    if (!restart_.NextRestart(attempt_start, SteadyNs(), &delay)) {
      if (restart_.restarts() > 0 || checkpoint_config_.periodic) {
        failure += " (restart strategy " + restart_.Describe() + ": no more restarts after " +
                   std::to_string(restart_.restarts()) + ")";
      }
      break;
    }
    restarting_.store(true);
    err_ << "dfc: job '" << spec_.name << "': " << failure << "; restart " << restart_.restarts()
         << " in " << delay / 1'000'000 << " ms\n";
    err_.flush();
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait_for(lock, std::chrono::nanoseconds(delay), [&] { return signal_.load() != 0; });
      if (signal_.load() != 0) break;
      failure_.clear();
    }
    int code = 0;
    std::string e;
    {
      std::lock_guard<std::mutex> graph_lock(graph_mu_);
      cancelled_.store(false);
      e = ChooseRestore(/*first_attempt=*/false, &code);
      if (e.empty()) e = BuildGraph(&code);
    }
    restarting_.store(false);
    if (!e.empty()) {
      failure = e;
      break;
    }
  }
  const bool reporting = options_.metrics_interval_s > 0;

  const double secs = (clock_->NowNanos() - start) / 1e9;
  char head[128];
  std::snprintf(head, sizeof head, "%.3f s", secs);
  std::string counts = std::to_string(records_in()) + " records in, " +
                       std::to_string(records_out()) + " records out";
  // Late records dropped by windows and joins (numLateRecordsDropped): never silently.
  uint64_t late = 0;
  for (size_t vi = 0; vi < vertices_.size(); ++vi)
    for (auto& s : vertices_[vi]->subtasks)
      for (size_t k = 0; k < spec_.vertices[vi].operators.size(); ++k)
        late += s->op_metrics[k].late_records_dropped.load();
  if (late > 0) counts += ", " + std::to_string(late) + " late records dropped (numLateRecordsDropped)";
  // Window state entries that went through the rocksdb backend (dfc/window_store.h).
  uint64_t store_reads = 0, store_writes = 0;
  for (size_t vi = 0; vi < vertices_.size(); ++vi)
    for (auto& s : vertices_[vi]->subtasks)
      for (size_t k = 0; k < spec_.vertices[vi].operators.size(); ++k) {
        store_reads += s->op_metrics[k].state_store_reads.load();
        store_writes += s->op_metrics[k].state_store_writes.load();
      }
  if (store_writes > 0)
    counts += ", window state in rocksdb: " + std::to_string(store_writes) + " writes, " + std::to_string(store_reads) +
              " reads (stateStoreWrites, stateStoreReads)";
  int code = 0;
  if (!failure.empty()) {
    err_ << "dfc: job '" << spec_.name << "' failed: " << failure << "\n";
    code = 1;
    final_state_.store(2);
  } else if (!stopped_savepoint_.empty()) {
    err_ << "dfc: job '" << spec_.name << "' stopped with savepoint " << stopped_savepoint_
         << " after " << head << ": " << counts << "\n";
    final_state_.store(1);
  } else if (cancelled()) {
    const int sig = signal_.load();
    const char* name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "request";
    err_ << "dfc: job '" << spec_.name << "' cancelled by " << name << " after " << head << ": "
         << counts << "\n";
    code = sig == 0 ? 1 : 128 + sig;
    final_state_.store(3);
  } else {
    err_ << "dfc: job '" << spec_.name << "' finished in " << head << ": " << counts << "\n";
    final_state_.store(1);
    // A finished job's checkpoints are discarded (Flink: discard on FINISHED), so running the
    // executable again starts from scratch.
    if (checkpoint_config_.periodic) {
      for (const auto& [id, dir] : ListCheckpoints(checkpoint_config_.dir)) {
        if (!SameCheckpointDir(dir, no_claim_dir_)) DeleteCheckpoint(dir);
      }
    }
  }
  if (checkpointing_) {
    const CheckpointStats st = checkpoint_stats();
    char line[512];
    std::snprintf(line, sizeof line,
                  "dfc: checkpoints: %lld completed, %lld failed, last %lld (%lld ms, %lld bytes)",
                  static_cast<long long>(st.completed), static_cast<long long>(st.failed),
                  static_cast<long long>(st.last_id), static_cast<long long>(st.last_duration_ms),
                  static_cast<long long>(st.last_size));
    err_ << line;
    if (st.restored_id > 0) {
      err_ << ", restored from " << st.restored_id << " (" << st.restore_duration_ms << " ms)";
    }
    err_ << ", " << restart_.restarts() << " restarts\n";
  }
  if (options_.verbose || reporting) {
    last_report_ns_ = start;
    err_ << MetricsTable(true);
  }
  err_.flush();
  return code;
}

int JobRuntime::RunAttempt() {
  // The coordinator of this attempt: ids continue across restarts.
  if (checkpointing_) {
    std::vector<std::vector<TaskContext*>> all;
    std::vector<TaskContext*> sources;
    for (auto& v : vertices_) {
      all.emplace_back();
      for (auto& s : v->subtasks) {
        all.back().push_back(&s->ctx);
        if (!v->has_inputs) sources.push_back(&s->ctx);
      }
    }
    std::vector<std::string> uids;
    for (const VertexSpec& vs : spec_.vertices)
      for (const OperatorSpec& op : vs.operators) uids.emplace_back(op.uid);
    auto coordinator = std::make_unique<CheckpointCoordinator>(
        checkpoint_config_, spec_.name, max_parallelism_, std::move(all), std::move(sources),
        std::move(uids), next_checkpoint_id_, &stats_, &stats_mu_, err_,
        [this](const std::string& why) { Fail(why); },
        [this] { Cancel(0); });
    coordinator->SetKnownValid(known_valid_);
    coordinator->SetProtected(no_claim_dir_);
    for (auto& v : vertices_)
      for (auto& s : v->subtasks) s->ctx.coordinator_ = coordinator.get();
    std::lock_guard<std::mutex> lock(coordinator_mu_);
    coordinator_ = std::move(coordinator);
    coordinator_->Start();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    int sources = 0;
    for (auto& v : vertices_) {
      for (auto& s : v->subtasks) running_ += s->inline_root == nullptr ? 1 : 0;
      if (!v->has_inputs) sources += v->parallelism;
    }
    sources_running_.store(sources);
  }
  for (size_t vi = 0; vi < vertices_.size(); ++vi)
    for (int si = 0; si < vertices_[vi]->parallelism; ++si)
      if (vertices_[vi]->subtasks[si]->inline_root == nullptr)
        vertices_[vi]->subtasks[si]->thread =
            std::thread([this, vi, si] { RunSubtask(static_cast<int>(vi), si); });

  // JobMaster: wait for the subtasks, reporting every metrics interval.
  const bool reporting = options_.metrics_interval_s > 0;
  const auto interval = std::chrono::nanoseconds(
      static_cast<int64_t>(std::max(options_.metrics_interval_s, 0.001) * 1e9));
  const auto sample = std::chrono::milliseconds(20);
  auto next_report = std::chrono::steady_clock::now() + interval;
  {
    std::unique_lock<std::mutex> lock(mu_);
    while (running_ > 0) {
      auto wake = std::chrono::steady_clock::now() + sample;
      if (reporting) wake = std::min(wake, next_report);
      done_cv_.wait_until(lock, wake);
      lock.unlock();
      SampleQueues();
      WakeDueInlineTimers();
      if (reporting && std::chrono::steady_clock::now() >= next_report) {
        err_ << "dfc: job '" << spec_.name << "' metrics:\n" << MetricsTable(false);
        err_.flush();
        next_report += interval;
      }
      lock.lock();
    }
  }
  for (auto& v : vertices_)
    for (auto& s : v->subtasks)
      if (s->thread.joinable()) s->thread.join();
  SampleQueues();
  if (coordinator_) {
    coordinator_->Stop();
    next_checkpoint_id_ = coordinator_->next_id();
    if (std::string latest = coordinator_->latest_completed(); !latest.empty()) {
      known_valid_.clear();
      const CheckpointStats st = checkpoint_stats();
      known_valid_.emplace_back(st.last_id, latest);
    }
    std::lock_guard<std::mutex> lock(coordinator_mu_);
    for (const auto& [r, st] : coordinator_->AllSavepoints()) finished_savepoints_[r] = st;
    // A stop-with-savepoint cancelled the job: remember where the savepoint is.
    if (cancelled() && signal_.load() == 0 && failure_.empty()) {
      const CheckpointStats st = checkpoint_stats();
      stopped_savepoint_ = st.last_path;
    }
    coordinator_.reset();
  }
  return 0;
}

// ---- restore ----

std::string JobRuntime::ChooseRestore(bool first_attempt, int* exit_code) {
  *exit_code = 1;
  restored_.reset();
  const int64_t t0 = SteadyNs();
  std::vector<std::pair<int64_t, std::string>> candidates;
  bool explicit_path = false;
  if (!first_attempt) {
    // A restart: the latest checkpoint this process completed, else what it started from.
    if (!known_valid_.empty()) {
      candidates.push_back(known_valid_.back());
    } else if (!restored_path_.empty()) {
      candidates.emplace_back(0, restored_path_);
    }
    explicit_path = true;
  } else if (!options_.from_savepoint.empty()) {
    candidates.emplace_back(0, options_.from_savepoint);
    explicit_path = true;
  } else if (options_.from_checkpoint == "none") {
    // fresh start
  } else if (!options_.from_checkpoint.empty() && options_.from_checkpoint != "latest") {
    candidates.emplace_back(0, options_.from_checkpoint);
    explicit_path = true;
  } else if (checkpoint_config_.periodic || options_.from_checkpoint == "latest") {
    candidates = ListCheckpoints(checkpoint_config_.dir);
  }
  // The next checkpoint id continues after every id ever used in the directory.
  if (first_attempt) {
    for (const auto& [id, dir] : ListCheckpoints(checkpoint_config_.dir)) {
      next_checkpoint_id_ = std::max(next_checkpoint_id_, id + 1);
    }
  }
  for (const auto& [id, dir] : candidates) {
    auto data = std::make_unique<RestoredState::Data>();
    CheckpointInfo info;
    std::string e = LoadCheckpoint(dir, data.get(), &info);
    if (e.empty()) e = CheckRestoredUids(*data);
    if (e.empty() && info.max_parallelism != max_parallelism_) {
      int highest = 1;
      for (auto& v : vertices_) highest = std::max(highest, v->parallelism);
      if (max_parallelism_set_) {
        e = "it was taken with pipeline.max-parallelism " + std::to_string(info.max_parallelism) +
            ", the job sets " + std::to_string(max_parallelism_) +
            " (key groups cannot be redistributed across a different maximum)";
      } else if (info.max_parallelism < highest) {
        e = "its maximum parallelism " + std::to_string(info.max_parallelism) +
            " is below the parallelism " + std::to_string(highest);
      } else {
        max_parallelism_ = info.max_parallelism;  // adopted, as Flink does
      }
    }
    if (!e.empty()) {
      if (explicit_path) return "cannot restore from '" + dir + "': " + e;
      err_ << "dfc: warning: job '" << spec_.name << "': checkpoint '" << dir
           << "' is unusable, trying an older one: " << e << "\n";
      err_.flush();
      continue;
    }
    next_checkpoint_id_ = std::max(next_checkpoint_id_, info.id + 1);
    restored_ = std::move(data);
    restored_path_ = dir;
    // Started from a snapshot the user named: it stays theirs (Flink's NO_CLAIM mode), retention
    // and the discard on FINISHED never delete it.
    if (first_attempt && explicit_path) no_claim_dir_ = dir;
    if (known_valid_.empty() && !info.savepoint) known_valid_.emplace_back(info.id, dir);
    const int64_t ms = (SteadyNs() - t0) / 1'000'000;
    {
      std::lock_guard<std::mutex> lock(stats_mu_);
      stats_.restored_id = info.id;
      stats_.restored_path = dir;
      stats_.restore_duration_ms = ms;
    }
    err_ << "dfc: job '" << spec_.name << "': restored from " << (info.savepoint ? "savepoint" : "checkpoint")
         << " " << info.id << " (" << dir << ") in " << ms << " ms\n";
    err_.flush();
    break;
  }
  if (!restored_ && first_attempt && !candidates.empty() && !explicit_path) {
    err_ << "dfc: warning: job '" << spec_.name << "': no usable checkpoint in '"
         << checkpoint_config_.dir << "', starting from scratch\n";
    err_.flush();
  }
  *exit_code = 0;
  return "";
}

std::string JobRuntime::CheckRestoredUids(const RestoredState::Data& data) {
  if (options_.allow_non_restored_state) return "";
  std::set<std::string, std::less<>> uids;
  for (const VertexSpec& vs : spec_.vertices)
    for (const OperatorSpec& op : vs.operators) uids.insert(op.uid);
  auto check = [&](const std::string& uid) -> std::string {
    if (uids.count(uid)) return "";
    return "it has state for operator uid '" + uid +
           "', which this job does not have (pass --allow-non-restored-state to drop that state)";
  };
  for (const auto& [uid, entries] : data.operator_entries) {
    bool any = false;  // stateless sinks write empty entries
    for (const auto& x : entries) any |= !x.empty();
    if (!any) continue;
    if (auto e = check(uid); !e.empty()) return e;
  }
  for (const auto& [uid, groups] : data.keyed)
    if (auto e = check(uid); !e.empty()) return e;
  return "";
}

CheckpointStats JobRuntime::checkpoint_stats() const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  return stats_;
}

int64_t JobRuntime::TriggerSavepoint(const std::string& target, bool stop, bool drain, std::string* error) {
  std::lock_guard<std::mutex> lock(coordinator_mu_);
  if (!coordinator_) {
    *error = checkpointing_ ? "the job is not running" : "checkpointing is off for this job";
    return -1;
  }
  return coordinator_->TriggerSavepoint(target, stop, drain);
}

SavepointStatus JobRuntime::SavepointStatusOf(int64_t request) const {
  std::lock_guard<std::mutex> lock(coordinator_mu_);
  if (coordinator_) return coordinator_->SavepointStatusOf(request);
  if (auto it = finished_savepoints_.find(request); it != finished_savepoints_.end()) return it->second;
  SavepointStatus s;
  s.state = SavepointStatus::kFailed;
  s.failure = "the job is not running";
  return s;
}

std::string JobRuntime::state() const {
  switch (final_state_.load()) {
    case 1: return "FINISHED";
    case 2: return "FAILED";
    case 3: return "CANCELED";
  }
  return restarting_.load() ? "RESTARTING" : "RUNNING";
}

}  // namespace dfc::rt
