// Status helpers missing from Debian's Abseil, plus DFC_CHECK for internal invariants.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define DFC_STATUS_CONCAT_INNER_(a, b) a##b
#define DFC_STATUS_CONCAT_(a, b) DFC_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define DFC_RETURN_IF_ERROR(expr)                  \
  do {                                             \
    ::absl::Status dfc_status_ = (expr);           \
    if (!dfc_status_.ok()) return dfc_status_;     \
  } while (0)

// `DFC_ASSIGN_OR_RETURN(auto x, F());` — unwraps a StatusOr or returns its error.
#define DFC_ASSIGN_OR_RETURN(lhs, expr) \
  DFC_ASSIGN_OR_RETURN_IMPL_(DFC_STATUS_CONCAT_(dfc_statusor_, __LINE__), lhs, expr)
#define DFC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()

// Aborts with a message when an internal invariant is broken (a dfc bug, never a user error).
#define DFC_CHECK(cond)                                                              \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "dfc internal error: %s:%d: check failed: %s\n", __FILE__, \
                   __LINE__, #cond);                                                 \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)
