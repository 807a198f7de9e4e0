// SourceLoc: where a piece of a job came from — file, 1-based line and column, and (for JSON
// jobs) the JSON pointer of the value. Every IR element and every user-facing diagnostic carries
// one, so errors read like a compiler's: `job.json:14:9: error: ... [/nodes/3/where]`.
#pragma once

#include <string>

namespace dfc::compiler {

struct SourceLoc {
  std::string file;     // path as given on the command line; empty = unknown
  int line = 0;         // 1-based; 0 = unknown
  int col = 0;          // 1-based; 0 = unknown
  std::string pointer;  // RFC 6901 JSON pointer, e.g. "/nodes/3/where"; empty for the DSL

  bool known() const { return line > 0; }
  // Location `offset` bytes into a single-line string literal that starts at this location
  // (the opening quote). Used to point into expressions.
  SourceLoc Shifted(int offset) const {
    SourceLoc l = *this;
    if (l.col > 0) l.col += 1 + offset;
    return l;
  }
};

}  // namespace dfc::compiler
