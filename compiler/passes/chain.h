// The chaining predicate, separate from the pass so it can be table-tested.
#pragma once

#include "compiler/ir/ir.h"

namespace dfc::compiler {

// Flink's rule (StreamingJobGraphGenerator::isChainable), for dfc's linear chains:
// `edge` chains its producer into its consumer iff the consumer has exactly one input (a union
// never chains), the producer has exactly one consumer (dfc chains are linear; Flink also chains
// fan-outs — a documented difference), the edge is FORWARD, both have the same (symbolic)
// parallelism, chaining is enabled for the job (pipeline.operator-chaining) and neither node
// opts out (`"chaining": false` on the consumer starts a new chain).
bool IsChainable(const ir::Graph& g, const ir::Edge& edge);

}  // namespace dfc::compiler
