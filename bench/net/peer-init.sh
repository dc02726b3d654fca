#!/bin/sh
# /init of the Linux+BEAM side of bench/net (busybox sh): the peer
# baseline's initramfs (bench/beam-vs-linux/peer.sh derive) plus the
# kernel's virtio-mmio and virtio-net modules (Debian's armmp kernel builds
# them as modules), inets from erlang-inets and the netb application at
# /bench/netb.  eth0 gets the address freebeam's image has (static: no
# DHCP exchange in either guest), then erl runs netb:main/0 as a
# distributed node without epmd, with the freebeam image's scheduler flags
# (no busy waiting); the host's node (netb_host) drives it and halts it.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_mmio failover net_failover virtio_net; do
  busybox insmod "/lib/modules/$m.ko" || echo "NETB_INIT insmod $m failed"
done
busybox ip link set lo up
busybox ip link set eth0 up || echo "NETB_INIT no eth0"
busybox ip addr add 10.0.2.15/24 dev eth0
busybox ip route add default via 10.0.2.2
/usr/lib/erlang/bin/erl -noshell +S 1:1 +SDcpu 1:1 +SDio 1 +A 1 +sbwt none +sbwtdcpu none +sbwtdio none \
  -name netb@127.0.0.2 -setcookie netbench -start_epmd false -erl_epmd_port 4370 -kernel net_ticktime 3600 \
  -pa /bench/netb/ebin -s netb main
echo "ERL_EXIT rc=$?"
poweroff -f
