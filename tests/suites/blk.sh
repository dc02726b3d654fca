#!/usr/bin/env bash
# blk.sh - the virtio-blk driver PD (drivers/blk, drivers/virtio) end to end:
# boots build/images/blkcheck.img (systems/blkcheck.config: the driver and
# the client systems/blkcheck/blkcheck.c) and checks what both print, and
# the disk image file's bytes on the host afterwards:
#   - a writable disk of 2051 sectors filled with a known pattern, on the
#     legacy transport in slot 30 (after the entropy device), attached with
#     `run --disk`: the client writes sectors 0, 1, 7, 100..107 and the last
#     one, flushes, reads them back, and sees malformed and out-of-range
#     requests refused; then the file holds the client's pattern in exactly
#     those sectors and the old bytes everywhere else;
#   - the same on the modern transport (force-legacy=false) in slot 31
#     (--no-rng);
#   - a device without VIRTIO_BLK_F_FLUSH (raw QEMU arguments after `--`:
#     cache=writethrough, config-wce=off): the driver says durability is not
#     claimed and flushes are answered unsupported; the writes still land;
#   - a read-only disk (`run --disk-ro`): reads give the file's bytes,
#     writes are refused with the read-only status, the file is unchanged;
#   - no disk: the driver says `blk: no virtio-blk device` once and answers
#     every request with the no-device status; the image still powers off.
# Ends with `N passed, N failed`.  BLK_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
img=$B/images/blkcheck.img
make --no-print-directory -s "$img" >/dev/null || { bad "make $img"; finish; }
work=$(mktemp -d $B/blk-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
t=${BLK_TIMEOUT:-60}
SECTORS=2051

# disk.py fill FILE: SECTORS sectors of the host's pattern.
# disk.py verify FILE WRITTEN: the client's pattern (blkcheck.c's pattern())
# in the sectors WRITTEN lists, the host's everywhere else; prints what differs.
cat >"$work/disk.py" <<'PY'
import sys
SECTOR = 512
def host(s): return bytes((s * 29 + i * 3 + 1) & 0xff for i in range(SECTOR))
def client(s): return bytes((s * 131 + i * 7 + 0x5a) & 0xff for i in range(SECTOR))
cmd, path = sys.argv[1], sys.argv[2]
if cmd == "fill":
    n = int(sys.argv[3])
    with open(path, "wb") as f:
        f.write(b"".join(host(s) for s in range(n)))
    sys.exit(0)
data = open(path, "rb").read()
n = len(data) // SECTOR
written = set()
for part in sys.argv[3].split(","):
    a, _, b = part.partition("-")
    a = n - 1 if a == "last" else int(a)
    written.update(range(a, (int(b) if b else a) + 1))
wrong = [s for s in range(n)
         if data[s * SECTOR:(s + 1) * SECTOR] != (client(s) if s in written else host(s))]
if len(data) % SECTOR or wrong:
    print("size %d, sectors that differ: %s" % (len(data), wrong[:20]))
    sys.exit(1)
PY
disk() { python3 "$work/disk.py" "$@"; }
WRITTEN=0,1,7,100-107,last

# boot TAG RUN-ARGS...: the console in $work/TAG.log (CR removed), exit status in $rc.
boot() {
  local tag=$1; shift
  tools/freebeam run "$img" --timeout "$t" "$@" >"$work/$tag.raw" 2>&1; rc=$?
  tr -d '\r' <"$work/$tag.raw" >"$work/$tag.log"
}
has() { grep -aq "$2" "$work/$1.log"; }
result() { grep -a '^blkcheck: [0-9]* passed, [0-9]* failed$' "$work/$1.log"; }
show_failures() { grep -a '^blkcheck: FAIL\|^blk: ' "$work/$1.log" | sed 's/^/     /'; }

# writable TAG WHAT DRIVER-LINE RUN-ARGS...: a writable disk, checked in the guest and in the file.
writable() {
  local tag=$1 what=$2 line=$3; shift 3
  disk fill "$work/$tag.img" $SECTORS
  boot "$tag" "$@"
  check "$what: the image powers off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
  check "$what: the driver's line: $line" eval 'has $tag "^blk: $line"'
  check "$what: the client sees 2051 sectors" eval 'has $tag "^blkcheck: mode writable, capacity 2051 sectors, block size 512"'
  check "$what: all 18 checks of the client pass ($(result "$tag"))" \
    eval '[ "$(result $tag)" = "blkcheck: 18 passed, 0 failed" ]' || show_failures "$tag"
  check "$what: the file holds the written sectors, and nothing else changed" \
    eval 'disk verify "$work/$tag.img" $WRITTEN'
}

writable legacy "legacy, slot 30" \
  "virtio-blk (legacy) in slot 30, irq 78: 2051 sectors of 512 bytes (1025 KiB), block size 512\$" \
  --disk "$work/legacy.img"
check "legacy: flush is claimed" eval 'has legacy "^blkcheck: mode writable.*, flush yes$" && has legacy "^blkcheck: ok   flush$" &&
  has legacy "^blk: flush supported: an acknowledged flush means data on the medium"'

writable modern "modern, slot 31" \
  "virtio-blk (modern) in slot 31, irq 79: 2051 sectors of 512 bytes (1025 KiB), block size 512\$" \
  --no-rng --disk "$work/modern.img" -- -global virtio-mmio.force-legacy=false
check "modern: flush is claimed" eval 'has modern "^blkcheck: ok   flush$"'

writable noflush "no flush feature" "virtio-blk (legacy) in slot 30" -- \
  -drive "if=none,file=$work/noflush.img,format=raw,id=nf,cache=writethrough" \
  -device virtio-blk-device,drive=nf,config-wce=off
check "no flush feature: the driver says durability is not claimed" \
  eval 'has noflush "^blk: the device cannot flush (no VIRTIO_BLK_F_FLUSH): durability NOT claimed"'
check "no flush feature: flush answered unsupported" \
  eval 'has noflush "^blkcheck: ok   flush on a device that cannot: unsupported$"'

# ---- read-only ----
disk fill "$work/ro.img" $SECTORS
sum=$(sha256sum <"$work/ro.img")
want=$(od -An -tx1 -j $((3 * 512)) -N 16 "$work/ro.img" | tr -s ' ' | sed 's/ $//')
boot ro --disk-ro "$work/ro.img"
check "read-only: the image powers off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
check "read-only: the driver says read-only" eval 'has ro "^blk: virtio-blk (legacy) in slot 30, .*, read-only$"'
check "read-only: sector 3 reads as in the file ($want)" eval 'has ro "^blkcheck: sector 3 begins$want$"'
check "read-only: writes refused with the read-only status" \
  eval 'has ro "^blkcheck: ok   write to a read-only disk: read-only$" && has ro "^blkcheck: ok   write of its last sector: read-only$"'
check "read-only: all 17 checks of the client pass ($(result ro))" \
  eval '[ "$(result ro)" = "blkcheck: 17 passed, 0 failed" ]' || show_failures ro
check "read-only: the file is unchanged" eval '[ "$(sha256sum <"$work/ro.img")" = "$sum" ]'

# ---- no disk ----
boot none
check "no disk: the image powers off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
check "no disk: the driver says so once" eval '[ "$(grep -ac "^blk: no virtio-blk device" "$work/none.log")" -eq 1 ]'
check "no disk: requests answered with the no-device status" \
  eval 'has none "^blkcheck: ok   read without a device: no device$" && has none "^blkcheck: ok   flush without a device: no device$"'
check "no disk: all 16 checks of the client pass ($(result none))" \
  eval '[ "$(result none)" = "blkcheck: 16 passed, 0 failed" ]' || show_failures none
finish
