// Runs a child process and captures its output. Arguments are passed as a vector (no shell), so
// paths with spaces or quotes from a job never get interpreted.
#pragma once

#include <string>
#include <vector>

namespace dfc::compiler {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process could not be started or died from a signal
  std::string output;  // stdout and stderr, interleaved
};

ProcessResult RunProcess(const std::vector<std::string>& argv);

}  // namespace dfc::compiler
