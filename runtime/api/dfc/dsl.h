// The dfc C++ DSL: describe a streaming job in C++ (job.cpp), in the style of Flink's DataStream
// API, and build it with `dfc build job.cpp`.
//
// This header is what a job.cpp includes. It is plain, self-contained C++20 (it needs only
// dfc/row.h for dfc::Collector) so that IDEs and plain compilers check a job file: completion,
// argument types, UDF signatures. It does NOT run the job: dfc reads job.cpp with Clang, recovers
// the graph from the builder calls written in the file, and generates the executable. So:
//   - the graph must be static: builder calls in straight-line code of the function that declares
//     the dfc::Job (no loops, no conditionals), arguments that are literals or constants;
//   - every node takes its id as first argument (the `id` of the JSON job format);
//   - row types are plain structs at namespace scope whose fields are bool (BOOLEAN), int32_t (INT),
//     int64_t (BIGINT), double (DOUBLE), std::string (STRING) or dfc::Timestamp (TIMESTAMP(3));
//   - user functions come in the three forms Flink documents: a lambda, a plain function, or a
//     class implementing dfc::MapFunction / dfc::FlatMapFunction / dfc::ReduceFunction;
//   - parameter objects (WatermarkStrategy, TumblingEventTimeWindows / SlidingEventTimeWindows,
//     dfc::gen field generators) are written with dfc's calls in the argument.
// docs/DSL.md describes the mapping to the JSON job format, one builder call per JSON key.
//
// Checks that dfc reports itself with job.cpp locations (e.g. reduce without key_by) are
// static_asserts here for plain compilers; dfc defines DFC_DSL_PARSER to turn them off.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <type_traits>

#include "dfc/row.h"
#include "dfc/window_bounds.h"

// The builder methods only describe the graph to dfc: their parameters are read from the source,
// never used at run time.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace dfc {

// TIMESTAMP(3): milliseconds since the epoch (UTC wall time). dfc recognises the alias by name:
// declare fields `dfc::Timestamp ts;` to get TIMESTAMP(3), `int64_t` to get BIGINT.
using Timestamp = std::int64_t;

// ---- User function interfaces (Flink's MapFunction, FlatMapFunction, ReduceFunction) ----
// A class implementing one of these can be passed where a lambda is accepted, as an expression
// that creates it (`Tokenizer{}`, `Scale(2)`). Generated code calls it through operator(), on an
// object of the user's own class, so the virtual call is resolved statically.

template <class In, class Out>
class MapFunction {
 public:
  using input_type = In;
  using output_type = Out;
  virtual ~MapFunction() = default;
  virtual Out map(const In& value) = 0;
  Out operator()(const In& value) { return map(value); }
};

template <class In, class Out>
class FlatMapFunction {
 public:
  using input_type = In;
  using output_type = Out;
  virtual ~FlatMapFunction() = default;
  virtual void flat_map(const In& value, Collector<Out>& out) = 0;
  void operator()(const In& value, Collector<Out>& out) { flat_map(value, out); }
};

template <class T>
class ReduceFunction {
 public:
  using input_type = T;
  using output_type = T;
  virtual ~ReduceFunction() = default;
  // Combines the running value `acc` for a key with a new `value` of the same key.
  virtual T reduce(const T& acc, const T& value) = 0;
  T operator()(const T& acc, const T& value) { return reduce(acc, value); }
};

// The row type of a `select` without an explicit result type: its fields are derived by dfc from
// the column expressions, so it has no C++ declaration a UDF could name. Use `select<MyRow>(...)`
// to continue with map / flat_map.
struct DerivedRow {};

// ---- Values that describe a parameter object of the JSON format ----
// Each builder call below sets one key of the JSON object it stands for, exactly as written: a key
// that is not called is absent (the compiler's default applies), as in job.json.
// Durations are the JSON format's strings: an integer and a unit, "200ms", "5s", "1min", "1h", "1d".

// A source's event-time watermark strategy (JSON: source "watermark" object). Flink's
// WatermarkStrategy.forBoundedOutOfOrderness(...).withTimestampAssigner(...):
//   dfc::WatermarkStrategy::for_bounded_out_of_orderness("5s")   // max_out_of_orderness
//       .with_timestamp_column("date_time")                       // column (or &Row::field)
//       .emit_per_record()                                        // emit: per_record | periodic
class WatermarkStrategy {
 public:
  static constexpr WatermarkStrategy for_bounded_out_of_orderness(const char* max_out_of_orderness) {
    return {};
  }
  // No bound: timestamps ascend (max_out_of_orderness absent, i.e. "0ms").
  static constexpr WatermarkStrategy for_monotonous_timestamps() { return {}; }
  constexpr WatermarkStrategy with_timestamp_column(const char* column) const { return *this; }
  template <class M, class C>
  constexpr WatermarkStrategy with_timestamp_column(M C::*column) const {
    return *this;
  }
  constexpr WatermarkStrategy emit_periodic() const { return *this; }    // emit: "periodic"
  constexpr WatermarkStrategy emit_per_record() const { return *this; }  // emit: "per_record"
  // Declares the source idle after this long without records (Flink: withIdleness).
  constexpr WatermarkStrategy with_idleness(const char* timeout) const { return *this; }
};

// A window assigner (JSON: window_aggregate "window" object); Flink's names.
class WindowAssigner {};
class TumblingEventTimeWindows {
 public:
  // {"type": "tumbling", "size": size[, "offset": offset]}
  static constexpr WindowAssigner of(const char* size) { return {}; }
  static constexpr WindowAssigner of(const char* size, const char* offset) { return {}; }
};
class SlidingEventTimeWindows {
 public:
  // {"type": "sliding", "size": size, "slide": slide[, "offset": offset]}
  static constexpr WindowAssigner of(const char* size, const char* slide) { return {}; }
  static constexpr WindowAssigner of(const char* size, const char* slide, const char* offset) {
    return {};
  }
};

class EventTimeSessionWindows {
 public:
  // {"type": "session", "gap": gap}: windows of a key that overlap or touch merge.
  static constexpr WindowAssigner with_gap(const char* gap) { return {}; }
};
// Processing-time windows (the wall clock; JSON: "time": "processing").
class TumblingProcessingTimeWindows {
 public:
  static constexpr WindowAssigner of(const char* size) { return {}; }
  static constexpr WindowAssigner of(const char* size, const char* offset) { return {}; }
};
class SlidingProcessingTimeWindows {
 public:
  static constexpr WindowAssigner of(const char* size, const char* slide) { return {}; }
  static constexpr WindowAssigner of(const char* size, const char* slide, const char* offset) {
    return {};
  }
};
class ProcessingTimeSessionWindows {
 public:
  static constexpr WindowAssigner with_gap(const char* gap) { return {}; }
};
// One window per key firing every n records (Flink: countWindow(n) = GlobalWindows + a purging
// CountTrigger): {"type": "global", "trigger": {"count": n[, "purge": p][, "fire_at_end": f]}}.
class GlobalWindowAssigner : public WindowAssigner {
 public:
  constexpr GlobalWindowAssigner purge(bool purge_after_firing) const { return *this; }
  constexpr GlobalWindowAssigner fire_at_end(bool fire_rest_at_end) const { return *this; }
};
class GlobalWindows {
 public:
  static constexpr GlobalWindowAssigner of_count(std::int64_t count) { return {}; }
};

// How a datagen source generates one column (JSON: an entry of source "fields").
namespace gen {
class FieldGenerator {
 public:
  // More keys of a sequence: "start", "step", "every" (the value advances every n rows).
  constexpr FieldGenerator start(std::int64_t first) const { return *this; }
  constexpr FieldGenerator step(std::int64_t increment) const { return *this; }
  constexpr FieldGenerator every(std::int64_t rows) const { return *this; }
};
// {"kind": "sequence"[, "start": start[, "step": step]]}: row i gets start + i * step.
constexpr FieldGenerator sequence() { return {}; }
constexpr FieldGenerator sequence(std::int64_t start) { return {}; }
constexpr FieldGenerator sequence(std::int64_t start, std::int64_t step) { return {}; }
// {"kind": "random"}: uniform in the column type's default range.
constexpr FieldGenerator random() { return {}; }
// {"kind": "random", "min": min, "max": max} (integers or doubles, as written).
template <class A, class B>
  requires(std::is_arithmetic_v<A> && std::is_arithmetic_v<B>)
constexpr FieldGenerator random(A min, B max) {
  return {};
}
// {"kind": "random", "length": length}: a random string.
constexpr FieldGenerator random_string(std::int64_t length) { return {}; }
}  // namespace gen

// One entry of select's "rename" object: {"old name", "new name"}.
struct Rename {
  const char* from;
  const char* to;
};

namespace dsl_internal {

template <class>
inline constexpr bool kAlwaysFalse = false;

// The class of a data member pointer, without forming `M T::*` for non-class T.
template <class P>
struct MemberPointerClass {
  using type = void;
};
template <class M, class C>
struct MemberPointerClass<M C::*> {
  using type = C;
};

// A key_by argument: a field name, or a pointer to a data member of the row type T.
template <class K, class T>
concept KeyField = std::is_convertible_v<K, const char*> ||
                   (std::is_member_object_pointer_v<K> &&
                    std::is_same_v<typename MemberPointerClass<K>::type, T>);

// The value type a flat_map UDF emits: the T of its dfc::Collector<T>& parameter.
template <class A>
struct CollectorArg {
  using type = void;
};
template <class T>
struct CollectorArg<Collector<T>&> {
  using type = T;
};

template <class F>
struct FlatMapOut;
template <class R, class A, class C>
struct FlatMapOut<R (*)(A, C)> {
  using type = typename CollectorArg<C>::type;
};
template <class R, class A, class C>
struct FlatMapOut<R(A, C)> : FlatMapOut<R (*)(A, C)> {};
template <class L, class R, class A, class C>
struct FlatMapOut<R (L::*)(A, C) const> : FlatMapOut<R (*)(A, C)> {};
template <class L, class R, class A, class C>
struct FlatMapOut<R (L::*)(A, C)> : FlatMapOut<R (*)(A, C)> {};

template <class F, class = void>
struct FlatMapOutOf {
  using type = void;  // generic lambda: write flat_map<Out>(...)
};
template <class F>
struct FlatMapOutOf<F, std::enable_if_t<std::is_class_v<F>, std::void_t<typename F::output_type>>> {
  using type = typename F::output_type;
};
template <class F>
struct FlatMapOutOf<F, std::enable_if_t<std::is_class_v<F> && !requires { typename F::output_type; },
                                        std::void_t<decltype(&F::operator())>>> {
  using type = typename FlatMapOut<decltype(&F::operator())>::type;
};
template <class F>
struct FlatMapOutOf<F, std::enable_if_t<std::is_pointer_v<F> || std::is_function_v<F>>> {
  using type = typename FlatMapOut<std::remove_pointer_t<F>*>::type;
};

template <class Explicit, class Deduced>
using Pick = std::conditional_t<std::is_void_v<Explicit>, Deduced, Explicit>;

// The result type of a UDF: Out when given, else what fn(args...) returns. Lazy, so that giving
// Out does not instantiate a generic lambda's body (its arguments may be DerivedRow).
template <class Out, class F, class... Args>
struct ResultOf {
  using type = Out;
};
template <class F, class... Args>
struct ResultOf<void, F, Args...> {
  using type = std::remove_cvref_t<std::invoke_result_t<F&, const Args&...>>;
};

// The row type of a keyed stream (KeyedStream<R> or KeySelection<R>); void for anything else.
template <class S, class = void>
struct KeyedRow {
  using type = void;
};
template <class S>
struct KeyedRow<S, std::void_t<typename S::keyed_row_type>> {
  using type = typename S::keyed_row_type;
};
template <class S>
concept Keyed = !std::is_void_v<typename KeyedRow<S>::type>;

}  // namespace dsl_internal

class Job;
template <class T>
class KeyedStream;
template <class T>
class KeySelection;
template <class T>
class WindowedStream;
template <class T>
class SelectBuilder;
template <class Out, class In>
class WindowOutput;
template <class T>
class ProcessBuilder;
template <class L, class R>
class JoinedStreams;
template <class L, class R>
class IntervalJoin;
template <class T>
class SinkBuilder;
template <class L, class R>
class ConnectedStreams;
template <class L, class R>
class RegularJoin;

// A stream of rows of type T: the output of one node. Every transformation takes the new node's
// id first. Copying a DataStream refers to the same node (fan-out is fine).
template <class T>
class DataStream {
 public:
  explicit DataStream(Job* job) : job_(job) {}

  // ---- node attributes (JSON: name, uid, parallelism) ----
  DataStream name(const char* display_name) const { return *this; }
  DataStream uid(const char* operator_uid) const { return *this; }
  DataStream parallelism(int n) const { return *this; }
  // Does not chain with its input (JSON: "chaining": false; Flink: startNewChain()).
  DataStream start_new_chain() const { return *this; }

  // ---- transformations ----
  // SQL filter (JSON: op filter, where): keeps rows for which `where` is true.
  DataStream filter(const char* id, const char* where) const { return *this; }

  // SQL projection (JSON: op select, columns): "a", "CAST(price * 0.9 AS BIGINT) AS p".
  // The result's fields are derived by dfc; name a struct as Out to declare them (JSON: type).
  // Add / drop / rename columns on the returned builder (JSON: add, drop, rename).
  template <class Out = DerivedRow>
  SelectBuilder<Out> select(const char* id, std::initializer_list<const char*> columns) const;
  // Every input column, then add_columns / drop_columns / rename_columns on the builder.
  template <class Out = DerivedRow>
  SelectBuilder<Out> select(const char* id) const;
  // Shorthands for a select node with only add / drop / rename (Flink Table API: addColumns,
  // dropColumns, renameColumns): `expr AS name` replaces the column of that name or appends.
  template <class Out = DerivedRow>
  SelectBuilder<Out> add_columns(const char* id, std::initializer_list<const char*> columns) const;
  template <class Out = DerivedRow>
  SelectBuilder<Out> drop_columns(const char* id, std::initializer_list<const char*> columns) const;
  template <class Out = DerivedRow>
  SelectBuilder<Out> rename_columns(const char* id, std::initializer_list<Rename> renames) const;

  // One row to one row (JSON: op map, fn, type). Out is deduced from the UDF's return type.
  template <class Out = void, class F>
  auto map(const char* id, F&& fn) const {
    return DataStream<typename dsl_internal::ResultOf<Out, F, T>::type>(job_);
  }

  // One row to 0..n rows emitted through `dfc::Collector<Out>& out` (JSON: op flat_map, fn, type).
  // Out is deduced from the UDF's Collector parameter; give it explicitly for generic lambdas.
  template <class Out = void, class F>
  auto flat_map(const char* id, F&& fn) const {
    using R = dsl_internal::Pick<Out, typename dsl_internal::FlatMapOutOf<std::decay_t<F>>::type>;
    static_assert(!std::is_void_v<R>, "flat_map: cannot deduce the output row type; write flat_map<Out>(...)");
    static_assert(std::is_invocable_v<F&, const T&, Collector<R>&>,
                  "flat_map: the function must be callable as fn(const In&, dfc::Collector<Out>&)");
    return DataStream<R>(job_);
  }

  // Partitions the stream by key fields (JSON: op key_by, key): field names or member pointers,
  // e.g. key_by("by_word", &WordCount::word) or key_by("k", "a", "b").
  template <class... K>
    requires(sizeof...(K) > 0 && (dsl_internal::KeyField<K, T> && ...))
  KeyedStream<T> key_by(const char* id, K... keys) const;

  // The key of a window, without a key_by node (window_aggregate partitions its input itself;
  // JSON: its "key"): key_by(&Bid::auction), key_by({"auction", "bidder"}). Then .window(...).
  template <class M, class... K>
    requires(dsl_internal::KeyField<M T::*, T> && (dsl_internal::KeyField<K, T> && ...))
  KeySelection<T> key_by(M T::*key, K... more) const;
  KeySelection<T> key_by(std::initializer_list<const char*> keys) const;
  // One key field by name ("key": "f"; key_by({"f"}) says ["f"]). With two or more strings the
  // first is a node id: key_by("id", "f") is the key_by node.
  KeySelection<T> key_by(const char* key) const;

  // Windows over the whole stream, without a key (Flink: windowAll; JSON: window_aggregate
  // without "key"; runs at parallelism 1): window_all(assigner).aggregate(...).
  WindowedStream<T> window_all(WindowAssigner assigner) const { return WindowedStream<T>(job_); }

  // Windows per key need a key: key_by(...).window(...). dfc reports this misuse with the job file's
  // location; plain compilers see the static_assert.
  template <class W>
  WindowedStream<T> window(W assigner) const {
#ifndef DFC_DSL_PARSER
    static_assert(dsl_internal::kAlwaysFalse<W>, "window needs a keyed stream: call key_by(...) first, or window_all(...)");
#endif
    return WindowedStream<T>(job_);
  }

  // Keyed process functions: only on a keyed stream (KeyedStream::process).
  template <class Out = void, class F>
  DataStream process(const char* id, F&& fn) const {
#ifndef DFC_DSL_PARSER
    static_assert(dsl_internal::kAlwaysFalse<F>, "process needs a keyed stream: call key_by(\"id\", ...) first");
#endif
    return *this;
  }

  // Rolling reduce: only on a keyed stream (KeyedStream::reduce). dfc reports this misuse with
  // the job file's location; plain compilers see the static_assert.
  template <class F>
  DataStream reduce(const char* id, F&& fn) const {
#ifndef DFC_DSL_PARSER
    static_assert(dsl_internal::kAlwaysFalse<F>, "reduce needs a keyed stream: call key_by(...) first");
#endif
    return *this;
  }

  // Flink's ConnectedStreams without keys: a.connect(b).map<Out>("id", fn1, fn2) /
  // .flat_map<Out>("id", fn1, fn2) (JSON: co_map / co_flat_map, inputs [a, b], fn1, fn2[, type]).
  // co_process needs keys: key_by both streams first.
  template <class U>
  ConnectedStreams<T, U> connect(const DataStream<U>& other) const {
    return ConnectedStreams<T, U>(job_);
  }

  // Merges this stream with others of the same row type (JSON: op union, inputs).
  template <class... S>
    requires(sizeof...(S) > 0 && (std::is_convertible_v<S, DataStream<T>> && ...))
  DataStream union_(const char* id, const S&... others) const {
    return *this;
  }

  // A sink (JSON: op sink); choose the connector on the returned builder.
  SinkBuilder<T> sink(const char* id) const;

 protected:
  Job* job_;
};

// A stream partitioned by key (key_by's result): adds the keyed operations.
template <class T>
class KeyedStream : public DataStream<T> {
 public:
  using DataStream<T>::DataStream;

  KeyedStream name(const char* display_name) const { return *this; }
  KeyedStream uid(const char* operator_uid) const { return *this; }
  KeyedStream parallelism(int n) const { return *this; }
  KeyedStream start_new_chain() const { return *this; }

  using keyed_row_type = T;

  // Windows over this key (JSON: window ops with input = this key_by node and its key). See
  // KeySelection for windows and joins without a key_by node.
  WindowedStream<T> window(WindowAssigner assigner) const { return WindowedStream<T>(this->job_); }

  // Joins with another keyed stream (JSON: window_join / interval_join with inputs = both
  // streams; see KeySelection).
  template <dsl_internal::Keyed Other>
  JoinedStreams<T, typename dsl_internal::KeyedRow<Other>::type> join(const Other& other) const {
    return JoinedStreams<T, typename dsl_internal::KeyedRow<Other>::type>(this->job_);
  }
  template <dsl_internal::Keyed Other>
  IntervalJoin<T, typename dsl_internal::KeyedRow<Other>::type> interval_join(const Other& other) const {
    return IntervalJoin<T, typename dsl_internal::KeyedRow<Other>::type>(this->job_);
  }

  // Flink's connect on keyed streams: by_a.connect(by_b).process<Out>("id", fn1, fn2) etc. (JSON:
  // co_process / co_map / co_flat_map with inputs = both key_by nodes; see ConnectedStreams).
  template <dsl_internal::Keyed Other>
  ConnectedStreams<T, typename dsl_internal::KeyedRow<Other>::type> connect(const Other& other) const {
    return ConnectedStreams<T, typename dsl_internal::KeyedRow<Other>::type>(this->job_);
  }

  // Flink's KeyedProcessFunction (JSON: op process, fn[, type Out]): fn(row, ctx, out) per record,
  // with keyed state and timers on ctx; declare the state and on_timer on the returned builder:
  //   by_user.process<Quiet>("quiet", [](const Click& c, auto& ctx, dfc::Collector<Quiet>& out) {...})
  //       .value_state<int64_t>("count").on_timer([](int64_t time, auto& ctx, auto& out) {...})
  // Without Out the output type is the input's (JSON: no "type").
  template <class Out = void, class F>
  ProcessBuilder<dsl_internal::Pick<Out, T>> process(const char* id, F&& fn) const {
    return ProcessBuilder<dsl_internal::Pick<Out, T>>(this->job_);
  }

  // Rolling reduce per key (JSON: op reduce, fn): fn(acc, value) -> T, emitted on every input.
  template <class F>
    requires std::is_invocable_r_v<T, F&, const T&, const T&>
  DataStream<T> reduce(const char* id, F&& fn) const {
    return DataStream<T>(this->job_);
  }
};

template <class T>
template <class... K>
  requires(sizeof...(K) > 0 && (dsl_internal::KeyField<K, T> && ...))
KeyedStream<T> DataStream<T>::key_by(const char* id, K... keys) const {
  return KeyedStream<T>(job_);
}

// key_by without an id: not a node, only the key of the window or join that follows (the window
// and join ops partition their inputs themselves; JSON: their "key").
template <class T>
class KeySelection {
 public:
  using keyed_row_type = T;
  explicit KeySelection(Job* job) : job_(job) {}

  // Windows per key: window(assigner) then aggregate / reduce / process.
  WindowedStream<T> window(WindowAssigner assigner) const { return WindowedStream<T>(job_); }

  // Flink's JoinedStreams: a.key_by(...).join(b.key_by(...)).window(assigner).apply("id"[, fn])
  // (JSON: op window_join, inputs [a, b], key or left_key/right_key, window[, fn, type]).
  template <dsl_internal::Keyed Other>
  JoinedStreams<T, typename dsl_internal::KeyedRow<Other>::type> join(const Other& other) const {
    return JoinedStreams<T, typename dsl_internal::KeyedRow<Other>::type>(job_);
  }
  // Flink's intervalJoin: a.key_by(...).interval_join(b.key_by(...)).between("0s", "10s")
  // .apply("id"[, fn]) (JSON: op interval_join, inputs [a, b], key or left_key/right_key, lower,
  // upper[, fn, type]).
  template <dsl_internal::Keyed Other>
  IntervalJoin<T, typename dsl_internal::KeyedRow<Other>::type> interval_join(const Other& other) const {
    return IntervalJoin<T, typename dsl_internal::KeyedRow<Other>::type>(job_);
  }
  // Flink's connect on keyed streams: a.key_by(...).connect(b.key_by(...)).process<Out>("id", fn1,
  // fn2) (JSON: co_process / co_map / co_flat_map, inputs [a, b], key or left_key/right_key).
  template <dsl_internal::Keyed Other>
  ConnectedStreams<T, typename dsl_internal::KeyedRow<Other>::type> connect(const Other& other) const {
    return ConnectedStreams<T, typename dsl_internal::KeyedRow<Other>::type>(job_);
  }

 private:
  Job* job_;
};

template <class T>
template <class M, class... K>
  requires(dsl_internal::KeyField<M T::*, T> && (dsl_internal::KeyField<K, T> && ...))
KeySelection<T> DataStream<T>::key_by(M T::*key, K... more) const {
  return KeySelection<T>(job_);
}

template <class T>
KeySelection<T> DataStream<T>::key_by(std::initializer_list<const char*> keys) const {
  return KeySelection<T>(job_);
}

template <class T>
KeySelection<T> DataStream<T>::key_by(const char* key) const {
  return KeySelection<T>(job_);
}

// The output of a window op. late_output gives the stream of the records that came too late
// for every window (Flink: sideOutputLateData + getSideOutput; JSON: "late_output").
template <class Out, class In>
class WindowOutput : public DataStream<Out> {
 public:
  using DataStream<Out>::DataStream;
  WindowOutput name(const char* display_name) const { return *this; }
  WindowOutput uid(const char* operator_uid) const { return *this; }
  WindowOutput parallelism(int n) const { return *this; }
  WindowOutput start_new_chain() const { return *this; }
  // The late records (rows of the window's input type) as a stream with this id.
  DataStream<In> late_output(const char* id) const { return DataStream<In>(this->job_); }
};

// A keyed stream with a window assigner (or a whole stream with window_all): compute per window.
template <class T>
class WindowedStream {
 public:
  explicit WindowedStream(Job* job) : job_(job) {}

  // How long after a window fired it still takes records, re-firing it (JSON: allowed_lateness).
  WindowedStream allowed_lateness(const char* lateness) const { return *this; }

  // SQL aggregates per key and window (JSON: op window_aggregate, key, window, aggregates):
  // "COUNT(*) AS bids", "MAX(price) AS top_price". Output: the key columns, window_start,
  // window_end, then the aggregates (a row type dfc derives and names after the node id).
  WindowOutput<DerivedRow, T> aggregate(const char* id, std::initializer_list<const char*> aggregates) const {
    return WindowOutput<DerivedRow, T>(job_);
  }

  // fn(acc, value) -> T, incrementally; one row per window and key (JSON: op window_reduce, fn).
  template <class F>
    requires std::is_invocable_r_v<T, F&, const T&, const T&>
  WindowOutput<T, T> reduce(const char* id, F&& fn) const {
    return WindowOutput<T, T>(job_);
  }

  // fn(key, window, rows, out) over all rows of a window (JSON: op window_process, fn, type Out):
  //   [](const Key& key, const dfc::Window& w, const std::vector<T>& rows, dfc::Collector<Out>& out)
  // Key is the key column's C++ type (a std::tuple for several, std::tuple<> for window_all).
  template <class Out, class F>
  WindowOutput<Out, T> process(const char* id, F&& fn) const {
    return WindowOutput<Out, T>(job_);
  }

 private:
  Job* job_;
};

// a.key_by(...).join(b.key_by(...)): choose the window, then apply.
template <class L, class R>
class WindowedJoin {
 public:
  explicit WindowedJoin(Job* job) : job_(job) {}
  // Every pair of a left and a right row in the same window and key. Without fn: the left
  // columns then the right ones (a right column whose name is taken gets a suffix 0, 1...).
  DataStream<DerivedRow> apply(const char* id) const { return DataStream<DerivedRow>(job_); }
  // With fn(const L&, const R&) -> Out: its results (JSON: fn, type Out).
  // Out: deduced from fn's return type, or given (apply<Out>(...)) for generic lambdas.
  template <class Out = void, class F>
  auto apply(const char* id, F&& fn) const {
    return DataStream<typename dsl_internal::ResultOf<Out, F, L, R>::type>(job_);
  }

 private:
  Job* job_;
};

// The regular join (JSON: op join): a.key_by(...).join(b.key_by(...))[.where("sql")]
// .select("id"[, {columns}]). Unwindowed, inner, append-only: a joined row per match as rows
// arrive; both sides stay in keyed state.
template <class L, class R>
class RegularJoin {
 public:
  explicit RegularJoin(Job* job) : job_(job) {}
  // The joined rows (left columns then right ones, a taken right name gets a suffix 0, 1...),
  // projected by `columns` (SQL over the joined row, JSON: columns) when given.
  DataStream<DerivedRow> select(const char* id) const { return DataStream<DerivedRow>(job_); }
  DataStream<DerivedRow> select(const char* id, std::initializer_list<const char*> columns) const {
    return DataStream<DerivedRow>(job_);
  }

 private:
  Job* job_;
};

template <class L, class R>
class JoinedStreams {
 public:
  explicit JoinedStreams(Job* job) : job_(job) {}
  WindowedJoin<L, R> window(WindowAssigner assigner) const { return WindowedJoin<L, R>(job_); }
  // Without a window: the regular join (see RegularJoin). `where`: an SQL condition over the
  // joined row (JSON: where).
  RegularJoin<L, R> where(const char* condition) const { return RegularJoin<L, R>(job_); }
  DataStream<DerivedRow> select(const char* id) const { return DataStream<DerivedRow>(job_); }
  DataStream<DerivedRow> select(const char* id, std::initializer_list<const char*> columns) const {
    return DataStream<DerivedRow>(job_);
  }

 private:
  Job* job_;
};

// a.key_by(...).interval_join(b.key_by(...)).between(lower, upper): then apply.
template <class L, class R>
class IntervalJoined {
 public:
  explicit IntervalJoined(Job* job) : job_(job) {}
  // Pairs with left.ts + lower <= right.ts <= left.ts + upper. Without fn: left columns then
  // right ones; with fn(const L&, const R&) -> Out: its results.
  DataStream<DerivedRow> apply(const char* id) const { return DataStream<DerivedRow>(job_); }
  // Out: deduced from fn's return type, or given (apply<Out>(...)) for generic lambdas.
  template <class Out = void, class F>
  auto apply(const char* id, F&& fn) const {
    return DataStream<typename dsl_internal::ResultOf<Out, F, L, R>::type>(job_);
  }

 private:
  Job* job_;
};

template <class L, class R>
class IntervalJoin {
 public:
  explicit IntervalJoin(Job* job) : job_(job) {}
  // Durations (may be negative, lower <= upper), both bounds inclusive (JSON: lower, upper).
  IntervalJoined<L, R> between(const char* lower, const char* upper) const { return IntervalJoined<L, R>(job_); }

 private:
  Job* job_;
};

// A process node (JSON: op process): its timer function and state declarations.
template <class T>
class ProcessBuilder : public DataStream<T> {
 public:
  using DataStream<T>::DataStream;
  ProcessBuilder name(const char* display_name) const { return *this; }
  ProcessBuilder uid(const char* operator_uid) const { return *this; }
  ProcessBuilder parallelism(int n) const { return *this; }
  ProcessBuilder start_new_chain() const { return *this; }
  // on_timer(time, ctx, out) per firing timer (JSON: on_timer).
  template <class F>
  ProcessBuilder on_timer(F&& fn) const {
    return *this;
  }
  // Keyed state ctx.state.<name> (JSON: state.<name>): V, K are C++ column types (bool, int32_t,
  // int64_t, double, std::string, dfc::Timestamp) or row structs: "VALUE<T>", "LIST<T>",
  // "MAP<K, V>" with their SQL names.
  template <class V>
  ProcessBuilder value_state(const char* name) const {
    return *this;
  }
  template <class V>
  ProcessBuilder list_state(const char* name) const {
    return *this;
  }
  template <class K, class V>
  ProcessBuilder map_state(const char* name) const {
    return *this;
  }
  // Flink's ReducingState: fn(V acc, const V& v) -> V folds every add (JSON: {"type":
  // "REDUCING<V>", "fn"}).
  template <class V, class F>
  ProcessBuilder reducing_state(const char* name, F&& fn) const {
    return *this;
  }
  // Flink's AggregatingState over an AggregateFunction: add(const IN&, ACC) -> ACC,
  // get_result(const ACC&) -> OUT, optionally create_accumulator() -> ACC first (default ACC{})
  // (JSON: {"type": "AGGREGATING<IN, ACC, OUT>", "create_accumulator", "add", "get_result"}).
  template <class IN, class ACC, class OUT, class Add, class Get>
  ProcessBuilder aggregating_state(const char* name, Add&& add, Get&& get_result) const {
    return *this;
  }
  template <class IN, class ACC, class OUT, class Create, class Add, class Get>
  ProcessBuilder aggregating_state(const char* name, Create&& create_accumulator, Add&& add, Get&& get_result) const {
    return *this;
  }
  // The same with the JSON format's type string, verbatim: state("count", "VALUE<BIGINT>").
  ProcessBuilder state(const char* name, const char* type) const { return *this; }
  // Flink's StateTtlConfig for a state declared above: time-to-live (processing time, e.g. "1h"),
  // update type "OnCreateAndWrite" (default) or "OnReadAndWrite"; expired values are never
  // returned (JSON: the state's "ttl", "ttl_update").
  ProcessBuilder state_ttl(const char* name, const char* ttl) const { return *this; }
  ProcessBuilder state_ttl(const char* name, const char* ttl, const char* update) const { return *this; }
};

// Two streams connected (Flink's ConnectedStreams): one operator over both, fn1 for the rows of
// the first stream, fn2 for those of the second, one output type Out (default: the first
// stream's row type, which then must be the second's too).
template <class L, class R>
class ConnectedStreams {
 public:
  explicit ConnectedStreams(Job* job) : job_(job) {}
  // fn1(const L&) -> Out, fn2(const R&) -> Out (JSON: op co_map, fn1, fn2[, type]).
  template <class Out = void, class F1, class F2>
  DataStream<dsl_internal::Pick<Out, L>> map(const char* id, F1&& fn1, F2&& fn2) const {
    return DataStream<dsl_internal::Pick<Out, L>>(job_);
  }
  // fn1(const L&, dfc::Collector<Out>&), fn2(const R&, dfc::Collector<Out>&) (JSON: co_flat_map).
  template <class Out = void, class F1, class F2>
  DataStream<dsl_internal::Pick<Out, L>> flat_map(const char* id, F1&& fn1, F2&& fn2) const {
    return DataStream<dsl_internal::Pick<Out, L>>(job_);
  }
  // Flink's KeyedCoProcessFunction (JSON: op co_process; keyed streams only): fn1(row, ctx, out),
  // fn2(row, ctx, out) share keyed state and timers (declare them on the returned builder, as for
  // process: .value_state<T>("n"), .on_timer(fn)).
  template <class Out = void, class F1, class F2>
  ProcessBuilder<dsl_internal::Pick<Out, L>> process(const char* id, F1&& fn1, F2&& fn2) const {
    return ProcessBuilder<dsl_internal::Pick<Out, L>>(job_);
  }

 private:
  Job* job_;
};

// A select node (JSON: op select): more of its parameters.
template <class T>
class SelectBuilder : public DataStream<T> {
 public:
  using DataStream<T>::DataStream;
  using DataStream<T>::add_columns;
  using DataStream<T>::drop_columns;
  using DataStream<T>::rename_columns;
  // JSON add: `expr AS name`, replacing the column of that name in place, else appended.
  SelectBuilder add_columns(std::initializer_list<const char*> columns) const { return *this; }
  // JSON drop: column names.
  SelectBuilder drop_columns(std::initializer_list<const char*> columns) const { return *this; }
  // JSON rename: {{"old", "new"}, ...}.
  SelectBuilder rename_columns(std::initializer_list<Rename> renames) const { return *this; }
};

template <class T>
template <class Out>
SelectBuilder<Out> DataStream<T>::select(const char* id, std::initializer_list<const char*> columns) const {
  return SelectBuilder<Out>(job_);
}
template <class T>
template <class Out>
SelectBuilder<Out> DataStream<T>::select(const char* id) const {
  return SelectBuilder<Out>(job_);
}
template <class T>
template <class Out>
SelectBuilder<Out> DataStream<T>::add_columns(const char* id, std::initializer_list<const char*> columns) const {
  return SelectBuilder<Out>(job_);
}
template <class T>
template <class Out>
SelectBuilder<Out> DataStream<T>::drop_columns(const char* id, std::initializer_list<const char*> columns) const {
  return SelectBuilder<Out>(job_);
}
template <class T>
template <class Out>
SelectBuilder<Out> DataStream<T>::rename_columns(const char* id, std::initializer_list<Rename> renames) const {
  return SelectBuilder<Out>(job_);
}

// A source node (JSON: op source, type T): choose the connector and its parameters, then use it as
// a DataStream<T>.
template <class T>
class SourceBuilder : public DataStream<T> {
 public:
  using DataStream<T>::DataStream;

  SourceBuilder file(const char* path) const { return *this; }     // connector file, path
  SourceBuilder format(const char* format) const { return *this; } // text | csv | jsonl
  SourceBuilder delimiter(const char* delimiter) const { return *this; }
  SourceBuilder on_error(const char* policy) const { return *this; } // fail | skip | dead_letter
  SourceBuilder dead_letter_path(const char* path) const { return *this; }

  SourceBuilder datagen() const { return *this; }                  // connector datagen
  SourceBuilder count(std::int64_t rows) const { return *this; }   // datagen: rows to generate
  SourceBuilder rate(std::int64_t rows_per_second) const { return *this; }
  // datagen: how one column is generated (JSON: fields.<column>), e.g.
  // .field("price", dfc::gen::random(1, 10000)) or .field(&Bid::bidder, dfc::gen::sequence(1)).
  SourceBuilder field(const char* column, gen::FieldGenerator generator) const { return *this; }
  template <class M>
  SourceBuilder field(M T::*column, gen::FieldGenerator generator) const {
    return *this;
  }

  // connector values (JSON: rows, one array per row, in the row type's field order):
  // .values({{1, "a"}, {2, "b"}}). Non-parallel.
  SourceBuilder values() const { return *this; }
  SourceBuilder values(std::initializer_list<T> rows) const { return *this; }

  // connector nexmark (JSON: stream bid | auction | person | all; default bid).
  SourceBuilder nexmark() const { return *this; }
  SourceBuilder nexmark(const char* stream) const { return *this; }
  SourceBuilder events(std::int64_t events) const { return *this; }
  SourceBuilder events_per_second(std::int64_t events_per_second) const { return *this; }
  SourceBuilder watermark_delay_ms(std::int64_t delay_ms) const { return *this; }

  // Event time (JSON: watermark): see WatermarkStrategy.
  SourceBuilder watermark(WatermarkStrategy strategy) const { return *this; }
  // Any other source parameter of the JSON format, by key (a literal string, number or bool).
  template <class V>
  SourceBuilder param(const char* key, V value) const {
    return *this;
  }
};

// A sink node (JSON: op sink): terminal.
template <class T>
class SinkBuilder {
 public:
  explicit SinkBuilder(Job* job) : job_(job) {}
  SinkBuilder file(const char* path) const { return *this; }  // connector file, path
  SinkBuilder print() const { return *this; }                 // connector print
  SinkBuilder blackhole() const { return *this; }             // connector blackhole
  SinkBuilder format(const char* format) const { return *this; }
  SinkBuilder name(const char* display_name) const { return *this; }
  SinkBuilder uid(const char* operator_uid) const { return *this; }
  SinkBuilder parallelism(int n) const { return *this; }
  SinkBuilder start_new_chain() const { return *this; }
  template <class V>
  SinkBuilder param(const char* key, V value) const {
    return *this;
  }

 private:
  Job* job_;
};

template <class T>
SinkBuilder<T> DataStream<T>::sink(const char* id) const {
  return SinkBuilder<T>(job_);
}

// The job (Flink's StreamExecutionEnvironment + job name). Declare exactly one, in the function
// that builds the graph (usually main).
class Job {
 public:
  explicit Job(const char* name) {}
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  // A configuration entry with Flink's key names (JSON: config), e.g. ("parallelism.default", 2).
  template <class V>
    requires(std::is_arithmetic_v<V> || std::is_convertible_v<V, const char*>)
  Job& config(const char* key, V value) {
    return *this;
  }
  // Shorthand for config("parallelism.default", n) (Flink: env.setParallelism).
  Job& parallelism(int n) { return *this; }
  // Shorthand for config("pipeline.max-parallelism", n) (Flink: env.setMaxParallelism).
  Job& max_parallelism(int n) { return *this; }

  // Extra files of the job (JSON: dependencies): C++ sources compiled in, include directories,
  // libraries to link, pkg-config packages. Paths are relative to job.cpp.
  Job& add_source_file(const char* path) { return *this; }
  // A header the generated code includes (JSON: dependencies.headers). A job.cpp can also simply
  // #include it: the job file's own declarations travel with the generated code.
  Job& add_header(const char* path) { return *this; }
  Job& add_include_dir(const char* dir) { return *this; }
  Job& add_library(const char* name) { return *this; }
  Job& add_pkg_config(const char* package) { return *this; }

  // A source of rows of type T; choose the connector on the returned builder.
  template <class T>
  SourceBuilder<T> source(const char* id) {
#ifndef DFC_DSL_PARSER
    static_assert(std::is_class_v<T>, "a row type must be a struct");
#endif
    return SourceBuilder<T>(this);
  }

  // Flink's env.execute(). The graph is read by dfc, not run by this program: compiled on its own,
  // job.cpp only says so.
  int execute() const { return 1; }
};

}  // namespace dfc

#pragma GCC diagnostic pop
