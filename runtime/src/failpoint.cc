#include "runtime/src/failpoint.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

namespace dfc::rt {
namespace {

struct Point {
  bool crash = false;
  long nth = 0;  // 0 = every time
  long hits = 0;
};

struct Registry {
  std::mutex mu;
  std::map<std::string, Point, std::less<>> points;
  bool any = false;
};

Registry& Points() {
  static Registry* r = [] {
    auto* reg = new Registry();
    const char* env = std::getenv("DFC_FAILPOINTS");
    std::string spec = env ? env : "";
    size_t i = 0;
    while (i < spec.size()) {
      size_t j = spec.find(',', i);
      if (j == std::string::npos) j = spec.size();
      std::string item = spec.substr(i, j - i);
      i = j + 1;
      if (item.empty()) continue;
      Point p;
      if (size_t at = item.find('@'); at != std::string::npos) {
        p.nth = std::atol(item.c_str() + at + 1);
        item.resize(at);
      }
      if (size_t eq = item.find('='); eq != std::string::npos) {
        p.crash = item.substr(eq + 1) == "crash";
        item.resize(eq);
      }
      reg->points[item] = p;
      reg->any = true;
    }
    return reg;
  }();
  return *r;
}

}  // namespace

bool FailpointHit(const char* name) {
  Registry& r = Points();
  if (!r.any) return false;
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.points.find(std::string_view(name));
  if (it == r.points.end()) return false;
  Point& p = it->second;
  ++p.hits;
  if (p.nth != 0 && p.hits != p.nth) return false;
  if (p.crash) {
    ::kill(::getpid(), SIGKILL);
    ::_exit(137);
  }
  return true;
}

}  // namespace dfc::rt
