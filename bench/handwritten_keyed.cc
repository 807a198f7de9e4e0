// Hand-written counterpart of bench/jobs/keyed_reduce.json: the same generator (dfc/datagen.h) and
// rolling reduce (count and sum per key) over a std::unordered_map with dfc's key hash, one loop,
// one thread. usage: handwritten_keyed N KEYS
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "dfc/datagen.h"

namespace {
struct Ev { int64_t k, n, v; };
struct Hash { size_t operator()(int64_t k) const { return dfc::rt::HashValue(k); } };
template <class T>
inline void Blackhole(const T& v) { asm volatile("" : : "r"(&v) : "memory"); }  // as dfc::rt::Blackhole
}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 20'000'000;
  const int64_t keys = argc > 2 ? std::atoll(argv[2]) : 1000;
  std::unordered_map<int64_t, Ev, Hash> state;
  for (int64_t i = 0; i < n; ++i) {
    Ev e{dfc::rt::gen::RandomInt(i, 0, 0, keys - 1), dfc::rt::gen::RandomInt(i, 1, 1, 1), dfc::rt::gen::RandomInt(i, 2, 0, 1000)};
    auto [it, fresh] = state.try_emplace(e.k, e);
    if (!fresh) {
      it->second.n += e.n;
      it->second.v += e.v;
    }
    Ev o = it->second;
    Blackhole(o);
  }
  std::fprintf(stderr, "handwritten: %lld records, %zu keys\n", static_cast<long long>(n), state.size());
}
