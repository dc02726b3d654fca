#!/usr/bin/env bash
# third_party/musl/build.sh BUILD_DIR
#
# Builds freebeam's musl: Debian's `musl` source package (1.2.3), with our
# replacement of the files that trap into Linux (see README.md), as a
# static libc for ARMv7-A hard-float, installed into BUILD_DIR/sysroot
# (include/ and lib/: libc.a, crt1.o, crti.o, crtn.o, ...).
#
#   BUILD_DIR/third_party/musl-1.2.3/   the unpacked Debian source, never edited
#   BUILD_DIR/third_party/musl-work/    a copy with our replacements applied
#   BUILD_DIR/third_party/musl-obj/     musl's own out-of-tree build
#
# Then checks libc.a (check.sh): no svc/swi, no __sync_ calls, no kuser
# helper addresses.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
B=$(mkdir -p "${1:?usage: $0 BUILD_DIR}" && cd "$1" && pwd)
VERSION=1.2.3
CROSS=${CROSS:-arm-linux-gnueabihf-}
src=$B/third_party/musl-$VERSION
work=$B/third_party/musl-work
obj=$B/third_party/musl-obj
sysroot=$B/sysroot

# Files of the Debian source that we delete (README.md says why); the
# generic C versions musl falls back to are safe for us.
REMOVE=(
  src/process/arm/vfork.s      # svc: falls back to src/process/vfork.c (fork -> ENOSYS)
  src/signal/arm/restore.s     # swi: falls back to src/signal/restore.c (stubs)
  src/thread/arm/clone.s       # svc: replaced by replace/src/thread/arm/clone.c
  src/thread/arm/__unmapself.s # svc: replaced by replace/src/thread/arm/__unmapself.c
)

[ -d "$src" ] || "$here/../apt-source.sh" musl "$VERSION" "$src"

# A fresh working copy each time, so that the result depends only on the
# Debian source and our files.
rm -rf "$work" "$obj"
cp -a "$src" "$work"
for f in "${REMOVE[@]}"; do
  [ -e "$work/$f" ] || { echo "$0: $f is not in musl $VERSION: check REMOVE" >&2; exit 1; }
  rm "$work/$f"
done
(cd "$here/replace" && find . -type f) | while read -r f; do
  f=${f#./}
  mkdir -p "$(dirname "$work/$f")"
  cp "$here/replace/$f" "$work/$f"
done

mkdir -p "$obj"
cd "$obj"
# -march/-mfpu/-mfloat-abi: the same ABI as everything else freebeam builds
# (Debian armhf: ARMv7-A, VFPv3-D16, hard-float; Thumb-2 by default).
CFLAGS="-march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard -g" \
  "$work/configure" --target=arm-linux-musleabihf CROSS_COMPILE="$CROSS" \
  --prefix=/ --disable-shared --disable-wrapper >/dev/null
make -s -j"$(nproc)" >/dev/null
rm -rf "$sysroot"
make -s install DESTDIR="$sysroot" >/dev/null
"$here/check.sh" "$sysroot/lib/libc.a"
echo "musl $VERSION: $sysroot"
