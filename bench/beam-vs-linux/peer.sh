#!/usr/bin/env bash
# peer.sh - the Linux+BEAM side of bench/beam-vs-linux (README.md there):
# the peer baseline of ../shared/peer (Debian's armhf kernel + busybox +
# erlang-base 25.2.3) rebuilt here and booted in the same QEMU.
#
#   peer.sh prepare           build everything below (idempotent), print nothing on stdout
#   peer.sh derive NAME INIT SRC:DEST...
#                             (after prepare) the peer's initramfs with another /init
#                             and more files, as build/bench-peer/NAME/initrd.cpio.gz
#                             (bvl is one; bench/channels/run.sh makes another)
#   peer.sh boot INITRD MEM_MB APPEND...
#                             boot the kernel with INITRD (peer, bvl or a derived NAME)
#                             and -m MEM_MB, deterministic flags; the console on stdout
#                             (env PEER_QEMU_ARGS: more QEMU arguments, e.g. a NIC;
#                             env PEER_DISK=FILE: FILE attached as a raw virtio-blk
#                             disk, as `tools/freebeam run --disk` does)
#
# Under build/bench-peer/ (shared with bench/libos/linux.sh, which fetches the kernel):
#   debs/            the peer's armhf packages, fetched once with apt-get download
#   peer/            a work copy of the peer's build_initramfs.sh and guest/ (as
#                    its run_peer.sh makes one); its out/initrd.min.cpio.gz is the
#                    peer's own initramfs, /init and all ("peer")
#   bvl/initrd.cpio.gz  the same files with our /init (peer-init.sh), /bench/bvl.beam,
#                    /bench/peer_ring.beam and /bin/cntvct ("bvl")
# Needs root: dpkg -x of device nodes, mknod and cpio of /dev/console (as the peer's).
set -euo pipefail
SELF=$(realpath "$0")
HERE=$(dirname "$SELF")
cd "$HERE/../.."
PEER=${BVL_PEER:-../shared/peer}
W=build/bench-peer
BVL=build/bench/beam-vs-linux
PKGS="busybox-static erlang-base libc6 libtinfo6 zlib1g libstdc++6 libgcc-s1 libsystemd0"

prepare() {
  # The kernel (vmlinuz and its deb) as bench/libos/linux.sh fetches it.
  ls "$W"/debs/linux-image-*-armmp_*_armhf.deb >/dev/null 2>&1 || bench/libos/linux.sh </dev/null >/dev/null 2>&1 || true
  ls "$W"/debs/linux-image-*-armmp_*_armhf.deb >/dev/null 2>&1 ||
    { echo "peer.sh: no kernel deb in $W/debs (bench/libos/linux.sh fetches it)" >&2; exit 1; }
  local p missing=()
  for p in $PKGS; do ls "$W"/debs/${p}_*_armhf.deb >/dev/null 2>&1 || missing+=("$p:armhf"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "peer.sh: apt-get download ${missing[*]}" >&2
    (cd "$W/debs" && apt-get download "${missing[@]}" >&2)
  fi
  # The peer's own initramfs, built by its own script in a work copy.
  mkdir -p "$W/peer/guest"
  cp -f "$PEER/build_initramfs.sh" "$W/peer/"
  cp -f "$PEER/guest/init" "$PEER/guest/peer_ring.erl" "$W/peer/guest/"
  mkdir -p "$W/peer/debs"
  for p in "$W"/debs/*_armhf.deb; do ln -sf "$(realpath "$p")" "$W/peer/debs/"; done
  (cd "$W/peer" && ./build_initramfs.sh >&2)
  # Ours: the peer's files, our /init, the benchmark's .beam files and cntvct.
  make --no-print-directory "$BVL/bvl.beam" "$BVL/peer_ring.beam" >&2
  mkdir -p "$W/bvl"
  if [ ! -s "$W/bvl/cntvct" ] || [ "$HERE/cntvct.c" -nt "$W/bvl/cntvct" ]; then
    arm-linux-gnueabihf-gcc -std=c11 -Wall -Wextra -Werror -O2 -march=armv7-a -mfloat-abi=hard \
      -mfpu=vfpv3-d16 -static -o "$W/bvl/cntvct" "$HERE/cntvct.c"
  fi
  derive bvl "$HERE/peer-init.sh" "$BVL/bvl.beam:/bench/" "$BVL/peer_ring.beam:/bench/" \
    "$W/bvl/cntvct:/bin/cntvct"
}

# derive NAME INIT SRC:DEST...: $W/NAME/initrd.cpio.gz, the peer's initramfs
# (after prepare) with INIT as /init and each SRC copied to DEST (a path in
# the guest; ending in / for a folder; SRC/. copies a folder's contents),
# rebuilt only when an input changed.
derive() {
  local name=$1 init=$2; shift 2
  local out=$W/$name/initrd.cpio.gz f srcs=()
  for f in "$@"; do srcs+=("${f%%:*}"); done
  mkdir -p "$W/$name"
  if [ ! -s "$out" ] || [ -n "$(find "$W/peer/out/initrd.min.cpio" "$init" "${srcs[@]}" "$SELF" \
        -newer "$out" 2>/dev/null)" ]; then
    local st=$W/$name/stage
    rm -rf "$st"; mkdir -p "$st"
    (cd "$st" && cpio --quiet -i -d -m --no-absolute-filenames) <"$W/peer/out/initrd.min.cpio"
    cp "$init" "$st/init"; chmod 755 "$st/init"
    for f in "$@"; do
      local dest=$st${f#*:}
      case $dest in */) mkdir -p "$dest" ;; *) mkdir -p "$(dirname "$dest")" ;; esac
      cp -r "${f%%:*}" "$dest"   # a file, or a folder's contents as SRC/.
    done
    find "$st" -exec touch -h -d @1 {} +
    (cd "$st" && find . | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --reproducible --quiet) >"$W/$name/initrd.cpio"
    gzip -n -9 -c "$W/$name/initrd.cpio" >"$out.tmp" && mv -f "$out.tmp" "$out"
    rm -rf "$st"
  fi
}

boot() {
  local which=$1 mem=$2; shift 2
  local initrd
  case $which in
    peer) initrd=$W/peer/out/initrd.min.cpio.gz ;;
    *)    initrd=$W/$which/initrd.cpio.gz ;;
  esac
  [ -s "$initrd" ] || { echo "peer.sh: no initramfs $initrd (prepare, or derive $which)" >&2; exit 2; }
  # PEER_DISK: the same -drive and -device as tools/freebeam run --disk.
  local disk=()
  [ -z "${PEER_DISK:-}" ] || disk=(-drive "if=none,file=$PEER_DISK,format=raw,id=disk0,cache=writeback"
                                  -device virtio-blk-device,drive=disk0)
  # The peer's det mode (its REPORT.md) plus -nic none, as bench/libos/linux.sh
  # and tools/freebeam run have (QEMU needs a ROM for the default NIC that
  # this host lacks).  PEER_QEMU_ARGS: more QEMU arguments, split on
  # spaces (bench/net gives the peer a virtio-net device with it).
  # shellcheck disable=SC2086
  exec timeout --kill-after=5 "${TIMEOUT:-300}" \
    qemu-system-arm -M virt,dtb-randomness=off -cpu cortex-a15 -m "${mem}M" -nographic -no-reboot -nic none \
      -kernel "$W/peer/out/vmlinuz" -initrd "$initrd" ${disk[@]+"${disk[@]}"} \
      -rtc base=2020-01-01T00:00:00,clock=vm -icount shift=0,sleep=off \
      ${PEER_QEMU_ARGS:-} -append "console=ttyAMA0 quiet panic=-1 $*" </dev/null
}

case ${1:-} in
  prepare) prepare ;;
  derive) shift; [ $# -ge 2 ] || { echo "usage: $0 derive NAME INIT SRC:DEST..." >&2; exit 2; }; derive "$@" ;;
  boot) shift; boot "$@" ;;
  *) echo "usage: $0 prepare | derive NAME INIT SRC:DEST... | boot peer|NAME MEM_MB [APPEND...]" >&2; exit 2 ;;
esac
