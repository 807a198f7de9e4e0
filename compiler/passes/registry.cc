// The pass pipeline, in order. The driver derives --print-after / --stop-after / --time-passes
// from this list; adding a pass is one line here.
#include "compiler/passes/pass.h"

namespace dfc::compiler {

const std::vector<PassInfo>& PassPipeline() {
  static const std::vector<PassInfo> kPasses = {
      {"verify", "check ops, params, inputs, ids and config", &Verify},
      {"infer-types", "type expressions and derive every node's row type", &InferTypes},
      {"assign-uids", "give every operator a stable uid", &AssignUids},
      {"partition", "resolve parallelism and edge partitioning", &Partition},
      {"chain", "fuse operators into chains (Flink's chaining rule)", &Chain},
  };
  return kPasses;
}

}  // namespace dfc::compiler
