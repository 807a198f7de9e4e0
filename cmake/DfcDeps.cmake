# Every external dependency, found once. All come from Debian bookworm packages
# (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(absl REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(GTest REQUIRED)
find_package(LLVM 14 REQUIRED CONFIG)
find_program(DFC_FILECHECK FileCheck HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)
find_program(DFC_LIT NAMES lit lit.py HINTS /usr/lib/llvm-14/build/utils/lit)
if(NOT DFC_LIT)
  set(DFC_LIT /usr/lib/llvm-14/build/utils/lit/lit.py)
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
# RocksDB (keyed state, state.backend.type=rocksdb) and its compression libraries, as static
# archives: jobs link them (toolchain: DFC_RUNTIME_LIBS) and stay self-contained.
find_path(DFC_ROCKSDB_INCLUDE rocksdb/db.h REQUIRED)
set(DFC_RUNTIME_STATIC_LIBS "")
foreach(lib rocksdb snappy lz4 zstd bz2 z)
  find_library(DFC_STATIC_${lib} NAMES lib${lib}.a REQUIRED)
  list(APPEND DFC_RUNTIME_STATIC_LIBS ${DFC_STATIC_${lib}})
endforeach()
