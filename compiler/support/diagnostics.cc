#include "compiler/support/diagnostics.h"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace dfc::compiler {

void Diagnostics::Error(const SourceLoc& loc, std::string message) {
  diags_.push_back({Severity::kError, loc, std::move(message)});
  ++num_errors_;
}
void Diagnostics::Warning(const SourceLoc& loc, std::string message) {
  diags_.push_back({Severity::kWarning, loc, std::move(message)});
}
void Diagnostics::Note(const SourceLoc& loc, std::string message) {
  diags_.push_back({Severity::kNote, loc, std::move(message)});
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.loc.file.empty()) {
    out += d.loc.file;
    if (d.loc.line > 0) {
      out += ":" + std::to_string(d.loc.line);
      if (d.loc.col > 0) out += ":" + std::to_string(d.loc.col);
    }
    out += ": ";
  }
  switch (d.severity) {
    case Severity::kError: out += "error: "; break;
    case Severity::kWarning: out += "warning: "; break;
    case Severity::kNote: out += "note: "; break;
  }
  out += d.message;
  if (!d.loc.pointer.empty()) out += " [" + d.loc.pointer + "]";
  return out;
}

void Diagnostics::Print(std::ostream& os) const {
  for (const auto& d : diags_) os << FormatDiagnostic(d) << "\n";
}

std::string Diagnostics::ToString() const {
  std::ostringstream os;
  Print(os);
  return os.str();
}

static size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  size_t best = SIZE_MAX;
  std::string best_word;
  const size_t limit = std::max<size_t>(1, word.size() / 3);
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best) {
      best = d;
      best_word = c;
    }
  }
  return best <= limit ? best_word : std::string();
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string m = ClosestMatch(word, candidates);
  return m.empty() ? std::string() : " (did you mean '" + m + "'?)";
}

}  // namespace dfc::compiler
