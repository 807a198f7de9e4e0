// OpenStateStore (dfc/state.h): picks the store of state.backend.type for a keyed operator.
#include <memory>
#include <stdexcept>
#include <string>

#include "dfc/state.h"

namespace dfc::rt {

std::unique_ptr<StateStore> OpenStateStore(const TaskContext& ctx, std::string_view operator_uid) {
  (void)operator_uid;
  std::string type = ctx.Config("state.backend.type", "");
  if (type.empty()) type = ctx.Config("state.backend", "hashmap");
  if (type == "hashmap") return nullptr;
  if (type == "rocksdb") throw std::runtime_error("state.backend.type 'rocksdb' is not available in this build yet");
  throw std::invalid_argument("state.backend.type must be 'hashmap' or 'rocksdb', got '" + type + "'");
}

}  // namespace dfc::rt
