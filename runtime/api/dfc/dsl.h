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
//     class implementing dfc::MapFunction / dfc::FlatMapFunction / dfc::ReduceFunction.
// docs/DSL.md describes the mapping to the JSON job format, one builder call per JSON key.
//
// Checks that dfc reports itself with job.cpp locations (e.g. reduce without key_by) are
// static_asserts here for plain compilers; dfc defines DFC_DSL_PARSER to turn them off.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <type_traits>

#include "dfc/row.h"

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

}  // namespace dsl_internal

class Job;
template <class T>
class KeyedStream;
template <class T>
class SinkBuilder;

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

  // ---- transformations ----
  // SQL filter (JSON: op filter, where): keeps rows for which `where` is true.
  DataStream filter(const char* id, const char* where) const { return *this; }

  // SQL projection (JSON: op select, columns): "a", "CAST(price * 0.9 AS BIGINT) AS p".
  // The result's fields are derived by dfc; name a struct as Out to declare them (JSON: type).
  template <class Out = DerivedRow>
  DataStream<Out> select(const char* id, std::initializer_list<const char*> columns) const {
    return DataStream<Out>(job_);
  }

  // One row to one row (JSON: op map, fn, type). Out is deduced from the UDF's return type.
  template <class Out = void, class F>
  auto map(const char* id, F&& fn) const {
    using Deduced = std::remove_cvref_t<std::invoke_result_t<F&, const T&>>;
    return DataStream<dsl_internal::Pick<Out, Deduced>>(job_);
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

  // Rolling reduce: only on a keyed stream (KeyedStream::reduce). dfc reports this misuse with
  // the job file's location; plain compilers see the static_assert.
  template <class F>
  DataStream reduce(const char* id, F&& fn) const {
#ifndef DFC_DSL_PARSER
    static_assert(dsl_internal::kAlwaysFalse<F>, "reduce needs a keyed stream: call key_by(...) first");
#endif
    return *this;
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

// A source node (JSON: op source, type T): choose the connector and its parameters, then use it as
// a DataStream<T>.
template <class T>
class SourceBuilder : public DataStream<T> {
 public:
  using DataStream<T>::DataStream;

  SourceBuilder file(const char* path) const { return *this; }     // connector file, path
  SourceBuilder datagen() const { return *this; }                  // connector datagen
  SourceBuilder values() const { return *this; }                   // connector values
  SourceBuilder format(const char* format) const { return *this; } // text | csv | jsonl
  SourceBuilder delimiter(const char* delimiter) const { return *this; }
  SourceBuilder on_error(const char* policy) const { return *this; }
  SourceBuilder count(std::int64_t rows) const { return *this; }   // datagen: rows to generate
  SourceBuilder rate(double rows_per_second) const { return *this; }
  SourceBuilder watermark(const char* expression) const { return *this; }
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
