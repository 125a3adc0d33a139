// Atomic file replacement on POSIX: temp file in the same directory, write, fsync, rename, fsync
// dir.
#include "io/atomicfile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "data/types.h"

namespace latent {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw Error(Error::Code::Io, "cannot write '" + path + "': " + what + std::strerror(err));
}

std::string directoryOf(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A name unlikely to collide: pid, a process-wide counter and the clock. O_EXCL makes a collision
// harmless (we retry), and unlike mkstemp the file gets 0666 & ~umask like any ordinary file.
std::string tempNameFor(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  const unsigned long long mix = (static_cast<unsigned long long>(ticks) * 0x9E3779B97F4A7C15ull) ^
                                 (static_cast<unsigned long long>(::getpid()) << 20) ^
                                 counter.fetch_add(1);
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%06llx", (mix ^ (mix >> 29)) & 0xFFFFFF);
  return path + ".tmp-" + suffix;
}

int createTemp(const std::string& path, std::string& tempPath) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    tempPath = tempNameFor(path);
    const int fd = ::open(tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

bool writeAll(int fd, const char* p, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO;  // no progress and no reason given: report it as an I/O error
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Some file systems cannot fsync a directory (EINVAL); the rename is then as durable as they allow.
void syncDirectory(const std::string& path) {
  const int dirFd = ::open(directoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd < 0) return;
  const bool ok = ::fsync(dirFd) == 0 || errno == EINVAL;
  const int err = errno;
  ::close(dirFd);
  if (!ok) fail(path, "directory fsync failed: ", err);
}

}  // namespace

void writeFileAtomically(const std::string& path, const void* data, size_t size) {
  if (path.empty()) throw Error(Error::Code::Io, "cannot write '': empty path");
  std::string tempPath;
  const int fd = createTemp(path, tempPath);
  if (fd < 0) fail(path, "cannot create a temporary file: ", errno);

  const bool written = writeAll(fd, static_cast<const char*>(data), size);
  int err = errno;
  const bool synced = written && ::fsync(fd) == 0;
  if (written && !synced) err = errno;
  const bool closed = ::close(fd) == 0;
  if (synced && !closed) err = errno;
  if (!written || !synced || !closed) {
    ::unlink(tempPath.c_str());
    fail(path, "", err);
  }
  if (::rename(tempPath.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tempPath.c_str());
    fail(path, "", err);
  }
  syncDirectory(path);
}

}  // namespace latent
