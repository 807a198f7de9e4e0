// The metrics registry shared by the task threads (writers) and the reporters (the end-of-job
// summary, --metrics-interval, later the REST endpoint). All counters are relaxed atomics updated
// once per buffer, never per record; names follow Flink's (numRecordsIn, busyTimeMsPerSecond...).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace dfc::rt {

// One operator inside one subtask. Fusion does not hide operators: each keeps its own counters.
struct OperatorMetrics {
  std::atomic<uint64_t> records_in{0};
  std::atomic<uint64_t> records_out{0};
  std::atomic<uint64_t> late_records_dropped{0};  // numLateRecordsDropped
  std::atomic<uint64_t> errors_skipped{0};        // malformed input skipped or dead-lettered
  // Window / join state entries read from and written to the rocksdb state backend (dfc's own
  // stateStoreReads / stateStoreWrites; dfc/window_store.h): 0 with the hashmap backend.
  std::atomic<uint64_t> state_store_reads{0};
  std::atomic<uint64_t> state_store_writes{0};

  void AddIn(uint64_t n) { records_in.fetch_add(n, std::memory_order_relaxed); }
  void AddOut(uint64_t n) { records_out.fetch_add(n, std::memory_order_relaxed); }
};

// One subtask (one thread).
struct TaskMetrics {
  std::atomic<int64_t> busy_ns{0};
  std::atomic<int64_t> idle_ns{0};
  std::atomic<int64_t> backpressured_ns{0};
  std::atomic<int64_t> input_watermark{INT64_MIN};   // currentInputWatermark
  std::atomic<int64_t> output_watermark{INT64_MIN};  // currentOutputWatermark
  std::atomic<int64_t> queued_buffers{0};            // buffers waiting in this subtask's input gate
};

}  // namespace dfc::rt
