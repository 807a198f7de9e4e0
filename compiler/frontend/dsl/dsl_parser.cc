// ReadDslDocument: job.cpp -> job document, with Clang LibTooling. The only file of dfc that
// includes Clang headers (each such file costs 7-12 s to compile).
//
// How the graph is recovered: AST matchers find, in the declarations of the user's main file only
// (matching the system headers costs 6-200 ms, the main file 0.1 ms), the dfc::Job variable and
// every call of a builder method. The statements of the function declaring the job are then read
// in order by a small evaluator that knows the builder methods: `auto x = <builder chain>` binds a
// stream variable to a node, each transformation adds a node. Anything it cannot read statically
// (builder calls in loops or conditionals, non-constant arguments, streams passed through helper
// functions) is reported at its job.cpp location. Builder calls the evaluator never reached are
// reported too, so nothing the user wrote is silently dropped.
//
// LLVM is built without exceptions: nothing here throws (no exception may cross Clang callbacks).
#include <algorithm>
#include <chrono>
#include <iterator>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "compiler/frontend/dsl/dsl_document.h"
#include "compiler/frontend/dsl/dsl_reader.h"

namespace dfc::compiler {

namespace {

using clang::dyn_cast;
using clang::isa;

constexpr size_t kMaxClangErrors = 20;

double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Collects Clang's errors (and the notes that follow them) as dfc diagnostics. Warnings are left
// to the real build of the generated code.
class ClangDiagCollector : public clang::DiagnosticConsumer {
 public:
  explicit ClangDiagCollector(const std::string& main_path) : main_path_(main_path) {}

  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic& info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    const bool is_error = level == clang::DiagnosticsEngine::Error ||
                          level == clang::DiagnosticsEngine::Fatal;
    if (is_error) {
      keep_notes_ = num_kept_errors_ < kMaxClangErrors;
      if (!keep_notes_) return;
      ++num_kept_errors_;
    } else if (level != clang::DiagnosticsEngine::Note || !keep_notes_) {
      return;
    }
    llvm::SmallString<256> msg;
    info.FormatDiagnostic(msg);
    Diagnostic d{is_error ? Severity::kError : Severity::kNote, SourceLoc{main_path_, 0, 0, ""},
                 std::string(msg.str())};
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      const clang::SourceManager& sm = info.getSourceManager();
      clang::SourceLocation fl = sm.getFileLoc(info.getLocation());
      clang::PresumedLoc p = sm.getPresumedLoc(fl);
      if (p.isValid()) {
        d.loc.file = sm.isInMainFile(fl) ? main_path_ : std::string(p.getFilename());
        d.loc.line = static_cast<int>(p.getLine());
        d.loc.col = static_cast<int>(p.getColumn());
      }
    }
    collected_.push_back(std::move(d));
  }

  const std::vector<Diagnostic>& collected() const { return collected_; }

 private:
  std::string main_path_;
  std::vector<Diagnostic> collected_;
  size_t num_kept_errors_ = 0;
  bool keep_notes_ = false;
};

bool IsDslClass(const clang::CXXRecordDecl* rd) {
  if (!rd || !rd->getIdentifier()) return false;
  const auto* ns = dyn_cast<clang::NamespaceDecl>(rd->getDeclContext());
  if (!ns || ns->getName() != "dfc" || !ns->getParent()->getRedeclContext()->isTranslationUnit()) {
    return false;
  }
  llvm::StringRef n = rd->getName();
  return n == "Job" || n == "DataStream" || n == "KeyedStream" || n == "SourceBuilder" ||
         n == "SinkBuilder" || n == "SelectBuilder" || n == "KeySelection" ||
         n == "WindowedStream" || n == "WindowOutput" || n == "JoinedStreams" ||
         n == "WindowedJoin" || n == "IntervalJoin" || n == "IntervalJoined" ||
         n == "ProcessBuilder" || n == "ConnectedStreams" || n == "RegularJoin";
}

bool IsDslType(clang::QualType t) {
  return IsDslClass(t.getNonReferenceType()->getAsCXXRecordDecl());
}

bool IsDslCall(const clang::Expr* e) {
  const auto* call = dyn_cast<clang::CXXMemberCallExpr>(e);
  return call && call->getMethodDecl() && IsDslClass(call->getMethodDecl()->getParent());
}

// Implicit conversions, temporaries and parentheses: what the user did not write.
const clang::Expr* Strip(const clang::Expr* e) {
  while (e) {
    const clang::Expr* n = e->IgnoreImplicit()->IgnoreParens();
    if (n == e) break;
    e = n;
  }
  return e;
}

// A stream value while reading the job function.
struct Handle {
  // kKeys: key_by without an id (node = the stream keyed, `keys` its key, absent for window_all);
  // kWindowed: then window(...); kJoin: a join of node and `right` being configured.
  enum class Kind { kNone, kJob, kStream, kSink, kKeys, kWindowed, kJoin };
  Handle() = default;
  explicit Handle(Kind k, int n = -1) : kind(k), node(n) {}
  Kind kind = Kind::kNone;
  int node = -1;
  bool keyed = false;  // the result of key_by (and of name/uid/parallelism on it)
  std::shared_ptr<const json::Value> keys;
  // kWindowed / kJoin: the parameters collected so far (window, allowed_lateness, lower, upper),
  // a JSON object; never modified once shared (WithParam copies).
  std::shared_ptr<const json::Value> params;
  // kJoin: the right input and its key; join_op is "window_join" or "interval_join", "join" (the
  // regular join after where(...)), or "connect" (ConnectedStreams; keys absent when both inputs
  // are key_by nodes or neither is keyed).
  int right = -1;
  std::shared_ptr<const json::Value> right_keys;
  std::string join_op;
};

// Finds uses of the job function's locals inside a user function expression.
class LocalUseFinder : public clang::RecursiveASTVisitor<LocalUseFinder> {
 public:
  explicit LocalUseFinder(const clang::FunctionDecl* fn) : fn_(fn) {}
  bool VisitDeclRefExpr(clang::DeclRefExpr* e) {
    const auto* vd = dyn_cast<clang::VarDecl>(e->getDecl());
    if (vd && vd->getParentFunctionOrMethod() == fn_) {
      found_ = e;
      return false;
    }
    return true;
  }
  const clang::DeclRefExpr* found() const { return found_; }

 private:
  const clang::FunctionDecl* fn_;
  const clang::DeclRefExpr* found_ = nullptr;
};

class JobReader {
 public:
  JobReader(clang::ASTContext& ctx, const std::string& path, Diagnostics& diags)
      : ctx_(ctx),
        sm_(ctx.getSourceManager()),
        path_(path),
        diags_(diags),
        doc_(SourceLoc{path, 1, 1, ""}) {}

  std::unique_ptr<json::Value> Read() {
    FindInMainFile();
    if (jobs_.empty()) {
      diags_.Error(SourceLoc{path_, 1, 1, ""},
                   "no dfc::Job in this file: declare one in main, e.g. dfc::Job job(\"name\");");
      return nullptr;
    }
    if (jobs_.size() > 1) {
      diags_.Error(Loc(jobs_[1]->getLocation()),
                   "a job file describes one job: found a second dfc::Job");
      diags_.Note(Loc(jobs_[0]->getLocation()), "the first dfc::Job is declared here");
      return nullptr;
    }
    job_var_ = jobs_[0];
    job_fn_ = dyn_cast<clang::FunctionDecl>(job_var_->getDeclContext());
    if (!job_fn_ || isa<clang::CXXMethodDecl>(job_fn_) || job_fn_->isTemplated() ||
        job_fn_->isTemplateInstantiation() || !job_fn_->hasBody()) {
      diags_.Error(Loc(job_var_->getLocation()),
                   "unsupported: declare the dfc::Job in a plain function (usually main), not at "
                   "namespace scope, in a lambda, a method or a template");
      return nullptr;
    }
    Walk(job_fn_->getBody());
    ReportUnreadCalls();
    AddRowTypes();
    doc_.SetPrelude(Prelude(), SourceLoc{path_, 1, 1, ""}, RowTypeNames());
    return doc_.Finish();
  }

 private:
  // ---- locations ----
  SourceLoc Loc(clang::SourceLocation l) const {
    SourceLoc loc{path_, 0, 0, ""};
    if (l.isInvalid()) return loc;
    clang::SourceLocation e = sm_.getExpansionLoc(l);
    clang::PresumedLoc p = sm_.getPresumedLoc(e);
    if (p.isInvalid()) return loc;
    if (!sm_.isInMainFile(e)) loc.file = p.getFilename();
    loc.line = static_cast<int>(p.getLine());
    loc.col = static_cast<int>(p.getColumn());
    return loc;
  }
  SourceLoc Loc(const clang::Expr* e) const { return Loc(e->getExprLoc()); }
  // JSON convention for values whose text is located by offset: the character before the text.
  static SourceLoc BeforeText(SourceLoc loc) {
    if (loc.col > 0) --loc.col;
    return loc;
  }

  // ---- finding the job and the builder calls (main file only) ----
  void FindInMainFile() {
    namespace am = clang::ast_matchers;
    auto job_matcher = am::decl(am::findAll(am::varDecl(am::hasType(am::qualType(
        am::hasCanonicalType(am::hasDeclaration(am::cxxRecordDecl(am::hasName("::dfc::Job"))))))).bind("job")));
    auto call_matcher = am::decl(am::forEachDescendant(am::cxxMemberCallExpr().bind("call")));
    for (clang::Decl* d : ctx_.getTranslationUnitDecl()->decls()) {
      if (!sm_.isInMainFile(sm_.getExpansionLoc(d->getBeginLoc()))) continue;
      for (const am::BoundNodes& b : am::match(job_matcher, *d, ctx_)) {
        if (const auto* v = b.getNodeAs<clang::VarDecl>("job")) {
          if (!isa<clang::ParmVarDecl>(v)) jobs_.push_back(v);
        }
      }
      for (const am::BoundNodes& b : am::match(call_matcher, *d, ctx_)) {
        const auto* c = b.getNodeAs<clang::CXXMemberCallExpr>("call");
        if (c && IsDslCall(c) && seen_calls_.insert(c).second) calls_.push_back(c);
      }
    }
  }

  bool Contains(const clang::Stmt* s, const clang::Expr* call) const {
    clang::SourceRange r = s->getSourceRange();
    clang::SourceLocation l = sm_.getExpansionLoc(call->getExprLoc());
    clang::SourceLocation b = sm_.getExpansionLoc(r.getBegin());
    clang::SourceLocation e = sm_.getExpansionLoc(r.getEnd());
    return !sm_.isBeforeInTranslationUnit(l, b) && !sm_.isBeforeInTranslationUnit(e, l);
  }
  bool ContainsBuilderCall(const clang::Stmt* s) const {
    for (const auto* c : calls_) {
      if (Contains(s, c)) return true;
    }
    return false;
  }

  // ---- statements of the job function ----
  static const char* StmtKind(const clang::Stmt* s) {
    if (isa<clang::ForStmt>(s) || isa<clang::CXXForRangeStmt>(s)) return "a for loop";
    if (isa<clang::WhileStmt>(s)) return "a while loop";
    if (isa<clang::DoStmt>(s)) return "a do loop";
    if (isa<clang::IfStmt>(s)) return "an if statement";
    if (isa<clang::SwitchStmt>(s)) return "a switch statement";
    if (isa<clang::CXXTryStmt>(s)) return "a try block";
    return "a statement dfc cannot read statically";
  }

  void ReportNotStatic(const clang::Stmt* s, const char* where) {
    auto inside = [&](const clang::CXXMemberCallExpr* c) { return Contains(s, c) && !read_calls_.count(c); };
    if (std::none_of(calls_.begin(), calls_.end(), inside)) {
      diags_.Error(Loc(s->getBeginLoc()), std::string("the job graph must be static: stream chosen in ") +
                                              where +
                                              " (dfc reads the graph from the source without running it)");
      return;
    }
    // One error per statement, at the builder call written first.
    const clang::CXXMemberCallExpr* first = nullptr;
    for (const auto* c : calls_) {
      if (!Contains(s, c) || read_calls_.count(c)) continue;
      read_calls_.insert(c);
      if (!first || sm_.isBeforeInTranslationUnit(sm_.getExpansionLoc(c->getExprLoc()),
                                                  sm_.getExpansionLoc(first->getExprLoc()))) {
        first = c;
      }
    }
    if (first) {
      diags_.Error(Loc(first), std::string("the job graph must be static: builder call inside ") +
                                   where +
                                   " (dfc reads the graph from the source without running it)");
    }
  }

  void Walk(const clang::Stmt* s) {
    if (!s) return;
    if (const auto* cs = dyn_cast<clang::CompoundStmt>(s)) {
      for (const clang::Stmt* c : cs->body()) Walk(c);
    } else if (const auto* ds = dyn_cast<clang::DeclStmt>(s)) {
      for (const clang::Decl* d : ds->decls()) {
        if (const auto* vd = dyn_cast<clang::VarDecl>(d)) WalkVar(vd);
      }
    } else if (const auto* rs = dyn_cast<clang::ReturnStmt>(s)) {
      if (rs->getRetValue() && ContainsBuilderCall(rs)) EvalAll(rs->getRetValue());
    } else if (const auto* e = dyn_cast<clang::Expr>(s)) {
      if (ContainsBuilderCall(e)) EvalAll(e);
    } else if (ContainsBuilderCall(s)) {
      ReportNotStatic(s, StmtKind(s));
    }
  }

  void WalkVar(const clang::VarDecl* vd) {
    const clang::Expr* init = vd->getInit();
    if (vd == job_var_) {
      const clang::Expr* ctor = init ? Strip(init) : nullptr;
      const auto* ce = ctor ? dyn_cast<clang::CXXConstructExpr>(ctor) : nullptr;
      if (!ce || ce->getNumArgs() != 1) {
        diags_.Error(Loc(vd->getLocation()), "declare the job with its name: dfc::Job job(\"name\");");
        return;
      }
      if (auto name = StrArg(ce->getArg(0), "the job name")) doc_.SetName(name->first, name->second);
      return;
    }
    if (!init) return;
    if (IsDslType(vd->getType())) {
      if (vd->getType()->isReferenceType() || vd->isStaticLocal()) {
        diags_.Error(Loc(vd->getLocation()),
                     "unsupported: keep streams in plain local variables (auto s = ...;)");
        return;
      }
      Handle h = Eval(init);
      if (h.kind != Handle::Kind::kNone) vars_[vd] = h;
    } else if (ContainsBuilderCall(init)) {
      EvalAll(init);
    }
  }

  // Evaluates every builder expression inside `e` (an expression statement may wrap them, e.g. in
  // a cast or a call of the user's). Conditionals would make the graph depend on run time.
  void EvalAll(const clang::Expr* e) {
    e = Strip(e);
    if (IsDslCall(e) || isa<clang::DeclRefExpr>(e)) {
      Eval(e);
      return;
    }
    if (isa<clang::ConditionalOperator>(e) || isa<clang::BinaryConditionalOperator>(e)) {
      ReportNotStatic(e, "a conditional expression");
      return;
    }
    if (const auto* bo = dyn_cast<clang::BinaryOperator>(e); bo && bo->isLogicalOp()) {
      ReportNotStatic(e, "a logical expression");
      return;
    }
    if (const auto* op = dyn_cast<clang::CXXOperatorCallExpr>(e);
        op && op->getOperator() == clang::OO_Equal && IsDslType(op->getArg(0)->getType())) {
      // Re-binding a stream variable in straight-line code (s = s.filter(...)) is still static.
      const auto* lhs = dyn_cast<clang::DeclRefExpr>(Strip(op->getArg(0)));
      const auto* vd = lhs ? dyn_cast<clang::VarDecl>(lhs->getDecl()) : nullptr;
      if (!vd || !vars_.count(vd)) {
        Unsupported(e, "assignment to something other than a stream variable of this function");
        return;
      }
      Handle h = Eval(op->getArg(1));
      if (h.kind != Handle::Kind::kNone) vars_[vd] = h;
      return;
    }
    for (const clang::Stmt* child : e->children()) {
      if (const auto* ce = dyn_cast_or_null<clang::Expr>(child)) {
        if (ContainsBuilderCall(ce)) EvalAll(ce);
      } else if (child && ContainsBuilderCall(child)) {
        ReportNotStatic(child, "a statement dfc cannot read statically");
      }
    }
  }

  void Unsupported(const clang::Expr* e, const std::string& what) {
    // Builder calls inside an unsupported construct are covered by this one error.
    for (const auto* c : calls_) {
      if (Contains(e, c)) read_calls_.insert(c);
    }
    diags_.Error(Loc(e), "unsupported construct in the job graph: " + what +
                             " (write builder calls in straight-line code and keep streams in "
                             "local variables)");
  }

  Handle Eval(const clang::Expr* e) {
    e = Strip(e);
    if (IsDslCall(e)) return EvalCall(dyn_cast<clang::CXXMemberCallExpr>(e));
    if (const auto* dre = dyn_cast<clang::DeclRefExpr>(e)) {
      const auto* vd = dyn_cast<clang::VarDecl>(dre->getDecl());
      if (vd && vd == job_var_) return Handle{Handle::Kind::kJob};
      if (vd) {
        auto it = vars_.find(vd);
        if (it != vars_.end()) return it->second;
      }
      Unsupported(e, "'" + dre->getNameInfo().getAsString() +
                         "' is not a stream built earlier in this function");
      return {};
    }
    if (const auto* ce = dyn_cast<clang::CXXConstructExpr>(e)) {
      if (ce->getNumArgs() == 1 && ce->getConstructor()->isCopyOrMoveConstructor()) {
        return Eval(ce->getArg(0));
      }
    }
    if (isa<clang::AbstractConditionalOperator>(e)) {
      ReportNotStatic(e, "a conditional expression");
      return {};
    }
    Unsupported(e, "a stream computed by an expression dfc cannot read");
    return {};
  }

  // ---- constant arguments ----
  std::optional<std::pair<std::string, SourceLoc>> StrArg(const clang::Expr* arg,
                                                          const std::string& what,
                                                          int depth = 0) {
    const clang::Expr* e = Strip(arg);
    if (const auto* sl = dyn_cast<clang::StringLiteral>(e)) {
      if (sl->getCharByteWidth() == 1) return std::make_pair(sl->getString().str(), Loc(sl->getBeginLoc()));
    }
    if (const auto* dre = dyn_cast<clang::DeclRefExpr>(e); dre && depth < 8) {
      const auto* vd = dyn_cast<clang::VarDecl>(dre->getDecl());
      const clang::Expr* init = vd ? vd->getAnyInitializer() : nullptr;
      if (init && (vd->isConstexpr() || vd->getType().isConstant(ctx_))) {
        return StrArg(init, what, depth + 1);
      }
    }
    if (depth == 0) {
      diags_.Error(Loc(arg->getBeginLoc()), what + " must be a string literal or a constant: dfc reads the job "
                                    "graph from the source without running it");
    } else {
      diags_.Error(Loc(arg), what + " must be initialized with a string literal");
    }
    return std::nullopt;
  }

  std::optional<int64_t> IntArg(const clang::Expr* arg, const std::string& what) {
    clang::Expr::EvalResult r;
    if (!arg->isValueDependent() && arg->EvaluateAsInt(r, ctx_) && !r.HasSideEffects) {
      return r.Val.getInt().getExtValue();
    }
    diags_.Error(Loc(arg->getBeginLoc()), what + " must be an integer constant: dfc reads the job graph from the "
                                  "source without running it");
    return std::nullopt;
  }

  // A string, number or boolean constant, as the JSON value it stands for.
  std::unique_ptr<json::Value> LiteralArg(const clang::Expr* arg, const std::string& what) {
    clang::QualType t = Strip(arg)->getType();
    if (t->isPointerType() || t->isArrayType()) {
      auto s = StrArg(arg, what);
      return s ? MakeStr(s->first, s->second) : nullptr;
    }
    clang::Expr::EvalResult r;
    if (!arg->isValueDependent() && arg->EvaluateAsRValue(r, ctx_) && !r.HasSideEffects) {
      SourceLoc loc = Loc(Strip(arg)->getBeginLoc());
      if (r.Val.isInt()) {
        if (arg->getType()->isBooleanType()) return dsl::MakeBool(r.Val.getInt().getBoolValue(), loc);
        return dsl::MakeInt(r.Val.getInt().getExtValue(), loc);
      }
      if (r.Val.isFloat()) return dsl::MakeDouble(r.Val.getFloat().convertToDouble(), loc);
    }
    diags_.Error(Loc(arg->getBeginLoc()), what + " must be a literal or a constant (string, number or bool): dfc "
                                  "reads the job graph from the source without running it");
    return nullptr;
  }

  static std::unique_ptr<json::Value> MakeStr(const std::string& s, const SourceLoc& loc) {
    return dsl::MakeString(s, loc);
  }

  // ---- parameter objects: WatermarkStrategy, window assigners, dfc::gen field generators ----
  // Each factory or method sets keys of one JSON object: a fixed key/value (e.g. the window type)
  // and one key per argument written (an omitted argument leaves its key absent, as in job.json).
  enum class SpecArgKind { kString, kLiteral, kColumn };
  struct SpecArgDesc {
    const char* key;
    SpecArgKind kind;
  };
  struct SpecFn {
    const char* qualified_name;
    const char* fixed_key;    // nullptr: none
    const char* fixed_value;
    std::vector<SpecArgDesc> args;  // in parameter order; a call may pass fewer; "a.b" = nested
    const char* time = nullptr;     // "time" of a window assigner ("processing"); nullptr: absent
  };

  static const SpecFn* FindSpecFn(const std::string& qualified_name) {
    using K = SpecArgKind;
    static const std::vector<SpecFn> kFns = {
        {"dfc::WatermarkStrategy::for_bounded_out_of_orderness", nullptr, nullptr,
         {{"max_out_of_orderness", K::kString}}},
        {"dfc::WatermarkStrategy::for_monotonous_timestamps", nullptr, nullptr, {}},
        {"dfc::WatermarkStrategy::with_timestamp_column", nullptr, nullptr, {{"column", K::kColumn}}},
        {"dfc::WatermarkStrategy::emit_periodic", "emit", "periodic", {}},
        {"dfc::WatermarkStrategy::emit_per_record", "emit", "per_record", {}},
        {"dfc::TumblingEventTimeWindows::of", "type", "tumbling",
         {{"size", K::kString}, {"offset", K::kString}}},
        {"dfc::SlidingEventTimeWindows::of", "type", "sliding",
         {{"size", K::kString}, {"slide", K::kString}, {"offset", K::kString}}},
        {"dfc::WatermarkStrategy::with_idleness", nullptr, nullptr, {{"idleness", K::kString}}},
        {"dfc::EventTimeSessionWindows::with_gap", "type", "session", {{"gap", K::kString}}},
        {"dfc::TumblingProcessingTimeWindows::of", "type", "tumbling",
         {{"size", K::kString}, {"offset", K::kString}}, "processing"},
        {"dfc::SlidingProcessingTimeWindows::of", "type", "sliding",
         {{"size", K::kString}, {"slide", K::kString}, {"offset", K::kString}}, "processing"},
        {"dfc::ProcessingTimeSessionWindows::with_gap", "type", "session", {{"gap", K::kString}},
         "processing"},
        {"dfc::GlobalWindows::of_count", "type", "global", {{"trigger.count", K::kLiteral}}},
        {"dfc::GlobalWindowAssigner::purge", nullptr, nullptr, {{"trigger.purge", K::kLiteral}}},
        {"dfc::GlobalWindowAssigner::fire_at_end", nullptr, nullptr, {{"trigger.fire_at_end", K::kLiteral}}},
        {"dfc::gen::sequence", "kind", "sequence", {{"start", K::kLiteral}, {"step", K::kLiteral}}},
        {"dfc::gen::FieldGenerator::start", nullptr, nullptr, {{"start", K::kLiteral}}},
        {"dfc::gen::FieldGenerator::step", nullptr, nullptr, {{"step", K::kLiteral}}},
        {"dfc::gen::FieldGenerator::every", nullptr, nullptr, {{"every", K::kLiteral}}},
        {"dfc::gen::random", "kind", "random", {{"min", K::kLiteral}, {"max", K::kLiteral}}},
        {"dfc::gen::random_string", "kind", "random", {{"length", K::kLiteral}}},
    };
    for (const SpecFn& f : kFns) {
      if (qualified_name == f.qualified_name) return &f;
    }
    return nullptr;
  }

  // The order keys are written in (docs/JOB_FORMAT.md), whatever order the calls came in.
  static int SpecKeyRank(const std::string& key) {
    static const char* const kOrder[] = {"kind", "type", "column", "size", "slide", "offset", "gap",
                                         "time", "trigger", "count", "purge", "fire_at_end",
                                         "max_out_of_orderness", "emit", "idleness", "start", "step",
                                         "every", "min", "max", "length"};
    for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i) {
      if (key == kOrder[i]) return i;
    }
    return 1000;
  }

  static void SortSpec(json::Value& object) {
    std::stable_sort(object.members.begin(), object.members.end(),
                     [](const json::Member& a, const json::Member& b) {
                       return SpecKeyRank(a.key) < SpecKeyRank(b.key);
                     });
    for (json::Member& m : object.members) {
      if (m.value->is_object()) SortSpec(*m.value);
    }
  }

  void SetSpecKey(json::Value& object, const std::string& key, const SourceLoc& loc,
                  std::unique_ptr<json::Value> value, const std::string& what) {
    if (!value) return;
    if (size_t dot = key.find('.'); dot != std::string::npos) {  // nested: "trigger.count"
      const std::string outer = key.substr(0, dot);
      json::Value* inner = nullptr;
      for (json::Member& m : object.members) {
        if (m.key == outer) inner = m.value.get();
      }
      if (!inner) {
        dsl::AddMember(object, outer, loc, dsl::MakeObject(loc));
        inner = object.members.back().value.get();
      }
      SetSpecKey(*inner, key.substr(dot + 1), loc, std::move(value), what);
      return;
    }
    if (object.GetMember(key)) {
      diags_.Error(loc, "'" + key + "' is already set in " + what);
      return;
    }
    dsl::AddMember(object, key, loc, std::move(value));
  }

  // `arg` as the JSON object it describes; nullptr after reporting an error.
  std::unique_ptr<json::Value> SpecArg(const clang::Expr* arg, const std::string& what) {
    std::unique_ptr<json::Value> object = SpecArgRec(arg, what, 0);
    if (object) SortSpec(*object);
    return object;
  }

  std::unique_ptr<json::Value> SpecArgRec(const clang::Expr* arg, const std::string& what, int depth) {
    const clang::Expr* e = Strip(arg);
    while (const auto* ce = dyn_cast<clang::CXXConstructExpr>(e)) {
      if (ce->getNumArgs() != 1 || !ce->getConstructor()->isCopyOrMoveConstructor()) break;
      e = Strip(ce->getArg(0));
    }
    if (const auto* dre = dyn_cast<clang::DeclRefExpr>(e); dre && depth < 8) {
      const auto* vd = dyn_cast<clang::VarDecl>(dre->getDecl());
      const clang::Expr* init = vd ? vd->getAnyInitializer() : nullptr;
      if (init && (vd->isConstexpr() || vd->getType().isConstQualified())) {
        return SpecArgRec(init, what, depth + 1);
      }
      diags_.Error(Loc(e), what + " must be written in the call or kept in a const variable: dfc "
                                  "reads the job graph from the source without running it");
      return nullptr;
    }
    const auto* call = dyn_cast<clang::CallExpr>(e);
    const clang::FunctionDecl* fd = call ? call->getDirectCallee() : nullptr;
    const SpecFn* fn = fd ? FindSpecFn(fd->getQualifiedNameAsString()) : nullptr;
    if (!fn) {
      diags_.Error(Loc(e), what + " must be built with dfc's calls in the argument (e.g. "
                                  "dfc::TumblingEventTimeWindows::of(\"10s\")): dfc reads the job "
                                  "graph from the source without running it");
      return nullptr;
    }
    std::unique_ptr<json::Value> object;
    if (const auto* mc = dyn_cast<clang::CXXMemberCallExpr>(call)) {
      object = SpecArgRec(mc->getImplicitObjectArgument(), what, depth + 1);
      if (!object) return nullptr;
    } else {
      object = dsl::MakeObject(Loc(call->getBeginLoc()));
    }
    const SourceLoc at = Loc(call);
    if (fn->fixed_key) SetSpecKey(*object, fn->fixed_key, at, MakeStr(fn->fixed_value, at), what);
    if (fn->time) SetSpecKey(*object, "time", at, MakeStr(fn->time, at), what);
    for (unsigned i = 0; i < call->getNumArgs() && i < fn->args.size(); ++i) {
      const clang::Expr* a = call->getArg(i);
      if (isa<clang::CXXDefaultArgExpr>(a)) continue;
      const SpecArgDesc& d = fn->args[i];
      std::unique_ptr<json::Value> v;
      if (d.kind == SpecArgKind::kLiteral) {
        v = LiteralArg(a, "'" + std::string(d.key) + "'");
      } else if (d.kind == SpecArgKind::kColumn) {
        v = KeyField(a);
      } else if (auto str = StrArg(a, "'" + std::string(d.key) + "'")) {
        v = MakeStr(str->first, str->second);
      }
      if (!v) return nullptr;
      SourceLoc loc = v->loc;
      SetSpecKey(*object, d.key, loc, std::move(v), what);
    }
    return object;
  }

  std::shared_ptr<const json::Value> SharedSpec(const clang::Expr* arg, const std::string& what) {
    return std::shared_ptr<const json::Value>(SpecArg(arg, what).release());
  }

  // datagen .field(column, generator): one member of the source's "fields" object.
  void AddField(int node, const clang::CXXMemberCallExpr* call, const SourceLoc& at) {
    if (node < 0) return;
    std::unique_ptr<json::Value> column = KeyField(call->getArg(0));
    std::unique_ptr<json::Value> generator = SpecArg(call->getArg(1), "the field generator");
    if (!column || !generator) return;
    json::Value* fields = doc_.MutableParam(node, "fields");
    if (!fields) {
      Set(node, "fields", at, dsl::MakeObject(at));
      fields = doc_.MutableParam(node, "fields");
    }
    if (fields->GetMember(column->str)) {
      diags_.Error(column->loc, "the generator of column '" + column->str + "' is already set");
      return;
    }
    dsl::AddMember(*fields, column->str, column->loc, std::move(generator));
  }

  // One value of a `values` row: a string, number or bool constant of the field's type.
  std::unique_ptr<json::Value> RowValue(const clang::Expr* init, const std::string& sql_type) {
    const clang::Expr* e = Strip(init);
    if (const auto* di = dyn_cast<clang::CXXDefaultInitExpr>(e)) {
      init = di->getExpr();
      e = Strip(init);
    }
    const SourceLoc loc = Loc(e->getBeginLoc());
    if (sql_type == "STRING") {
      if (isa<clang::ImplicitValueInitExpr>(e)) return MakeStr("", loc);
      if (const auto* ce = dyn_cast<clang::CXXConstructExpr>(e)) {
        if (ce->getNumArgs() == 0 || isa<clang::CXXDefaultArgExpr>(ce->getArg(0))) return MakeStr("", loc);
        e = ce->getArg(0);
      }
      auto s = StrArg(e, "a STRING value");
      return s ? MakeStr(s->first, s->second) : nullptr;
    }
    return LiteralArg(init, "a " + sql_type + " value");
  }

  // values({{...}, {...}}): each row as a JSON array in the row type's field order.
  void SetRows(int node, const clang::CXXMemberCallExpr* call, const SourceLoc& at) {
    const clang::CXXRecordDecl* rd = RowOf(call->getType());
    if (node < 0 || !rd) return;
    if (rd->hasDefinition()) rd = rd->getDefinition();
    std::vector<std::string> types;
    for (const clang::FieldDecl* f : rd->fields()) types.push_back(SqlType(f->getType()));
    const clang::InitListExpr* list = BracedList(call->getArg(0), "{{1, \"a\"}, {2, \"b\"}}");
    if (!list) return;
    auto rows = dsl::MakeArray(Loc(list->getBeginLoc()));
    for (const clang::Expr* item : list->inits()) {
      const clang::Expr* e = Strip(item);
      if (const auto* fc = dyn_cast<clang::CXXFunctionalCastExpr>(e)) e = Strip(fc->getSubExpr());
      const auto* row = dyn_cast<clang::InitListExpr>(e);
      if (!row || row->getNumInits() != types.size()) {
        diags_.Error(Loc(item), "write each row as a braced list of constants, one per field of '" +
                                    rd->getNameAsString() + "'");
        return;
      }
      auto values = dsl::MakeArray(Loc(row->getBeginLoc()));
      for (unsigned i = 0; i < types.size(); ++i) {
        auto v = RowValue(row->getInit(i), types[i]);
        if (!v) return;
        values->items.push_back(std::move(v));
      }
      rows->items.push_back(std::move(values));
    }
    Set(node, "rows", at, std::move(rows));
  }

  // ---- nodes ----
  bool ArgCount(const clang::CXXMemberCallExpr* call, unsigned min) {
    if (call->getNumArgs() >= min) return true;
    diags_.Error(Loc(call), "internal: unexpected call shape");  // dsl.h and this file disagree
    return false;
  }

  // A new node with the id given as first argument; -1 on errors.
  int NewNode(const clang::CXXMemberCallExpr* call, const std::string& op) {
    if (!ArgCount(call, 1)) return -1;
    auto id = StrArg(call->getArg(0), "the node id");
    if (!id) return -1;
    return doc_.AddNode(id->first, id->second, op, Loc(call));
  }

  void Set(int node, const std::string& key, const SourceLoc& key_loc,
           std::unique_ptr<json::Value> value) {
    if (node < 0 || !value) return;
    if (doc_.IsStreamRef(node)) {
      diags_.Error(key_loc, "'" + doc_.NodeId(node) + "' is the late-data stream of a window, not a "
                            "node: '" + key + "' cannot be set on it");
      return;
    }
    if (!doc_.SetParam(node, key, key_loc, std::move(value))) {
      diags_.Error(key_loc, "'" + key + "' is already set for node '" + doc_.NodeId(node) + "'");
    }
  }

  void SetInput(int node, const Handle& from, const SourceLoc& at) {
    if (node >= 0 && from.node >= 0) Set(node, "input", at, MakeStr(doc_.NodeId(from.node), at));
  }

  // The T of the builder class `t` (DataStream<T>, SourceBuilder<T>...).
  static const clang::CXXRecordDecl* RowOf(clang::QualType t) {
    const auto* spec =
        dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(t.getNonReferenceType()->getAsCXXRecordDecl());
    if (!spec || spec->getTemplateArgs().size() < 1) return nullptr;
    const clang::TemplateArgument& a = spec->getTemplateArgs()[0];
    if (a.getKind() != clang::TemplateArgument::Type) return nullptr;
    return a.getAsType()->getAsCXXRecordDecl();
  }

  static bool IsDerivedRow(const clang::CXXRecordDecl* rd) {
    if (!rd || rd->getName() != "DerivedRow") return false;
    const auto* ns = dyn_cast<clang::NamespaceDecl>(rd->getDeclContext());
    return ns && ns->getName() == "dfc";
  }

  // Sets "type" of `node` to the row type of the call's result (registering the struct).
  void SetType(int node, const clang::CXXMemberCallExpr* call, const SourceLoc& at) {
    clang::QualType result = call->getType();
    const clang::CXXRecordDecl* rd = RowOf(result);
    if (IsDerivedRow(rd)) return;
    if (!rd) {
      const auto* spec = dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
          result.getNonReferenceType()->getAsCXXRecordDecl());
      std::string t = spec && spec->getTemplateArgs().size() > 0
                          ? spec->getTemplateArgs()[0].getAsType().getAsString()
                          : result.getAsString();
      diags_.Error(at, "row type '" + t + "' must be a struct whose fields are the row's columns");
      return;
    }
    if (auto name = RegisterRow(rd, at)) Set(node, "type", at, MakeStr(*name, at));
  }

  // The user function argument: its verbatim text and where it starts.
  std::optional<std::pair<std::string, SourceLoc>> FnArg(const clang::Expr* arg) {
    const clang::Expr* e = Strip(arg);
    if (const auto* dre = dyn_cast<clang::DeclRefExpr>(e)) {
      const auto* vd = dyn_cast<clang::VarDecl>(dre->getDecl());
      if (vd && vd->getParentFunctionOrMethod() == job_fn_) {
        const clang::Expr* init = vd->getInit() ? Strip(vd->getInit()) : nullptr;
        if (!init || !isa<clang::LambdaExpr>(init)) {
          diags_.Error(Loc(e), "pass the function object itself (e.g. Tokenizer{}): '" +
                                   vd->getNameAsString() +
                                   "' is a local variable of '" + job_fn_->getNameAsString() +
                                   "', which the generated job does not run");
          return std::nullopt;
        }
        e = init;  // a lambda kept in a local variable: its text is self-contained
      }
    }
    LocalUseFinder finder(job_fn_);
    finder.TraverseStmt(const_cast<clang::Expr*>(e));
    if (const clang::DeclRefExpr* use = finder.found()) {
      diags_.Error(Loc(use), "the user function uses '" + use->getNameInfo().getAsString() +
                                 "', a local variable of '" + job_fn_->getNameAsString() +
                                 "': the generated job runs the function without it; make it a "
                                 "constant at namespace scope");
      return std::nullopt;
    }
    clang::SourceRange r = e->getSourceRange();
    if (r.getBegin().isMacroID() || r.getEnd().isMacroID()) {
      diags_.Error(Loc(e), "unsupported: a user function written through a macro; write it out in "
                           "the job file");
      return std::nullopt;
    }
    llvm::StringRef text = clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(r), sm_,
                                                       ctx_.getLangOpts());
    if (text.empty()) {
      diags_.Error(Loc(e), "cannot read the text of this user function");
      return std::nullopt;
    }
    return std::make_pair(text.str(), BeforeText(Loc(r.getBegin())));
  }

  void SetFn(int node, const clang::CXXMemberCallExpr* call, const std::string& key = "fn", unsigned arg = 1) {
    if (node < 0 || !ArgCount(call, arg + 1)) return;
    if (auto fn = FnArg(call->getArg(arg))) Set(node, key, fn->second, MakeStr(fn->first, fn->second));
  }

  // The template arguments written in a builder call (process<Quiet>, value_state<int64_t>), with
  // the user's spelling kept (dfc::Timestamp stays distinct from int64_t).
  static std::vector<clang::QualType> WrittenTypeArgs(const clang::CXXMemberCallExpr* call) {
    std::vector<clang::QualType> types;
    const auto* me = dyn_cast<clang::MemberExpr>(call->getCallee()->IgnoreParens());
    if (!me || !me->hasExplicitTemplateArgs()) return types;
    for (const clang::TemplateArgumentLoc& a : me->template_arguments()) {
      if (a.getArgument().getKind() != clang::TemplateArgument::Type) continue;
      types.push_back(a.getTypeSourceInfo() ? a.getTypeSourceInfo()->getType() : a.getArgument().getAsType());
    }
    return types;
  }

  // A state's value or key type as the job format names it: an SQL type or a row type.
  std::optional<std::string> StateTypeName(clang::QualType t, const SourceLoc& use) {
    std::string sql = SqlType(t);
    if (!sql.empty()) return sql;
    const clang::CXXRecordDecl* rd = t.getCanonicalType()->getAsCXXRecordDecl();
    if (rd && !IsDerivedRow(rd)) return RegisterRow(rd, use);
    diags_.Error(use, "state type '" + t.getAsString() +
                          "' has no job-format type: use bool, int32_t, int64_t, double, std::string, "
                          "dfc::Timestamp or a row struct");
    return std::nullopt;
  }

  // value_state<V>(name), list_state<V>(name), map_state<K, V>(name), state(name, "TYPE").
  void AddState(int node, const clang::CXXMemberCallExpr* call, const std::string& method,
                const SourceLoc& at) {
    if (node < 0 || !ArgCount(call, 1)) return;
    auto name = StrArg(call->getArg(0), "the state name");
    if (!name) return;
    std::unique_ptr<json::Value> type;
    if (method == "state") {
      if (!ArgCount(call, 2)) return;
      auto t = StrArg(call->getArg(1), "the state type");
      if (!t) return;
      type = MakeStr(t->first, t->second);
    } else {
      std::vector<clang::QualType> args = WrittenTypeArgs(call);
      const size_t want = method == "map_state" ? 2 : method == "aggregating_state" ? 3 : 1;
      if (args.size() != want) {
        const std::string example = method == "map_state"           ? "s: map_state<K, V>(\"name\")"
                                    : method == "aggregating_state" ? "s: aggregating_state<IN, ACC, OUT>(\"name\", add, get_result)"
                                                                    : ": " + method + "<T>(\"name\")";
        diags_.Error(at, "write the state's type" + std::string(want > 1 ? "s" : "") + " as template argument" + example);
        return;
      }
      std::vector<std::string> names;
      for (const clang::QualType& t : args) {
        auto n = StateTypeName(t, at);
        if (!n) return;
        names.push_back(*n);
      }
      const std::string kind = method == "value_state"         ? "VALUE"
                               : method == "list_state"        ? "LIST"
                               : method == "map_state"         ? "MAP"
                               : method == "reducing_state"    ? "REDUCING"
                                                               : "AGGREGATING";
      std::string text = kind + "<" + names[0];
      for (size_t i = 1; i < names.size(); ++i) text += ", " + names[i];
      type = MakeStr(text + ">", at);
      // REDUCING / AGGREGATING: the object form with the functions (JSON: {"type", "fn"} /
      // {"type", "create_accumulator", "add", "get_result"}).
      std::vector<std::pair<const char*, unsigned>> fns;
      if (method == "reducing_state") {
        if (!ArgCount(call, 2)) return;
        fns = {{"fn", 1}};
      } else if (method == "aggregating_state") {
        if (!ArgCount(call, 3)) return;
        if (call->getNumArgs() >= 4) {
          fns = {{"create_accumulator", 1}, {"add", 2}, {"get_result", 3}};
        } else {
          fns = {{"add", 1}, {"get_result", 2}};
        }
      }
      if (!fns.empty()) {
        auto obj = dsl::MakeObject(at);
        dsl::AddMember(*obj, "type", at, std::move(type));
        for (const auto& [key, arg] : fns) {
          auto fn = FnArg(call->getArg(arg));
          if (!fn) return;
          dsl::AddMember(*obj, key, fn->second, MakeStr(fn->first, fn->second));
        }
        type = std::move(obj);
      }
    }
    json::Value* state = doc_.MutableParam(node, "state");
    if (!state) {
      Set(node, "state", at, dsl::MakeObject(at));
      state = doc_.MutableParam(node, "state");
    }
    if (state->GetMember(name->first)) {
      diags_.Error(name->second, "state '" + name->first + "' is already declared");
      return;
    }
    dsl::AddMember(*state, name->first, name->second, std::move(type));
  }

  // state_ttl(name, ttl[, update]) on a process: the declared state's TTL (JSON: the state's
  // object form with "ttl" and "ttl_update").
  void SetStateTtl(int node, const clang::CXXMemberCallExpr* call, const SourceLoc& at) {
    if (node < 0 || !ArgCount(call, 2)) return;
    auto name = StrArg(call->getArg(0), "the state name");
    auto ttl = StrArg(call->getArg(1), "the time-to-live");
    if (!name || !ttl) return;
    std::optional<std::pair<std::string, SourceLoc>> update;
    if (call->getNumArgs() >= 3) {
      update = StrArg(call->getArg(2), "the TTL update type");
      if (!update) return;
    }
    json::Value* state = doc_.MutableParam(node, "state");
    json::Value* decl = nullptr;
    if (state) {
      for (json::Member& m : state->members)
        if (m.key == name->first) decl = m.value.get();
    }
    if (!decl) {
      diags_.Error(name->second, "state '" + name->first + "' is not declared (yet): declare it before "
                                 "state_ttl, e.g. .value_state<T>(\"" + name->first + "\")");
      return;
    }
    if (decl->is_string()) {  // the string form becomes {"type": ...}
      auto obj = dsl::MakeObject(at);
      dsl::AddMember(*obj, "type", decl->loc, MakeStr(decl->str, decl->loc));
      for (json::Member& m : state->members)
        if (m.key == name->first) m.value = std::move(obj);
      for (json::Member& m : state->members)
        if (m.key == name->first) decl = m.value.get();
    }
    if (decl->GetMember("ttl")) {
      diags_.Error(at, "the TTL of state '" + name->first + "' is already set");
      return;
    }
    dsl::AddMember(*decl, "ttl", ttl->second, MakeStr(ttl->first, ttl->second));
    if (update) dsl::AddMember(*decl, "ttl_update", update->second, MakeStr(update->first, update->second));
  }

  // key_by's fields: member pointers (&Row::field) or names.
  void SetKey(int node, const clang::CXXMemberCallExpr* call, const SourceLoc& at) {
    std::vector<std::unique_ptr<json::Value>> keys;
    for (unsigned i = 1; i < call->getNumArgs(); ++i) {
      if (auto k = KeyField(call->getArg(i))) keys.push_back(std::move(k));
    }
    if (keys.empty()) return;
    if (keys.size() == 1) {
      Set(node, "key", at, std::move(keys[0]));
    } else {
      auto list = dsl::MakeArray(at);
      for (auto& k : keys) list->items.push_back(std::move(k));
      Set(node, "key", at, std::move(list));
    }
  }

  // The braced list behind an std::initializer_list argument; nullptr (reported) otherwise.
  const clang::InitListExpr* BracedList(const clang::Expr* arg, const std::string& example) {
    const clang::Expr* e = Strip(arg);
    if (const auto* ce = dyn_cast<clang::CXXConstructExpr>(e); ce && ce->getNumArgs() == 1) {
      e = Strip(ce->getArg(0));
    }
    if (const auto* il = dyn_cast<clang::CXXStdInitializerListExpr>(e)) e = Strip(il->getSubExpr());
    const auto* init = dyn_cast<clang::InitListExpr>(e);
    if (!init) {
      diags_.Error(Loc(e), "write this as a braced list in the call: " + example +
                               " (dfc reads the job graph from the source without running it)");
    }
    return init;
  }

  // A braced list of string constants as a JSON array.
  std::unique_ptr<json::Value> StringList(const clang::Expr* arg, const std::string& what,
                                          const std::string& example) {
    const clang::InitListExpr* init = BracedList(arg, example);
    if (!init) return nullptr;
    auto list = dsl::MakeArray(Loc(init->getBeginLoc()));
    for (const clang::Expr* item : init->inits()) {
      if (auto s = StrArg(item, what)) list->items.push_back(MakeStr(s->first, s->second));
    }
    return list;
  }

  void SetColumns(int node, const clang::CXXMemberCallExpr* call, const SourceLoc& at) {
    if (node < 0 || !ArgCount(call, 2)) return;
    Set(node, "columns", at, StringList(call->getArg(1), "a column", "{\"a\", \"b AS c\"}"));
  }

  // add_columns / drop_columns / rename_columns: argument `arg` of the call.
  void SetSelectParam(int node, const std::string& method, const clang::CXXMemberCallExpr* call,
                      unsigned arg, const SourceLoc& at) {
    if (node < 0 || !ArgCount(call, arg + 1)) return;
    if (method == "add_columns") {
      Set(node, "add", at, StringList(call->getArg(arg), "a column", "{\"price * 2 AS price\"}"));
    } else if (method == "drop_columns") {
      Set(node, "drop", at, StringList(call->getArg(arg), "a column", "{\"channel\"}"));
    } else {
      const clang::InitListExpr* init = BracedList(call->getArg(arg), "{{\"old\", \"new\"}}");
      if (!init) return;
      auto object = dsl::MakeObject(Loc(init->getBeginLoc()));
      for (const clang::Expr* item : init->inits()) {
        const auto* pair = dyn_cast<clang::InitListExpr>(Strip(item));
        if (!pair || pair->getNumInits() != 2) {
          diags_.Error(Loc(item), "write each rename as {\"old\", \"new\"}");
          continue;
        }
        auto from = StrArg(pair->getInit(0), "a column name");
        auto to = StrArg(pair->getInit(1), "a new column name");
        if (!from || !to) continue;
        if (object->GetMember(from->first)) {
          diags_.Error(from->second, "column '" + from->first + "' is renamed twice");
          continue;
        }
        dsl::AddMember(*object, from->first, from->second, MakeStr(to->first, to->second));
      }
      Set(node, "rename", at, std::move(object));
    }
  }

  // The name of the builder class of a type (DataStream, KeySelection...).
  static std::string StreamClassOf(clang::QualType t) {
    const auto* rd = t.getNonReferenceType()->getAsCXXRecordDecl();
    return rd && rd->getIdentifier() ? rd->getName().str() : "";
  }

  // A key field argument: &Row::field or a string constant.
  std::unique_ptr<json::Value> KeyField(const clang::Expr* arg) {
    const clang::Expr* e = Strip(arg);
    if (const auto* uo = dyn_cast<clang::UnaryOperator>(e); uo && uo->getOpcode() == clang::UO_AddrOf) {
      if (const auto* dre = dyn_cast<clang::DeclRefExpr>(Strip(uo->getSubExpr()))) {
        if (const auto* fd = dyn_cast<clang::FieldDecl>(dre->getDecl())) {
          return MakeStr(fd->getNameAsString(), Loc(dre->getLocation()));
        }
      }
    }
    if (e->getType()->isMemberPointerType()) {
      diags_.Error(Loc(e), "write key fields as &Row::field or \"field\"");
      return nullptr;
    }
    if (auto s = StrArg(e, "a key field")) return MakeStr(s->first, s->second);
    return nullptr;
  }

  // The keys of key_by without an id, from argument `first` on: member pointers or one braced
  // list of names. Always a JSON array (window_aggregate's "key").
  std::shared_ptr<const json::Value> KeyList(const clang::CXXMemberCallExpr* call, unsigned first,
                                             const SourceLoc& at) {
    auto list = dsl::MakeArray(at);
    bool ok = true;
    bool braced = false;
    for (unsigned i = first; i < call->getNumArgs(); ++i) {
      const clang::Expr* e = Strip(call->getArg(i));
      if (!e->getType()->isMemberPointerType() && !e->getType()->isPointerType() &&
          !e->getType()->isArrayType()) {
        const clang::InitListExpr* init = BracedList(call->getArg(i), "{\"auction\", \"bidder\"}");
        if (!init) return nullptr;
        braced = true;
        for (const clang::Expr* item : init->inits()) {
          if (auto k = KeyField(item)) list->items.push_back(std::move(k)); else ok = false;
        }
        continue;
      }
      if (auto k = KeyField(e)) list->items.push_back(std::move(k)); else ok = false;
    }
    if (!ok || list->items.empty()) return nullptr;
    // key_by(&Row::f) says "key": "f", as key_by("id", &Row::f) does; a braced list, or several
    // member pointers, say a list.
    if (list->items.size() == 1 && !braced) return std::shared_ptr<const json::Value>(list->items[0].release());
    return std::shared_ptr<const json::Value>(list.release());
  }

  Handle EvalCall(const clang::CXXMemberCallExpr* call) {
    read_calls_.insert(call);
    Handle self = Eval(call->getImplicitObjectArgument());
    if (self.kind == Handle::Kind::kNone) return {};
    const clang::CXXMethodDecl* m = call->getMethodDecl();
    const std::string name = m->getNameAsString();
    const std::string cls = m->getParent()->getNameAsString();
    const SourceLoc at = Loc(call);
    switch (self.kind) {
      case Handle::Kind::kJob: return JobCall(call, name, at);
      case Handle::Kind::kStream: return StreamCall(call, self, name, cls, at);
      case Handle::Kind::kSink: return SinkCall(call, self, name, at);
      case Handle::Kind::kKeys:
      case Handle::Kind::kWindowed:
      case Handle::Kind::kJoin: return WindowCall(call, self, name, at);
      case Handle::Kind::kNone: break;
    }
    return {};
  }

  Handle JobCall(const clang::CXXMemberCallExpr* call, const std::string& name, const SourceLoc& at) {
    Handle job{Handle::Kind::kJob};
    if (name == "config" && ArgCount(call, 2)) {
      auto key = StrArg(call->getArg(0), "a config key");
      auto value = LiteralArg(call->getArg(1), "a config value");
      if (key && value && !doc_.AddConfig(key->first, key->second, std::move(value))) {
        diags_.Error(key->second, "config key '" + key->first + "' is set twice");
      }
      return job;
    }
    if (name == "parallelism" && ArgCount(call, 1)) {
      if (auto n = IntArg(call->getArg(0), "the parallelism")) {
        if (!doc_.AddConfig("parallelism.default", at, dsl::MakeInt(*n, Loc(call->getArg(0))))) {
          diags_.Error(at, "config key 'parallelism.default' is set twice");
        }
      }
      return job;
    }
    if (name == "max_parallelism" && ArgCount(call, 1)) {
      if (auto n = IntArg(call->getArg(0), "the maximum parallelism")) {
        if (!doc_.AddConfig("pipeline.max-parallelism", at, dsl::MakeInt(*n, Loc(call->getArg(0))))) {
          diags_.Error(at, "config key 'pipeline.max-parallelism' is set twice");
        }
      }
      return job;
    }
    static const std::pair<const char*, const char*> kDependencies[] = {
        {"add_source_file", "sources"}, {"add_header", "headers"}, {"add_include_dir", "include_dirs"},
        {"add_library", "libraries"}, {"add_pkg_config", "pkg_config"}};
    for (const auto& [method, list] : kDependencies) {
      if (name == method && ArgCount(call, 1)) {
        if (auto v = StrArg(call->getArg(0), "a dependency")) {
          doc_.AddDependency(list, at, MakeStr(v->first, v->second));
        }
        return job;
      }
    }
    if (name == "source") {
      int node = NewNode(call, "source");
      if (node < 0) return {};
      SetType(node, call, at);
      return Handle{Handle::Kind::kStream, node};
    }
    if (name == "execute") return {};
    diags_.Error(at, "unsupported: dfc::Job::" + name + " in a job file");
    return {};
  }

  // Source and sink connector methods shared by SourceBuilder and SinkBuilder.
  bool ConnectorCall(const clang::CXXMemberCallExpr* call, int node, const std::string& name,
                     const SourceLoc& at) {
    if (name == "file" || name == "datagen" || name == "values" || name == "print" ||
        name == "blackhole") {
      Set(node, "connector", at, MakeStr(name, at));
      if (name == "file" && ArgCount(call, 1)) {
        if (auto p = StrArg(call->getArg(0), "the path")) Set(node, "path", at, MakeStr(p->first, p->second));
      }
      if (name == "values" && call->getNumArgs() == 1) SetRows(node, call, at);
      return true;
    }
    if (name == "nexmark") {
      Set(node, "connector", at, MakeStr(name, at));
      if (call->getNumArgs() == 1) {
        if (auto st = StrArg(call->getArg(0), "the nexmark stream")) {
          Set(node, "stream", st->second, MakeStr(st->first, st->second));
        }
      }
      return true;
    }
    if (name == "format" || name == "delimiter" || name == "on_error" ||
        name == "dead_letter_path") {
      if (ArgCount(call, 1)) {
        if (auto s = StrArg(call->getArg(0), "'" + name + "'")) Set(node, name, at, MakeStr(s->first, s->second));
      }
      return true;
    }
    if (name == "count" || name == "rate" || name == "events" || name == "events_per_second" ||
        name == "watermark_delay_ms") {
      if (ArgCount(call, 1)) Set(node, name, at, LiteralArg(call->getArg(0), "'" + name + "'"));
      return true;
    }
    if (name == "watermark" && ArgCount(call, 1)) {
      Set(node, name, at, SpecArg(call->getArg(0), "the watermark strategy"));
      return true;
    }
    if (name == "field" && ArgCount(call, 2)) {
      AddField(node, call, at);
      return true;
    }
    if (name == "param" && ArgCount(call, 2)) {
      auto key = StrArg(call->getArg(0), "a parameter name");
      if (key) Set(node, key->first, key->second, LiteralArg(call->getArg(1), "'" + key->first + "'"));
      return true;
    }
    return false;
  }

  // name / uid / parallelism on any node.
  bool AttributeCall(const clang::CXXMemberCallExpr* call, int node, const std::string& name,
                     const SourceLoc& at) {
    if ((name == "name" || name == "uid") && ArgCount(call, 1)) {
      if (auto s = StrArg(call->getArg(0), "the " + name)) Set(node, name, at, MakeStr(s->first, s->second));
      return true;
    }
    if (name == "parallelism" && ArgCount(call, 1)) {
      if (auto n = IntArg(call->getArg(0), "the parallelism")) {
        Set(node, "parallelism", at, dsl::MakeInt(*n, Loc(call->getArg(0))));
      }
      return true;
    }
    if (name == "start_new_chain") {
      Set(node, "chaining", at, dsl::MakeBool(false, at));
      return true;
    }
    return false;
  }

  Handle StreamCall(const clang::CXXMemberCallExpr* call, const Handle& self,
                    const std::string& name, const std::string& cls, const SourceLoc& at) {
    if (AttributeCall(call, self.node, name, at) || ConnectorCall(call, self.node, name, at)) {
      return self;
    }
    Handle out{Handle::Kind::kStream};
    if (name == "filter") {
      out.node = NewNode(call, "filter");
      SetInput(out.node, self, at);
      if (out.node >= 0 && ArgCount(call, 2)) {
        if (auto w = StrArg(call->getArg(1), "the filter condition")) {
          Set(out.node, "where", w->second, MakeStr(w->first, w->second));
        }
      }
    } else if (cls == "SelectBuilder" &&
               (name == "add_columns" || name == "drop_columns" || name == "rename_columns")) {
      // More parameters of the select node itself (no id argument).
      out.node = self.node;
      SetSelectParam(out.node, name, call, 0, at);
    } else if (name == "select" || name == "add_columns" || name == "drop_columns" ||
               name == "rename_columns") {
      out.node = NewNode(call, "select");
      SetInput(out.node, self, at);
      if (out.node >= 0) SetType(out.node, call, at);
      if (name == "select") {
        if (call->getNumArgs() >= 2) SetColumns(out.node, call, at);
      } else {
        SetSelectParam(out.node, name, call, 1, at);
      }
    } else if (name == "key_by" && cls == "DataStream" &&
               StreamClassOf(call->getType()) == "KeySelection") {
      // key_by without an id: the key of a window or join, not a node.
      Handle keys{Handle::Kind::kKeys, self.node};
      keys.keys = KeyList(call, 0, at);
      if (!keys.keys) return {};
      return keys;
    } else if (name == "window_all") {
      // A window over the whole stream: a window op without "key".
      Handle w{Handle::Kind::kKeys, self.node};
      return WindowCall(call, w, "window", at);
    } else if (name == "connect") {
      return ConnectCall(call, self, cls == "KeyedStream", at);
    } else if (cls == "KeyedStream" && (name == "window" || name == "join" || name == "interval_join")) {
      // On a key_by node: the window or join keeps the node as its input and takes its key.
      Handle keys = KeysOf(self);
      if (keys.kind == Handle::Kind::kNone) return {};
      return WindowCall(call, keys, name, at);
    } else if (name == "window") {
      diags_.Error(at, "window needs a keyed stream: call key_by(...) before window (or use "
                       "window_all for a window over the whole stream)");
      if (self.node >= 0) {
        diags_.Note(Loc(call->getImplicitObjectArgument()->getExprLoc()),
                    "this stream ('" + doc_.NodeId(self.node) + "') is not keyed");
      }
      return {};
    } else if (cls == "WindowOutput" && name == "late_output") {
      // The late records of this window op: a stream named by the op's "late_output".
      if (self.node < 0 || !ArgCount(call, 1)) return {};
      auto id = StrArg(call->getArg(0), "the late-data stream id");
      if (!id) return {};
      Set(self.node, "late_output", at, MakeStr(id->first, id->second));
      out.node = doc_.AddStreamRef(id->first, id->second);
    } else if (name == "map" || name == "flat_map") {
      out.node = NewNode(call, name);
      SetInput(out.node, self, at);
      if (out.node >= 0) SetType(out.node, call, at);
      SetFn(out.node, call);
    } else if (name == "key_by") {
      out.node = NewNode(call, "key_by");
      out.keyed = true;
      SetInput(out.node, self, at);
      if (out.node >= 0) SetKey(out.node, call, at);
    } else if (cls == "ProcessBuilder" && name == "on_timer") {
      out.node = self.node;
      SetFn(out.node, call, "on_timer", 0);
    } else if (cls == "ProcessBuilder" && (name == "value_state" || name == "list_state" || name == "map_state" ||
                                           name == "reducing_state" || name == "aggregating_state" ||
                                           name == "state")) {
      out.node = self.node;
      AddState(out.node, call, name, at);
    } else if (cls == "ProcessBuilder" && name == "state_ttl") {
      out.node = self.node;
      SetStateTtl(out.node, call, at);
    } else if (name == "process") {
      if (!self.keyed || cls != "KeyedStream") {
        diags_.Error(at, "process needs a keyed stream: call key_by(\"id\", ...) before process (state "
                         "and timers are per key)");
        if (self.node >= 0) {
          diags_.Note(Loc(call->getImplicitObjectArgument()->getExprLoc()),
                      "this stream ('" + doc_.NodeId(self.node) + "') is not keyed");
        }
        return {};
      }
      out.node = NewNode(call, "process");
      SetInput(out.node, self, at);
      // Without process<Out> the output is the input's type, as a job.json without "type".
      if (out.node >= 0 && !WrittenTypeArgs(call).empty()) SetType(out.node, call, at);
      SetFn(out.node, call);
    } else if (name == "reduce") {
      if (!self.keyed || cls != "KeyedStream") {
        diags_.Error(at, "reduce needs a keyed stream: call key_by(...) before reduce");
        if (self.node >= 0) {
          diags_.Note(Loc(call->getImplicitObjectArgument()->getExprLoc()),
                      "this stream ('" + doc_.NodeId(self.node) + "') is not keyed");
        }
        return {};
      }
      out.node = NewNode(call, "reduce");
      SetInput(out.node, self, at);
      SetFn(out.node, call);
    } else if (name == "union_") {
      out.node = NewNode(call, "union");
      if (out.node >= 0) {
        auto inputs = dsl::MakeArray(at);
        inputs->items.push_back(MakeStr(doc_.NodeId(self.node), at));
        for (unsigned i = 1; i < call->getNumArgs(); ++i) {
          Handle other = Eval(call->getArg(i));
          if (other.kind != Handle::Kind::kStream || other.node < 0) continue;
          SourceLoc l = Loc(call->getArg(i));
          inputs->items.push_back(MakeStr(doc_.NodeId(other.node), l));
        }
        Set(out.node, "inputs", at, std::move(inputs));
      }
    } else if (name == "sink") {
      out.kind = Handle::Kind::kSink;
      out.node = NewNode(call, "sink");
      SetInput(out.node, self, at);
    } else {
      diags_.Error(at, "unsupported: DataStream::" + name + " in a job file");
      return {};
    }
    if (out.node < 0) return {};
    return out;
  }

  // connect(other) on a stream (keyed: a key_by node) or, from WindowCall, on a key selection.
  // Both inputs key_by nodes: the node takes their keys (no key parameters); both key
  // selections: "key" or "left_key"/"right_key"; neither keyed: co_map / co_flat_map only.
  Handle ConnectCall(const clang::CXXMemberCallExpr* call, const Handle& self, bool self_keyed_node,
                     const SourceLoc& at) {
    using K = Handle::Kind;
    if (!ArgCount(call, 1)) return {};
    Handle other = Eval(call->getArg(0));
    if (other.kind == K::kNone) return {};
    const bool self_keys = self.kind == K::kKeys;
    const bool other_keys = other.kind == K::kKeys;
    const bool other_keyed_node = other.kind == K::kStream && other.keyed;
    if ((self_keys || self_keyed_node) != (other_keys || other_keyed_node) || self_keys != other_keys) {
      diags_.Error(Loc(call->getArg(0)),
                   "connect: key both streams the same way (key_by(\"id\", ...) nodes on both sides, or "
                   "key_by(...) selections on both sides), or neither");
      return {};
    }
    Handle j = self;
    j.kind = K::kJoin;
    j.join_op = "connect";
    j.right = other.node;
    j.keyed = self_keys || self_keyed_node;
    if (self_keys) {
      j.right_keys = other.keys;
    } else {
      j.keys = nullptr;
      j.right_keys = nullptr;
    }
    return j;
  }

  // A keyed stream (the result of key_by with an id) as a key selection on its node.
  Handle KeysOf(const Handle& h) {
    if (h.kind == Handle::Kind::kKeys) return h;
    const json::Value* key = h.keyed && h.node >= 0 ? doc_.MutableParam(h.node, "key") : nullptr;
    if (!key) return {};
    Handle keys{Handle::Kind::kKeys, h.node};
    keys.keys = std::shared_ptr<const json::Value>(dsl::Clone(*key).release());
    return keys;
  }

  // `h` with one more collected parameter; kNone after reporting it set twice.
  Handle WithParam(Handle h, const std::string& key, const SourceLoc& at,
                   std::unique_ptr<json::Value> value) {
    if (!value) return {};
    auto params = h.params ? dsl::Clone(*h.params) : dsl::MakeObject(at);
    if (params->GetMember(key)) {
      diags_.Error(at, "'" + key + "' is already set for this " +
                           (h.kind == Handle::Kind::kJoin ? "join" : "window"));
      return {};
    }
    dsl::AddMember(*params, key, at, std::move(value));
    h.params = std::shared_ptr<const json::Value>(params.release());
    return h;
  }

  // The window or join node: input(s), key(s), the collected parameters.
  int NewWindowNode(const clang::CXXMemberCallExpr* call, const Handle& self, const std::string& op,
                    const SourceLoc& at) {
    const int node = NewNode(call, op);
    if (node < 0) return -1;
    if (self.kind == Handle::Kind::kJoin) {
      auto inputs = dsl::MakeArray(at);
      inputs->items.push_back(MakeStr(doc_.NodeId(self.node), at));
      inputs->items.push_back(MakeStr(doc_.NodeId(self.right), at));
      Set(node, "inputs", at, std::move(inputs));
      if (!self.keys || !self.right_keys) {
        // connect of two key_by nodes (their keys) or of unkeyed streams: no key parameters
      } else if (self.keys->ToJson() == self.right_keys->ToJson()) {
        Set(node, "key", self.keys->loc, dsl::Clone(*self.keys));
      } else {
        Set(node, "left_key", self.keys->loc, dsl::Clone(*self.keys));
        Set(node, "right_key", self.right_keys->loc, dsl::Clone(*self.right_keys));
      }
    } else {
      SetInput(node, self, at);
      if (self.keys) Set(node, "key", self.keys->loc, dsl::Clone(*self.keys));
    }
    if (self.params) {
      for (const json::Member& m : self.params->members) Set(node, m.key, m.key_loc, dsl::Clone(*m.value));
    }
    return node;
  }

  // Calls on key_by's key without a node (KeySelection), windowed streams and joins.
  Handle WindowCall(const clang::CXXMemberCallExpr* call, const Handle& self, const std::string& name,
                    const SourceLoc& at) {
    using K = Handle::Kind;
    const bool keys = self.kind == K::kKeys;
    const bool windowed = self.kind == K::kWindowed;
    const bool join = self.kind == K::kJoin;
    if ((keys || (join && self.join_op == "window_join")) && name == "window" && ArgCount(call, 1)) {
      Handle w = self;
      if (keys) w.kind = K::kWindowed;
      return WithParam(w, "window", at, SpecArg(call->getArg(0), "the window assigner"));
    }
    if (keys && (name == "join" || name == "interval_join") && self.keys && ArgCount(call, 1)) {
      Handle other = Eval(call->getArg(0));
      if (other.kind == K::kNone) return {};
      Handle right = KeysOf(other);
      if (right.kind == K::kNone || !right.keys) {
        diags_.Error(Loc(call->getArg(0)), "join with a keyed stream: key_by(...) the other input");
        return {};
      }
      Handle j = self;
      j.kind = K::kJoin;
      j.join_op = name == "join" ? "window_join" : "interval_join";
      j.right = right.node;
      j.right_keys = right.keys;
      return j;
    }
    if (keys && name == "connect" && self.keys) return ConnectCall(call, self, false, at);
    if (join && self.join_op == "connect" && (name == "map" || name == "flat_map" || name == "process") &&
        ArgCount(call, 3)) {
      if (name == "process" && !self.keyed) {
        diags_.Error(at, "co_process needs keyed streams: key_by both streams before connect (state and "
                         "timers are per key)");
        return {};
      }
      Handle out{K::kStream};
      out.node = NewWindowNode(call, self, name == "map" ? "co_map" : name == "flat_map" ? "co_flat_map" : "co_process", at);
      if (out.node < 0) return {};
      if (!WrittenTypeArgs(call).empty()) SetType(out.node, call, at);
      SetFn(out.node, call, "fn1", 1);
      SetFn(out.node, call, "fn2", 2);
      return out;
    }
    if (join && (self.join_op == "window_join" || self.join_op == "join") && name == "select" && ArgCount(call, 1)) {
      // The regular join (no window): where(...) collected, columns optional.
      Handle out{K::kStream};
      out.node = NewWindowNode(call, self, "join", at);
      if (out.node < 0) return {};
      if (call->getNumArgs() >= 2) SetColumns(out.node, call, at);
      return out;
    }
    if (join && self.join_op == "window_join" && name == "where" && ArgCount(call, 1)) {
      auto w = StrArg(call->getArg(0), "the join condition");
      if (!w) return {};
      Handle j = WithParam(self, "where", w->second, MakeStr(w->first, w->second));
      if (j.kind != K::kNone) j.join_op = "join";
      return j;
    }
    if (join && self.join_op == "interval_join" && name == "between" && ArgCount(call, 2)) {
      auto lower = StrArg(call->getArg(0), "the lower bound");
      auto upper = StrArg(call->getArg(1), "the upper bound");
      if (!lower || !upper) return {};
      Handle j = WithParam(self, "lower", lower->second, MakeStr(lower->first, lower->second));
      if (j.kind == K::kNone) return {};
      return WithParam(j, "upper", upper->second, MakeStr(upper->first, upper->second));
    }
    if (join && name == "apply" && ArgCount(call, 1)) {
      Handle out{K::kStream};
      out.node = NewWindowNode(call, self, self.join_op, at);
      if (out.node < 0) return {};
      if (call->getNumArgs() >= 2) {
        SetType(out.node, call, at);
        SetFn(out.node, call);
      }
      return out;
    }
    if (windowed && name == "allowed_lateness" && ArgCount(call, 1)) {
      auto d = StrArg(call->getArg(0), "the allowed lateness");
      if (!d) return {};
      return WithParam(self, "allowed_lateness", d->second, MakeStr(d->first, d->second));
    }
    if (windowed && (name == "aggregate" || name == "reduce" || name == "process") && ArgCount(call, 2)) {
      const std::string op = name == "aggregate" ? "window_aggregate"
                             : name == "reduce"  ? "window_reduce"
                                                 : "window_process";
      Handle out{K::kStream};
      out.node = NewWindowNode(call, self, op, at);
      if (out.node < 0) return {};
      if (name == "aggregate") {
        Set(out.node, "aggregates", at, StringList(call->getArg(1), "an aggregate", "{\"COUNT(*) AS n\"}"));
      } else {
        if (name == "process") SetType(out.node, call, at);
        SetFn(out.node, call);
      }
      return out;
    }
    if (keys && !self.keys && name == "window") return {};  // unreachable: window_all builds kKeys
    diags_.Error(at, "unsupported: " + name + " here in a job file");
    return {};
  }

  Handle SinkCall(const clang::CXXMemberCallExpr* call, const Handle& self, const std::string& name,
                  const SourceLoc& at) {
    if (AttributeCall(call, self.node, name, at) || ConnectorCall(call, self.node, name, at)) {
      return self;
    }
    diags_.Error(at, "unsupported: SinkBuilder::" + name + " in a job file");
    return {};
  }

  void ReportUnreadCalls() {
    for (const auto* c : calls_) {
      if (read_calls_.count(c)) continue;
      // Report the outermost call of a chain once.
      read_calls_.insert(c);
      for (const auto* other : calls_) {
        if (other != c && Contains(c, other)) read_calls_.insert(other);
      }
      diags_.Error(Loc(c), "this builder call is not part of the job graph dfc reads: write builder "
                           "calls in straight-line code of '" + job_fn_->getNameAsString() +
                           "', the function that declares the dfc::Job");
    }
  }

  // ---- row types ----
  std::string SqlType(clang::QualType t) const {
    // dfc::Timestamp is an alias of int64_t: recognise it by name before desugaring.
    const clang::Type* ty = t.getTypePtr();
    while (ty) {
      if (const auto* td = dyn_cast<clang::TypedefType>(ty)) {
        if (td->getDecl()->getQualifiedNameAsString() == "dfc::Timestamp") return "TIMESTAMP(3)";
        ty = td->desugar().getTypePtr();
      } else if (const auto* el = dyn_cast<clang::ElaboratedType>(ty)) {
        ty = el->getNamedType().getTypePtr();
      } else {
        break;
      }
    }
    clang::QualType c = t.getCanonicalType();
    if (c.isConstQualified() || c->isReferenceType()) return "";
    if (c->isBooleanType()) return "BOOLEAN";
    if (const auto* bt = c->getAs<clang::BuiltinType>()) {
      if (bt->isSignedInteger() && !bt->isCharType()) {
        uint64_t bits = ctx_.getTypeSize(c);
        if (bits == 32) return "INT";
        if (bits == 64) return "BIGINT";
      }
      if (bt->getKind() == clang::BuiltinType::Double) return "DOUBLE";
      return "";
    }
    if (const auto* rd = c->getAsCXXRecordDecl()) {
      const auto* spec = dyn_cast<clang::ClassTemplateSpecializationDecl>(rd);
      if (spec && rd->getName() == "basic_string" && rd->isInStdNamespace() &&
          spec->getTemplateArgs()[0].getAsType()->isCharType() &&
          ctx_.getTypeSize(spec->getTemplateArgs()[0].getAsType()) == 8) {
        return "STRING";
      }
    }
    return "";
  }

  std::optional<std::string> RegisterRow(const clang::CXXRecordDecl* rd, const SourceLoc& use) {
    if (rd->hasDefinition()) rd = rd->getDefinition();
    auto it = row_names_.find(rd);
    if (it != row_names_.end()) {
      if (it->second.empty()) return std::nullopt;
      return it->second;
    }
    const std::string name = rd->getNameAsString();
    const SourceLoc decl_loc = Loc(rd->getLocation());
    auto fail = [&](const SourceLoc& loc, const std::string& msg) {
      diags_.Error(loc, msg);
      diags_.Note(use, "row type '" + name + "' is used here");
      row_names_[rd] = "";
      return std::nullopt;
    };
    if (!rd->isCompleteDefinition()) return fail(use, "row type '" + name + "' is not defined");
    if (rd->isUnion() || rd->isLambda() || name.empty()) {
      return fail(decl_loc, "a row type must be a named struct");
    }
    if (!rd->getDeclContext()->getRedeclContext()->isTranslationUnit()) {
      return fail(decl_loc, "unsupported: row type '" + name + "' must be declared at global "
                            "scope (its name is the row type's name in the job)");
    }
    if (isa<clang::ClassTemplateSpecializationDecl>(rd)) {
      return fail(decl_loc, "unsupported: row type '" + name + "' is a template specialization");
    }
    if (rd->getNumBases() > 0) {
      return fail(decl_loc, "row type '" + name + "' must not have base classes");
    }
    std::vector<dsl::FieldSpec> fields;
    bool ok = true;
    for (const clang::FieldDecl* f : rd->fields()) {
      std::string sql = f->isBitField() ? "" : SqlType(f->getType());
      if (sql.empty()) {
        diags_.Error(Loc(f->getLocation()),
                     "field '" + f->getNameAsString() + "' of row type '" + name + "' has C++ type '" +
                         f->getType().getAsString() +
                         "', which has no SQL type: use bool (BOOLEAN), int32_t (INT), int64_t "
                         "(BIGINT), double (DOUBLE), std::string (STRING) or dfc::Timestamp "
                         "(TIMESTAMP(3))");
        ok = false;
        continue;
      }
      fields.push_back({f->getNameAsString(), sql, Loc(f->getLocation())});
    }
    if (ok && fields.empty()) {
      diags_.Error(decl_loc, "row type '" + name + "' has no fields");
      ok = false;
    }
    if (!ok) {
      diags_.Note(use, "row type '" + name + "' is used here");
      row_names_[rd] = "";
      return std::nullopt;
    }
    row_names_[rd] = name;
    rows_.push_back(Row{rd, name, decl_loc, std::move(fields)});
    return name;
  }

  // Declaration order, like the `types` of a job.json the user would write.
  void AddRowTypes() {
    std::stable_sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) {
      return sm_.isBeforeInTranslationUnit(a.decl->getLocation(), b.decl->getLocation());
    });
    for (const Row& r : rows_) doc_.AddType(r.name, r.loc, r.fields);
  }

  std::vector<std::string> RowTypeNames() const {
    std::vector<std::string> names;
    for (const Row& r : rows_) names.push_back(r.name);
    return names;
  }

  // ---- prelude ----
  // The main file with the job function (and main) blanked out: spaces, newlines kept, so line
  // and column numbers of everything else are those of job.cpp.
  std::string Prelude() const {
    std::string text = sm_.getBufferData(sm_.getMainFileID()).str();
    std::vector<const clang::FunctionDecl*> drop = {job_fn_};
    for (clang::Decl* d : ctx_.getTranslationUnitDecl()->decls()) {
      const auto* fd = dyn_cast<clang::FunctionDecl>(d);
      if (fd && fd->isMain() && fd->isThisDeclarationADefinition() &&
          sm_.isInMainFile(sm_.getExpansionLoc(fd->getBeginLoc())) && fd != job_fn_) {
        drop.push_back(fd);
      }
    }
    for (const clang::FunctionDecl* fd : drop) {
      clang::SourceLocation b = sm_.getExpansionLoc(fd->getSourceRange().getBegin());
      clang::SourceLocation e = clang::Lexer::getLocForEndOfToken(
          sm_.getExpansionLoc(fd->getSourceRange().getEnd()), 0, sm_, ctx_.getLangOpts());
      if (!sm_.isInMainFile(b) || !sm_.isInMainFile(e)) continue;
      size_t from = sm_.getFileOffset(b);
      size_t to = std::min<size_t>(sm_.getFileOffset(e), text.size());
      for (size_t i = from; i < to; ++i) {
        if (text[i] != '\n') text[i] = ' ';
      }
    }
    return text;
  }

  struct Row {
    const clang::CXXRecordDecl* decl;
    std::string name;
    SourceLoc loc;
    std::vector<dsl::FieldSpec> fields;
  };

  clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  const std::string& path_;
  Diagnostics& diags_;
  dsl::DocumentBuilder doc_;

  std::vector<const clang::VarDecl*> jobs_;
  const clang::VarDecl* job_var_ = nullptr;
  const clang::FunctionDecl* job_fn_ = nullptr;
  std::vector<const clang::CXXMemberCallExpr*> calls_;  // every builder call, in match order
  std::set<const clang::CXXMemberCallExpr*> seen_calls_;
  std::set<const clang::CXXMemberCallExpr*> read_calls_;  // read or already reported
  std::map<const clang::VarDecl*, Handle> vars_;
  std::map<const clang::CXXRecordDecl*, std::string> row_names_;  // "" = reported invalid
  std::vector<Row> rows_;
};

// What the Clang callbacks hand back (they run inside ToolInvocation::run).
struct ReadResult {
  std::string path;
  Diagnostics* diags = nullptr;
  bool read = false;  // the AST was error-free and the graph was read
  std::unique_ptr<json::Value> doc;
  std::chrono::steady_clock::time_point parsed;
  double read_ms = 0;
};

class ReadConsumer : public clang::ASTConsumer {
 public:
  explicit ReadConsumer(ReadResult* result) : result_(result) {}

  // Bodies of functions outside job.cpp (the standard library...) are not needed to read the
  // graph nor to find errors in the user's code: skipping them saves a large part of the parse.
  // Sema keeps constexpr and auto-returning functions regardless.
  bool shouldSkipFunctionBody(clang::Decl* d) override {
    const clang::SourceManager& sm = d->getASTContext().getSourceManager();
    return !sm.isInMainFile(sm.getExpansionLoc(d->getLocation()));
  }

  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    result_->parsed = std::chrono::steady_clock::now();
    if (ctx.getDiagnostics().hasErrorOccurred()) return;
    JobReader reader(ctx, result_->path, *result_->diags);
    result_->doc = reader.Read();
    result_->read = true;
    result_->read_ms = MsSince(result_->parsed);
  }

 private:
  ReadResult* result_;
};

class ReadAction : public clang::ASTFrontendAction {
 public:
  explicit ReadAction(ReadResult* result) : result_(result) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef file) override {
    ci.getFrontendOpts().SkipFunctionBodies = true;  // asks ReadConsumer, per function
    return std::make_unique<ReadConsumer>(result_);
  }

 private:
  ReadResult* result_;
};

}  // namespace

std::unique_ptr<json::Value> ReadDslDocument(const std::string& path, const std::string& code,
                                             const DslReadOptions& options, Diagnostics& diags) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> args = {"dfc", "-std=c++20", "-fsyntax-only", "-w", "-DDFC_DSL_PARSER=1"};
  if (!options.resource_dir.empty()) {
    args.push_back("-resource-dir");
    args.push_back(options.resource_dir);
  }
  for (const std::string& dir : options.include_dirs) args.push_back("-I" + dir);
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  args.push_back(path);

  // The file's text comes from `code` (tests read snippets that are not on disk); its includes
  // come from the real file system, relative to `path` as usual.
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> overlay(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> memory(new llvm::vfs::InMemoryFileSystem);
  overlay->pushOverlay(memory);
  memory->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(code));
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(
      new clang::FileManager(clang::FileSystemOptions(), overlay));

  ReadResult result;
  result.path = path;
  result.diags = &diags;
  ClangDiagCollector collector(path);
  clang::tooling::ToolInvocation invocation(args, std::make_unique<ReadAction>(&result), files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  invocation.setDiagnosticConsumer(&collector);
  const bool ran = invocation.run();
  for (const Diagnostic& d : collector.collected()) {
    if (d.severity == Severity::kError) {
      diags.Error(d.loc, d.message);
    } else {
      diags.Note(d.loc, d.message);
    }
  }
  if (collector.getNumErrors() > 0 || !result.read) {
    // A file with compile errors still has an AST; lowering it would only add confusing errors.
    if (!diags.HasErrors()) {
      diags.Error(SourceLoc{path, 0, 0, ""}, ran ? "the job file has C++ errors"
                                                 : "cannot parse the job file with Clang");
    }
    return nullptr;
  }
  if (std::getenv("DFC_TIME_DSL") != nullptr) {
    std::fprintf(stderr, "dfc: dsl clang parse %.1f ms, graph read %.2f ms\n",
                 std::chrono::duration<double, std::milli>(result.parsed - t0).count(),
                 result.read_ms);
  }
  return std::move(result.doc);
}

}  // namespace dfc::compiler
