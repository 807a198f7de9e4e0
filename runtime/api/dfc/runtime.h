// The runtime API: the only header generated job code includes. Small and stable; no RocksDB,
// Boost or LLVM headers leak through it, which keeps `dfc build` fast.
#pragma once

#define DFC_RUNTIME_ABI_VERSION 1

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dfc/builtins.h"
#include "dfc/clock.h"
#include "dfc/connectors.h"
#include "dfc/datagen.h"
#include "dfc/hash.h"
#include "dfc/job_table.h"
#include "dfc/join.h"
#include "dfc/metrics.h"
#include "dfc/nexmark.h"
#include "dfc/nexmark_replay.h"
#include "dfc/operators.h"
#include "dfc/process.h"
#include "dfc/row.h"
#include "dfc/state.h"
#include "dfc/state_ttl.h"
#include "dfc/stream.h"
#include "dfc/task.h"
#include "dfc/window.h"
