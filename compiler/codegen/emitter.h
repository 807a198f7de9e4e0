// Operator emitters: how each op of the job format becomes code inside a chain class.
//
// The generator (codegen.cc) owns the chain class skeleton; for every operator at position k of
// a chain it asks the op's OpEmitter for pieces:
//   Helpers()      namespace-scope code before the class (UDF factories, key types ...)
//   Members()      data members of the chain class (state, collectors, sinks ...)
//   Open()         statements in the chain's Open(ctx) (open sinks, state ...)
//   Body()         the body of `void opK(InT& v, int64_t ts)`; it passes results on with
//                  ctx.Next("expr") (the next operator, or the chain's writers at the tail) and
//                  counts them with ctx.CountOut()
//   OnWatermark()  statements run when the chain's input watermark advances to `wm`, in chain
//                  order, before the watermark is forwarded (fire windows/timers here: results
//                  precede their watermark)
//   OnEndOfInput() statements run once after the final watermark (emit what is left)
//   OnTick()       statements run about every buffer timeout (processing-time windows fire here)
//   Close()        statements in the chain's Close() (close sinks)
//   Snapshot() / Restore() / NotifyComplete()   checkpoints (see OpEmitter)
// A new op is one emitter class plus one line in MakeEmitter (ops_*.cc). Emitters write only
// through CodegenContext, so user text is always escaped (Lit) or sanitized (Ident).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler::codegen {

// Output text with a running line count (for #line directives after user code).
class CodeBuffer {
 public:
  CodeBuffer& operator<<(std::string_view s);
  CodeBuffer& operator<<(int64_t v) { return *this << std::string_view(std::to_string(v)); }
  CodeBuffer& operator<<(int v) { return *this << std::string_view(std::to_string(v)); }
  CodeBuffer& operator<<(size_t v) { return *this << std::string_view(std::to_string(v)); }
  int line() const { return line_; }
  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
  int line_ = 1;
};

// What an emitter may know and use while emitting operator k of a chain.
class CodegenContext {
 public:
  CodegenContext(const ir::Graph& g, Diagnostics& diags, CodeBuffer& out) : g_(g), diags_(diags), out_(out) {}

  const ir::Graph& graph() const { return g_; }
  Diagnostics& diags() { return diags_; }
  CodeBuffer& out() { return out_; }

  // The operator being emitted.
  int node_index() const { return node_; }
  const ir::Node& node() const { return g_.nodes[node_]; }
  int k() const { return k_; }                      // position in the chain
  std::string ks() const { return std::to_string(k_); }
  int in_schema() const;                            // schema of the (first) input
  int in_schema(int input) const;                   // schema of input `input` (two-input ops)
  std::string in_type() const { return RowType(in_schema()); }
  std::string out_type() const { return RowType(node().out_schema); }

  // Names. Row types: the declared name (sanitized) or dfc_row_<i> for derived ones.
  std::string RowType(int schema) const;
  std::string Field(int schema, int field) const;  // sanitized member name
  static std::string Lit(std::string_view s);      // escaped C++ string literal
  static std::string Ident(std::string_view s);    // sanitized identifier

  // C++ for an expression over row variable `row` of `schema`.
  std::string Expr(const ir::Expr& e, int schema, const std::string& row) const;
  // Key type / value / hash over `fields` of `schema` for row variable `v`.
  std::string KeyType(int schema, const std::vector<int>& fields) const;
  std::string KeyExpr(int schema, const std::vector<int>& fields, const std::string& v) const;
  std::string KeyHashExpr(int schema, const std::vector<int>& fields, const std::string& v) const;

  // Statement passing `value` (an lvalue of out_type()) to the rest of the chain, with timestamp
  // expression `ts` (default: the variable `ts`).
  std::string Next(const std::string& value, const std::string& ts = "ts") const;
  // The same for a `value` the op no longer needs: the last writer takes it by move.
  std::string NextMove(const std::string& value, const std::string& ts = "ts") const;
  // Statement passing `value` (an lvalue of in_type()) to the op's late-data stream (the edges
  // to its late_output node); empty when it has none.
  std::string SideNext(const std::string& value, const std::string& ts = "ts") const;
  bool has_side_output() const { return !side_writers_.empty(); }
  // Statement counting `n` output records of this operator (numRecordsOut).
  std::string CountOut(const std::string& n = "1") const { return "out_[" + ks() + "] += " + n + ";"; }

  // Places user C++ code (a UDF) with #line directives pointing into the job file.
  void EmitUserCode(const ir::UserFunction& fn);

  // ---- set by the generator ----
  void SetOperator(int node, int k, std::string next_prefix, std::vector<std::string> writers,
                   std::vector<std::string> side_writers = {}) {
    node_ = node;
    k_ = k;
    next_prefix_ = std::move(next_prefix);
    writers_ = std::move(writers);
    side_writers_ = std::move(side_writers);
  }

 private:
  const ir::Graph& g_;
  Diagnostics& diags_;
  CodeBuffer& out_;
  int node_ = -1;
  int k_ = 0;
  std::string next_prefix_;           // "op3" when there is a next operator, else ""
  std::vector<std::string> writers_;  // writer member names at the chain tail
  std::vector<std::string> side_writers_;  // writers of the tail's late-data edges
};

class OpEmitter {
 public:
  virtual ~OpEmitter() = default;
  virtual void Helpers(CodegenContext& c) {}
  virtual void Members(CodegenContext& c) {}
  virtual void Open(CodegenContext& c) {}
  virtual void Body(CodegenContext& c) = 0;
  // Two-input ops (joins; always chain heads): Body1() is the body of
  // `void opK_in1(In1T& v, int64_t ts)`, called for the records of input 1.
  virtual bool TwoInputs() const { return false; }
  virtual void Body1(CodegenContext& c) {}
  virtual void OnWatermark(CodegenContext& c) {}
  virtual void OnEndOfInput(CodegenContext& c) {}
  virtual void OnTick(CodegenContext& c) {}  // about every buffer timeout: processing-time firing
  // Processing-time timers (dfc/state.h TimerService): an expression for the earliest deadline
  // (epoch ms; "" = none) and the statements firing the due ones at `now_ms`.
  virtual std::string ProcessingDeadline(CodegenContext& c) { return ""; }
  virtual void OnProcessingTime(CodegenContext& c) {}
  virtual void Flush(CodegenContext& c) {}  // on idle: flush buffered output (sinks)
  virtual void Close(CodegenContext& c) {}
  // Checkpoints (docs/CHECKPOINTS.md). Snapshot(): statements in the chain's
  // SnapshotState(dfc::rt::SnapshotWriter& w) writing the operator's state under its uid; return
  // false when the operator keeps state it cannot snapshot yet (the job then refuses to run with
  // checkpointing, naming it). Restore(): statements in InitializeState(const
  // dfc::rt::RestoredState& r), run after Open() on every start (empty state when fresh).
  // NotifyComplete(): statements in NotifyCheckpointComplete(int64_t id).
  virtual bool Snapshot(CodegenContext& c) { return true; }
  virtual void Restore(CodegenContext& c) {}
  virtual void NotifyComplete(CodegenContext& c) {}
};

// The emitter for `node`'s op (sources' own op is handled by the generator: source heads are the
// chain's Run loop, and their emitter just passes records on). nullptr for an unknown op.
std::unique_ptr<OpEmitter> MakeEmitter(const ir::Node& node);

}  // namespace dfc::compiler::codegen
