// Small POSIX I/O helpers shared by the connectors (internal to the runtime library).
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace dfc::rt::internal {

// Writes all of `data`, retrying short writes and EINTR. Returns 0, or the errno of the failure
// (EIO when write() makes no progress); the bytes before a failure have been written.
inline int WriteAll(int fd, const char* data, size_t size, size_t* written = nullptr) {
  size_t done = 0;
  int err = 0;
  while (done < size) {
    const ssize_t w = ::write(fd, data + done, size - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    if (w == 0) {
      err = EIO;
      break;
    }
    done += static_cast<size_t>(w);
  }
  if (written != nullptr) *written = done;
  return err;
}

}  // namespace dfc::rt::internal
