#include "compiler/toolchain/toolchain.h"

#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "compiler/toolchain/process.h"
#include "toolchain_config.h"
#include "dfc/hash.h"

namespace dfc::compiler {

namespace fs = std::filesystem;

namespace {

std::string Env(const char* name, const std::string& def = "") {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : def;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// 128-bit content key as 32 hex digits (two independent 64-bit hashes).
class KeyHasher {
 public:
  void Add(std::string_view s) {
    // Length-prefixed so ("ab","c") and ("a","bc") differ.
    const uint64_t n = s.size();
    a_ = rt::HashCombine(a_, rt::HashBytes(&n, sizeof n, 1));
    b_ = rt::HashCombine(b_, rt::HashBytes(&n, sizeof n, 2));
    a_ = rt::HashCombine(a_, rt::HashBytes(s.data(), s.size(), 0x1234567));
    b_ = rt::HashCombine(b_, rt::HashBytes(s.data(), s.size(), 0x7654321));
  }
  std::string Hex() const {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a_),
                  static_cast<unsigned long long>(b_));
    return buf;
  }

 private:
  uint64_t a_ = 0, b_ = 0;
};

std::vector<std::string> SplitFlags(std::string_view flags) {
  std::vector<std::string> out;
  for (absl::string_view f : absl::StrSplit(absl::string_view(flags.data(), flags.size()), ' ', absl::SkipEmpty()))
    out.emplace_back(std::string(f));
  return out;
}

// The newest modification time of the runtime API headers (recursively), so a precompiled header
// older than any of them is not used (GCC itself does not check).
bool PchIsFresh(const fs::path& pch, const std::string& include_dir) {
  std::error_code ec;
  const auto pch_time = fs::last_write_time(pch, ec);
  if (ec) return false;
  for (fs::recursive_directory_iterator it(fs::path(include_dir) / "dfc", ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2) && it->last_write_time(ec2) > pch_time) return false;
  }
  return !ec;
}

// From `g++ -H` output: "! X.gch" = precompiled header used, "x X.gch" = found but invalid.
std::string PchStatusFromTrace(const std::string& output, const std::string& pch) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (line.size() > 2 && line.substr(2) == pch) {
      if (line[0] == '!') return "used";
      if (line[0] == 'x') return "invalid (not used)";
    }
  }
  return "not used";
}

// Identity of a file for the cache key: size and modification time (cheap, and changes whenever
// the runtime library is rebuilt).
std::string FileStamp(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return "missing:" + path;
  return absl::StrCat(path, ":", st.st_size, ":", st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec);
}

// The node whose user function contains job line `line`: the last fn starting at or before it.
const ir::Node* NodeForLine(const ir::Graph& g, int line) {
  const ir::Node* best = nullptr;
  for (const auto& n : g.nodes) {
    if (n.fn && n.fn->loc.line <= line && (!best || n.fn->loc.line >= best->fn->loc.line)) best = &n;
  }
  return best;
}

// Turns the compiler's diagnostics that point into the job file into dfc diagnostics. Returns
// the number of errors found there.
int MapUserCodeErrors(const std::string& output, const ir::Graph& g, Diagnostics& diags) {
  int errors = 0;
  const std::string prefix = g.file + ":";
  for (absl::string_view line_a : absl::StrSplit(output, '\n')) {
    std::string_view line(line_a.data(), line_a.size());
    if (line.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = line.substr(prefix.size());
    // rest = "L:C: error: message"
    int l = 0, c = 0;
    size_t p = 0;
    while (p < rest.size() && isdigit(static_cast<unsigned char>(rest[p]))) l = l * 10 + (rest[p++] - '0');
    if (p >= rest.size() || rest[p] != ':') continue;
    ++p;
    while (p < rest.size() && isdigit(static_cast<unsigned char>(rest[p]))) c = c * 10 + (rest[p++] - '0');
    if (p >= rest.size() || rest[p] != ':') continue;
    std::string_view msg = rest.substr(p + 1);
    while (!msg.empty() && msg.front() == ' ') msg.remove_prefix(1);
    SourceLoc loc;
    loc.file = g.file;
    loc.line = l;
    loc.col = c;
    const ir::Node* n = NodeForLine(g, l);
    std::string where;
    if (n) {
      loc.pointer = n->fn->loc.pointer;
      where = " (in the C++ function of node '" + n->id + "')";
    }
    if (msg.substr(0, 7) == "error: ") {
      diags.Error(loc, std::string(msg.substr(7)) + where);
      ++errors;
    } else if (msg.substr(0, 6) == "note: ") {
      diags.Note(loc, std::string(msg.substr(6)));
    } else if (msg.substr(0, 9) == "warning: ") {
      diags.Warning(loc, std::string(msg.substr(9)) + where);
    }
  }
  return errors;
}

}  // namespace

ToolchainConfig DefaultToolchain() {
  ToolchainConfig tc;
  tc.cxx = Env("DFC_CXX", DFC_CXX);
  tc.cxx_flags = SplitFlags(DFC_JOB_CXX_FLAGS);
  const std::string extra = Env("DFC_CXXFLAGS");
  for (auto& f : SplitFlags(extra)) tc.cxx_flags.push_back(f);
  tc.runtime_include = Env("DFC_RUNTIME_INCLUDE", DFC_RUNTIME_INCLUDE);
  tc.runtime_lib = Env("DFC_RUNTIME_LIB", DFC_RUNTIME_LIB);
  for (absl::string_view l : absl::StrSplit(DFC_RUNTIME_LIBS, ';', absl::SkipEmpty())) tc.runtime_libs.emplace_back(l);
  tc.link_flags = SplitFlags(DFC_JOB_LINK_FLAGS);
  if (tc.cxx == DFC_CXX && extra.empty() && tc.runtime_include == DFC_RUNTIME_INCLUDE && Env("DFC_PCH") != "0")
    tc.pch_dir = DFC_RUNTIME_PCH_DIR;
  std::string cache = Env("DFC_CACHE_DIR");
  if (cache.empty()) {
    std::string xdg = Env("XDG_CACHE_HOME");
    cache = !xdg.empty() ? xdg + "/dfc" : Env("HOME", "/tmp") + "/.cache/dfc";
  }
  tc.cache_dir = cache;
  return tc;
}

absl::StatusOr<BuildResult> BuildExecutable(const std::string& cpp, const ir::Graph& g,
                                            const ToolchainConfig& tc, const BuildOptions& opts,
                                            Diagnostics& diags) {
  // The command line, except for the input and output paths.
  std::vector<std::string> args;
  args.push_back(tc.cxx);
  for (const auto& f : tc.cxx_flags) args.push_back(f);
  const std::string pch = tc.pch_dir.empty() ? "" : tc.pch_dir + "/dfc/runtime.h.gch";
  const bool use_pch = !pch.empty() && PchIsFresh(pch, tc.runtime_include);
  if (use_pch) {
    // Searched before runtime/api: GCC takes dfc/runtime.h.gch when valid, else the header.
    args.push_back("-I" + tc.pch_dir);
    args.push_back("-Winvalid-pch");
  }
  args.push_back("-I" + tc.runtime_include);
  for (const auto& [dir, loc] : g.dependencies.include_dirs) args.push_back("-I" + dir);
  // A C++ DSL job's own quoted includes resolve next to job.cpp, as they do for a plain compiler.
  if (g.file.size() > 4 && g.file.substr(g.file.size() - 4) == ".cpp") {
    std::error_code ec;
    args.push_back("-I" + fs::absolute(fs::path(g.file), ec).parent_path().string());
  }
  std::vector<std::string> libs;
  for (const auto& [lib, loc] : g.dependencies.libraries) {
    libs.push_back(lib.find('/') != std::string::npos ? lib : "-l" + lib);
  }
  for (const auto& [pkg, loc] : g.dependencies.pkg_config) {
    ProcessResult r = RunProcess({"pkg-config", "--cflags", "--libs", pkg});
    if (r.exit_code != 0) {
      diags.Error(loc, "pkg-config cannot find package '" + pkg + "'");
      return absl::FailedPreconditionError("dependency resolution failed");
    }
    for (absl::string_view f : absl::StrSplit(r.output, absl::ByAnyChar(" \n"), absl::SkipEmpty()))
      libs.emplace_back(std::string(f));
  }

  KeyHasher key;
  key.Add(DFC_VERSION);
  key.Add(cpp);
  for (const auto& a : args) key.Add(a);
  for (const auto& l : libs) key.Add(l);
  key.Add(FileStamp(tc.runtime_lib));
  if (use_pch) key.Add(FileStamp(pch));  // rebuilt whenever a runtime header changes
  for (const auto& l : tc.runtime_libs) key.Add(l);
  std::string runtime_headers_stamp, dependency_headers_text;
  // The runtime API headers are compiled into the job (templates such as dfc/window.h): a header
  // edit must not reuse a job built against the old one, also without the PCH (sanitizer builds).
  // Sorted: the key does not depend on directory order.
  {
    std::vector<std::string> headers;
    std::error_code hec;
    for (fs::recursive_directory_iterator it(tc.runtime_include, hec), end; !hec && it != end; it.increment(hec))
      if (it->is_regular_file(hec)) headers.push_back(it->path().string());
    std::sort(headers.begin(), headers.end());
    for (const auto& h : headers) {
      key.Add(FileStamp(h));
      runtime_headers_stamp += FileStamp(h) + "\n";
    }
  }
  std::vector<std::string> dep_texts;
  for (const auto& [src, loc] : g.dependencies.sources) {
    std::string text;
    if (!ReadFile(src, &text)) {
      diags.Error(loc, "cannot read dependency source '" + src + "'");
      return absl::FailedPreconditionError("dependency missing");
    }
    key.Add(src);
    key.Add(text);
    dep_texts.push_back(std::move(text));
  }
  // Headers the generated code includes: their text is part of what is compiled.
  for (const auto& [h, loc] : g.dependencies.headers) {
    std::string text;
    if (!ReadFile(h, &text)) {
      diags.Error(loc, "cannot read dependency header '" + h + "'");
      return absl::FailedPreconditionError("dependency missing");
    }
    key.Add(h);
    key.Add(text);
    dependency_headers_text += h + "\n" + text + "\n";
  }
  const std::string hex = key.Hex();
  // What a dependency source's object depends on besides its own text: the compile flags and
  // include paths, the runtime API headers and PCH, the job's dependency headers.
  std::string dep_key_base;
  {
    KeyHasher base;
    for (const auto& a : args) base.Add(a);
    if (use_pch) base.Add(FileStamp(pch));
    base.Add(runtime_headers_stamp);
    base.Add(dependency_headers_text);
    dep_key_base = base.Hex();
  }
  const fs::path dir = fs::path(tc.cache_dir) / hex;
  const fs::path exe = dir / "job";
  BuildResult result;
  result.executable = exe.string();
  std::error_code ec;
  if (opts.use_cache && fs::exists(exe, ec)) {
    result.cached = true;
    return result;
  }

  fs::create_directories(tc.cache_dir, ec);
  if (ec) return absl::UnavailableError("cannot create cache directory " + tc.cache_dir + ": " + ec.message());
  char tmpl[4096];
  std::snprintf(tmpl, sizeof tmpl, "%s/tmp-XXXXXX", tc.cache_dir.c_str());
  if (!mkdtemp(tmpl)) return absl::UnavailableError(std::string("cannot create a build directory in ") + tc.cache_dir);
  const fs::path work = tmpl;
  const fs::path src = work / "dfc_job.cc";
  {
    std::ofstream out(src, std::ios::binary);
    out << cpp;
    if (!out) return absl::UnavailableError("cannot write " + src.string());
  }
  // Compile the generated code and every dependency source into objects, concurrently (one
  // process each), then link. A dependency source's object is cached on its own, keyed by what
  // it is compiled from: editing the job does not recompile its (often heavy) UDF files.
  struct Unit {
    std::vector<std::string> cmd;
    fs::path object;
    fs::path cached;  // where the object is kept in the cache ("" = the job's own code)
    const SourceLoc* loc = nullptr;
    std::string source;
    ProcessResult result;
    bool reused = false;
  };
  std::vector<Unit> units;
  // Generated code for several chains comes in two parts (codegen's PlanParts): the one file is
  // compiled twice at once, with -DDFC_PART=0 and -DDFC_PART=1, which halves the wall time of
  // the compile on two cores. Compiled without DFC_PART, the file is the whole job: one unit on a
  // single core or with DFC_JOB_PARTS=1 (less CPU in total: the PCH is loaded once; =2 forces two).
  const bool two_parts = cpp.find("\n#if !defined(DFC_PART) || DFC_PART == 1\n") != std::string::npos &&
                         (Env("DFC_JOB_PARTS") == "2" ||
                          (std::thread::hardware_concurrency() >= 2 && Env("DFC_JOB_PARTS") != "1"));
  const int job_parts = two_parts ? 2 : 1;
  for (int part = 0; part < job_parts; ++part) {
    Unit job;
    job.cmd = args;
    if (opts.verbose && use_pch) job.cmd.insert(job.cmd.begin() + 1, "-H");  // says whether the .gch was taken
    if (job_parts > 1) job.cmd.push_back("-DDFC_PART=" + std::to_string(part));
    job.object = work / (job_parts > 1 ? "dfc_job" + std::to_string(part) + ".o" : std::string("dfc_job.o"));
    job.cmd.insert(job.cmd.end(), {"-c", src.string(), "-o", job.object.string()});
    units.push_back(std::move(job));
  }
  const fs::path obj_cache = fs::path(tc.cache_dir) / "objects";
  for (size_t i = 0; i < g.dependencies.sources.size(); ++i) {
    const auto& [dep, loc] = g.dependencies.sources[i];
    KeyHasher okey;
    okey.Add(DFC_VERSION);
    okey.Add(dep_key_base);
    okey.Add(dep);
    okey.Add(dep_texts[i]);
    Unit u;
    u.loc = &loc;
    u.source = dep;
    u.object = work / ("dep" + std::to_string(i) + ".o");
    u.cached = obj_cache / (okey.Hex() + ".o");
    if (opts.use_cache && fs::exists(u.cached, ec)) {
      u.reused = true;
    } else {
      u.cmd = args;
      u.cmd.insert(u.cmd.end(), {"-c", dep, "-o", u.object.string()});
    }
    units.push_back(std::move(u));
  }
  if (opts.verbose) {
    for (const Unit& u : units) {
      std::string line;
      for (const auto& a : u.cmd) line += (line.empty() ? "" : " ") + a;
      if (u.reused) line = "reusing the compiled " + u.source + " (" + u.cached.string() + ")";
      std::fprintf(stderr, "dfc: %s\n", line.c_str());
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  {
    std::vector<std::thread> threads;
    for (Unit& u : units) {
      if (!u.reused) threads.emplace_back([&u] { u.result = RunProcess(u.cmd); });
    }
    for (auto& t : threads) t.join();
  }
  ProcessResult r = units[0].result;  // the job's own code
  for (int part = 1; part < job_parts; ++part) {
    // A part's diagnostics that the other part also reported (shared code) count once.
    const ProcessResult& pr = units[part].result;
    if (pr.exit_code == 0) continue;
    if (r.exit_code == 0) {
      r = pr;
      continue;
    }
    std::set<std::string_view> seen;
    for (absl::string_view l : absl::StrSplit(r.output, '\n')) seen.emplace(l.data(), l.size());
    std::string more;
    for (absl::string_view l : absl::StrSplit(pr.output, '\n'))
      if (!seen.count(std::string_view(l.data(), l.size()))) more += std::string(l) + "\n";
    r.output += more;
  }
  std::string failed_deps;
  for (size_t i = job_parts; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (u.reused || u.result.exit_code == 0) continue;
    diags.Error(*u.loc, "dependency source '" + u.source + "' does not compile:\n" + u.result.output);
    failed_deps += u.source + " ";
  }
  if (r.exit_code == 0 && failed_deps.empty()) {
    std::vector<std::string> link;
    link.push_back(tc.cxx);
    for (const auto& f : tc.cxx_flags) link.push_back(f);  // e.g. the sanitizer flags
    for (const Unit& u : units) link.push_back((u.reused ? u.cached : u.object).string());
    link.push_back(tc.runtime_lib);
    for (const auto& l : tc.runtime_libs) link.push_back(l);
    for (const auto& l : libs) link.push_back(l);
    for (const auto& f : tc.link_flags) link.push_back(f);
    link.push_back("-o");
    link.push_back((work / "job").string());
    if (opts.verbose) {
      std::string line;
      for (const auto& a : link) line += (line.empty() ? "" : " ") + a;
      std::fprintf(stderr, "dfc: %s\n", line.c_str());
    }
    ProcessResult lr = RunProcess(link);
    if (lr.exit_code != 0) {
      r.exit_code = lr.exit_code;
      r.output += lr.output;
    }
  }
  // Keep the freshly compiled dependency objects for the next build (atomically: temp + rename).
  for (size_t i = job_parts; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (u.reused || u.result.exit_code != 0 || !opts.use_cache) continue;
    fs::create_directories(obj_cache, ec);
    const fs::path tmp = u.cached.string() + ".tmp-" + fs::path(work).filename().string();
    fs::copy_file(u.object, tmp, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(tmp, u.cached, ec);
    if (ec) fs::remove(tmp, ec);
  }
  result.compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opts.verbose) {
    result.pch_status = use_pch ? PchStatusFromTrace(units[0].result.output, pch)
                                : tc.pch_dir.empty() ? "disabled (other compiler, flags or headers, or DFC_PCH=0)"
                                                     : "stale (older than a runtime header; rebuild dfc_runtime)";
    if (use_pch && job_parts > 1) {  // both parts take the same header; say so if one did not
      const std::string other = PchStatusFromTrace(units[1].result.output, pch);
      if (other != result.pch_status) result.pch_status += " (part 1: " + other + ")";
    }
    std::fprintf(stderr, "dfc: precompiled runtime header %s: %s\n", pch.empty() ? "-" : pch.c_str(),
                 result.pch_status.c_str());
  }
  if (!failed_deps.empty()) {
    fs::remove_all(work, ec);
    return absl::InvalidArgumentError("a dependency source does not compile");
  }
  if (r.exit_code != 0) {
    int user_errors = MapUserCodeErrors(r.output, g, diags);
    if (user_errors > 0) {
      fs::remove_all(work, ec);
      return absl::InvalidArgumentError("the job's C++ code does not compile");
    }
    return absl::InternalError("compiling the generated code failed (a dfc bug; the source is kept at " +
                               src.string() + "):\n" + r.output);
  }
  // Publish atomically: a concurrent build of the same job either wins or finds ours.
  fs::rename(work, dir, ec);
  if (ec) {
    if (fs::exists(exe)) {
      fs::remove_all(work, ec);
    } else {
      return absl::UnavailableError("cannot move the build into the cache at " + dir.string());
    }
  }
  return result;
}

absl::Status InstallExecutable(const std::string& from, const std::string& to) {
  std::error_code ec;
  const fs::path target = fs::absolute(to, ec);
  const fs::path tmp = target.string() + ".dfc-tmp";
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) return absl::UnavailableError("cannot write " + tmp.string() + ": " + ec.message());
  fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec, ec);
  fs::rename(tmp, target, ec);
  if (ec) return absl::UnavailableError("cannot write " + target.string() + ": " + ec.message());
  return absl::OkStatus();
}

}  // namespace dfc::compiler
