// toolchain: compiles generated C++ and links it against the prebuilt runtime library into one
// self-contained executable (libstdc++ and libgcc linked statically: `ldd` shows only libc, libm
// and the loader), with a content-addressed build cache: the same generated code, dependencies,
// flags, runtime library and dfc version reuse the earlier executable. The generated code and each
// `dependencies.sources` file compile concurrently into objects; a dependency's object is cached
// by its own text, flags and headers (editing the job does not recompile its UDF files), and a
// dependency that does not compile is reported at its entry in the job.
//
// Compiler errors in user C++ (UDFs) are mapped back to the job file: generated code places UDF
// text behind `#line` directives, and this unit keeps only the diagnostics that point into the job,
// tagged with the node's JSON pointer. Anything else is an internal error, reported with the path
// of the kept generated source.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler {

struct ToolchainConfig {
  std::string cxx;                      // C++ compiler (DFC_CXX overrides)
  std::vector<std::string> cxx_flags;   // -std=c++20 -O2 ... (+ DFC_CXXFLAGS, space-separated)
  std::string runtime_include;          // runtime/api (DFC_RUNTIME_INCLUDE overrides)
  std::string runtime_lib;              // libdfc_runtime.a (DFC_RUNTIME_LIB overrides)
  std::vector<std::string> runtime_libs;  // static archives it needs (RocksDB ...), linked after it
  std::vector<std::string> link_flags;  // -static-libstdc++ -static-libgcc -pthread ...
  // Directory holding dfc/runtime.h.gch, the runtime API precompiled with exactly cxx_flags; empty
  // when the configuration differs from the one it was built for (DFC_CXX, DFC_CXXFLAGS,
  // DFC_RUNTIME_INCLUDE set) or DFC_PCH=0. Used only while it is newer than every runtime header.
  std::string pch_dir;
  std::string cache_dir;                // DFC_CACHE_DIR, else $XDG_CACHE_HOME/dfc, else ~/.cache/dfc
};

// The configuration this dfc was built with, plus environment overrides.
ToolchainConfig DefaultToolchain();

struct BuildResult {
  std::string executable;  // path of the built (or cached) executable inside the cache
  bool cached = false;     // true: reused, nothing was compiled
  double compile_seconds = 0;
  // Whether the compile took the runtime's precompiled header; known only in verbose builds
  // (they ask the compiler, -H), else "".
  std::string pch_status;
};

struct BuildOptions {
  bool use_cache = true;
  bool verbose = false;  // print the compiler command line
};

// Builds `cpp` (generated from `g`) and returns the cached executable. Compile errors in user code
// are reported to `diags` at job locations; the Status is an error when the build failed.
absl::StatusOr<BuildResult> BuildExecutable(const std::string& cpp, const ir::Graph& g,
                                            const ToolchainConfig& tc, const BuildOptions& opts,
                                            Diagnostics& diags);

// Copies `from` to `to` (atomically: temp file + rename), keeping the executable bit.
absl::Status InstallExecutable(const std::string& from, const std::string& to);

}  // namespace dfc::compiler
