#!/usr/bin/env bash
# kernel.sh - system tests of the kernel's API edge cases and error paths,
# booted in QEMU: kapi.img (every check prints `ok - ...`; the image powers
# off 0 only if none failed), nomonitor.img (a fault with no monitor must be
# reported and end the machine with 139), heldfault.img (a fault while the
# monitor is stopped is held for it, not the end of the machine), guard.img
# built with --compress (and once more with a broken deflate stream, which
# the kernel must refuse) and images whose system blob was
# corrupted here (the kernel must refuse them: `kernel panic: image: ...`,
# exit 255).  Ends with the line `N passed, N failed`; exits 0 only if none
# failed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
IMGDIR=${IMGDIR:-$B/images}
TIMEOUT=${TIMEOUT:-60}


TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# boot IMAGE: runs it, leaves the console in $TMP/log and the status in $rc.
boot() {
  tools/freebeam run "$1" --timeout "$TIMEOUT" </dev/null 2>&1 | tr -d '\r' >"$TMP/log"
  rc=${PIPESTATUS[0]}
  sed "s/^/  | /" "$TMP/log"
}
has() { grep -Eq -- "$1" "$TMP/log"; }

# ---- kapi: the kernel API's edge cases, checked from inside ----
img=$IMGDIR/kapi.img
if [ -f "$img" ]; then
  boot "$img"
  verdict "kapi: exit status 0 (got $rc)" $((rc != 0))
  has '^kapi: [1-9][0-9]* passed, 0 failed$'; verdict "kapi: summary line with 0 failed" $?
  ! has '^not ok'; verdict "kapi: no 'not ok' line" $?
  n=$(grep -c '^ok - ' "$TMP/log")
  echo "  kapi: $n checks passed"
else
  verdict "kapi: $img exists" 1
fi

# boot_expect NAME STATUS: boots NAME.img and checks its exit status;
# fails (and says so) if the image is missing.
boot_expect() {
  local img=$IMGDIR/$1.img
  [ -f "$img" ] || { verdict "$1: $img exists" 1; return 1; }
  boot "$img"
  verdict "$1: exit status $2 (got $rc)" $((rc != $2))
}

# ---- nomonitor: a fault with nobody to hear it ends the machine ----
if boot_expect nomonitor 139; then
  has '^fault: pd nomonitor thread [0-9]+: data abort at 0x00000000, pc 0x[0-9a-f]{8}, status 0x[0-9a-f]+; no monitor: power off$'
  verdict "nomonitor: fault line" $?
fi

# ---- heldfault: a fault while the monitor is stopped waits for it ----
if boot_expect heldfault 0; then
  has '^pd leaf stopped \(data abort, status [0-9]+\) while its monitor mid is not running: held for it$'
  verdict "heldfault: the kernel holds leaf's record for mid" $?
  has '^mid: fault of pd 2: kind 1 addr 0x00000000$'; verdict "heldfault: mid's first event after its restart is leaf's fault" $?
fi

# ---- guard: PROTECT makes a page read-only, then inaccessible; both fault ----
if boot_expect guard 0; then
  has '^guard: W\|X -22, writable text -1, unaligned -22$'; verdict "guard: PROTECT refuses W|X, more than the mapping, unaligned" $?
  has '^guard: fault 1: kind 1 addr 0x[0-9a-f]{5}001$'; verdict "guard: a store to the read-only page faults there" $?
  has '^guard: fault 2: kind 1 addr 0x[0-9a-f]{5}002$'; verdict "guard: a load from the page without access faults there" $?
  [ "$(grep -c '^guard: run [12] wrote its page' "$TMP/log")" = 2 ]
  verdict "guard: after the restart the page is writable again" $?
fi

# ---- compressed images (tools/freebeam image --compress): the kernel inflates
# each PD's deflated segments at boot, a writable one again at each restart ----
# zsegs IMG [break]: the number of deflated PD segments (FB_PF_DEFLATE) in
# IMG; with `break`, their first byte is made a block of the reserved type 3
# (in place).
zsegs() {
  python3 - "$@" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
phoff, = struct.unpack_from("<I", data, 28)
phnum, = struct.unpack_from("<H", data, 44)
blob = [struct.unpack_from("<II", data, phoff + i * 32) for i in range(phnum)]
blob = [off for typ, off in blob if typ == 1][-1]
n_pds, pds_off = struct.unpack_from("<II", data, blob + 12)
count = 0
for i in range(n_pds):
    elf = blob + struct.unpack_from("<I", data, blob + pds_off + 40 * i + 4)[0]
    ph, = struct.unpack_from("<I", data, elf + 28)
    n, = struct.unpack_from("<H", data, elf + 44)
    for k in range(n):
        typ, off = struct.unpack_from("<II", data, elf + ph + 32 * k)
        flags, = struct.unpack_from("<I", data, elf + ph + 32 * k + 24)
        if typ == 1 and flags & 0x00100000:
            count += 1
            if sys.argv[2:] == ["break"]:
                data[elf + off] = 0x07        # BFINAL 1, BTYPE 3
if sys.argv[2:] == ["break"]:
    open(path, "wb").write(data)
print(count)
PY
}
if tools/freebeam image systems/guard.config -o "$TMP/guard-z.img" --kernel $B/kernel/kernel.elf \
     --search $B/pds/guard --compress >/dev/null; then
  n=$(zsegs "$TMP/guard-z.img")
  verdict "compressed guard.img: deflated segments in it ($n)" $((n < 2))
  boot "$TMP/guard-z.img"
  verdict "compressed guard.img: exit status 0 (got $rc)" $((rc != 0))
  [ "$(grep -c '^guard: run [12] wrote its page' "$TMP/log")" = 2 ]
  verdict "compressed guard.img: both runs, before and after the restart" $?
  if [ "$(zsegs "$TMP/guard-z.img" break)" -ge 1 ]; then
    boot "$TMP/guard-z.img"
    verdict "broken deflated segment: exit status 255 (got $rc)" $((rc != 255))
    has '^kernel panic: pd [a-z]+: compressed ELF segment at 0x[0-9a-f]+: a block of the reserved type 3$'
    verdict "broken deflated segment: 'kernel panic: pd ...: compressed ELF segment ...' line" $?
    ! has '^guard: '; verdict "broken deflated segment: no PD ran" $?
  else
    verdict "broken deflated segment: break one in the image" 1
  fi
else
  verdict "compressed guard.img: tools/freebeam image --compress" 1
fi

# ---- the profiling kernel (docs/profiling.md): samples that name functions ----
if tools/freebeam image systems/threads.config -o "$TMP/prof.img" --kernel $B/kernel-prof/kernel.elf \
     --search $B/pds/threads >/dev/null; then
  tools/freebeam run --det "$TMP/prof.img" --timeout "$TIMEOUT" </dev/null 2>&1 | tr -d '\r' >"$TMP/log"
  rc=${PIPESTATUS[0]}
  verdict "prof: threads.img under the profiling kernel exits 0 (got $rc)" $((rc != 0))
  has '^prof: period [0-9]+ ticks, [1-9][0-9]* samples, 0 dropped$'; verdict "prof: samples counted" $?
  tools/profile/report.py "$TMP/log" --elf threads=$B/pds/threads/threads.elf --top 3 >"$TMP/report"
  sed "s/^/  | /" "$TMP/report"
  grep -Eq '^ *[0-9.]+% +[0-9.]+% +[0-9]+  threads: worker$' "$TMP/report"
  verdict "prof: report.py names the threads demo's worker among the top 3" $?
else
  verdict "prof: an image with $B/kernel-prof/kernel.elf" 1
fi

# ---- malformed system blobs: the kernel must refuse them ----
# corrupt IN OUT FIELD VALUE: copy IN to OUT with one header word of the
# system blob (the image ELF's last PT_LOAD segment) replaced.
corrupt() {
  python3 - "$@" <<'PY'
import struct, sys
src, dst, field, value = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 0)
words = ["magic", "version", "total_len", "n_pds", "pds_off"]
data = bytearray(open(src, "rb").read())
assert data[:4] == b"\x7fELF" and data[4] == 1 and data[5] == 1, "not an ELF32 LSB file"
phoff, = struct.unpack_from("<I", data, 28)
phentsize, phnum = struct.unpack_from("<HH", data, 42)
loads = []
for i in range(phnum):
    p_type, p_offset = struct.unpack_from("<II", data, phoff + i * phentsize)
    if p_type == 1:
        loads.append(p_offset)
blob = loads[-1]
magic, = struct.unpack_from("<I", data, blob)
assert magic == 0x59534246, "last PT_LOAD is not the system blob (magic %#x)" % magic
struct.pack_into("<I", data, blob + 4 * words.index(field), value & 0xffffffff)
open(dst, "wb").write(data)
PY
}

base=$IMGDIR/nomonitor.img
if [ -f "$base" ]; then
  for spec in "version 99" "pds_off 0x7ffffff0" "n_pds 0" "magic 0x12345678"; do
    set -- $spec
    bad=$TMP/bad-$1.img
    if corrupt "$base" "$bad" "$1" "$2"; then
      boot "$bad"
      verdict "blob with $1 = $2: exit status 255 (got $rc)" $((rc != 255))
      has '^kernel panic: image: '; verdict "blob with $1 = $2: 'kernel panic: image: ...' line" $?
      ! has '^nomonitor: '; verdict "blob with $1 = $2: no PD ran" $?
    else
      verdict "blob with $1 = $2: corrupt the image" 1
    fi
  done
else
  verdict "malformed blobs: $base exists" 1
fi

finish
