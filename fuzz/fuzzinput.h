// Helpers for the fuzz targets: the loaders take paths, so an input is written to a private
// temporary folder first (one per process, removed at exit), and split into several files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

/// The process's scratch folder ($TMPDIR or /tmp, then latent-fuzz-PID), created on first use.
const std::string& scratchDir();

/// Writes `size` bytes to scratchDir()/name (plainly: the loaders, not the writer, are tested).
std::string writeScratch(const std::string& name, const uint8_t* data, size_t size);
std::string writeScratch(const std::string& name, std::string_view bytes);

/// Splits the input at each `separator`, at most `maxParts` parts (the last keeps the rest), so one
/// input can hold several files (an images file and its labels).
std::vector<std::string_view> splitInput(const uint8_t* data, size_t size,
                                         std::string_view separator, size_t maxParts);

/// Separator between the files of one input; seed inputs use it, so the fuzzer keeps it.
inline constexpr std::string_view FileSeparator = "\n=LATENT-NEXT-FILE=\n";

}  // namespace fuzz

namespace fuzz {

/// Aborts with `what` when an invariant of a successful load does not hold: libFuzzer reports it
/// as a crash, and the corpus replay test fails.
void require(bool condition, const char* what);

/// Gzip-compresses `bytes` (zlib, gzip wrapper), so a target can fuzz what sits behind gzip.
std::string gzipped(std::string_view bytes);

}  // namespace fuzz
