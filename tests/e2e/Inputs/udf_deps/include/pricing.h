// Declarations of the functions the udf_deps job calls; defined in src/pricing.cc.
#pragma once

#include <cstdint>
#include <string>

namespace pricing {
int64_t ToEuroCents(int64_t usd_cents);
std::string Shout(const std::string& s);
}  // namespace pricing
