# Precompiled headers: Eigen, Qt, CLI11 and nlohmann-json headers cost 3-5 s to parse in every
# translation unit, which was about half of a clean build's CPU time and kept CI over its budget
# on 2 cores. Each library gets its own; the test programs of a layer share one through a small
# object library whose flags match theirs (REUSE_FROM needs identical flags, or the compiler
# ignores the header and says so through -Winvalid-pch). LATENT_PCH=OFF turns them all off.
# GCC 12 does not treat code that reaches a unit through a precompiled header as system-header
# code when it reports warnings from inlined functions: a file that then shows warnings from
# /usr/include (but none compiled without it) gets SKIP_PRECOMPILE_HEADERS rather than a -Wno-.
option(LATENT_PCH "Precompiled headers for the libraries, CLI and tests (faster clean builds)" ON)

set(LATENT_PCH_STD <algorithm> <cmath> <functional> <memory> <optional> <string> <vector>)
set(LATENT_PCH_CORE ${LATENT_PCH_STD} <Eigen/Core> <nlohmann/json.hpp>)

# latent_pch(TARGET header...): TARGET precompiles these headers.
function(latent_pch target)
  if(LATENT_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()

# latent_pch_reuse(TARGET FROM): TARGET uses FROM's precompiled header.
function(latent_pch_reuse target from)
  if(LATENT_PCH)
    target_precompile_headers(${target} REUSE_FROM ${from})
  endif()
endfunction()
