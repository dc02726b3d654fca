#!/bin/sh
# /init of the Linux side of bench/storage (busybox sh): the peer baseline's
# initramfs (bench/beam-vs-linux/peer.sh derive) plus the kernel's modules
# for a virtio-blk disk with ext4 (from the same kernel deb, in /mod, loaded
# in dependency order: none of them is built into Debian's armmp kernel) and
# /bench/stbench.beam.  The disk (peer.sh's PEER_DISK) is mounted at /data
# with the default options (data=ordered), erl runs stbench:main/0 with the
# freebeam image's scheduler flags (no busy waiting), /data is unmounted and
# the guest powers off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_mmio virtio_blk crc16 mbcache jbd2 crc32c_generic ext4; do
  /bin/busybox insmod /mod/$m.ko || echo "STB_LINUX insmod $m failed"
done
n=0
while [ ! -b /dev/vda ] && [ $n -lt 50 ]; do /bin/busybox usleep 100000; n=$((n + 1)); done
mkdir -p /data
if mount -t ext4 /dev/vda /data; then
  echo "STB_LINUX mounted $(grep ' /data ' /proc/mounts)"
  echo "STB_LINUX write_cache $(cat /sys/block/vda/queue/write_cache)"
  /usr/lib/erlang/bin/erl -noshell +S 1:1 +SDcpu 1:1 +SDio 1 +A 1 +sbwt none +sbwtdcpu none +sbwtdio none \
    -pa /bench -s stbench main
  echo "ERL_EXIT rc=$?"
  umount /data && echo "STB_LINUX unmounted"
else
  echo "STB_LINUX cannot mount /dev/vda"
fi
poweroff -f
