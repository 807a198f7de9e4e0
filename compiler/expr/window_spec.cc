#include "compiler/expr/window_spec.h"

#include <algorithm>
#include <cctype>
#include <numeric>

#include "compiler/expr/parser.h"
#include "compiler/expr/typecheck.h"

namespace dfc::compiler {

namespace {

using json::Value;

std::string Upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

// A duration-valued string member of `obj`: its milliseconds, or nullopt (error reported when
// present but malformed, or when required and missing).
std::optional<int64_t> DurationMember(const Value& obj, const char* key, bool required, const char* what,
                                      Diagnostics& diags) {
  const Value* v = obj.Get(key);
  if (!v) {
    if (required) diags.Error(obj.loc, std::string("missing '") + key + "' in " + what);
    return std::nullopt;
  }
  std::optional<int64_t> ms = v->is_string() ? ParseDurationMs(v->str) : std::nullopt;
  if (!ms) {
    diags.Error(v->loc, std::string("'") + key + "' must be a duration like \"5s\", \"200ms\" or \"1min\", got " +
                            (v->is_string() ? "\"" + v->str + "\"" : std::string(json::KindName(v->kind))));
  }
  return ms;
}

bool IsTimeColumn(const ir::Type& t) { return t.kind == ir::TypeKind::kTimestamp || t.kind == ir::TypeKind::kBigint; }

}  // namespace

std::optional<int64_t> ParseDurationMs(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  const size_t digits = i;
  int64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > (INT64_MAX / 10) - 10) return std::nullopt;
    n = n * 10 + (text[i++] - '0');
  }
  if (i == digits) return std::nullopt;
  while (i < text.size() && text[i] == ' ') ++i;
  std::string_view unit = text.substr(i);
  while (!unit.empty() && unit.back() == ' ') unit.remove_suffix(1);
  int64_t mult = 0;
  if (unit == "ms") mult = 1;
  else if (unit == "s" || unit == "sec") mult = 1000;
  else if (unit == "min") mult = 60'000;
  else if (unit == "h") mult = 3'600'000;
  else if (unit == "d") mult = 86'400'000;
  else return std::nullopt;
  if (n > INT64_MAX / mult) return std::nullopt;
  return n * mult;
}

std::optional<WatermarkSpec> ParseWatermarkSpec(const ir::Node& n, const ir::Schema& row, Diagnostics& diags) {
  const Value* w = n.Param("watermark");
  if (!w) return std::nullopt;
  if (!w->is_object()) {
    diags.Error(w->loc, "parameter 'watermark' must be an object {\"column\", \"max_out_of_orderness\", \"emit\"}");
    return std::nullopt;
  }
  const int errors = diags.num_errors();
  WatermarkSpec spec;
  for (const json::Member& m : w->members) {
    if (m.key != "column" && m.key != "max_out_of_orderness" && m.key != "emit" && m.key != "idleness")
      diags.Error(m.key_loc, "unknown watermark key '" + m.key + "' (column, max_out_of_orderness, emit, idleness)");
  }
  const Value* col = w->Get("column");
  if (!col || !col->is_string()) {
    diags.Error(col ? col->loc : w->loc, "watermark needs 'column': the TIMESTAMP(3) or BIGINT event-time column");
  } else {
    spec.column = row.FieldIndex(col->str);
    if (spec.column < 0) {
      diags.Error(col->loc, "unknown watermark column '" + col->str + "'" + DidYouMean(col->str, row.FieldNames()) +
                                " in " + row.ToString());
    } else if (!IsTimeColumn(row.fields[spec.column].type)) {
      diags.Error(col->loc, "watermark column '" + col->str + "' must be TIMESTAMP(3) or BIGINT, got " +
                                row.fields[spec.column].type.ToString());
    }
  }
  if (w->Get("max_out_of_orderness")) {
    if (auto ms = DurationMember(*w, "max_out_of_orderness", false, "watermark", diags)) spec.bound_ms = *ms;
  }
  if (w->Get("idleness")) {
    if (auto ms = DurationMember(*w, "idleness", false, "watermark", diags)) {
      if (*ms <= 0) diags.Error(w->Get("idleness")->loc, "watermark 'idleness' must be positive");
      spec.idleness_ms = *ms;
    }
  }
  if (const Value* e = w->Get("emit")) {
    if (e->is_string() && (e->str == "periodic" || e->str == "per_record")) {
      spec.per_record = e->str == "per_record";
    } else {
      diags.Error(e->loc, "watermark 'emit' must be \"periodic\" or \"per_record\"");
    }
  }
  if (diags.num_errors() > errors) return std::nullopt;
  return spec;
}

std::optional<int64_t> ParseSignedDurationMs(std::string_view text) {
  while (!text.empty() && text[0] == ' ') text.remove_prefix(1);
  const bool negative = !text.empty() && text[0] == '-';
  std::optional<int64_t> ms = ParseDurationMs(negative ? text.substr(1) : text);
  if (!ms) return std::nullopt;
  return negative ? -*ms : *ms;
}

std::vector<int> ParseKeyFields(const ir::Node& n, const char* param, const ir::Schema& in, Diagnostics& diags) {
  std::vector<int> fields;
  const Value* key = n.Param(param);
  if (!key) return fields;
  std::vector<const Value*> items;
  if (key->is_string()) items.push_back(key);
  else if (key->is_array()) for (const auto& it : key->items) items.push_back(it.get());
  else diags.Error(key->loc, std::string("parameter '") + param + "' must be a string or an array of strings");
  for (const Value* it : items) {
    const int f = it->is_string() ? in.FieldIndex(it->str) : -1;
    if (!it->is_string()) {
      diags.Error(it->loc, std::string("parameter '") + param + "' must contain strings");
    } else if (f < 0) {
      diags.Error(it->loc, "unknown key field '" + it->str + "'" + DidYouMean(it->str, in.FieldNames()) + " in " +
                               in.ToString());
    } else {
      fields.push_back(f);
    }
  }
  return fields;
}

std::optional<WindowSpec> ParseWindowSpec(const ir::Node& n, Diagnostics& diags, bool allow_global) {
  const int errors = diags.num_errors();
  WindowSpec spec;
  const Value* w = n.Param("window");
  const std::string kinds = allow_global ? "\"tumbling\", \"sliding\", \"session\" or \"global\""
                                         : "\"tumbling\", \"sliding\" or \"session\"";
  if (!w || !w->is_object()) {
    diags.Error(w ? w->loc : n.loc, n.op + " needs 'window': {\"type\": \"tumbling\", \"size\": \"10s\"}, "
                                    "{\"type\": \"sliding\", \"size\": \"10s\", \"slide\": \"2s\"}, "
                                    "{\"type\": \"session\", \"gap\": \"30s\"}" +
                                    std::string(allow_global ? " or {\"type\": \"global\", \"trigger\": {\"count\": 100}}" : ""));
    return std::nullopt;
  }
  const Value* type = w->Get("type");
  const std::string t = type && type->is_string() ? type->str : "";
  if (t == "tumbling") spec.kind = WindowSpec::Kind::kTumbling;
  else if (t == "sliding") spec.kind = WindowSpec::Kind::kSliding;
  else if (t == "session") spec.kind = WindowSpec::Kind::kSession;
  else if (t == "global" && allow_global) spec.kind = WindowSpec::Kind::kGlobal;
  else {
    diags.Error(type ? type->loc : w->loc, "window 'type' must be " + kinds +
                                               (t == "global" ? " (a join needs time windows)" : ""));
    return std::nullopt;
  }
  std::vector<std::string> keys = {"type"};
  switch (spec.kind) {
    case WindowSpec::Kind::kTumbling: keys.insert(keys.end(), {"size", "offset", "time"}); break;
    case WindowSpec::Kind::kSliding: keys.insert(keys.end(), {"size", "slide", "offset", "time"}); break;
    case WindowSpec::Kind::kSession: keys.insert(keys.end(), {"gap", "time"}); break;
    case WindowSpec::Kind::kGlobal: keys.insert(keys.end(), {"trigger"}); break;
  }
  for (const json::Member& m : w->members) {
    if (std::find(keys.begin(), keys.end(), m.key) != keys.end()) continue;
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    diags.Error(m.key_loc, "unknown key '" + m.key + "' in a " + t + " window (" + list + ")" + DidYouMean(m.key, keys));
  }
  if (const Value* tm = w->Get("time")) {
    if (tm->is_string() && (tm->str == "event" || tm->str == "processing")) {
      spec.processing_time = tm->str == "processing";
    } else {
      diags.Error(tm->loc, "window 'time' must be \"event\" (default) or \"processing\"");
    }
  }
  if (spec.kind == WindowSpec::Kind::kTumbling || spec.kind == WindowSpec::Kind::kSliding) {
    auto size = DurationMember(*w, "size", true, "window", diags);
    auto slide = spec.sliding() ? DurationMember(*w, "slide", true, "window", diags) : size;
    std::optional<int64_t> offset = 0;
    if (const Value* o = w->Get("offset")) {
      offset = o->is_string() ? ParseSignedDurationMs(o->str) : std::nullopt;
      if (!offset) diags.Error(o->loc, "'offset' must be a duration like \"1s\" or \"-1s\"");
    }
    if (size && *size <= 0) diags.Error(w->Get("size")->loc, "window 'size' must be positive");
    if (spec.sliding() && slide && *slide <= 0) diags.Error(w->Get("slide")->loc, "window 'slide' must be positive");
    if (size && slide && *size > 0 && *slide > 0) {
      spec.size = *size;
      spec.slide = *slide;
      if (offset) {
        spec.offset = *offset;
        if ((spec.offset < 0 ? -spec.offset : spec.offset) >= spec.slide)
          diags.Error(w->Get("offset")->loc, std::string("|offset| must be smaller than the window ") +
                                                 (spec.sliding() ? "slide" : "size"));
      }
    }
  } else if (spec.kind == WindowSpec::Kind::kSession) {
    auto gap = DurationMember(*w, "gap", true, "session window", diags);
    if (gap && *gap <= 0) diags.Error(w->Get("gap")->loc, "session 'gap' must be positive");
    if (gap) spec.gap = *gap;
  } else {
    const Value* tr = w->Get("trigger");
    const Value* count = tr && tr->is_object() ? tr->Get("count") : nullptr;
    if (!tr || !tr->is_object() || !count) {
      diags.Error(tr ? tr->loc : w->loc, "a global window needs a trigger: \"trigger\": {\"count\": N}");
    } else {
      for (const json::Member& m : tr->members) {
        if (m.key != "count" && m.key != "purge" && m.key != "fire_at_end")
          diags.Error(m.key_loc, "unknown trigger key '" + m.key + "' (count, purge, fire_at_end)");
      }
      if (!count->is_integer || count->integer <= 0) {
        diags.Error(count->loc, "trigger 'count' must be a positive integer");
      } else {
        spec.count = count->integer;
      }
      for (const char* flag : {"purge", "fire_at_end"}) {
        const Value* f = tr->Get(flag);
        if (!f) continue;
        if (!f->is_bool()) {
          diags.Error(f->loc, std::string("trigger '") + flag + "' must be true or false");
          continue;
        }
        (std::string(flag) == "purge" ? spec.purge : spec.fire_at_end) = f->bool_value;
      }
    }
  }
  if (const Value* l = n.Param("allowed_lateness")) {
    std::optional<int64_t> ms = l->is_string() ? ParseDurationMs(l->str) : std::nullopt;
    if (!ms) {
      diags.Error(l->loc, "'allowed_lateness' must be a duration like \"5s\"");
    } else if (!spec.event_time()) {
      diags.Error(l->loc, std::string("'allowed_lateness' needs an event-time window: ") +
                              (spec.time_window() ? "processing-time" : "global") + " windows have no late data");
    } else {
      spec.allowed_lateness = *ms;
    }
  }
  if (const Value* lo = n.Param("late_output")) {
    if (!lo->is_string() || lo->str.empty()) {
      diags.Error(lo->loc, "'late_output' must be the id of the late-data stream, e.g. \"late_bids\"");
    } else if (!spec.event_time()) {
      diags.Error(lo->loc, std::string("'late_output' needs an event-time window: ") +
                               (spec.time_window() ? "processing-time" : "global") + " windows have no late data");
    } else {
      spec.late_output = lo->str;
    }
  }
  if (diags.num_errors() > errors) return std::nullopt;
  return spec;
}

std::optional<IntervalSpec> ParseIntervalSpec(const ir::Node& n, Diagnostics& diags) {
  IntervalSpec spec;
  bool ok = true;
  for (const char* key : {"lower", "upper"}) {
    const Value* v = n.Param(key);
    std::optional<int64_t> ms = v && v->is_string() ? ParseSignedDurationMs(v->str) : std::nullopt;
    if (!ms) {
      diags.Error(v ? v->loc : n.loc, std::string(v ? "" : "missing ") + "'" + key +
                                          "' must be a duration like \"-5s\" or \"2s\" (bound of right.ts - left.ts)");
      ok = false;
      continue;
    }
    (std::string(key) == "lower" ? spec.lower : spec.upper) = *ms;
  }
  if (ok && spec.lower > spec.upper) {
    diags.Error(n.ParamLoc("lower"), "interval join: 'lower' must not be greater than 'upper'");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return spec;
}

std::optional<WindowAggSpec> ParseWindowAggSpec(const ir::Node& n, const ir::Schema& in, Diagnostics& diags) {
  const int errors = diags.num_errors();
  WindowAggSpec spec;
  spec.key_fields = ParseKeyFields(n, "key", in, diags);
  if (std::optional<WindowSpec> w = ParseWindowSpec(n, diags)) spec.window = *w;
  // aggregates: "FN(arg) [AS name]"
  const Value* aggs = n.Param("aggregates");
  if (!aggs || !aggs->is_array() || aggs->items.empty()) {
    diags.Error(aggs ? aggs->loc : n.loc, "window_aggregate needs 'aggregates': an array like [\"COUNT(*) AS n\"]");
  } else {
    for (size_t i = 0; i < aggs->items.size(); ++i) {
      const Value& item = *aggs->items[i];
      if (!item.is_string()) {
        diags.Error(item.loc, "an aggregate must be a string like \"MAX(price) AS top\"");
        continue;
      }
      const std::string& s = item.str;
      const size_t open = s.find('(');
      const size_t close = s.rfind(')');
      if (open == std::string::npos || close == std::string::npos || close < open) {
        diags.Error(item.loc, "expected an aggregate call FN(arg) [AS name] with FN one of COUNT, SUM, MIN, MAX, AVG, "
                              "FIRST_VALUE, LAST_VALUE");
        continue;
      }
      std::string fname = s.substr(0, open);
      while (!fname.empty() && fname.back() == ' ') fname.pop_back();
      size_t b = fname.find_first_not_of(' ');
      fname = Upper(b == std::string::npos ? "" : fname.substr(b));
      AggregateSpec a;
      std::string arg_text = s.substr(open + 1, close - open - 1);
      size_t arg_offset = open + 1;
      {
        // COUNT(DISTINCT x)
        size_t b0 = arg_text.find_first_not_of(' ');
        if (fname == "COUNT" && b0 != std::string::npos && Upper(arg_text.substr(b0, 9)) == "DISTINCT " ) {
          fname = "COUNT_DISTINCT";
          arg_text = arg_text.substr(b0 + 9);
          arg_offset += b0 + 9;
        }
      }
      if (fname == "COUNT") a.fn = AggFn::kCount;
      else if (fname == "COUNT_DISTINCT") a.fn = AggFn::kCountDistinct;
      else if (fname == "FIRST_VALUE") a.fn = AggFn::kFirstValue;
      else if (fname == "LAST_VALUE") a.fn = AggFn::kLastValue;
      else if (fname == "SUM") a.fn = AggFn::kSum;
      else if (fname == "MIN") a.fn = AggFn::kMin;
      else if (fname == "MAX") a.fn = AggFn::kMax;
      else if (fname == "AVG") a.fn = AggFn::kAvg;
      else {
        diags.Error(item.loc.Shifted(0), "unknown aggregate function '" + fname +
                                               "' (COUNT, COUNT(DISTINCT x), SUM, MIN, MAX, AVG, FIRST_VALUE, LAST_VALUE)");
        continue;
      }
      // The rest after ')': empty or AS name.
      std::string rest = s.substr(close + 1);
      size_t rb = rest.find_first_not_of(' ');
      rest = rb == std::string::npos ? "" : rest.substr(rb);
      while (!rest.empty() && rest.back() == ' ') rest.pop_back();
      if (!rest.empty()) {
        if (rest.size() < 4 || Upper(rest.substr(0, 3)) != "AS ") {
          diags.Error(item.loc.Shifted(static_cast<int>(close + 1)), "expected AS name after the aggregate call");
          continue;
        }
        a.name = rest.substr(3);
        size_t nb = a.name.find_first_not_of(' ');
        a.name = a.name.substr(nb);
      } else {
        a.name = "EXPR$" + std::to_string(i);
      }
      const std::string& arg = arg_text;
      const bool star = arg.find_first_not_of(' ') != std::string::npos &&
                        arg.substr(arg.find_first_not_of(' '), 1) == "*" &&
                        arg.find_first_not_of(' ', arg.find_first_not_of(' ') + 1) == std::string::npos;
      if (star) {
        if (a.fn != AggFn::kCount) {
          diags.Error(item.loc.Shifted(static_cast<int>(open + 1)), "only COUNT takes '*'");
          continue;
        }
      } else {
        SourceLoc l = item.loc;
        if (l.col > 0) l.col += static_cast<int>(arg_offset);
        a.arg = ParseExpr(arg, l, diags);
        if (!a.arg || !TypeCheck(*a.arg, in, diags)) continue;
        const bool any_type = a.fn == AggFn::kCount || a.fn == AggFn::kMin || a.fn == AggFn::kMax ||
                              a.fn == AggFn::kCountDistinct || a.fn == AggFn::kFirstValue || a.fn == AggFn::kLastValue;
        if (!any_type && !a.arg->type.IsNumeric()) {
          diags.Error(a.arg->loc, fname + " needs a numeric argument, got " + a.arg->type.ToString());
          continue;
        }
        if ((a.fn == AggFn::kMin || a.fn == AggFn::kMax) && a.arg->type.kind == ir::TypeKind::kBoolean) {
          diags.Error(a.arg->loc, fname + " needs a numeric, string or timestamp argument");
          continue;
        }
      }
      switch (a.fn) {
        case AggFn::kCount:
        case AggFn::kCountDistinct: a.type.kind = ir::TypeKind::kBigint; break;
        case AggFn::kFirstValue:
        case AggFn::kLastValue: a.type = a.arg->type; break;
        case AggFn::kAvg: a.type.kind = ir::TypeKind::kDouble; break;
        case AggFn::kSum:
          a.type.kind = a.arg->type.kind == ir::TypeKind::kDouble ? ir::TypeKind::kDouble : ir::TypeKind::kBigint;
          break;
        case AggFn::kMin:
        case AggFn::kMax: a.type = a.arg->type; break;
      }
      spec.aggregates.push_back(std::move(a));
    }
  }
  if (diags.num_errors() > errors) return std::nullopt;
  return spec;
}

ir::Schema WindowAggOutput(const WindowAggSpec& spec, const ir::Schema& in, const SourceLoc& loc) {
  ir::Schema s;
  s.loc = loc;
  for (int f : spec.key_fields) s.fields.push_back(in.fields[f]);
  if (spec.window.time_window()) {
  ir::Field ws, we;
  ws.name = "window_start";
  we.name = "window_end";
  ws.type.kind = we.type.kind = ir::TypeKind::kTimestamp;
  ws.loc = we.loc = loc;
  s.fields.push_back(ws);
  s.fields.push_back(we);
  }
  for (const AggregateSpec& a : spec.aggregates) {
    ir::Field f;
    f.name = a.name;
    f.type = a.type;
    f.loc = loc;
    s.fields.push_back(std::move(f));
  }
  return s;
}

}  // namespace dfc::compiler
