# The flags dfc compiles and links generated job code with: one list, read by the toolchain
# (configured into toolchain_config.h) and by the runtime's precompiled header
# (runtime/CMakeLists.txt), which GCC only uses when it was built with the same flags.
set(DFC_JOB_CXX_FLAGS -std=c++20 -O2 -DNDEBUG -pthread ${DFC_SANITIZER_FLAGS})
# Sanitizer builds (the test suite's ASan+UBSan and TSan stages) compile their jobs at -O1, the
# level ASan recommends: an instrumented job at -O1 costs ~25% less compiler CPU than at -O2
# (q5: 13.9 s vs 18.5 s), and those stages build about a hundred jobs.
if(DFC_SANITIZER_FLAGS)
  list(TRANSFORM DFC_JOB_CXX_FLAGS REPLACE "^-O2$" "-O1")
endif()
set(DFC_JOB_LINK_FLAGS -static-libstdc++ -static-libgcc -pthread)
# lld links a job in about half the time of GNU ld (bench/build_time.sh); lld-14 comes with
# scripts/install-deps.sh, and without it jobs link with the default linker.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld DFC_HAVE_LLD)
if(DFC_HAVE_LLD)
  list(APPEND DFC_JOB_LINK_FLAGS -fuse-ld=lld)
endif()
# Job executables carry the symbol table but no DWARF of the runtime library and RocksDB (built
# with -g): writing it was a third of the link (0.61G -> 0.38G instructions for wordcount, 25 MB ->
# 12.5 MB; issue 2: `dfc build` time). Sanitizer builds keep it for file:line in their reports.
if(NOT DFC_SANITIZER_FLAGS)
  list(APPEND DFC_JOB_LINK_FLAGS -Wl,--strip-debug)
endif()
# The precompiled header of dfc/runtime.h (built beside the runtime library; see runtime/).
set(DFC_RUNTIME_PCH_DIR ${CMAKE_BINARY_DIR}/runtime/pch)
