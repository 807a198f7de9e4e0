// dfc::Window: the bounds of the window a result belongs to, for window_process functions. Its own
// header so that dfc/dsl.h (what a job.cpp includes) declares it without the window runtime.
#pragma once

#include <cstdint>

namespace dfc {

// The window a result belongs to, for window_process functions and join functions.
struct Window {
  std::int64_t start;
  std::int64_t end;
  std::int64_t max_timestamp() const { return end - 1; }
};

}  // namespace dfc
