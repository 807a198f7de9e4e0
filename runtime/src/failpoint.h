// Named failpoints in the checkpoint path, for fault tests (RELIABILITY.md): compiled in always,
// armed only through the environment, so a release executable can be tested as shipped.
//
//   DFC_FAILPOINTS="name[=action][@n][,name...]"
//     action  error (default): the guarded operation fails as with an I/O error (EIO);
//             crash: the process dies at once with SIGKILL (a kill -9 at exactly that point);
//     @n      trigger on the n-th time the point is reached (default: every time).
//
//   if (DFC_FAILPOINT("checkpoint.manifest.before-rename")) return Error(...);
//
// Points: see docs/CHECKPOINTS.md ("Failpoints"). Thread-safe.
#pragma once

namespace dfc::rt {

// True when failpoint `name` fires as "error" now; never returns when it fires as "crash".
bool FailpointHit(const char* name);

}  // namespace dfc::rt

#define DFC_FAILPOINT(name) ::dfc::rt::FailpointHit(name)
