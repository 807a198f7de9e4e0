// Event-time specs shared by infer-types (checks, output row types) and codegen: durations
// ("5s", "200ms", "1min"), a source's watermark strategy and window_aggregate's window and
// aggregates. Parsing is deterministic, so codegen re-parses what infer-types accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/expr.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler {

// "<integer><unit>", unit one of ms, s, min, h, d (also "sec", "m" is not accepted: ambiguous).
// Returns milliseconds, or nullopt for anything else.
std::optional<int64_t> ParseDurationMs(std::string_view text);

// A source's "watermark": {"column": c, "max_out_of_orderness": d, "emit": "periodic"|"per_record"}.
// Bounded out-of-orderness, DataStream style: watermark = max timestamp - bound - 1.
struct WatermarkSpec {
  int column = -1;         // TIMESTAMP(3) or BIGINT field of the source's row type
  int64_t bound_ms = 0;    // max_out_of_orderness (default 0 = monotonous)
  bool per_record = false; // else periodic (pipeline.auto-watermark-interval)
};
// nullopt when the node has no "watermark" (no error) or it is invalid (errors reported).
std::optional<WatermarkSpec> ParseWatermarkSpec(const ir::Node& n, const ir::Schema& row, Diagnostics& diags);

enum class AggFn { kCount, kSum, kMin, kMax, kAvg };

struct AggregateSpec {
  AggFn fn = AggFn::kCount;
  ir::ExprPtr arg;  // nullptr for COUNT(*)
  std::string name;
  ir::Type type;    // of the result
};

struct WindowAggSpec {
  int64_t size = 0, slide = 0, offset = 0;  // tumbling: slide == size
  bool sliding = false;
  std::vector<int> key_fields;  // of the input row
  std::vector<AggregateSpec> aggregates;
};

// Parses and checks window_aggregate's key, window and aggregates against the input row;
// nullopt (errors reported) when anything is wrong.
std::optional<WindowAggSpec> ParseWindowAggSpec(const ir::Node& n, const ir::Schema& in, Diagnostics& diags);

// The output row: key columns, window_start, window_end (TIMESTAMP(3)), then the aggregates.
ir::Schema WindowAggOutput(const WindowAggSpec& spec, const ir::Schema& in, const SourceLoc& loc);

}  // namespace dfc::compiler
