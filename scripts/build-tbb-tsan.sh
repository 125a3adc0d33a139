#!/usr/bin/env bash
# Builds Debian's own oneTBB source (the exact version of the installed libtbb-dev) with
# ThreadSanitizer and clang-14 (like the TSan build of LatentLab) into PREFIX.
#
# Why: Debian's libtbb is not instrumented. TBB hands work to its workers and waits for them with
# its own atomics and futexes, which ThreadSanitizer cannot see, so every value passed into or out of
# a parallel_for would be reported as a race. Suppressing those reports would also hide real races
# in our task bodies (their stacks run through libtbb too), so we instrument TBB instead, as
# oneTBB's own CI does (TBB_SANITIZE=thread).
#
# The source comes through apt (apt-get source, checked against Debian's signed Sources index) with
# a private package list, so the system's apt configuration is not touched. Idempotent.
# Usage: scripts/build-tbb-tsan.sh PREFIX    (needs dpkg-dev, cmake, ninja; about 1 minute)
set -euo pipefail

prefix="$(realpath -m "${1:?usage: build-tbb-tsan.sh PREFIX}")"
version="$(dpkg-query -W -f='${Version}' libtbb-dev)"
stamp="$prefix/.built-from"  # what the build in PREFIX was made from and with
if [[ -f "$stamp" && "$(cat "$stamp")" == "$version clang-14" &&
      -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ]]; then
  echo "== oneTBB $version with ThreadSanitizer already in $prefix"
  exit 0
fi

work="$prefix.work"
rm -rf "$work"
mkdir -p "$work/lists/partial"
# deb-src lines for the suites the installed package comes from (bookworm and its updates).
codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
cat >"$work/sources.list" <<EOF
deb-src http://deb.debian.org/debian $codename main
deb-src http://deb.debian.org/debian $codename-updates main
deb-src http://deb.debian.org/debian-security $codename-security main
EOF
apt_opts=(-q -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$work/lists" -o Debug::NoLocking=1)
echo "== fetching the oneTBB $version source (apt-get source)"
apt-get "${apt_opts[@]}" update >/dev/null
(cd "$work" && apt-get "${apt_opts[@]}" source "onetbb=$version" >/dev/null 2>"$work/source.log") || {
  cat "$work/source.log" >&2
  exit 1
}
src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'onetbb-*' | head -n 1)"

echo "== building oneTBB with ThreadSanitizer into $prefix"
# Only libtbb: LatentLab does not use tbbmalloc. TBB_STRICT off: its -Werror is for its own CI's
# compilers, and a warning in its source is not ours to fix here.
CC=clang-14 CXX=clang++-14 cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DTBB_SANITIZE=thread \
  -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DTBBMALLOC_BUILD=OFF \
  -DTBB_ENABLE_IPO=OFF >/dev/null
cmake --build "$work/build" --parallel "$(nproc)"
cmake --install "$work/build" >/dev/null
echo "$version clang-14" >"$stamp"
rm -rf "$work"
