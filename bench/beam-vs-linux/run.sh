#!/usr/bin/env bash
# run.sh - freebeam against Linux+BEAM on the same QEMU (README.md here).
# Every boot runs under the deterministic flags (tools/freebeam run --det and
# the peer's det mode), so each figure is the same on every run.  Prints one
# line per figure:  NAME freebeam=F linux=L linux/freebeam=R  (and a few
# `note` lines); the consoles go to build/bench/beam-vs-linux/logs/.
#
# usage: bench/beam-vs-linux/run.sh        (about 3 minutes on 2 host CPUs)
# env:   TIMEOUT=300 (s per boot)
# The first run fetches the peer's Debian armhf packages (peer.sh; root).
set -u
cd "$(dirname "$0")/../.."
H=bench/beam-vs-linux
BVL=build/bench/beam-vs-linux
L=$BVL/logs
mkdir -p "$L" "$BVL/heap"
T=${TIMEOUT:-300}
IMGS="up ring idle probe shell"
make --no-print-directory $(for i in $IMGS; do echo build/images/bvl-$i.img; done) >&2 ||
  { echo "run.sh: cannot build the images" >&2; exit 1; }
$H/peer.sh prepare || { echo "run.sh: cannot prepare the Linux side" >&2; exit 1; }

fb()    { tools/freebeam run --det "$1" --timeout "$T" --mem "${3:-512}" </dev/null 2>&1 | tr -d '\r' >"$L/$2.log"; }
linux() { local n=$1; shift; $H/peer.sh boot "$@" 2>&1 | tr -d '\r' >"$L/$n.log"; }
val()   { grep -m1 -oE "^$2 [0-9]+" "$L/$1.log" | awk '{print $2}'; }   # val LOG KEY -> N
kv()    { grep -m1 -oE "$2=[0-9-]+" "$L/$1.log" | cut -d= -f2; }       # kv LOG KEY  -> N
line()  { awk -v n="$1" -v f="$2" -v l="$3" -v x="${4:-}" 'BEGIN {
            r = (f > 0 && l != "") ? sprintf("%.2f", l / f) : "NA"
            printf "%s freebeam=%s linux=%s linux/freebeam=%s%s\n", n, f, l, r, (x == "" ? "" : "  # " x) }'; }

# ---- the fixed boots, two at a time (2 host CPUs; guest time does not care) ----
fb build/images/bvl-up.img fb-up & linux lx-up bvl 512 bvlmode=up & wait
fb build/images/bvl-ring.img fb-ring & linux lx-ring peer 512 peermode=bench & wait
fb build/images/bvl-idle.img fb-idle & linux lx-idle bvl 512 bvlmode=idle idlems=5000 & wait
fb build/images/bvl-probe.img fb-probe & linux lx-peerboot peer 512 & wait
fb build/images/bvl-shell.img fb-shell

# ---- boot_to_beam_up_ns: QEMU start (virtual counter 0) to bvl:up/0's first line ----
fb_up=$(val fb-up BEAM_UP)
lx_mono=$(val lx-up BEAM_UP); lx_off=$(kv lx-up offset_ns)
lx_up=$(( lx_mono + lx_off ))
line boot_to_beam_up_ns "$fb_up" "$lx_up" "linux = CLOCK_MONOTONIC $lx_mono + counter lag $lx_off"
echo "note boot_linux_clock_monotonic_only: freebeam=$fb_up linux=$lx_mono (published by the peer: 2111736192; its own initramfs here: $(val lx-peerboot BEAM_MONO_NS))"
# (the shell's line comes after its prompt, "1> BEAM_UP N")
fb_shell=$(grep -m1 -oE "BEAM_UP [0-9]+" "$L/fb-shell.log" | awk '{print $2}')
echo "note boot_to_shell_prompt_ns: freebeam=$fb_shell (the shell image, beam/shell.config: its first prompt)"
echo "note boot_split_freebeam: user_mode_begins_ns=$(kv fb-probe main_ns) (probe image, 16 MiB more to zero) erts_start_to_beam_up_us=$(val fb-up BEAM_VM_ELAPSED_US); linux erts_start_to_beam_up_us=$(val lx-up BEAM_VM_ELAPSED_US)"

# ---- image_bytes: what QEMU loads ----
fb_img=$(stat -c %s build/images/bvl-up.img)
lx_img=$(( $(stat -c %s build/bench-peer/peer/out/vmlinuz) + $(stat -c %s build/bench-peer/peer/out/initrd.min.cpio.gz) ))
line image_bytes "$fb_img" "$lx_img" "linux = vmlinuz + the peer's initrd.min.cpio.gz"

# ---- workloads ----
ring() {  # ring LOG ITER spawn|ring -> ms
  sed -n "s/^RING iter=$2 procs=10000 hops=100000 spawn_us=\([0-9]*\) ring_us=\([0-9]*\).*/\1 \2/p" "$L/$1.log" |
    awk -v w="$3" '{printf "%.3f", (w == "spawn" ? $1 : $2) / 1000}'
}
for i in 1 2 3; do line "ring_100k_hops_ms iter=$i" "$(ring fb-ring $i ring)" "$(ring lx-ring $i ring)"; done
for i in 1 2 3; do line "spawn_10k_ms iter=$i" "$(ring fb-ring $i spawn)" "$(ring lx-ring $i spawn)"; done
line fib24_ms "$(grep -m1 -oE 'FIB n=24 result=46368 us=[0-9]+' $L/fb-ring.log | sed 's/.*=//' | awk '{printf "%.3f", $1/1000}')" \
     "$(grep -m1 -oE 'FIB n=24 result=46368 us=[0-9]+' $L/lx-ring.log | sed 's/.*=//' | awk '{printf "%.3f", $1/1000}')"

# ---- idle_insns_per_s ----
# freebeam: the meter PD's PMU window (5 s) over 5 s.  Linux: /proc/timer_list
# busy time (now - idle_sleeptime, 1 ns = 1 instruction under icount) in the
# sleep window, less what the two reads cost (reads 1 -> 2), over the window.
fb_win=$(kv fb-idle window_insns); fb_wake=$(kv fb-idle wake_insns)
fb_t1=$(kv fb-idle t1_ns); fb_t2=$(kv fb-idle t2_ns)
fb_beam=$(val fb-idle BEAM_UP)
[ -n "$fb_beam" ] && [ -n "$fb_t1" ] && [ "$fb_beam" -lt "$fb_t1" ] || echo "run.sh: the meter window did not start after BEAM_UP" >&2
fb_idle=$(awk -v w="$fb_win" -v a="$fb_t1" -v b="$fb_t2" 'BEGIN {printf "%.0f", w / ((b - a) / 1e9)}')
lx_idle=$(grep -E '^TIMER_LIST' $L/lx-idle.log | awk '{
  split($3, n, "="); split($4, i, "="); now[NR] = n[2]; idl[NR] = i[2] }
  END { busy_reads = (now[2] - now[1]) - (idl[2] - idl[1]); busy = (now[3] - now[2]) - (idl[3] - idl[2]);
        printf "%.0f", (busy - busy_reads) / ((now[3] - now[2]) / 1e9) }')
line idle_insns_per_s "$fb_idle" "$lx_idle" "freebeam: $fb_win instructions in the window, of which the meter's own wake-up is about $fb_wake"

# ---- min_ram_mb ----
# freebeam: up.config with a smaller heap region (MiB), then -m bisected
# for the smallest heap that reaches BEAM_UP.  Linux: the peer's initramfs, -m bisected.
fb_ok_heap() {
  local h=$1 img=$BVL/heap/up-h$1.img
  echo "{include, \"$PWD/$H/up.config\", [{heap, $((h * 1048576))}]}." >"$BVL/heap/up-h$h.config"
  tools/freebeam image "$BVL/heap/up-h$h.config" -o "$img" --kernel build/kernel/kernel.elf \
    --search build/erts --search "$BVL" >/dev/null || return 1
  fb "$img" "fb-heap$h" 512; grep -q '^BEAM_UP' "$L/fb-heap$h.log"
}
fb_ok_mem() { fb "$BVL/heap/up-h$HMIN.img" "fb-heap$HMIN-m$1" "$1"; grep -q '^BEAM_UP' "$L/fb-heap$HMIN-m$1.log"; }
lx_ok_mem() { linux "lx-m$1" peer "$1"; grep -q '^BEAM_UP' "$L/lx-m$1.log"; }
bisect() {  # bisect PRED LO HI: smallest v in (LO, HI] with PRED v true, given PRED LO false, PRED HI true
  local p=$1 lo=$2 hi=$3 mid
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(( (lo + hi) / 2 ))
    if $p $mid; then hi=$mid; else lo=$mid; fi
  done
  echo $hi
}
fb_ok_heap 16 && echo "run.sh: a 16 MiB heap works; lower the bisection" >&2
fb_ok_heap 32 || echo "run.sh: a 32 MiB heap fails" >&2
HMIN=$(bisect fb_ok_heap 16 32)
fb_ok_heap "$HMIN" >/dev/null
# The kernel takes the RAM size from the device tree only from 16 MiB on.
if fb_ok_mem 16; then fb_mem=16; else fb_mem=$(bisect fb_ok_mem 16 "$((HMIN + 32))"); fi
lx_ok_mem 64 && echo "run.sh: Linux reaches Erlang with 64M; lower the bisection" >&2
lx_mem=$(bisect lx_ok_mem 64 96)
line min_ram_mb "$fb_mem" "$lx_mem" "freebeam: heap region $HMIN MiB (up.config has the rest of RAM); -m below ${fb_mem} fails"
echo "note boot_with_heap_${HMIN}mib: freebeam=$(val fb-heap$HMIN BEAM_UP) ns erts_start_to_beam_up_us=$(val fb-heap$HMIN BEAM_VM_ELAPSED_US); heap 32 MiB: $(val fb-heap32 BEAM_UP) ns"

# ---- max_binary_mb: the largest binary (million bytes) erts can make at -m 512 ----
# One boot per size (running out of memory ends the VM on both sides), the
# size bisected in steps of 1 MB.  freebeam: up.config with -s bvl bin and
# BVL_BIN_MB in the environment; its heap is the rest of RAM.  Linux: the
# bvl initramfs with bvlmode=bin binmb=N.
fb_ok_bin() {
  local cfg=$BVL/heap/bin-$1.config
  echo "{include, \"$PWD/$H/up.config\", [{run, [\"-s\", \"bvl\", \"bin\"]}, {more_env, [\"BVL_BIN_MB=$1\"]}]}." >"$cfg"
  tools/freebeam image "$cfg" -o "$BVL/heap/bin.img" --kernel build/kernel/kernel.elf \
    --search build/erts --search "$BVL" >/dev/null || return 1
  fb "$BVL/heap/bin.img" "fb-bin$1" 512; grep -q "^BIN_OK $1 " "$L/fb-bin$1.log"
}
lx_ok_bin() { linux "lx-bin$1" bvl 512 bvlmode=bin "binmb=$1"; grep -q "^BIN_OK $1 " "$L/lx-bin$1.log"; }
fb_ok_bin 64 || echo "run.sh: freebeam cannot make a 64 MB binary at -m 512" >&2
lx_ok_bin 64 || echo "run.sh: Linux cannot make a 64 MB binary at -m 512" >&2
fb_no_bin() { ! fb_ok_bin "$1"; }
lx_no_bin() { ! lx_ok_bin "$1"; }
fb_bin=$(( $(bisect fb_no_bin 64 512) - 1 ))   # the largest size that fits: one below the first that does not
lx_bin=$(( $(bisect lx_no_bin 64 512) - 1 ))
line max_binary_mb "$fb_bin" "$lx_bin" "at -m 512; bigger is better: freebeam/linux=$(awk -v f="$fb_bin" -v l="$lx_bin" 'BEGIN {printf "%.2f", f / l}') (goal >= 0.9)"