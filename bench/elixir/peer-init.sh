#!/bin/sh
# /init of the Linux+BEAM side of bench/elixir (busybox sh): the peer
# baseline's initramfs (../shared/peer, via bench/beam-vs-linux/peer.sh
# derive) plus examples/hello_elixir's mix release at /rel.  It boots the
# release as mix's start script would (boot script, RELEASE_LIB, sys.config,
# vm.args, the RELEASE_* environment Config.Provider reads), with the
# system's erts (the release has include_erts: false, as for freebeam).
# vm.args ends with the benchmark's -eval (run.sh): it prints the time and
# halts.  Then /bin/cntvct prints CLOCK_MONOTONIC's lag behind the virtual
# counter, and the guest powers off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
export RELEASE_ROOT=/rel RELEASE_NAME=hello_elixir RELEASE_VSN=0.1.0
export RELEASE_SYS_CONFIG=/rel/releases/0.1.0/sys
/usr/lib/erlang/bin/erl -noshell -boot /rel/releases/0.1.0/start -boot_var RELEASE_LIB /rel/lib \
  -config /rel/releases/0.1.0/sys -args_file /rel/releases/0.1.0/vm.args
echo "ERL_EXIT rc=$?"
/bin/cntvct
poweroff -f
