#!/usr/bin/env bash
# third_party/e2fsprogs/build.sh BUILD_DIR
#
# Builds the part of libext2fs that libos's ext4 at /data runs on
# (docs/storage.md): Debian's `e2fsprogs` source package (1.47.0), fetched
# by the build and never committed.  Only the LGPL-2 files of lib/ext2fs
# that we list below are copied to a working tree and compiled; the
# GPL-2-only ones (crc16.*, crc32c*, nls_utf8.c, rbtree.*, kernel-jbd.h)
# are never copied: our own checksums are libos/ext4_crc.c, crc16.h comes
# from port/, the red-black bitmap backend is replaced by the bit array.
# Compiled for ARMv7-A hard-float against our musl's headers with our port
# headers (port/: config.h, ext2fs/ext2_types.h), like lwIP.
#
# libext2fs calls malloc, free, qsort, time and a few more C library
# functions; libos may not call musl's (musl calls libos from inside
# malloc).  Every object's references to those are renamed (objcopy
# --redefine-syms, port/libc.syms) to libos's shims (libos/ext4_libc.c),
# and the build fails if an object still needs a libc function that is not
# on the freestanding list (port/allowed.syms).
#
#   BUILD_DIR/third_party/e2fsprogs-1.47.0/   the unpacked Debian source, never edited
#   BUILD_DIR/third_party/e2fsprogs-work/     our selection of its files (+ generated ext2_err.h)
#   BUILD_DIR/e2fsprogs/obj/e2fs_*.o          one object per compiled file
#   BUILD_DIR/e2fsprogs/libext2fs.a
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
B=$(mkdir -p "${1:?usage: $0 BUILD_DIR}" && cd "$1" && pwd)
VERSION=1.47.0
CROSS=${CROSS:-arm-linux-gnueabihf-}
src=$B/third_party/e2fsprogs-$VERSION
work=$B/third_party/e2fsprogs-work
out=$B/e2fsprogs
sysroot=$B/sysroot

# The files we compile (lib/ext2fs/NAME.c) and the headers they include.
SOURCES="alloc alloc_sb alloc_stats alloc_tables badblocks bb_inode bitmaps bitops blkmap64_ba
  blknum block bmap check_desc closefs csum dblist dblist_dir dirblock dirhash dir_iterate
  expanddir ext_attr extent fallocate fileio freefs gen_bitmap gen_bitmap64 get_num_dirs hashmap
  i_block ind_block inline inline_data inode io_manager link lookup mkdir mmp namei newdir
  openfs orphan punch read_bb rw_bitmaps symlink unlink valid_blk"
HEADERS="bitops.h ext2_ext_attr.h ext2_fs.h ext2_io.h ext2fs.h ext2fsP.h ext3_extents.h
  hashmap.h e2image.h ext4_acl.h bmap64.h"

[ -d "$src" ] || "$here/../apt-source.sh" e2fsprogs "$VERSION" "$src"
[ -d "$sysroot/include" ] || { echo "$0: $sysroot/include missing: build musl first" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/ext2fs" "$work/et"
for f in $SOURCES; do cp "$src/lib/ext2fs/$f.c" "$work/ext2fs/"; done
for f in $HEADERS; do cp "$src/lib/ext2fs/$f" "$work/ext2fs/"; done
cp "$src/lib/et/com_err.h" "$work/et/"
# The error codes (ext2_err.h) from their table, with e2fsprogs' own awk
# script, as its build does.
sed -e 's/@SIZEOF_LONG@/4/' "$src/lib/ext2fs/ext2_err.et.in" >"$work/ext2fs/ext2_err.et"
(cd "$work/ext2fs" && awk -f "$src/lib/et/et_h.awk" outfile=ext2_err.h ext2_err.et)
for p in "$here"/patches/*.patch; do
  [ -e "$p" ] || continue
  patch -d "$work" -p1 --batch --forward --quiet <"$p" || { echo "$0: $(basename "$p") does not apply" >&2; exit 1; }
done

gcc_inc=$("${CROSS}gcc" -print-file-name=include)
# libext2fs is not our code: warnings are shown but do not fail the build.
CFLAGS=(-std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem "$sysroot/include" -isystem "$gcc_inc"
        -I"$here/port" -I"$work" -I"$work/ext2fs" -include "$here/port/config.h"
        -march=armv7-a -mfloat-abi=hard -mfpu=vfpv3-d16 -fno-pic -fno-stack-protector -fno-common
        -fomit-frame-pointer -ffunction-sections -fdata-sections -w)

rm -rf "$out"
mkdir -p "$out/obj"
objs=()
for f in $SOURCES; do
  o=$out/obj/e2fs_$f.o
  "${CROSS}gcc" "${CFLAGS[@]}" -c -o "$o" "$work/ext2fs/$f.c"
  "${CROSS}objcopy" --redefine-syms="$here/port/libc.syms" "$o"
  objs+=("$o")
done
# What the objects still need from outside themselves: their own symbols,
# our shims and checksums, and freestanding string/memory functions only.
"${CROSS}ar" rcs "$out/libext2fs.a" "${objs[@]}"
defined=$("${CROSS}nm" -g --defined-only "${objs[@]}" | awk 'NF == 3 { print $3 }' | sort -u)
needed=$("${CROSS}nm" -g --undefined-only "${objs[@]}" | awk 'NF == 2 { print $2 }' | sort -u)
missing=$(comm -23 <(echo "$needed") <(echo "$defined") | grep -vxF -f <(grep -v '^#' "$here/port/allowed.syms") || true)
if [ -n "$missing" ]; then
  echo "$0: libext2fs needs symbols neither it, our shims nor the freestanding list give:" >&2
  echo "$missing" | sed 's/^/  /' >&2
  exit 1
fi
echo "e2fsprogs: $(ls "$out"/obj | wc -l) objects, $("${CROSS}size" -t "$out/libext2fs.a" | awk 'END { print $1 " text, " $2 " data, " $3 " bss bytes" }')"
