// The fused plan, as `dfc plan` prints it: text (one line per chain), Graphviz dot, or JSON in the
// shape of Flink's execution plan (`{"nodes": [{"id", "type", "pact", "contents", "parallelism",
// "predecessors": [{"id", "ship_strategy", "side"}]}]}`) so Flink's plan visualizer can draw it.
#pragma once

#include <string>

#include "compiler/ir/ir.h"

namespace dfc::compiler {

std::string PlanText(const ir::Graph& g);
std::string PlanDot(const ir::Graph& g);
std::string PlanJson(const ir::Graph& g);

}  // namespace dfc::compiler
