# Precompiled headers and unity builds.
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

# Unity builds: the core, UI and CLI sources are compiled in batches of 8 per translation unit.
# Every unit instantiates and optimises the same Eigen, nlohmann-json, CLI11 and Qt templates
# again; a batch does it once. Measured on 2 cores with clang 14, Release, without tests: 182 s
# → 139 s; the sanitizer builds gain more (their per-unit cost is higher). Helpers that files keep
# to themselves (anonymous namespaces) must have names unique across the library for this.
# LATENT_UNITY=OFF compiles one file per unit (faster rebuilds while editing one file).
option(LATENT_UNITY "Unity builds of the core, UI and CLI (faster clean builds)" ON)

# latent_unity(TARGET): TARGET compiles in unity batches when LATENT_UNITY is on.
function(latent_unity target)
  if(LATENT_UNITY)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()
