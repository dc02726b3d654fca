#!/usr/bin/env bash
# third_party/lwip/build.sh BUILD_DIR
#
# Builds the lwIP core that libos's sockets run on (docs/networking.md):
# Debian's `lwip` source package (2.1.3), fetched by the build and never
# committed, compiled with our port headers (third_party/lwip/port/:
# lwipopts.h, arch/cc.h) for ARMv7-A hard-float against our musl's headers
# only, into BUILD_DIR/lwip/liblwip.a.  libos.mk puts its members into
# libos.a, so every program that links libos (erts too) gets the stack;
# nothing of it runs until a program makes its first socket.
#
#   BUILD_DIR/third_party/lwip-2.1.3+dfsg1/   the unpacked Debian source, never edited
#   BUILD_DIR/third_party/lwip-work/           a copy with our patches (patches/*.patch,
#                                              each says why at its top) applied
#   BUILD_DIR/lwip/obj/lwip_*.o                one object per lwIP source file
#   BUILD_DIR/lwip/liblwip.a
#
# Every file of src/core (with ipv4/ and ipv6/) and src/netif/ethernet.c is
# compiled: what lwipopts.h turns off compiles to nothing, so turning DHCP,
# DNS, ARP or IPv6 on later is a change of lwipopts.h alone.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
B=$(mkdir -p "${1:?usage: $0 BUILD_DIR}" && cd "$1" && pwd)
VERSION=2.1.3+dfsg1
CROSS=${CROSS:-arm-linux-gnueabihf-}
src=$B/third_party/lwip-$VERSION
work=$B/third_party/lwip-work
out=$B/lwip
sysroot=$B/sysroot

[ -d "$src" ] || "$here/../apt-source.sh" lwip "$VERSION" "$src"
[ -d "$sysroot/include" ] || { echo "$0: $sysroot/include missing: build musl first" >&2; exit 1; }

# A fresh working copy each time, so that the result depends only on the
# Debian source and our files.
rm -rf "$work"
cp -a "$src" "$work"
for p in "$here"/patches/*.patch; do
  [ -e "$p" ] || continue
  patch -d "$work" -p1 --batch --forward --quiet <"$p" || { echo "$0: $(basename "$p") does not apply" >&2; exit 1; }
done

gcc_inc=$("${CROSS}gcc" -print-file-name=include)
# The same ABI and code model as libos (libos/libos.mk).  lwIP is not our
# code: warnings are shown but do not fail the build.
CFLAGS=(-std=c11 -O2 -g -ffreestanding -nostdinc -isystem "$sysroot/include" -isystem "$gcc_inc"
        -I"$here/port" -I"$work/src/include"
        -march=armv7-a -mfloat-abi=hard -mfpu=vfpv3-d16 -fno-pic -fno-stack-protector -fno-common
        -fomit-frame-pointer -ffunction-sections -fdata-sections -Wall)

rm -rf "$out"
mkdir -p "$out/obj"
objs=()
for f in "$work"/src/core/*.c "$work"/src/core/ipv4/*.c "$work"/src/core/ipv6/*.c "$work"/src/netif/ethernet.c; do
  o=$out/obj/lwip_$(basename "$f" .c).o
  "${CROSS}gcc" "${CFLAGS[@]}" -c -o "$o" "$f"
  objs+=("$o")
done
"${CROSS}ar" rcs "$out/liblwip.a" "${objs[@]}"
echo "lwip: $(ls "$out"/obj | wc -l) objects, $("${CROSS}size" -t "$out/liblwip.a" | awk 'END { print $1 " text, " $2 " data, " $3 " bss bytes" }')"
