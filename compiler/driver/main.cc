// dfc — the dataflow compiler's command line.
//
//   dfc build JOB [-o OUT]        build the job's executable (cached)
//   dfc run JOB [-- ARGS...]      build (cached) and run it with ARGS
//   dfc check JOB                 report every diagnostic, build nothing
//   dfc plan JOB [--format text|dot|json]   the fused plan
//   dfc schema                    the JSON Schema of the job format
// Debugging: --emit=ir|cpp, --print-after=PASS|all, --stop-after=PASS, --time-passes.
// Exit codes: 0 success, 1 errors in the job, 2 usage errors, 3 internal or environment errors.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "compiler/codegen/codegen.h"
#include "compiler/codegen/plan.h"
#include "compiler/driver/compile.h"
#include "compiler/frontend/job_schema.h"
#include "compiler/passes/pass.h"
#include "compiler/support/cpp_escape.h"
#include "compiler/toolchain/toolchain.h"

namespace po = boost::program_options;
using namespace dfc::compiler;

namespace {

constexpr int kExitOk = 0, kExitJobErrors = 1, kExitUsage = 2, kExitInternal = 3;

void PrintUsage(const po::options_description& desc) {
  std::cout << "usage: dfc <command> [options] JOB\n\n"
               "commands:\n"
               "  build JOB [-o OUT]     build the job's executable (cached by content)\n"
               "  run JOB [-- ARGS...]   build (cached) and run the executable with ARGS\n"
               "  check JOB              report every diagnostic; build nothing\n"
               "  plan JOB               print the fused plan (--format text|dot|json)\n"
               "  schema                 print the JSON Schema of the job format\n\n"
               "JOB is a job.json (JSON with comments) or a job.cpp (C++ DSL).\n\n"
            << desc << "\npasses:";
  for (const auto& p : PassPipeline()) std::cout << "\n  " << p.name << ": " << p.description;
  std::cout << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description desc("options");
  std::string out_path, emit, format = "text", print_after, stop_after;
  desc.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>(&out_path), "output executable (build; default: ./<job name>)")(
      "emit", po::value<std::string>(&emit), "print the final IR ('ir') or the generated C++ ('cpp') and stop")(
      "format", po::value<std::string>(&format), "plan format: text, dot or json")(
      "print-after", po::value<std::string>(&print_after), "print the IR after PASS (or 'all') to stdout")(
      "stop-after", po::value<std::string>(&stop_after), "stop after PASS")(
      "time-passes", "print the time of every pass on stderr")(
      "no-cache", "rebuild even if the build cache has the executable")(
      "verbose,v", "print the C++ compiler command")(
      "command", po::value<std::string>(), "")("job", po::value<std::string>(), "")(
      "args", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("command", 1).add("job", 1).add("args", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "dfc: error: " << e.what() << "\n";
    return kExitUsage;
  }
  if (vm.count("help") || !vm.count("command")) {
    PrintUsage(desc);
    return vm.count("help") ? kExitOk : kExitUsage;
  }
  const std::string cmd = vm["command"].as<std::string>();
  if (cmd == "schema") {
    std::cout << JobJsonSchema();
    return kExitOk;
  }
  if (cmd != "build" && cmd != "run" && cmd != "check" && cmd != "plan") {
    std::cerr << "dfc: error: unknown command '" << cmd << "' (expected build, run, check, plan or schema)\n";
    return kExitUsage;
  }
  if (!vm.count("job")) {
    std::cerr << "dfc: error: '" << cmd << "' needs a job file\n";
    return kExitUsage;
  }
  if (!emit.empty() && emit != "ir" && emit != "cpp") {
    std::cerr << "dfc: error: --emit must be 'ir' or 'cpp'\n";
    return kExitUsage;
  }
  if (format != "text" && format != "dot" && format != "json") {
    std::cerr << "dfc: error: --format must be text, dot or json\n";
    return kExitUsage;
  }
  if (!print_after.empty() || !stop_after.empty()) {
    bool ok_pa = print_after.empty() || print_after == "all", ok_sa = stop_after.empty();
    for (const auto& p : PassPipeline()) {
      ok_pa |= print_after == p.name;
      ok_sa |= stop_after == p.name;
    }
    if (!ok_pa || !ok_sa) {
      std::cerr << "dfc: error: unknown pass name (see dfc --help)\n";
      return kExitUsage;
    }
  }
  std::vector<std::string> run_args;
  if (vm.count("args")) run_args = vm["args"].as<std::vector<std::string>>();
  if (!run_args.empty() && cmd != "run") {
    std::cerr << "dfc: error: unexpected argument '" << run_args[0] << "'\n";
    return kExitUsage;
  }

  const std::string job_path = vm["job"].as<std::string>();
  Diagnostics diags;
  auto report = [&] { diags.Print(std::cerr); };
  std::unique_ptr<dfc::compiler::ir::Graph> g = LoadJob(job_path, diags);
  if (!g || diags.HasErrors()) {
    report();
    return kExitJobErrors;
  }
  PassOptions popts;
  popts.print_after = print_after;
  popts.stop_after = stop_after;
  popts.time_passes = vm.count("time-passes") > 0;
  if (!RunPasses(*g, popts, diags, std::cout)) {
    report();
    return kExitJobErrors;
  }
  if (!stop_after.empty()) {
    report();
    return kExitOk;
  }
  if (emit == "ir") {
    report();
    std::cout << dfc::compiler::ir::PrintGraph(*g);
    return kExitOk;
  }
  if (cmd == "plan") {
    report();
    std::cout << (format == "dot" ? PlanDot(*g) : format == "json" ? PlanJson(*g) : PlanText(*g));
    return kExitOk;
  }
  auto cpp = GenerateCpp(*g, diags);
  if (!cpp.ok() || diags.HasErrors()) {
    report();
    if (!cpp.ok()) std::cerr << "dfc: internal error: " << cpp.status().message() << "\n";
    return cpp.ok() ? kExitJobErrors : kExitInternal;
  }
  if (emit == "cpp") {
    report();
    std::cout << *cpp;
    return kExitOk;
  }
  if (cmd == "check") {
    report();
    return kExitOk;
  }

  ToolchainConfig tc = DefaultToolchain();
  BuildOptions bopts;
  bopts.use_cache = vm.count("no-cache") == 0;
  bopts.verbose = vm.count("verbose") > 0;
  auto built = BuildExecutable(*cpp, *g, tc, bopts, diags);
  report();
  if (!built.ok()) {
    if (diags.HasErrors()) return kExitJobErrors;
    std::cerr << "dfc: error: " << built.status().message() << "\n";
    return kExitInternal;
  }
  if (cmd == "build") {
    if (out_path.empty()) out_path = "./" + CppIdentifier(g->name.empty() ? "job" : g->name);
    absl::Status st = InstallExecutable(built->executable, out_path);
    if (!st.ok()) {
      std::cerr << "dfc: error: " << st.message() << "\n";
      return kExitInternal;
    }
    if (bopts.verbose) {
      std::cerr << "dfc: " << (built->cached ? "cached" : "built") << " " << out_path << "\n";
    }
    return kExitOk;
  }
  // run: replace this process with the job.
  std::vector<char*> args;
  std::string exe = built->executable;
  args.push_back(exe.data());
  for (auto& a : run_args) args.push_back(a.data());
  args.push_back(nullptr);
  std::cout.flush();
  execv(exe.c_str(), args.data());
  std::perror("dfc: cannot run the job executable");
  return kExitInternal;
}
