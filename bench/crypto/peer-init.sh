#!/bin/sh
# /init of the Linux+BEAM side of bench/crypto (busybox sh): the peer
# baseline's initramfs (bench/beam-vs-linux/peer.sh derive) plus Debian's
# armhf erlang-crypto, erlang-asn1, erlang-public-key, erlang-ssl and
# libssl3 (OpenSSL's libcrypto.so.3, which crypto.so links against) and
# /bench/cbench.beam, cbench_certs.beam.  Runs cbench:run/0 with the peer's
# erl command line, then powers off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
/bin/busybox ip link set lo up     # the handshakes go over loopback
/usr/lib/erlang/bin/erl -noshell -pa /bench -s cbench run
echo "ERL_EXIT rc=$?"
poweroff -f
