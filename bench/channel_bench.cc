// Channel throughput: records/s through one channel between two threads (source -> sink, forward)
// and through a hash shuffle 2 -> 2, beside a hand-written single-thread loop doing the same
// per-record work. Prints numbers; not a pass/fail test. Usage: channel_bench [records]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

#include "dfc/task.h"
#include "runtime/src/job_runtime.h"

namespace {

using dfc::rt::Buffer;
using dfc::rt::BufferBase;
using dfc::rt::ElementKind;
using dfc::rt::PartitionMode;
using dfc::rt::Record;

std::atomic<int64_t> g_sink_sum{0};

class Source final : public dfc::rt::SourceTask {
 public:
  Source(int64_t n, PartitionMode mode) : n_(n), mode_(mode) {}
  void Open(dfc::rt::TaskContext& ctx) override {
    SourceTask::Open(ctx);
    out_.Init(&ctx, 0, mode_, [](const int64_t& v) { return dfc::rt::HashValue(v); });
  }
  void Run() override {
    const int64_t n = n_ / ctx_->parallelism();
    for (int64_t i = 0; i < n; ++i) {
      if ((i & 0xffff) == 0 && ShouldStop()) return;
      out_.Emit(i, i);
    }
    ctx_->op_metrics(0)->AddOut(static_cast<uint64_t>(n));
    out_.Broadcast(ElementKind::kWatermark, dfc::rt::kMaxWatermark);
    out_.Broadcast(ElementKind::kEndOfInput, 0);
  }

 private:
  int64_t n_;
  PartitionMode mode_;
  dfc::rt::RecordWriter<int64_t> out_;
};

class Sink final : public dfc::rt::OperatorTask {
 public:
  void ProcessBuffer(int, BufferBase& b) override {
    auto& recs = static_cast<Buffer<int64_t>&>(b).records;
    for (auto& r : recs) sum_ += r.value ^ r.ts;
    ctx_->op_metrics(0)->AddIn(recs.size());
  }
  void OnWatermark(int64_t) override {}
  void OnEndOfInput() override { g_sink_sum += sum_; }
  void OnIdle() override {}
  void OnTick(int64_t) override {}

 private:
  int64_t sum_ = 0;
};

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The same work in one thread: records produced into a 1024-record buffer, then consumed.
double SingleThread(int64_t n) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Record<int64_t>> buf;
  buf.reserve(dfc::rt::kBufferRecords);
  int64_t sum = 0;
  for (int64_t i = 0; i < n;) {
    buf.clear();
    for (size_t k = 0; k < dfc::rt::kBufferRecords && i < n; ++k, ++i) buf.push_back({i, i});
    for (auto& r : buf) sum += r.value ^ r.ts;
  }
  const double s = Seconds(t0);
  if (sum == 42) std::puts("");  // keep the loop
  return s;
}

double RunJob(int64_t n, int p_src, int p_sink, PartitionMode mode) {
  dfc::rt::JobSpec spec;
  spec.name = "bench";
  spec.vertices.push_back(dfc::rt::VertexSpec{
      "src", p_src, 0, {{"src", "src", "src", dfc::rt::OperatorKind::kSource}},
      [n, mode] { return std::make_unique<Source>(n, mode); }});
  spec.vertices.push_back(dfc::rt::VertexSpec{
      "sink", p_sink, 0, {{"sink", "sink", "sink", dfc::rt::OperatorKind::kSink}},
      [] { return std::make_unique<Sink>(); }});
  spec.edges.push_back(dfc::rt::EdgeSpec{0, 1, 0, mode});
  std::ostringstream err;
  dfc::rt::JobRuntime rt(spec, dfc::rt::RunOptions{}, err);
  auto t0 = std::chrono::steady_clock::now();
  if (rt.Run() != 0) {
    std::fprintf(stderr, "%s", err.str().c_str());
    std::exit(1);
  }
  const double s = Seconds(t0);
  if (rt.records_out() != static_cast<uint64_t>(n / p_src * p_src)) {
    std::fprintf(stderr, "lost records: %llu\n", static_cast<unsigned long long>(rt.records_out()));
    std::exit(1);
  }
  return s;
}

void Report(const char* name, int64_t n, double secs, double baseline) {
  std::printf("%-36s %8.1f M records/s  (%.3f s, %.2fx of single-thread loop)\n", name,
              n / secs / 1e6, secs, baseline / secs);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 50'000'000;
  std::printf("channel_bench: %lld records of int64 (+ timestamp), buffers of %zu, capacity %zu\n",
              static_cast<long long>(n), dfc::rt::kBufferRecords, dfc::rt::kChannelCapacity);
  const double base = SingleThread(n);
  Report("single-thread loop", n, base, base);
  Report("1 channel, 2 threads (forward 1->1)", n, RunJob(n, 1, 1, PartitionMode::kForward), base);
  Report("hash shuffle 2->2 (4 threads)", n, RunJob(n, 2, 2, PartitionMode::kHash), base);
  return 0;
}
