#include "compiler/driver/compile.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "compiler/frontend/job_reader.h"
#include "compiler/passes/pass.h"
#ifdef DFC_HAVE_DSL
#include "compiler/frontend/dsl/dsl_reader.h"
#endif

namespace dfc::compiler {

namespace {
SourceLoc FileLoc(const std::string& file) {
  SourceLoc l;
  l.file = file;
  return l;
}
}  // namespace

std::unique_ptr<ir::Graph> LoadJob(const std::string& path, Diagnostics& diags) {
  const bool is_cpp = path.size() > 4 && path.substr(path.size() - 4) == ".cpp";
  if (is_cpp) {
#ifdef DFC_HAVE_DSL
    return ReadDslJob(path, diags);
#else
    diags.Error(FileLoc(path), "this dfc was built without the C++ DSL front-end");
    return nullptr;
#endif
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.Error(FileLoc(path), "cannot read the job file");
    return nullptr;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ReadJsonJob(ss.str(), path, diags);
}

bool RunPasses(ir::Graph& g, const PassOptions& opts, Diagnostics& diags, std::ostream& dump) {
  for (const PassInfo& p : PassPipeline()) {
    auto t0 = std::chrono::steady_clock::now();
    PassContext ctx{&diags};
    absl::Status st = p.fn(g, ctx);
    if (opts.time_passes) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "dfc: pass %-12s %8.3f ms\n", p.name, ms);
    }
    if (!st.ok()) {
      diags.Error(FileLoc(g.file), "internal error in pass '" + std::string(p.name) + "': " + std::string(st.message()));
      return false;
    }
    if (diags.HasErrors()) return false;
    if (opts.print_after == p.name || opts.print_after == "all") {
      dump << "// ----- IR after " << p.name << " -----\n" << ir::PrintGraph(g);
    }
    if (opts.stop_after == p.name) break;
  }
  return true;
}

}  // namespace dfc::compiler
