// assign-uids: gives every node a stable operator uid. State in checkpoints and savepoints is
// matched by uid, so a uid must survive recompiles and unrelated edits of the job: a node without
// a user-given `uid` gets a hash of its id (not of its position or of the graph's shape, which
// change when the job is edited).
#include <cstdio>

#include "compiler/passes/pass.h"
#include "dfc/hash.h"

namespace dfc::compiler {

absl::Status AssignUids(ir::Graph& g, PassContext& ctx) {
  for (auto& n : g.nodes) {
    if (!n.uid.empty()) {
      n.uid_from_user = true;
      continue;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(rt::HashValue(std::string_view(n.id))));
    n.uid = buf;
  }
  return absl::OkStatus();
}

}  // namespace dfc::compiler
