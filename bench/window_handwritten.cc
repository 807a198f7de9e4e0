// Hand-written baseline for bench/jobs/window_count.json: the same rows (dfc's datagen formulas:
// ts = i / 100, key = RandomInt(i, field 1, 0, keys - 1)) counted per key in tumbling or sliding
// event-time windows, the way a careful C++ programmer would: one hash map per pane of
// gcd(size, slide) ms, panes merged when a window closes (the watermark = the largest timestamp
// seen minus 1 passes its end - 1), results summed into a checksum. Single thread.
//   usage: window_handwritten ROWS KEYS SIZE_MS SLIDE_MS
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <unordered_map>

#include "dfc/datagen.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s ROWS KEYS SIZE_MS SLIDE_MS\n", argv[0]);
    return 2;
  }
  const int64_t rows = std::atoll(argv[1]), keys = std::atoll(argv[2]);
  const int64_t size = std::atoll(argv[3]), slide = std::atoll(argv[4]);
  const int64_t pane = std::gcd(size, slide);
  std::map<int64_t, std::unordered_map<int64_t, int64_t>> panes;  // pane start -> key -> count
  std::unordered_map<int64_t, int64_t> merged;
  int64_t next_end = slide;  // the first window holding timestamp 0 starts at slide - size
  uint64_t results = 0, checksum = 0;
  auto fire_until = [&](int64_t wm) {
    while (next_end - 1 <= wm) {
      const int64_t start = next_end - size;
      auto first = panes.lower_bound(start), last = panes.lower_bound(next_end);
      if (first == last) {
        // no rows in this window
      } else if (std::next(first) == last) {
        for (const auto& [k, n] : first->second) { ++results; checksum += static_cast<uint64_t>(k * 31 + n); }
      } else {
        merged.clear();
        for (auto p = first; p != last; ++p)
          for (const auto& [k, n] : p->second) merged[k] += n;
        for (const auto& [k, n] : merged) { ++results; checksum += static_cast<uint64_t>(k * 31 + n); }
      }
      // Panes no later window needs (the next one starts at start + slide).
      while (!panes.empty() && panes.begin()->first < start + slide) panes.erase(panes.begin());
      next_end += slide;
    }
  };
  int64_t max_ts = INT64_MIN;
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t ts = i / 100;
    const int64_t key = dfc::rt::gen::RandomInt(i, 1, 0, keys - 1);
    ++panes[ts - ts % pane][key];
    if (ts > max_ts) {
      max_ts = ts;
      fire_until(max_ts - 1);  // in-order input: the watermark trails the newest timestamp
    }
  }
  fire_until(max_ts + size);  // the end of input: every window holding a row
  std::printf("%llu results, checksum %llu\n", static_cast<unsigned long long>(results),
              static_cast<unsigned long long>(checksum));
  return 0;
}
