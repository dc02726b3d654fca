#!/usr/bin/env bash
# run.sh - issue 15's storage figures (README.md here): ext4 on /data on
# freebeam (libext2fs inside libos, the virtio-blk driver PD) against ext4 on
# the Linux+BEAM peer of bench/beam-vs-linux, both on a virtio-blk disk of
# the same QEMU, both deterministic, the same Erlang module (stbench.erl) on
# both.  Two runs, each on fresh disks.  Prints per run
#   fsync_write_4k_insns run=N freebeam=F linux=L linux/freebeam=R
#   seq_write_mb_per_s run=N ...      (MB = 10^6 bytes; bigger is better)
#   seq_read_mb_per_s run=N ...
#   dets_insert_insns run=N ...
#   seq_write_busy_mb_per_s run=N ...   the same bytes over busy time only
#   seq_read_busy_mb_per_s run=N ...    (instructions): repeatable, README.md
# then `note` lines (the split of each figure, how far the runs are apart,
# e2fsck of the disks).  The consoles go to build/bench/storage/logs/.
# Exits non-zero if a boot failed or a figure is missing.  Not part of `make test`.
# env: TIMEOUT=600 (s per boot), BVL_PEER (the peer baseline, peer.sh),
#      STB_IMAGE=FILE: boot FILE (an image of the same description built in
#      another tree) instead of building build/images/storage.img
set -u
cd "$(dirname "$0")/../.."
S=build/bench/storage
L=$S/logs
PEER=bench/beam-vs-linux/peer.sh
T=${TIMEOUT:-600}
MODS="virtio_mmio virtio_blk crc16 mbcache jbd2 crc32c_generic ext4"
export PATH=$PATH:/usr/sbin:/sbin
fail() { echo "run.sh: $*" >&2; exit 1; }
mkdir -p "$L" || fail "cannot make $L"

# ---- the two sides ----
IMG=${STB_IMAGE:-build/images/storage.img}
make --no-print-directory "$S/stbench/ebin/stbench.app" $([ -n "${STB_IMAGE:-}" ] || echo "$IMG") >&2 &&
  [ -s "$IMG" ] || fail "cannot build $IMG"
$PEER prepare >&2 || fail "cannot prepare the Linux side"
# The kernel's modules for the disk and ext4, from the peer's kernel deb.
kdeb=$(ls build/bench-peer/debs/linux-image-*-armmp_*_armhf.deb | head -n 1)
if [ ! -s "$S/linux/mod/ext4.ko" ] || [ "$kdeb" -nt "$S/linux/mod/ext4.ko" ]; then
  rm -rf "$S/linux" && mkdir -p "$S/linux/deb" "$S/linux/mod" && dpkg -x "$kdeb" "$S/linux/deb" || fail "dpkg -x $kdeb"
  for m in $MODS; do
    f=$(find "$S/linux/deb/lib/modules" -name "$m.ko" | head -n 1)
    [ -n "$f" ] || fail "no $m.ko in $kdeb"
    cp "$f" "$S/linux/mod/"
  done
  rm -rf "$S/linux/deb"
fi
$PEER derive storage bench/storage/peer-init.sh "$S/stbench/ebin/stbench.beam:/bench/" "$S/linux/mod/.:/mod/" >&2 ||
  fail "cannot derive the Linux initramfs"

# ---- two runs, each on fresh disks made the same way (tools/freebeam disk --ext4) ----
# The deterministic flags of both sides, but for QEMU's icount sleep=on
# (README.md, "Clocks"): with sleep=off the guest clock jumps to the next
# timer deadline whenever the CPU waits for the disk.  QEMU merges a second
# -icount into the first.
SLEEP=(-icount shift=0,sleep=on)
fresh() { rm -f "$1" && tools/freebeam disk --size 256M --ext4 "$1" >/dev/null 2>&1 || fail "cannot make $1"; }
for r in 1 2; do
  fresh "$S/fb-$r.disk"; fresh "$S/lx-$r.disk"
  tools/freebeam run --det "$IMG" --disk "$S/fb-$r.disk" --timeout "$T" -- "${SLEEP[@]}" </dev/null 2>&1 |
    tr -d '\r' >"$L/freebeam-$r.log" &
  PEER_QEMU_ARGS="${SLEEP[*]}" PEER_DISK=$S/lx-$r.disk TIMEOUT=$T $PEER boot storage 512 2>&1 | tr -d '\r' >"$L/linux-$r.log" &
  wait
done

# ---- the figures ----
status=0
# kv SIDE RUN STEP KEY -> the value of KEY= on the STB STEP line
kv() { grep -m1 -E "^STB $3[ =]" "$L/$1-$2.log" | grep -oE " $4=[0-9]+" | cut -d= -f2; }
for s in freebeam linux; do for r in 1 2; do
  grep -q '^STB done$' "$L/$s-$r.log" || { echo "run.sh: $s run $r did not finish ($L/$s-$r.log)" >&2; status=1; }
done; done
# fig NAME STEP RUN: the figure of one run on each side (empty if missing)
fig() {
  local s v
  for s in freebeam linux; do
    case $1 in
      fsync_write_4k_insns|dets_insert_insns)
        v=$(awk -v i="$(kv $s $3 $2 insns)" -v n="$(kv $s $3 $2 n)" 'BEGIN { if (n > 0) printf "%.0f", i / n }') ;;
      *_busy_mb_per_s)   # busy time only: an instruction is a nanosecond (README.md, "Clocks")
        v=$(awk -v b="$(kv $s $3 $2 bytes)" -v i="$(kv $s $3 $2 insns)" 'BEGIN { if (i > 0) printf "%.2f", b / 1e6 / (i / 1e9) }') ;;
      *) v=$(awk -v b="$(kv $s $3 $2 bytes)" -v t="$(kv $s $3 $2 ns)" 'BEGIN { if (t > 0) printf "%.2f", b / 1e6 / (t / 1e9) }') ;;
    esac
    printf '%s ' "${v:-}"
  done
}
line() {  # line NAME RUN F L BIGGER-IS-BETTER
  awk -v n="$1" -v r="$2" -v f="$3" -v l="$4" -v big="$5" 'BEGIN {
    if (f == "" || l == "") { printf "%s run=%s freebeam=%s linux=%s linux/freebeam=NA\n", n, r, f, l; exit 1 }
    printf "%s run=%s freebeam=%s linux=%s linux/freebeam=%.2f", n, r, f, l, l / f
    if (big) printf "  # bigger is better: freebeam/linux=%.2f", f / l
    printf "\n" }' || status=1
}
declare -A F
for r in 1 2; do
  for x in "fsync_write_4k_insns fsync_write_4k 0" "seq_write_mb_per_s seq_write 1" "seq_read_mb_per_s seq_read 1" \
           "dets_insert_insns dets_insert 0" "seq_write_busy_mb_per_s seq_write 1" "seq_read_busy_mb_per_s seq_read 1"; do
    set -- $x
    read -r f l <<<"$(fig "$1" "$2" "$r")"
    F[$1-$r]="${f:-} ${l:-}"
    line "$1" "$r" "${f:-}" "${l:-}" "$3"
  done
done

# ---- notes: the split of each figure, the two runs apart, the disks ----
for r in 1 2; do
  for s in freebeam linux; do
    echo "note run=$r $s: meter=$(grep -m1 -oE '^STB meter=[a-z]+' "$L/$s-$r.log" | cut -d= -f2)" \
      "overhead_insns=$(kv $s $r meter overhead_insns)" \
      "fsync_ns_per_op=$(awk -v t="$(kv $s $r fsync_write_4k ns)" -v n="$(kv $s $r fsync_write_4k n)" 'BEGIN { if (n > 0) printf "%.0f", t / n }')" \
      "seq_write_insns=$(kv $s $r seq_write insns) seq_write_ns=$(kv $s $r seq_write ns)" \
      "seq_read_insns=$(kv $s $r seq_read insns) seq_read_ns=$(kv $s $r seq_read ns)" \
      "read_cache=$(grep -m1 -oE '^STB seq_read .* cache=[a-z]+' "$L/$s-$r.log" | grep -oE '[a-z]+$')" \
      "dets_insert_only_insns=$(kv $s $r dets_insert insert_insns) dets_sync_insns=$(kv $s $r dets_insert sync_insns)"
  done
done
for r in 1 2; do   # Linux's disk requests in the windows of fsync_write_4k, seq_write and seq_read, in order
  grep '^STB linux_vda ' "$L/linux-$r.log" | sed 's/^STB linux_vda //' |
    paste -sd '|' | awk -F'|' -v r="$r" '{ printf "note run=%s linux_disk_requests: fsync_write_4k(64): %s | seq_write: %s | seq_read: %s\n", r, $1, $2, $3 }'
done
for n in fsync_write_4k_insns seq_write_mb_per_s seq_read_mb_per_s dets_insert_insns seq_write_busy_mb_per_s \
         seq_read_busy_mb_per_s; do
  read -r f1 l1 <<<"${F[$n-1]}"; read -r f2 l2 <<<"${F[$n-2]}"
  awk -v n="$n" -v f1="$f1" -v f2="$f2" -v l1="$l1" -v l2="$l2" 'function d(a, b) { return (a > 0) ? sprintf("%.2f%%", 100 * (b - a) / a) : "NA" }
    BEGIN { printf "note runs_apart %s: freebeam run2-run1=%s linux run2-run1=%s\n", n, d(f1, f2), d(l1, l2) }'
done
for s in fb lx; do for r in 1 2; do
  if e2fsck -fn "$S/$s-$r.disk" >"$L/fsck-$s-$r.log" 2>&1; then c=clean; else c="NOT clean ($L/fsck-$s-$r.log)"; status=1; fi
  echo "note e2fsck -fn $s-$r.disk: $c"
done; done
echo "note tree: $(git log --oneline -1 | cut -c1-70)"
exit $status
