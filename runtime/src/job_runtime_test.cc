// The threaded runtime: wiring, backpressure, hash partitioning, watermarks, failure, cancel and
// the command line, with hand-written tasks standing in for generated chains.
#include "runtime/src/job_runtime.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <mutex>
#include <sstream>
#include <thread>

#include "dfc/task.h"

namespace dfc::rt {
namespace {

struct Event {
  int64_t key;
  int64_t seq;
  int src;
};
uint64_t EventKeyHash(const Event& e) { return HashValue(e.key); }

// Shared between the hand-written tasks of one test and the test body.
struct Shared {
  std::mutex mu;
  std::map<int, std::vector<Event>> by_subtask;  // what each sink subtask received
  std::vector<int64_t> watermarks;               // OnWatermark values of sink subtask 0
  std::atomic<int64_t> max_queued{0};
  std::atomic<int64_t> source_backpressured_ns{0};
  std::atomic<int> created{0}, destroyed{0};
  std::map<std::string, std::set<std::thread::id>> threads;  // task -> the threads it ran on
  void Ran(const char* task) {
    std::lock_guard<std::mutex> lock(mu);
    threads[task].insert(std::this_thread::get_id());
  }
};

struct SourceOptions {
  int64_t count = 1000;  // per subtask; < 0 = until cancelled
  int64_t keys = 16;
  PartitionMode mode = PartitionMode::kForward;
  int64_t watermark_every = 100;
};

class TestSource final : public SourceTask {
 public:
  TestSource(Shared* s, SourceOptions o) : s_(s), o_(o) { ++s_->created; }
  ~TestSource() override { ++s_->destroyed; }
  void Open(TaskContext& ctx) override {
    SourceTask::Open(ctx);
    out_.Init(&ctx, 0, o_.mode, o_.mode == PartitionMode::kHash ? &EventKeyHash : nullptr);
    o_.count = ctx.ParamInt("src", "count", o_.count);
  }
  void Run() override {
    s_->Ran("src");
    for (int64_t i = 0; o_.count < 0 || i < o_.count; ++i) {
      if ((i & 255) == 0 && ShouldStop()) return;
      out_.Emit(Event{i % o_.keys, i, ctx_->subtask()}, i);
      ctx_->op_metrics(0)->AddOut(1);
      if (o_.watermark_every > 0 && i % o_.watermark_every == 0) {
        out_.Broadcast(ElementKind::kWatermark, i);
      }
    }
    out_.Broadcast(ElementKind::kWatermark, kMaxWatermark);
    out_.Broadcast(ElementKind::kEndOfInput, 0);
    s_->source_backpressured_ns += ctx_->metrics()->backpressured_ns.load();
  }

 private:
  Shared* s_;
  SourceOptions o_;
  RecordWriter<Event> out_;
};

class TestMap final : public OperatorTask {
 public:
  TestMap(Shared* s, int64_t throw_at = -1) : s_(s), throw_at_(throw_at) { ++s_->created; }
  ~TestMap() override { ++s_->destroyed; }
  void Open(TaskContext& ctx) override {
    OperatorTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kForward);
  }
  void ProcessBuffer(int, BufferBase& b) override {
    auto& recs = static_cast<Buffer<Event>&>(b).records;
    s_->Ran("map");
    for (auto& r : recs) {
      if (r.value.seq == throw_at_) throw std::runtime_error("kaput");
      out_.Emit(r.value, r.ts);
    }
    ctx_->op_metrics(0)->AddIn(recs.size());
    ctx_->op_metrics(0)->AddOut(recs.size());
    UpdateMax(s_->max_queued, ctx_->metrics()->queued_buffers.load());
  }
  void OnWatermark(int64_t wm) override { out_.Broadcast(ElementKind::kWatermark, wm); }
  void OnEndOfInput() override {}
  void OnIdle() override { out_.Flush(); }
  void OnTick(int64_t now) override { out_.MaybeFlushOnTimeout(now); }
  void Close() override { out_.Broadcast(ElementKind::kEndOfInput, 0); }

  static void UpdateMax(std::atomic<int64_t>& m, int64_t v) {
    int64_t cur = m.load();
    while (v > cur && !m.compare_exchange_weak(cur, v)) {
    }
  }

 private:
  Shared* s_;
  int64_t throw_at_;
  RecordWriter<Event> out_;
};

struct SinkOptions {
  int sleep_us_per_buffer = 0;
  bool block_until_cancelled = false;
  int64_t fail_at = -1;  // throw OperatorError at this seq
};

class TestSink final : public OperatorTask {
 public:
  TestSink(Shared* s, SinkOptions o) : s_(s), o_(o) { ++s_->created; }
  ~TestSink() override { ++s_->destroyed; }
  void ProcessBuffer(int, BufferBase& b) override {
    auto& recs = static_cast<Buffer<Event>&>(b).records;
    s_->Ran("snk");
    TestMap::UpdateMax(s_->max_queued, ctx_->metrics()->queued_buffers.load());
    while (o_.block_until_cancelled && !ctx_->cancelled()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (o_.sleep_us_per_buffer > 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(o_.sleep_us_per_buffer));
    }
    std::lock_guard<std::mutex> lock(s_->mu);
    for (auto& r : recs) {
      if (r.value.seq == o_.fail_at) throw OperatorError("snk", "boom");
      s_->by_subtask[ctx_->subtask()].push_back(r.value);
    }
    ctx_->op_metrics(0)->AddIn(recs.size());
  }
  void OnWatermark(int64_t wm) override {
    if (ctx_->subtask() != 0) return;
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->watermarks.push_back(wm);
  }
  void OnEndOfInput() override {}
  void OnIdle() override {}
  void OnTick(int64_t) override {}

 private:
  Shared* s_;
  SinkOptions o_;
};

OperatorSpec Op(const char* id, OperatorKind kind = OperatorKind::kOperator) {
  return OperatorSpec{id, id, id, kind};
}

// source(p_src) -[mode]-> [map(p) -forward->] sink(p)
JobSpec MakeJob(Shared* s, int p_src, SourceOptions so, bool with_map, SinkOptions sk,
                int64_t map_throw_at = -1) {
  JobSpec spec;
  spec.name = "t";
  spec.vertices.push_back(VertexSpec{"src", p_src, 0, {Op("src", OperatorKind::kSource)},
                                     [s, so] { return std::make_unique<TestSource>(s, so); }});
  if (with_map) {
    spec.vertices.push_back(VertexSpec{"map", 0, 0, {Op("map")}, [s, map_throw_at] {
                                         return std::make_unique<TestMap>(s, map_throw_at);
                                       }});
  }
  spec.vertices.push_back(VertexSpec{"snk", 0, 0, {Op("snk", OperatorKind::kSink)},
                                     [s, sk] { return std::make_unique<TestSink>(s, sk); }});
  if (with_map) {
    spec.edges.push_back(EdgeSpec{0, 1, 0, so.mode});
    spec.edges.push_back(EdgeSpec{1, 2, 0, PartitionMode::kForward});
  } else {
    spec.edges.push_back(EdgeSpec{0, 1, 0, so.mode});
  }
  spec.overridable_params = {{"src", "count"}};
  return spec;
}

RunOptions WithParallelism(int p) {
  RunOptions o;
  o.parallelism = p;
  o.config = {{"execution.buffer-timeout", "5 ms"}};
  return o;
}

TEST(JobRuntimeTest, BackpressureThroughThreeStagesStaysBounded) {
  Shared s;
  SourceOptions so;
  so.count = 50'000;
  SinkOptions sk;
  sk.sleep_us_per_buffer = 1000;  // the sink is the bottleneck
  JobSpec spec = MakeJob(&s, 1, so, /*with_map=*/true, sk);
  std::ostringstream err;
  RunOptions o = WithParallelism(1);
  o.config.push_back({"pipeline.synchronous-exchange", "false"});  // three threads
  JobRuntime rt(spec, o, err);
  ASSERT_EQ(rt.Run(), 0) << err.str();
  EXPECT_NE(err.str().find("finished in"), std::string::npos);
  EXPECT_NE(err.str().find("50000 records in, 50000 records out"), std::string::npos) << err.str();
  ASSERT_EQ(s.by_subtask[0].size(), 50'000u);
  for (size_t i = 0; i < s.by_subtask[0].size(); ++i) ASSERT_EQ(s.by_subtask[0][i].seq, (int64_t)i);
  // Each gate has one channel: never more than its capacity queued.
  EXPECT_LE(s.max_queued.load(), static_cast<int64_t>(kChannelCapacity));
  EXPECT_LE(rt.peak_queued_buffers(), static_cast<int64_t>(kChannelCapacity));
  EXPECT_GT(s.source_backpressured_ns.load(), 0);  // the source felt it, hop by hop
  EXPECT_EQ(s.created.load(), 3);
  EXPECT_EQ(s.destroyed.load(), 3);
}

// Runtime chaining: at parallelism 1 the map and the sink run on the source's thread (one thread
// for the job), with the same records and watermarks in the same order as on three threads.
TEST(JobRuntimeTest, SynchronousExchangeServesOneToOneConsumersOnTheProducersThread) {
  std::vector<Event> outputs[2];
  std::vector<int64_t> watermarks[2];
  for (int sync = 0; sync < 2; ++sync) {
    Shared s;
    SourceOptions so;
    so.count = 20'000;
    so.mode = PartitionMode::kHash;  // 1 -> 1: a FIFO hand-off like forward
    JobSpec spec = MakeJob(&s, 1, so, /*with_map=*/true, SinkOptions{});
    RunOptions o = WithParallelism(1);
    o.verbose = true;
    o.config.push_back({"pipeline.synchronous-exchange", sync ? "true" : "false"});
    std::ostringstream err;
    JobRuntime rt(spec, o, err);
    ASSERT_EQ(rt.Run(), 0) << err.str();
    EXPECT_NE(err.str().find("20000 records in, 20000 records out"), std::string::npos) << err.str();
    ASSERT_EQ(s.threads.size(), 3u);
    const std::thread::id src = *s.threads["src"].begin();
    EXPECT_EQ(s.threads["map"].size(), 1u);
    EXPECT_EQ(s.threads["snk"].size(), 1u);
    const bool map_inline = s.threads["map"].count(src) > 0, snk_inline = s.threads["snk"].count(src) > 0;
    EXPECT_EQ(map_inline, sync == 1);
    EXPECT_EQ(snk_inline, sync == 1);
    const bool logged = err.str().find("dfc: chain 'snk' (subtask 1/1) runs on the thread of chain 'src' "
                                       "(subtask 1/1) (pipeline.synchronous-exchange)") != std::string::npos;
    EXPECT_EQ(logged, sync == 1) << err.str();
    // Every vertex still reports its own counts (REST /jobs/J/vertices/V/metrics).
    for (int v : {1, 2}) {
      bool found = false;
      for (const auto& [name, value] : rt.VertexMetrics(v))
        if (name == "0.numRecordsIn") found = value == "20000";
      EXPECT_TRUE(found) << "vertex " << v;
    }
    EXPECT_EQ(rt.records_out(), 20'000u);
    outputs[sync] = s.by_subtask[0];
    watermarks[sync] = s.watermarks;
  }
  ASSERT_EQ(outputs[0].size(), 20'000u);
  ASSERT_EQ(outputs[1].size(), outputs[0].size());
  for (size_t i = 0; i < outputs[0].size(); ++i) ASSERT_EQ(outputs[1][i].seq, outputs[0][i].seq);
  EXPECT_EQ(watermarks[0].back(), kMaxWatermark);
  EXPECT_EQ(watermarks[1], watermarks[0]);
}

// Checkpoints through a served consumer: the source's barriers reach the sink on the source's
// thread, and the sink's checkpoint-complete notifications (mails to its gate) are served there
// too, between two of the source's records.
struct CkptShared {
  std::atomic<int> completed{0};
  std::mutex mu;
  std::set<std::thread::id> source_threads, notify_threads;
  std::vector<int64_t> notified, barriers;
};

class CkptSource final : public SourceTask {
 public:
  explicit CkptSource(CkptShared* s) : s_(s) {}
  void Open(TaskContext& ctx) override {
    SourceTask::Open(ctx);
    out_.Init(&ctx, 0, PartitionMode::kHash, &EventKeyHash);
  }
  void Run() override {
    {
      std::lock_guard<std::mutex> lock(s_->mu);
      s_->source_threads.insert(std::this_thread::get_id());
    }
    for (int64_t i = 0; s_->completed.load() < 3; ++i) {
      if ((i & 255) == 0) {
        if (ShouldStop()) return;
        if (ctx_->control_pending()) ctx_->HandleControl();
        out_.Flush();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      out_.Emit(Event{i % 7, i, 0}, i);
    }
    out_.Broadcast(ElementKind::kWatermark, kMaxWatermark);
    out_.Broadcast(ElementKind::kEndOfInput, 0);
  }
  void BroadcastBarrier(int64_t id) override { out_.Broadcast(ElementKind::kBarrier, id); }

 private:
  CkptShared* s_;
  RecordWriter<Event> out_;
};

class CkptSink final : public OperatorTask {
 public:
  explicit CkptSink(CkptShared* s) : s_(s) {}
  void ProcessBuffer(int, BufferBase& b) override {
    ctx_->op_metrics(0)->AddIn(static_cast<Buffer<Event>&>(b).records.size());
  }
  void OnWatermark(int64_t) override {}
  void OnEndOfInput() override {}
  void OnIdle() override {}
  void OnTick(int64_t) override {}
  void SnapshotState(SnapshotWriter& w) override {
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->barriers.push_back(w.checkpoint_id());
  }
  void NotifyCheckpointComplete(int64_t id) override {
    {
      std::lock_guard<std::mutex> lock(s_->mu);
      s_->notify_threads.insert(std::this_thread::get_id());
      s_->notified.push_back(id);
    }
    ++s_->completed;
  }

 private:
  CkptShared* s_;
};

TEST(JobRuntimeTest, SynchronousExchangeServesCheckpointNotificationsOnTheProducersThread) {
  for (int sync = 0; sync < 2; ++sync) {
    CkptShared s;
    JobSpec spec;
    spec.name = "ckpt";
    spec.vertices.push_back(VertexSpec{"src", 1, 0, {Op("src", OperatorKind::kSource)},
                                       [&s] { return std::make_unique<CkptSource>(&s); }});
    spec.vertices.push_back(VertexSpec{"snk", 1, 0, {Op("snk", OperatorKind::kSink)},
                                       [&s] { return std::make_unique<CkptSink>(&s); }});
    spec.edges.push_back(EdgeSpec{0, 1, 0, PartitionMode::kHash});
    const std::string dir = ::testing::TempDir() + "/dfc_sync_ckpt_" + std::to_string(getpid()) + "_" +
                            std::to_string(sync);
    RunOptions o = WithParallelism(1);
    o.config.push_back({"execution.checkpointing.interval", "10 ms"});
    o.config.push_back({"execution.checkpointing.dir", dir});
    o.config.push_back({"pipeline.synchronous-exchange", sync ? "true" : "false"});
    std::ostringstream err;
    JobRuntime rt(spec, o, err);
    ASSERT_EQ(rt.Run(), 0) << err.str();
    EXPECT_GE(rt.checkpoint_stats().completed, 3) << err.str();
    std::lock_guard<std::mutex> lock(s.mu);
    ASSERT_GE(s.notified.size(), 3u);
    EXPECT_TRUE(std::is_sorted(s.notified.begin(), s.notified.end()));
    EXPECT_TRUE(std::is_sorted(s.barriers.begin(), s.barriers.end()));
    ASSERT_EQ(s.source_threads.size(), 1u);
    ASSERT_EQ(s.notify_threads.size(), 1u);
    EXPECT_EQ(*s.notify_threads.begin() == *s.source_threads.begin(), sync == 1);
  }
}

TEST(JobRuntimeTest, SynchronousExchangeRejectsABadValue) {
  Shared s;
  JobSpec spec = MakeJob(&s, 1, SourceOptions{}, false, SinkOptions{});
  RunOptions o = WithParallelism(1);
  o.config.push_back({"pipeline.synchronous-exchange", "yes"});
  std::ostringstream err;
  JobRuntime rt(spec, o, err);
  EXPECT_EQ(rt.Run(), 2);
  EXPECT_NE(err.str().find("pipeline.synchronous-exchange must be true or false, got 'yes'"), std::string::npos)
      << err.str();
}

TEST(JobRuntimeTest, HashPartitioningByKeyGroupKeepsPerKeyOrder) {
  Shared s;
  SourceOptions so;
  so.count = 20'000;
  so.keys = 97;
  so.mode = PartitionMode::kHash;
  JobSpec spec = MakeJob(&s, /*p_src=*/2, so, /*with_map=*/false, SinkOptions{});
  std::ostringstream err;
  JobRuntime rt(spec, WithParallelism(4), err);
  ASSERT_EQ(rt.Run(), 0) << err.str();
  EXPECT_EQ(rt.parallelism(0), 2);
  EXPECT_EQ(rt.parallelism(1), 4);
  const int maxp = rt.max_parallelism();
  EXPECT_EQ(maxp, 128);
  size_t total = 0;
  for (auto& [subtask, events] : s.by_subtask) {
    std::map<std::pair<int, int64_t>, int64_t> last;  // (source subtask, key) -> seq
    for (const Event& e : events) {
      ASSERT_EQ(SubtaskForKeyGroup(KeyGroupFor(HashValue(e.key), maxp), 4, maxp), subtask);
      auto [it, fresh] = last.emplace(std::make_pair(e.src, e.key), e.seq);
      if (!fresh) {
        ASSERT_GT(e.seq, it->second);
        it->second = e.seq;
      }
    }
    total += events.size();
  }
  EXPECT_EQ(total, 40'000u);
  EXPECT_GT(s.by_subtask.size(), 1u);
}

TEST(JobRuntimeTest, WatermarkIsMinimumOverChannelsAndEndsAtMax) {
  Shared s;
  SourceOptions so;
  so.count = 50'000;
  so.mode = PartitionMode::kRebalance;
  so.watermark_every = 1000;
  JobSpec spec = MakeJob(&s, 3, so, false, SinkOptions{});
  std::ostringstream err;
  JobRuntime rt(spec, WithParallelism(2), err);
  ASSERT_EQ(rt.Run(), 0) << err.str();
  ASSERT_FALSE(s.watermarks.empty());
  EXPECT_TRUE(std::is_sorted(s.watermarks.begin(), s.watermarks.end()));
  EXPECT_EQ(std::adjacent_find(s.watermarks.begin(), s.watermarks.end()), s.watermarks.end());
  EXPECT_EQ(s.watermarks.back(), kMaxWatermark);
  // The channel minimum: a combined watermark never exceeds what every source has sent, and each
  // source sends multiples of 1000 below 50000 before the maximum.
  for (size_t i = 0; i + 1 < s.watermarks.size(); ++i) {
    EXPECT_EQ(s.watermarks[i] % 1000, 0);
    EXPECT_LT(s.watermarks[i], 50'000);
  }
}

TEST(JobRuntimeTest, ForwardWithDifferentParallelismFallsBackToRebalance) {
  Shared s;
  SourceOptions so;
  so.count = 10'000;
  JobSpec spec = MakeJob(&s, 1, so, false, SinkOptions{});  // forward 1 -> 3
  std::ostringstream err;
  JobRuntime rt(spec, WithParallelism(3), err);
  ASSERT_EQ(rt.Run(), 0) << err.str();
  EXPECT_EQ(s.by_subtask.size(), 3u);
  EXPECT_EQ(rt.records_out(), 10'000u);
}

TEST(JobRuntimeTest, CancelWhileProducersAreBlockedJoinsEverything) {
  Shared s;
  SourceOptions so;
  so.count = -1;  // unbounded
  so.mode = PartitionMode::kRebalance;
  SinkOptions sk;
  sk.block_until_cancelled = true;  // never drains: every channel fills up
  JobSpec spec = MakeJob(&s, 2, so, /*with_map=*/true, sk);
  std::ostringstream err;
  JobRuntime rt(spec, WithParallelism(2), err);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    rt.Cancel(SIGTERM);
  });
  EXPECT_EQ(rt.Run(), 143);
  canceller.join();
  EXPECT_NE(err.str().find("cancelled by SIGTERM"), std::string::npos) << err.str();
  EXPECT_EQ(s.created.load(), 6);
  EXPECT_EQ(s.destroyed.load(), 6);
}

TEST(JobRuntimeTest, OperatorErrorFailsTheJobNamingTheOperator) {
  Shared s;
  SourceOptions so;
  so.count = -1;
  SinkOptions sk;
  sk.fail_at = 5000;
  JobSpec spec = MakeJob(&s, 1, so, true, sk);
  std::ostringstream err;
  JobRuntime rt(spec, WithParallelism(1), err);
  EXPECT_EQ(rt.Run(), 1);
  EXPECT_NE(err.str().find("dfc: job 't' failed: operator 'snk' (subtask 1/1): boom"),
            std::string::npos)
      << err.str();
  EXPECT_EQ(s.threads["snk"], s.threads["src"]);  // served on the source's thread
  EXPECT_EQ(s.created.load(), s.destroyed.load());
}

TEST(JobRuntimeTest, OtherExceptionsNameTheChain) {
  Shared s;
  SourceOptions so;
  so.count = -1;
  so.mode = PartitionMode::kRebalance;
  JobSpec spec = MakeJob(&s, 1, so, true, SinkOptions{}, /*map_throw_at=*/3000);
  std::ostringstream err;
  JobRuntime rt(spec, WithParallelism(2), err);
  EXPECT_EQ(rt.Run(), 1);
  EXPECT_NE(err.str().find("failed: chain 'map' (subtask "), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("/2): kaput"), std::string::npos) << err.str();
}

// A consumer served on its producer's thread still fails under its own name.
TEST(JobRuntimeTest, OtherExceptionsNameTheChainAlsoOnTheProducersThread) {
  Shared s;
  SourceOptions so;
  so.count = -1;
  JobSpec spec = MakeJob(&s, 1, so, true, SinkOptions{}, /*map_throw_at=*/3000);
  std::ostringstream err;
  JobRuntime rt(spec, WithParallelism(1), err);
  EXPECT_EQ(rt.Run(), 1);
  EXPECT_NE(err.str().find("dfc: job 't' failed: chain 'map' (subtask 1/1): kaput"), std::string::npos)
      << err.str();
  EXPECT_EQ(s.threads["map"], s.threads["src"]);
  EXPECT_EQ(s.created.load(), s.destroyed.load());
}

TEST(JobRuntimeTest, NotEnoughSlots) {
  Shared s;
  JobSpec spec = MakeJob(&s, 1, SourceOptions{}, false, SinkOptions{});
  RunOptions o = WithParallelism(4);
  o.config.push_back({"taskmanager.numberOfTaskSlots", "2"});
  std::ostringstream err;
  JobRuntime rt(spec, o, err);
  EXPECT_EQ(rt.Run(), 1);
  EXPECT_NE(err.str().find("needs 4 task slots"), std::string::npos) << err.str();
  EXPECT_EQ(s.created.load(), 0);
}

TEST(JobRuntimeTest, ParsesDurations) {
  int64_t ns = 0;
  EXPECT_TRUE(ParseDuration("100 ms", &ns));
  EXPECT_EQ(ns, 100'000'000);
  EXPECT_TRUE(ParseDuration("2s", &ns));
  EXPECT_EQ(ns, 2'000'000'000);
  EXPECT_TRUE(ParseDuration("7", &ns));
  EXPECT_EQ(ns, 7'000'000);
  EXPECT_FALSE(ParseDuration("fast", &ns));
  EXPECT_FALSE(ParseDuration("5 parsecs", &ns));
}

// ---- RunJobMain ----

int Main(const JobSpec& spec, std::vector<std::string> args, std::string* err) {
  args.insert(args.begin(), "job");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  testing::internal::CaptureStderr();
  const int code = RunJobMain(spec, static_cast<int>(argv.size()), argv.data());
  *err = testing::internal::GetCapturedStderr();
  return code;
}

TEST(RunJobMainTest, RunsWithOverridesAndPrintsSummaryAndTable) {
  Shared s;
  JobSpec spec = MakeJob(&s, 0, SourceOptions{}, false, SinkOptions{});
  std::string err;
  ASSERT_EQ(Main(spec, {"--parallelism", "2", "-D", "src.count=500", "-Dexecution.buffer-timeout=5 ms",
                        "-v"},
                 &err),
            0)
      << err;
  EXPECT_NE(err.find("dfc: job 't' finished in "), std::string::npos) << err;
  EXPECT_NE(err.find(": 1000 records in, 1000 records out\n"), std::string::npos) << err;
  EXPECT_NE(err.find("numRecordsIn"), std::string::npos) << err;
  EXPECT_NE(err.find("  snk "), std::string::npos) << err;
}

TEST(RunJobMainTest, MetricsIntervalPrintsWhileRunning) {
  Shared s;
  SinkOptions sk;
  sk.sleep_us_per_buffer = 3000;
  JobSpec spec = MakeJob(&s, 1, SourceOptions{}, false, sk);
  std::string err;
  ASSERT_EQ(Main(spec, {"--metrics-interval", "0.05", "-D", "src.count=20000"}, &err), 0) << err;
  EXPECT_NE(err.find("dfc: job 't' metrics:"), std::string::npos) << err;
}

TEST(RunJobMainTest, UsageErrors) {
  Shared s;
  JobSpec spec = MakeJob(&s, 1, SourceOptions{}, false, SinkOptions{});
  std::string err;
  EXPECT_EQ(Main(spec, {"-D", "src.nope=1"}, &err), 2);
  EXPECT_NE(err.find("src.nope"), std::string::npos) << err;
  EXPECT_NE(err.find("overridable: count"), std::string::npos) << err;
  EXPECT_EQ(Main(spec, {"-D", "snk.count=1"}, &err), 2);
  EXPECT_NE(err.find("snk.count"), std::string::npos) << err;
  EXPECT_EQ(Main(spec, {"-D", "noequals"}, &err), 2);
  EXPECT_NE(err.find("malformed -D 'noequals'"), std::string::npos) << err;
  EXPECT_EQ(Main(spec, {"-D"}, &err), 2);
  EXPECT_EQ(Main(spec, {"--bogus"}, &err), 2);
  EXPECT_NE(err.find("unknown option '--bogus'"), std::string::npos) << err;
  EXPECT_EQ(Main(spec, {"--parallelism", "zero"}, &err), 2);
  EXPECT_EQ(Main(spec, {"--metrics-interval", "0"}, &err), 2);
  EXPECT_EQ(Main(spec, {"-D", "execution.buffer-timeout=soon"}, &err), 2);
  EXPECT_NE(err.find("execution.buffer-timeout"), std::string::npos) << err;
  EXPECT_EQ(s.created.load(), 0);
}

TEST(RunJobMainTest, Help) {
  Shared s;
  JobSpec spec = MakeJob(&s, 1, SourceOptions{}, false, SinkOptions{});
  std::vector<std::string> args = {"job", "--help"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  testing::internal::CaptureStdout();
  EXPECT_EQ(RunJobMain(spec, 2, argv.data()), 0);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("src.count"), std::string::npos) << out;
}

TEST(RunJobMainTest, SigtermCancelsCleanly) {
  Shared s;
  SourceOptions so;
  so.count = -1;
  SinkOptions sk;
  sk.sleep_us_per_buffer = 100;
  JobSpec spec = MakeJob(&s, 1, so, true, sk);
  // The sender must not be able to take the signal itself.
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  std::thread killer([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(getpid(), SIGTERM);
  });
  std::string err;
  const int code = Main(spec, {}, &err);
  killer.join();
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(code, 143) << err;
  EXPECT_NE(err.find("cancelled by SIGTERM"), std::string::npos) << err;
  EXPECT_EQ(s.created.load(), s.destroyed.load());
}

}  // namespace
}  // namespace dfc::rt
