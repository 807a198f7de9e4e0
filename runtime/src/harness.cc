#include "dfc/testing/harness.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>

#include "runtime/src/input_gate.h"
#include "runtime/src/input_processor.h"
#include "runtime/src/job_runtime.h"

namespace dfc::rt {

struct TaskHarness::Impl {
  Impl(std::unique_ptr<OperatorTask> t, Options o)
      : task(std::move(t)), options(std::move(o)), clock(options.start_millis) {}

  std::unique_ptr<OperatorTask> task;
  Options options;
  FakeClock clock;
  TaskMetrics metrics;
  std::unique_ptr<OperatorMetrics[]> op_metrics;
  std::unique_ptr<JobConfig> config;
  std::atomic<bool> cancelled{false};
  TaskContext ctx;
  std::unique_ptr<InputProcessor> processor;
  // One unbounded gate per output edge; its channels stand for the downstream subtasks.
  std::vector<std::unique_ptr<InputGate>> out_gates;
  std::vector<std::vector<std::vector<std::unique_ptr<BufferBase>>>> captured;  // edge, channel
  bool opened = false;
  // Exactly-once alignment: elements of blocked channels wait here, per channel, in order.
  std::vector<bool> blocked;
  std::vector<std::vector<std::unique_ptr<BufferBase>>> held;
};

TaskHarness::TaskHarness(std::unique_ptr<OperatorTask> task)
    : TaskHarness(std::move(task), Options()) {}

TaskHarness::TaskHarness(std::unique_ptr<OperatorTask> task, Options options)
    : impl_(std::make_unique<Impl>(std::move(task), std::move(options))) {
  Impl& m = *impl_;
  const Options& o = m.options;
  RunOptions run;
  run.config = o.config;
  for (const auto& [k, v] : o.params) run.params[k] = v;
  static const JobSpec kEmpty{};
  m.config = std::make_unique<JobConfig>(kEmpty, run);
  m.op_metrics = std::make_unique<OperatorMetrics[]>(std::max(o.num_operators, 1));

  TaskContext& c = m.ctx;
  c.subtask_ = o.subtask;
  c.parallelism_ = o.parallelism;
  c.max_parallelism_ = o.max_parallelism;
  c.chain_name_ = "harness";
  c.op_metrics_ = m.op_metrics.get();
  c.metrics_ = &m.metrics;
  c.clock_ = &m.clock;
  c.config_ = m.config.get();
  c.cancelled_ = &m.cancelled;
  c.buffer_timeout_ns_ = o.buffer_timeout_ns;
  for (int n : o.output_channels) {
    auto gate = std::make_unique<InputGate>(SIZE_MAX);
    std::vector<ChannelRef> refs;
    for (int i = 0; i < n; ++i) refs.push_back(ChannelRef{gate.get(), gate->AddChannel(0)});
    c.outputs_.push_back(std::move(refs));
    m.captured.emplace_back(n);
    m.out_gates.push_back(std::move(gate));
  }
  std::vector<int> inputs;
  for (size_t in = 0; in < o.channels_per_input.size(); ++in)
    for (int k = 0; k < o.channels_per_input[in]; ++k) inputs.push_back(static_cast<int>(in));
  const size_t channels = inputs.size();
  m.processor = std::make_unique<InputProcessor>(m.task.get(), std::move(inputs), &m.metrics);
  m.blocked.assign(channels, false);
  m.held.resize(channels);
  if (o.exactly_once) {
    m.processor->SetCheckpointing(true, [&m](int c, bool b) { m.blocked[c] = b; });
  }
}

const SnapshotWriter& TaskHarness::last_snapshot() const { return impl_->ctx.last_snapshot(); }

// The task goes first: it may hold objects registered with the context (keyed state backends).
TaskHarness::~TaskHarness() { impl_->task.reset(); }

void TaskHarness::Open() {
  impl_->ctx.task_ = impl_->task.get();
  impl_->task->Open(impl_->ctx);
  impl_->ctx.RestoreKeyedState();
  impl_->task->InitializeState(impl_->ctx.restored_);
  impl_->opened = true;
}

void TaskHarness::Feed(int channel, std::unique_ptr<BufferBase> element) {
  Impl& m = *impl_;
  if (!m.opened) throw std::logic_error("TaskHarness: call Open() first");
  if (m.processor->ended()) throw std::logic_error("TaskHarness: input already ended");
  if (m.blocked[channel]) {
    m.held[channel].push_back(std::move(element));
    return;
  }
  m.processor->Process(channel, *element);
  // Released channels deliver what they held (processing may block them again).
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t c = 0; c < m.held.size(); ++c) {
      if (m.blocked[c] || m.held[c].empty() || m.processor->ended()) continue;
      std::unique_ptr<BufferBase> e = std::move(m.held[c].front());
      m.held[c].erase(m.held[c].begin());
      m.processor->Process(static_cast<int>(c), *e);
      progress = true;
    }
  }
  if (!m.processor->ended()) m.task->OnIdle();
  Collect();
}

void TaskHarness::ProcessWatermark(int channel, int64_t watermark) {
  auto b = std::make_unique<BufferBase>();
  b->kind = ElementKind::kWatermark;
  b->value = watermark;
  Feed(channel, std::move(b));
}

void TaskHarness::ProcessWatermarkAll(int64_t watermark) {
  int n = 0;
  for (int k : impl_->options.channels_per_input) n += k;
  for (int c = 0; c < n; ++c) ProcessWatermark(c, watermark);
}

void TaskHarness::ProcessBarrier(int channel, int64_t checkpoint_id) {
  auto b = std::make_unique<BufferBase>();
  b->kind = ElementKind::kBarrier;
  b->value = checkpoint_id;
  Feed(channel, std::move(b));
}

void TaskHarness::ProcessWatermarkStatus(int channel, bool idle) {
  auto b = std::make_unique<BufferBase>();
  b->kind = ElementKind::kWatermarkStatus;
  b->value = idle ? 1 : 0;
  Feed(channel, std::move(b));
}

void TaskHarness::EndInput(int channel) {
  auto b = std::make_unique<BufferBase>();
  b->kind = ElementKind::kEndOfInput;
  Feed(channel, std::move(b));
}

void TaskHarness::EndAllInputs() {
  int n = 0;
  for (int k : impl_->options.channels_per_input) n += k;
  if (n == 0) {
    impl_->processor->EndWithoutChannels();
    Collect();
    return;
  }
  for (int c = 0; c < n; ++c) EndInput(c);
}

void TaskHarness::Idle() {
  impl_->task->OnIdle();
  Collect();
}

void TaskHarness::Tick() {
  // As the mailbox loop: processing-time timers that are due fire, then the tick.
  OperatorTask& t = *impl_->task;
  if (t.NextProcessingDeadline() != kMaxWatermark && impl_->clock.NowMillis() >= t.NextProcessingDeadline())
    t.OnProcessingTime(impl_->clock.NowMillis());
  t.OnTick(impl_->clock.NowNanos());
  t.OnIdle();
  Collect();
}

void TaskHarness::Close() {
  impl_->task->Close();
  for (const auto& edge : impl_->ctx.outputs_)
    for (const ChannelRef& ch : edge) ch.gate->EnsureEndOfInput(ch.channel);
  Collect();
}

void TaskHarness::Collect() {
  Impl& m = *impl_;
  std::vector<std::function<void()>> mails;
  for (size_t e = 0; e < m.out_gates.size(); ++e) {
    int c = 0;
    while (auto b = m.out_gates[e]->Poll(&c, nullptr, 0, &mails)) {
      m.captured[e][c].push_back(std::move(b));
    }
  }
}

FakeClock& TaskHarness::clock() { return impl_->clock; }
TaskContext& TaskHarness::context() { return impl_->ctx; }
OperatorTask& TaskHarness::task() { return *impl_->task; }
TaskMetrics& TaskHarness::metrics() { return impl_->metrics; }
OperatorMetrics& TaskHarness::op_metrics(int op_index) { return impl_->op_metrics[op_index]; }
int64_t TaskHarness::combined_watermark() const { return impl_->processor->combined_watermark(); }
bool TaskHarness::ended() const { return impl_->processor->ended(); }

int TaskHarness::num_output_channels(int edge) const {
  return static_cast<int>(impl_->captured.at(edge).size());
}

std::vector<const BufferBase*> TaskHarness::Captured(int edge, int channel) const {
  std::vector<const BufferBase*> out;
  for (const auto& b : impl_->captured.at(edge).at(channel)) out.push_back(b.get());
  return out;
}

std::vector<TaskHarness::Element> TaskHarness::Elements(int edge, int channel) const {
  std::vector<Element> out;
  for (const BufferBase* b : Captured(edge, channel)) {
    out.push_back(Element{b->kind, b->value, b->num_records()});
  }
  return out;
}

std::vector<int64_t> TaskHarness::Watermarks(int edge, int channel) const {
  std::vector<int64_t> out;
  for (const BufferBase* b : Captured(edge, channel))
    if (b->kind == ElementKind::kWatermark) out.push_back(b->value);
  return out;
}

bool TaskHarness::EndOfInputSent(int edge, int channel) const {
  for (const BufferBase* b : Captured(edge, channel))
    if (b->kind == ElementKind::kEndOfInput) return true;
  return false;
}

void TaskHarness::ClearOutput() {
  for (auto& edge : impl_->captured)
    for (auto& ch : edge) ch.clear();
}

}  // namespace dfc::rt
