// Shared by the keyed-state unit tests (state_test, state_ttl_test, keyed_snapshot_test,
// engine_snapshot_test): a task that does nothing (the tests only need the harness's TaskContext),
// the config of a named backend, and a synchronous snapshot of every key group.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "dfc/state.h"
#include "dfc/task.h"

namespace dfc::rt::state_testing {

class NullTask final : public OperatorTask {
 public:
  void ProcessBuffer(int, BufferBase&) override {}
  void OnWatermark(int64_t) override {}
  void OnEndOfInput() override {}
  void OnIdle() override {}
  void OnTick(int64_t) override {}
};

// `hashmap`, `rocksdb`, or `rocksdb-cache-N`: rocksdb whose write-back cache holds N entries (a
// small cache writes back and reloads every few accesses).
inline std::vector<std::pair<std::string, std::string>> BackendConfig(const std::string& backend) {
  const std::string cache = "rocksdb-cache-";
  if (backend.compare(0, cache.size(), cache) == 0)
    return {{"state.backend.type", "rocksdb"}, {"state.backend.rocksdb.cache-entries", backend.substr(cache.size())}};
  return {{"state.backend.type", backend}};
}

// Every key group of the backend's range, the synchronous way; empty groups left out.
inline std::map<int, std::string> SnapshotAll(const KeyedStateBackend& b) {
  std::map<int, std::string> r;
  for (int kg = b.range().start; kg <= b.range().end; ++kg) {
    std::string s;
    b.SnapshotKeyGroup(kg, &s);
    if (!s.empty()) r[kg] = s;
  }
  return r;
}

}  // namespace dfc::rt::state_testing
