// Atomic file replacement: readers see either the old file or the complete new one, never a
// half-written file, even if the process dies or the machine loses power mid-write.
#pragma once

#include <cstddef>
#include <string>

namespace latent {

/// Writes `size` bytes to `path` atomically: a temporary `PATH.tmp-XXXXXX` in the same directory
/// (so the rename never crosses file systems), every byte written, fsync, rename over `path`, then
/// fsync of the directory so the rename itself is durable. The new file gets the usual 0666 &
/// ~umask permissions. On any failure the temporary is removed, `path` is left as it was, and
/// latent::Error(Io) names the path and the system's reason.
void writeFileAtomically(const std::string& path, const void* data, size_t size);

}  // namespace latent
