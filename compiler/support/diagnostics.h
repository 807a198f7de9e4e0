// Diagnostics: collects user-facing errors, warnings and notes with their SourceLoc and renders
// them like a compiler does. Passes report every problem they find and keep going where that is
// safe; the driver stops between passes when HasErrors(). Internal invariants are not diagnostics:
// use DFC_CHECK for those.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/source_loc.h"

namespace dfc::compiler {

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity;
  SourceLoc loc;
  std::string message;
};

class Diagnostics {
 public:
  void Error(const SourceLoc& loc, std::string message);
  void Warning(const SourceLoc& loc, std::string message);
  void Note(const SourceLoc& loc, std::string message);

  bool HasErrors() const { return num_errors_ > 0; }
  int num_errors() const { return num_errors_; }
  const std::vector<Diagnostic>& all() const { return diags_; }

  // Renders one diagnostic per line: `file:line:col: error: message [pointer]`.
  void Print(std::ostream& os) const;
  std::string ToString() const;

 private:
  std::vector<Diagnostic> diags_;
  int num_errors_ = 0;
};

// Renders a single diagnostic (no trailing newline).
std::string FormatDiagnostic(const Diagnostic& d);

// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
// plausible typo (distance <= max(1, len/3)). Ties go to the earliest candidate.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" — appended to unknown-name errors.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace dfc::compiler
