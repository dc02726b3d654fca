#!/bin/sh
# /init of the Linux+BEAM side of bench/channels (busybox sh), in an
# initramfs derived from the peer baseline's by bench/beam-vs-linux/peer.sh
# derive: erl runs chport:main/0 (the port round trip), then the guest
# powers off.  erl's scheduler flags are those of the freebeam image
# (no busy wait), so neither side spins while it waits.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
/usr/lib/erlang/bin/erl -noshell +sbwt none +sbwtdcpu none +sbwtdio none -pa /bench -s chport main
echo "ERL_EXIT rc=$?"
poweroff -f
