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
