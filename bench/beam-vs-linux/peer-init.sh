#!/bin/sh
# /init of the Linux+BEAM side of bench/beam-vs-linux (busybox sh), in an
# initramfs made from the peer baseline's (../shared/peer) by peer.sh.
# bvlmode=up|idle on the kernel command line:
#   up    erl runs bvl:up/0: the first line Erlang prints (BEAM_UP <CLOCK_MONOTONIC ns>)
#   idle  erl runs bvl:idle/0 (BEAM_UP, timer:sleep with /proc/timer_list reads around it)
#   bin   erl runs bvl:bin/0: one binary of binmb=N million bytes (BIN_OK N when it fits)
# Then /bin/cntvct prints CLOCK_MONOTONIC's lag behind the virtual counter
# (after erl, so that it costs the boot figure nothing), and the guest
# powers off.  The erl command line is the peer's: erl -noshell ... -pa DIR.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
MODE=up
read cmdline < /proc/cmdline
for a in $cmdline; do
  case "$a" in bvlmode=*) MODE="${a#bvlmode=}";; idlems=*) export IDLE_MS="${a#idlems=}";; binmb=*) export BVL_BIN_MB="${a#binmb=}";; esac
done
/usr/lib/erlang/bin/erl -noshell -pa /bench -s bvl "$MODE"
echo "ERL_EXIT rc=$?"
/bin/cntvct
poweroff -f
