#include "pricing.h"  // found through the job's include_dirs

#include <cctype>

namespace pricing {
int64_t ToEuroCents(int64_t usd_cents) { return usd_cents * 908 / 1000; }
std::string Shout(const std::string& s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out + "!";
}
}  // namespace pricing
