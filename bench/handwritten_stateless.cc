// Hand-written counterpart of bench/jobs/stateless_chain.json: the same generator functions
// (dfc/datagen.h), filter, conversion and blackhole, in one loop. usage: handwritten_stateless [N]
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "dfc/datagen.h"

namespace {
struct Bid { int64_t auction, price, bidder; };
struct Eur { int64_t auction, eur, bidder; };
template <class T>
inline void Blackhole(const T& v) { asm volatile("" : : "r"(&v) : "memory"); }  // as dfc::rt::Blackhole
}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 50'000'000;
  int64_t out = 0;
  for (int64_t i = 0; i < n; ++i) {
    Bid b{dfc::rt::gen::RandomInt(i, 0, 1000, 1999), dfc::rt::gen::RandomInt(i, 1, 1, 10000), 0 + i};
    if (!(b.price >= 5000)) continue;
    Eur e{b.auction, static_cast<int64_t>(static_cast<double>(b.price) * 0.908), b.bidder};
    Blackhole(e);
    ++out;
  }
  std::fprintf(stderr, "handwritten: %lld records in, %lld records out\n", static_cast<long long>(n),
               static_cast<long long>(out));
}
