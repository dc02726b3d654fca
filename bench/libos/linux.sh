#!/usr/bin/env bash
# linux.sh - boots bench/libos/bench.c (built static against glibc armhf) as
# /init of a minimal initramfs on Debian's armhf kernel, with the peer
# baseline's deterministic QEMU flags, and copies the guest's console to
# stdout.  Used by bench/libos/run.sh; never by `make test`.
#
# Everything it makes is under build/bench-peer/:
#   debs/         linux-image-<version>-armmp (armhf), fetched once with apt-get download
#   vmlinuz       the kernel from it (kept: reruns fetch nothing)
#   bench-linux   the static benchmark (make build/bench-peer/bench-linux)
#   initrd.cpio.gz  /init = bench-linux, /dev/console; reproducible
# Needs root (or sudo) only the first time: dpkg --add-architecture armhf,
# apt-get update and the install of missing host packages.
set -euo pipefail
SELF=$(realpath "$0")
cd "$(dirname "$SELF")/../.."
W=build/bench-peer
mkdir -p "$W"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo

# Host packages: QEMU, the cross compiler and its glibc (static libc.a).
missing=()
for p in qemu-system-arm gcc-arm-linux-gnueabihf libc6-dev-armhf-cross python3 dpkg; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "linux.sh: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Debian's armhf kernel, the peer's: the concrete package behind linux-image-armmp.
if [ ! -s "$W/vmlinuz" ]; then
  if ! ls "$W"/debs/linux-image-*-armmp_*_armhf.deb >/dev/null 2>&1; then
    dpkg --print-foreign-architectures | grep -qx armhf || $SUDO dpkg --add-architecture armhf
    # The armhf index of the security suite may fail to download; main is enough.
    $SUDO apt-get update -q >&2 || true
    kpkg=$(apt-cache depends linux-image-armmp:armhf | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    kpkg=${kpkg%:armhf}
    [ -n "$kpkg" ] || { echo "linux.sh: cannot resolve linux-image-armmp:armhf" >&2; exit 1; }
    mkdir -p "$W/debs"
    (cd "$W/debs" && apt-get download "$kpkg:armhf" >&2)
  fi
  deb=$(ls "$W"/debs/linux-image-*-armmp_*_armhf.deb | head -n 1)
  rm -rf "$W/extract"; mkdir -p "$W/extract"
  dpkg -x "$deb" "$W/extract"
  cp "$W"/extract/boot/vmlinuz-* "$W/vmlinuz.tmp"
  mv "$W/vmlinuz.tmp" "$W/vmlinuz"
  rm -rf "$W/extract"
fi

make --no-print-directory "$W/bench-linux" >&2

# The initramfs: a cpio newc archive written here (no mknod, so no root):
# /dev, /dev/console (c 5 1) and /init.  Fixed mtimes and inode numbers.
if [ ! -s "$W/initrd.cpio.gz" ] || [ "$W/bench-linux" -nt "$W/initrd.cpio.gz" ] ||
   [ "$SELF" -nt "$W/initrd.cpio.gz" ]; then
  python3 - "$W/bench-linux" "$W/initrd.cpio" <<'EOF'
import sys
init, out = sys.argv[1], sys.argv[2]
def entry(ino, name, mode, data=b"", rdev=(0, 0), nlink=1):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, nlink, 1, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0))
    rec = hdr.encode() + name_b
    rec += b"\0" * (-len(rec) % 4)
    rec += data + b"\0" * (-len(data) % 4)
    return rec
blob = b"".join([
    entry(1, "dev", 0o040755, nlink=2),
    entry(2, "dev/console", 0o020600, rdev=(5, 1)),
    entry(3, "init", 0o100755, open(init, "rb").read()),
    entry(0, "TRAILER!!!", 0),
])
blob += b"\0" * (-len(blob) % 512)
open(out, "wb").write(blob)
EOF
  gzip -n -9 -f "$W/initrd.cpio"
fi

# The peer's det mode (../shared/peer/REPORT.md), -m 512M, one CPU, plus
# -nic none as `tools/freebeam run` has: without it QEMU adds a PCI NIC whose
# boot ROM (efi-virtio.rom, ipxe-qemu) Debian only recommends; the guest has
# no driver for it (VIRTIO_PCI is a module), so it only changes PCI probing
# at boot, not the measured loops.
exec timeout --kill-after=5 "${TIMEOUT:-300}" \
  qemu-system-arm -M virt,dtb-randomness=off -cpu cortex-a15 -m 512M -nographic -no-reboot -nic none \
    -kernel "$W/vmlinuz" -initrd "$W/initrd.cpio.gz" \
    -rtc base=2020-01-01T00:00:00,clock=vm -icount shift=0,sleep=off \
    -append 'console=ttyAMA0 quiet panic=-1' </dev/null
