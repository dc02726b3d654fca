#!/usr/bin/env bash
# third_party/xbin.sh BUILD_DIR - makes BUILD_DIR/third_party/xbin, the
# arm-linux-musleabihf-* tool names that third-party configure scripts
# (erts's, OpenSSL's) look for when told --host=arm-linux-musleabihf, and
# prints its path.  ar, ranlib, ld... are Debian's arm-linux-gnueabihf
# binutils under those names; -gcc is `tools/freebeam cc` (our musl +
# libos).  Idempotent: third_party/erlang/build.sh and
# third_party/openssl/build.sh both call it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$(mkdir -p "${1:?usage: $0 BUILD_DIR}" && cd "$1" && pwd)
CROSS=${CROSS:-arm-linux-gnueabihf-}
HOST=arm-linux-musleabihf
xbin=$B/third_party/xbin
mkdir -p "$xbin"
for t in ar ranlib strip nm ld objdump objcopy as readelf size strings addr2line; do
  p=$(command -v "${CROSS}$t") || { echo "$0: ${CROSS}$t not found (make setup)" >&2; exit 1; }
  ln -sfn "$p" "$xbin/$HOST-$t"
done
printf '#!/bin/sh\nexec %q cc "$@"\n' "$ROOT/tools/freebeam" >"$xbin/$HOST-gcc.tmp"
chmod +x "$xbin/$HOST-gcc.tmp" && mv -f "$xbin/$HOST-gcc.tmp" "$xbin/$HOST-gcc"
echo "$xbin"
