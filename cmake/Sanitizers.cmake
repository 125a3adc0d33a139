# LATENT_SANITIZE: compile and link every target with AddressSanitizer + UndefinedBehaviorSanitizer
# ("address,undefined") or ThreadSanitizer ("thread"). Reports abort the process (UBSan does not
# recover), so a test with a report fails. scripts/safety.sh builds and runs both in CI, with
# clang: GCC 12 gives false warnings with -fsanitize (-Wuninitialized in its avx512fintrin.h,
# -Warray-bounds in std::vector::insert); scripts/setup.sh builds the plain one with clang too.
# LATENT_FUZZ (clang): every target also gets libFuzzer's coverage instrumentation, and fuzz/ links
# the fuzz targets with libFuzzer; scripts/safety.sh builds it with address,undefined.
if(LATENT_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(LATENT_SANITIZE STREQUAL "")
  return()
endif()
if(NOT LATENT_SANITIZE MATCHES "^(address|undefined|address,undefined|undefined,address|thread)$")
  message(FATAL_ERROR "LATENT_SANITIZE='${LATENT_SANITIZE}': use address,undefined or thread")
endif()
# Line tables and frame pointers: reports with file:line and whole stacks (inlined frames
# included); clang's -gline-tables-only gives exactly that at a fraction of full -g's compile and
# link time (it overrides the Debug configuration's -g). -O2: Eigen depends on inlining, and at
# -O1 the sanitized tests ran several times slower.
set(latent_line_tables -g)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(latent_line_tables -gline-tables-only)
endif()
add_compile_options(-fsanitize=${LATENT_SANITIZE} -fno-omit-frame-pointer ${latent_line_tables} -O2)
add_link_options(-fsanitize=${LATENT_SANITIZE})
if(LATENT_SANITIZE MATCHES "undefined")
  add_compile_options(-fno-sanitize-recover=all)
endif()
message(STATUS "Sanitizers: ${LATENT_SANITIZE}")
