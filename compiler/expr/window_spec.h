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

// A source's "watermark": {"column": c, "max_out_of_orderness": d, "emit": "periodic"|"per_record",
// "idleness": d}.
// Bounded out-of-orderness, DataStream style: watermark = max timestamp - bound - 1.
struct WatermarkSpec {
  int column = -1;         // TIMESTAMP(3) or BIGINT field of the source's row type
  int64_t bound_ms = 0;    // max_out_of_orderness (default 0 = monotonous)
  bool per_record = false; // else periodic (pipeline.auto-watermark-interval)
  int64_t idleness_ms = 0; // "idleness": mark the source idle after this long without records (0 = never)
};
// nullopt when the node has no "watermark" (no error) or it is invalid (errors reported).
std::optional<WatermarkSpec> ParseWatermarkSpec(const ir::Node& n, const ir::Schema& row, Diagnostics& diags);

enum class AggFn { kCount, kSum, kMin, kMax, kAvg, kCountDistinct, kFirstValue, kLastValue };

struct AggregateSpec {
  AggFn fn = AggFn::kCount;
  ir::ExprPtr arg;  // nullptr for COUNT(*)
  std::string name;
  ir::Type type;    // of the result
};

// The window of a window op ("window": {...}) plus the node's allowed_lateness / late_output.
struct WindowSpec {
  enum class Kind { kTumbling, kSliding, kSession, kGlobal };
  Kind kind = Kind::kTumbling;
  int64_t size = 0, slide = 0, offset = 0;  // tumbling: slide == size
  int64_t gap = 0;                          // session
  int64_t count = 0;                        // global: count trigger
  bool purge = true;                        // global: clear contents when the trigger fires
  bool fire_at_end = false;                 // global: fire what is left at the end of input
  bool processing_time = false;             // "time": "processing"
  int64_t allowed_lateness = 0;             // node's "allowed_lateness"
  std::string late_output;                  // node's "late_output": id of the late-data stream
  bool sliding() const { return kind == Kind::kSliding; }
  bool time_window() const { return kind != Kind::kGlobal; }
  bool event_time() const { return time_window() && !processing_time; }
};

// Parses and checks a window op's "window", "allowed_lateness" and "late_output" (errors
// reported; nullopt if any). `allow_global`: false for joins.
std::optional<WindowSpec> ParseWindowSpec(const ir::Node& n, Diagnostics& diags, bool allow_global = true);

struct WindowAggSpec {
  WindowSpec window;
  std::vector<int> key_fields;  // of the input row
  std::vector<AggregateSpec> aggregates;
};

// Parses "key" (a string or array of column names of `in`); errors reported.
std::vector<int> ParseKeyFields(const ir::Node& n, const char* param, const ir::Schema& in, Diagnostics& diags);

// Parses and checks window_aggregate's key, window and aggregates against the input row;
// nullopt (errors reported) when anything is wrong.
std::optional<WindowAggSpec> ParseWindowAggSpec(const ir::Node& n, const ir::Schema& in, Diagnostics& diags);

// The output row: key columns, window_start, window_end (TIMESTAMP(3); not for global windows),
// then the aggregates.
ir::Schema WindowAggOutput(const WindowAggSpec& spec, const ir::Schema& in, const SourceLoc& loc);

// A join's bounds: interval_join's lower/upper (ms, may be negative; lower <= upper).
struct IntervalSpec {
  int64_t lower = 0, upper = 0;
};
std::optional<IntervalSpec> ParseIntervalSpec(const ir::Node& n, Diagnostics& diags);

// A signed duration ("-5s", "2s"), or nullopt.
std::optional<int64_t> ParseSignedDurationMs(std::string_view text);

}  // namespace dfc::compiler
