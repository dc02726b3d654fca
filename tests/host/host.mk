# tests/host/host.mk - host unit tests, the libFuzzer target and the
# target-flag check of the pure kernel files.  Included by the top Makefile;
# run by tests/suites/host.sh.
#
# Adding a test: write tests/host/test_NAME.c (it is found by wildcard) and,
# if it links kernel code, a line `test_NAME_SRCS := kernel/x.c ...` below.
# Optional: test_NAME_CFLAGS (e.g. -DHOST_TEST) and test_NAME_LDLIBS.  Each
# test gets its own object directory, so per-test flags never leak.
#
# Targets: host-tests (build/host/test_*), host-fuzz (build/fuzz/fuzz_sysimage
# and its seed corpus build/fuzz/corpus/, build/fuzz/fuzz_cpio and build/fuzz/cpio-corpus/,
# build/fuzz/fuzz_queue and build/fuzz/queue-corpus/, build/fuzz/fuzz_virtq and
# build/fuzz/virtq-corpus/, build/fuzz/fuzz_blkreq and build/fuzz/blkreq-corpus/,
# build/fuzz/fuzz_netdev and build/fuzz/netdev-corpus/, build/fuzz/fuzz_net_addr and
# build/fuzz/net-corpus/, build/fuzz/fuzz_eth_frames and build/fuzz/eth-corpus/,
# build/fuzz/fuzz_jbd2 and build/fuzz/jbd2-corpus/, build/fuzz/fuzz_inflate and
# build/fuzz/inflate-corpus/, build/fuzz/fuzz_release_state and
# build/fuzz/release-corpus/, build/fuzz/fuzz_ext4_mount and build/fuzz/ext4-corpus/),
# host-target-check, host-check (all).

HOSTT_DIR := $(B)/host
HOSTT_CFLAGS := $(HOST_CFLAGS) -Ikernel -Itests/host -fsanitize=address,undefined \
  -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP

HOST_TESTS := $(patsubst tests/host/%.c,%,$(wildcard tests/host/test_*.c))

# Kernel (and helper) sources each test links with, besides its own file.
test_fmt_SRCS := kernel/fmt.c
test_chacha20_SRCS := libos/chacha20.c
test_net_chksum_SRCS := libos/net_chksum.c
test_net_chksum_CFLAGS := -Ithird_party/lwip/port
test_libos_net_addr_SRCS := libos/net_addr.c
test_libos_net_conf_SRCS := libos/net_conf.c
test_libos_net_ifinfo_SRCS := libos/net_ifinfo.c
test_virtio_SRCS := drivers/virtio/virtq.c drivers/virtio/virtio_mmio.c
test_blk_SRCS := drivers/blk/blk_req.c
test_blk_order_SRCS := drivers/blk/blk_order.c
test_blk_inflight_SRCS := libos/blk_inflight.c
test_ext4_crc_SRCS := libos/ext4_crc.c
test_ext4_append_SRCS := libos/ext4_append.c libos/ext4_crc.c tests/host/e2fs_stubs.c
test_jbd2_replay_SRCS := libos/jbd2_replay.c libos/ext4_crc.c
test_release_state_SRCS := libos/release_state.c
test_jbd2_write_SRCS := libos/jbd2_write.c libos/jbd2_held.c libos/jbd2_fresh.c libos/jbd2_replay.c libos/ext4_crc.c
test_netdev_SRCS := drivers/net/netdev.c drivers/virtio/virtq.c
test_inflate_SRCS := kernel/inflate.c
test_inflate_LDLIBS := -lz
test_sysimage_SRCS := kernel/sysimage_check.c kernel/fmt.c tests/host/sysblob.c
test_pdinfo_SRCS := kernel/pdinfo.c kernel/sysimage_check.c kernel/fmt.c tests/host/sysblob.c
# The kernel's pure logic: each test links only what it needs; the ones that
# reach thread.c/ipc.c get the whole set and tests/host/kstubs.c (pds, cur,
# timer_now, power_off, ...).
KLOGIC_SRCS := kernel/tqueue.c kernel/sched.c kernel/timeout.c kernel/futex.c \
  kernel/thread.c kernel/cputime.c kernel/ipc.c kernel/uaccess.c kernel/rights.c tests/host/kstubs.c
test_ksched_SRCS := kernel/tqueue.c kernel/sched.c
test_ktimeout_SRCS := kernel/timeout.c
test_kfutex_SRCS := kernel/tqueue.c kernel/futex.c
test_kthread_SRCS := $(KLOGIC_SRCS)
test_kipc_SRCS := $(KLOGIC_SRCS)
test_krights_SRCS := $(KLOGIC_SRCS)
# pd.c's stop/fault/restart (never pd_load_all): it casts between uint32_t and
# pointers, which is exact on the target only.  pds/npds come from pd.c here.
test_kpd_SRCS := $(KLOGIC_SRCS) kernel/pd.c kernel/protect.c kernel/pdinfo.c kernel/sysimage_check.c kernel/fmt.c \
  kernel/inflate.c
test_kpd_CFLAGS := -Wno-int-to-pointer-cast -Wno-pointer-to-int-cast -DKSTUBS_WITH_PD_C

# lwIP (Debian's, with our patches and lwipopts.h) compiled for the host,
# 8-byte aligned, its memory from malloc so that AddressSanitizer sees a
# freed pcb (lwipopts.h), for the tests of lwIP's own behaviour and of
# libos's sockets over it.
LWIP_HOST_DIR := $(HOSTT_DIR)/lwip-host
LWIP_HOST_CFLAGS := -DMEM_ALIGNMENT=8 -DMEM_LIBC_MALLOC=1 -isystem $(LWIP_PORT) -isystem $(LWIP_SRC)/src/include
LWIP_HOST_TESTS := test_lwip_timewait test_libos_net_tcp
$(foreach t,$(LWIP_HOST_TESTS),$(eval $(t)_SRCS := libos/net_chksum.c))
$(foreach t,$(LWIP_HOST_TESTS),$(eval $(t)_CFLAGS := $(LWIP_HOST_CFLAGS)))

host_objs = $(patsubst %.c,$(HOSTT_DIR)/obj/$(1)/%.o,tests/host/$(1).c $($(1)_SRCS))

define host_test_rule
$(HOSTT_DIR)/obj/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(HOSTCC) $$(HOSTT_CFLAGS) $$($(1)_CFLAGS) -c $$< -o $$@
$(HOSTT_DIR)/$(1): $(call host_objs,$(1))
	$$(HOSTCC) $$(HOSTT_CFLAGS) $$($(1)_CFLAGS) $$^ $$($(1)_LDLIBS) -o $$@
-include $(patsubst %.o,%.d,$(call host_objs,$(1)))
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

$(LWIP_HOST_DIR)/liblwip.a: $(LWIP_LIB)
	rm -rf $(@D) && mkdir -p $(@D)
	for f in $(wildcard $(LWIP_SRC)/src/core/*.c $(LWIP_SRC)/src/core/ipv4/*.c) $(LWIP_SRC)/src/netif/ethernet.c; do \
	  $(HOSTCC) -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all $(LWIP_HOST_CFLAGS) -w \
	    -c $$f -o $(@D)/$$(basename $$f .c).o || exit 1; done
	ar rcs $@ $(@D)/*.o
$(foreach t,$(LWIP_HOST_TESTS),$(call host_objs,$(t))): | $(LWIP_LIB)
$(addprefix $(HOSTT_DIR)/,$(LWIP_HOST_TESTS)): $(LWIP_HOST_DIR)/liblwip.a

# ---- libFuzzer target and its seeds (clang) ----
FUZZ_DIR := $(B)/fuzz
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -Wall -Wextra -Werror -O1 -g -Iinclude -Ikernel -Itests/host \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRCS := tests/fuzz/fuzz_sysimage.c kernel/sysimage_check.c kernel/pdinfo.c kernel/fmt.c tests/host/sysblob.c
SEED_SRCS := tests/fuzz/gen_seeds.c kernel/sysimage_check.c kernel/fmt.c tests/host/sysblob.c
FUZZ_HDRS := $(wildcard include/freebeam/*.h kernel/*.h tests/host/*.h)

$(FUZZ_DIR)/fuzz_sysimage: $(FUZZ_SRCS) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

$(FUZZ_DIR)/gen_seeds: $(SEED_SRCS) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Ikernel -Itests/host $(SEED_SRCS) -o $@

$(FUZZ_DIR)/corpus/.seeded: $(FUZZ_DIR)/gen_seeds
	@mkdir -p $(@D)
	$(FUZZ_DIR)/gen_seeds $(@D)
	@touch $@

# ---- libFuzzer target of libos's cpio reader, seeded with a real archive
# of tests/posix/files-data (Debian's cpio) ----
$(FUZZ_DIR)/fuzz_cpio: tests/fuzz/fuzz_cpio.c libos/cpio.c libos/cpio.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_cpio.c -o $@

$(FUZZ_DIR)/cpio-corpus/.seeded: $(shell find tests/posix/files-data 2>/dev/null)
	@mkdir -p $(@D)
	cd tests/posix/files-data && find . | LC_ALL=C sort | \
	  cpio -o -H newc --quiet --owner=0:0 --reproducible > $(abspath $(@D))/files.cpio
	@touch $@

# ---- libFuzzer target of mounting and using an arbitrary disk at /data
# (tests/fuzz/fuzz_ext4_mount.c): libext2fs's files as third_party/e2fsprogs/
# build.sh selects them for libos, compiled here for the host with the
# sanitizers (the host's linux/types.h gives the __u* types; the bit-array
# bitmaps stand in for the red-black ones, as in libos; AddressSanitizer
# stops at any memory error in them, undefined behaviour is reported in the
# log without stopping the run: it is not our code), seeded with small
# disks the host's mke2fs -d makes (ext4 with and without metadata_csum, ext2) ----
E2FS_HOST_DIR := $(FUZZ_DIR)/e2fs-host
E2FS_HOST_FLAGS := -include linux/types.h -DHAVE___U8 -Dext2fs_blkmap64_rbtree=ext2fs_blkmap64_bitarray \
  -I$(E2FS_PORT) -I$(E2FS_SRC) -I$(E2FS_SRC)/ext2fs -include $(E2FS_PORT)/config.h

$(FUZZ_DIR)/fuzz_ext4_mount: tests/fuzz/fuzz_ext4_mount.c tests/host/e2fs_stubs.c tests/host/e2fs_stubs.h libos/ext4_crc.c libos/ext4_crc.h $(E2FS_LIB)
	rm -rf $(E2FS_HOST_DIR) && mkdir -p $(E2FS_HOST_DIR)
	for f in $(E2FS_SRC)/ext2fs/*.c; do \
	  $(FUZZ_CC) -std=gnu11 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -w $(E2FS_HOST_FLAGS) \
	    -c $$f -o $(E2FS_HOST_DIR)/$$(basename $$f .c).o || exit 1; done
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(E2FS_HOST_FLAGS) tests/fuzz/fuzz_ext4_mount.c tests/host/e2fs_stubs.c libos/ext4_crc.c \
	  $(E2FS_HOST_DIR)/*.o -o $@

# The same files for the host tests that run libos's ext4 code on a real
# file system (test_ext4_append: libos/ext4_append.c), with the tests'
# sanitizers; undefined behaviour in them is reported, not fatal (not our code).
E2FS_TEST_LIB := $(HOSTT_DIR)/e2fs-host/libext2fs.a
$(E2FS_TEST_LIB): $(E2FS_LIB)
	rm -rf $(@D) && mkdir -p $(@D)
	for f in $(E2FS_SRC)/ext2fs/*.c; do \
	  $(HOSTCC) -std=gnu11 -O1 -g -fsanitize=address,undefined -w $(E2FS_HOST_FLAGS) \
	    -c $$f -o $(@D)/$$(basename $$f .c).o || exit 1; done
	ar rcs $@ $(@D)/*.o
test_ext4_append_CFLAGS = $(E2FS_HOST_FLAGS)
$(call host_objs,test_ext4_append): | $(E2FS_LIB)
$(HOSTT_DIR)/test_ext4_append: $(E2FS_TEST_LIB)

$(FUZZ_DIR)/ext4-corpus/.seeded: $(FUZZ_DIR)/fuzz_ext4_mount
	rm -rf $(@D) $(@D).content && mkdir -p $(@D) $(@D).content/sub
	echo hello > $(@D).content/a.txt && head -c 20000 /dev/zero | tr '\0' x > $(@D).content/sub/b.txt
	ln -s a.txt $(@D).content/link
	PATH=$$PATH:/usr/sbin:/sbin mke2fs -q -F -t ext4 -O ^has_journal -b 1024 -N 64 -d $(@D).content $(@D)/ext4 256
	PATH=$$PATH:/usr/sbin:/sbin mke2fs -q -F -t ext4 -O ^has_journal,^metadata_csum -b 1024 -N 32 -d $(@D).content $(@D)/ext4-nocsum 200
	PATH=$$PATH:/usr/sbin:/sbin mke2fs -q -F -t ext2 -b 1024 -N 32 -d $(@D).content $(@D)/ext2 200
	rm -rf $(@D).content
	@touch $@

# ---- libFuzzer target of /data/releases/boot, which release boots
# (libos/release_state.c), seeded with a permanent release and a trial ----
$(FUZZ_DIR)/fuzz_release_state: tests/fuzz/fuzz_release_state.c libos/release_state.c libos/release_state.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_release_state.c libos/release_state.c -o $@

$(FUZZ_DIR)/release-corpus/.seeded:
	@mkdir -p $(@D)
	printf 'permanent 2\ntry 3\n' > $(@D)/trial
	printf 'permanent 1.0.2+b\n' > $(@D)/permanent
	@touch $@

# ---- libFuzzer target of the kernel's DEFLATE decoder (kernel/inflate.c:
# the image's compressed segments and regions), checked against zlib and
# seeded with streams Python's zlib makes (stored, fixed, dynamic blocks) ----
$(FUZZ_DIR)/fuzz_inflate: tests/fuzz/fuzz_inflate.c kernel/inflate.c kernel/inflate.h kernel/lib.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_inflate.c kernel/inflate.c -lz -o $@

$(FUZZ_DIR)/inflate-corpus/.seeded:
	@mkdir -p $(@D)
	python3 -c 'import sys, zlib; \
	  d = {"text": b"the beam process of the kernel " * 40, "bytes": bytes(range(256)) * 3, "one": b"a"}; \
	  [open(sys.argv[1] + "/" + k + str(l) + s, "wb").write(len(v).to_bytes(2, "little") + \
	     (lambda c: c.compress(v) + c.flush())(zlib.compressobj(l, zlib.DEFLATED, -15, 9, st))) \
	   for k, v in d.items() for l in (0, 1, 9) for s, st in (("", zlib.Z_DEFAULT_STRATEGY), ("f", zlib.Z_FIXED))]' $(@D)
	@touch $@

# ---- libFuzzer target of the descriptor queue's consumer side
# (include/freebeam/queue.h), seeded with valid queue pairs ----
QFUZZ_DEPS := tests/fuzz/queue_input.h include/freebeam/queue.h include/freebeam/handshake.h

$(FUZZ_DIR)/fuzz_queue: tests/fuzz/fuzz_queue.c $(QFUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_queue.c -o $@

$(FUZZ_DIR)/gen_queue_seeds: tests/fuzz/gen_queue_seeds.c $(QFUZZ_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) tests/fuzz/gen_queue_seeds.c -o $@

$(FUZZ_DIR)/queue-corpus/.seeded: $(FUZZ_DIR)/gen_queue_seeds
	@mkdir -p $(@D)
	$(FUZZ_DIR)/gen_queue_seeds $(@D)
	@touch $@

# ---- libFuzzer target of the virtqueue's used-ring reader
# (drivers/virtio/virtq.c: what a virtio device writes), seeded with one
# input of zeroes ----
VQFUZZ_DEPS := tests/fuzz/fuzz_virtq.c drivers/virtio/virtq.c drivers/virtio/virtq.h

$(FUZZ_DIR)/fuzz_virtq: $(VQFUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_virtq.c drivers/virtio/virtq.c -o $@

$(FUZZ_DIR)/virtq-corpus/.seeded:
	@mkdir -p $(@D)
	printf '\001\001\100\000\000\000\000\000\000\000\000\001\000\000\001\000\000\040\000\000' > $(@D)/one-round-trip
	@touch $@

# ---- libFuzzer target of the virtio-blk driver's request check
# (drivers/blk/blk_req.c, what a client sends), seeded with one write of
# the last sector of a 2051-sector disk ----
BLKFUZZ_DEPS := tests/fuzz/fuzz_blkreq.c drivers/blk/blk_req.c drivers/blk/blk_req.h drivers/blk/blk_order.c \
  drivers/blk/blk_order.h include/freebeam/blk.h \
  $(QFUZZ_DEPS)

$(FUZZ_DIR)/fuzz_blkreq: $(BLKFUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_blkreq.c drivers/blk/blk_req.c drivers/blk/blk_order.c -o $@

$(FUZZ_DIR)/blkreq-corpus/.seeded:
	@mkdir -p $(@D)
	{ printf '\007\003\010\000\000\000\000\000\000\000\000\001\000\001'; head -c 127 /dev/zero; \
	  printf '\000\000\000\000\030\000\000\000'; head -c 120 /dev/zero; \
	  printf '\002\000\000\000\001\000\000\000\002\010'; head -c 14 /dev/zero; } > $(@D)/one-write

# ---- libFuzzer target of the journal replay (libos/jbd2_replay.c, a
# journal read from the disk), seeded with a valid journal ----
JBD2FUZZ_DEPS := tests/fuzz/fuzz_jbd2.c libos/jbd2_replay.c libos/jbd2_replay.h libos/ext4_crc.c \
  tests/host/jbd2_build.h

$(FUZZ_DIR)/fuzz_jbd2: $(JBD2FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_jbd2.c libos/jbd2_replay.c libos/ext4_crc.c -o $@

$(FUZZ_DIR)/jbd2-corpus/.seeded: tests/fuzz/gen_jbd2_seed.c tests/host/jbd2_build.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) tests/fuzz/gen_jbd2_seed.c -o $(FUZZ_DIR)/gen_jbd2_seed
	$(FUZZ_DIR)/gen_jbd2_seed > $(@D)/two-transactions
	touch $@

# ---- libFuzzer target of libos's socket argument checks (libos/net_addr.c)
# and of FREEBEAM_IPV4 (libos/net_conf.c), netlink requests and ifreqs
# (libos/net_ifinfo.c), seeded with an AF_INET address, an AF_UNSPEC one,
# an int, a static address and an RTM_GETLINK dump request ----
$(FUZZ_DIR)/fuzz_net_addr: tests/fuzz/fuzz_net_addr.c libos/net_addr.c libos/net_addr.h libos/net_conf.c libos/net_conf.h \
  libos/net_ifinfo.c libos/net_ifinfo.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_net_addr.c -o $@

$(FUZZ_DIR)/net-corpus/.seeded:
	@mkdir -p $(@D)
	printf '\002\000\037\220\177\000\000\001\000\000\000\000\000\000\000\000' > $(@D)/inet-127.0.0.1-8080
	printf '\000\000' > $(@D)/unspec
	printf '\001\000\000\000' > $(@D)/int-1
	printf '10.0.2.15/24,10.0.2.2' > $(@D)/ipv4-static
	printf '\024\000\000\000\022\000\001\003\001\000\000\000\000\000\000\000\000\000\000\000' > $(@D)/nl-getlink
	@touch $@

# ---- libFuzzer target of the virtio-net driver's frame path
# (drivers/net/netdev.c: what the device and the client write), seeded with
# a receive, a send and an info request ----
NDFUZZ_SRCS := tests/fuzz/fuzz_netdev.c drivers/net/netdev.c drivers/virtio/virtq.c
NDFUZZ_DEPS := $(NDFUZZ_SRCS) drivers/net/netdev.h drivers/virtio/virtq.h include/freebeam/net.h \
  include/freebeam/queue.h tests/host/netdev_rig.h tests/host/virtq_device.h

$(FUZZ_DIR)/fuzz_netdev: $(NDFUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(NDFUZZ_SRCS) -o $@

$(FUZZ_DIR)/netdev-corpus/.seeded:
	@mkdir -p $(@D)
	printf '\000\000\003\074\000\001\000\000\000\000\000\000\000\003\000\000\000\000\000\000\000\000\000\000\000' > $(@D)/receive
	printf '\001\002\000\000\000\000\000\074\000\000\000\000\000\002\000\000\000\000\000\000\000\001\000\000\000\003\000\000\000\000\000\000\000\000\000\000\000' > $(@D)/send-info
	@touch $@

# ---- libFuzzer target of eth0's frame path: the driver's queue into
# libos/net_eth.c's consumer and lwIP's input (Debian's lwIP compiled for
# the host with our lwipopts.h, 8-byte aligned), seeded with an ARP request,
# a UDP datagram to 7001 and a TCP SYN to 7000 for 10.0.2.15 ----
EFUZZ_LWIP_SRCS = $(wildcard $(LWIP_SRC)/src/core/*.c $(LWIP_SRC)/src/core/ipv4/*.c) $(LWIP_SRC)/src/netif/ethernet.c
EFUZZ_CFLAGS := -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -DMEM_ALIGNMENT=8 \
  -Iinclude -isystem $(LWIP_PORT) -isystem $(LWIP_SRC)/src/include
EFUZZ_DEPS := tests/fuzz/fuzz_eth_frames.c tests/host/libos_host.h libos/net_eth.c libos/net_if.c libos/net_conf.c libos/net_chksum.c \
  libos/net_ifinfo.c libos/net.h include/freebeam/queue.h include/freebeam/net.h $(LWIP_PORT)/lwipopts.h

$(FUZZ_DIR)/fuzz_eth_frames: $(EFUZZ_DEPS) $(LWIP_LIB)
	@mkdir -p $(FUZZ_DIR)/lwip-host
	for f in $(EFUZZ_LWIP_SRCS); do \
	  $(FUZZ_CC) $(EFUZZ_CFLAGS) -fsanitize=fuzzer-no-link -w -c $$f -o $(FUZZ_DIR)/lwip-host/$$(basename $$f .c).o || exit 1; done
	$(FUZZ_CC) $(EFUZZ_CFLAGS) -fsanitize=fuzzer -Wall -Wextra -Werror -Wno-macro-redefined \
	  tests/fuzz/fuzz_eth_frames.c $(FUZZ_DIR)/lwip-host/*.o -o $@

$(FUZZ_DIR)/eth-corpus/.seeded: tests/fuzz/eth_seeds.py
	@mkdir -p $(@D)
	python3 tests/fuzz/eth_seeds.py $(@D)
	@touch $@

# ---- pure kernel files must build with the target flags, and link on
# their own (no libgcc helpers such as __aeabi_uldivmod, no libc) ----
HOST_TCHECK_SRCS := kernel/lib.c kernel/fmt.c kernel/sysimage_check.c kernel/inflate.c
TCHECK_DIR := $(HOSTT_DIR)/target-check
TCHECK_CFLAGS := $(TARGET_CFLAGS) -Ikernel -marm -mgeneral-regs-only -mno-unaligned-access
TCHECK_OBJS := $(patsubst kernel/%.c,$(TCHECK_DIR)/%.o,$(HOST_TCHECK_SRCS))

$(TCHECK_DIR)/%.o: kernel/%.c
	@mkdir -p $(@D)
	$(TCC) $(TCHECK_CFLAGS) -MMD -MP -c $< -o $@
-include $(TCHECK_OBJS:.o=.d)

$(TCHECK_DIR)/all.o: $(TCHECK_OBJS)
	$(TLD) -r -o $@ $^
	@undef=$$($(CROSS)nm -u $@); if [ -n "$$undef" ]; then \
	  echo "target-check: unresolved symbols in $(HOST_TCHECK_SRCS):"; echo "$$undef"; \
	  rm -f $@; exit 1; fi

.PHONY: host-tests host-fuzz host-target-check host-check
host-tests: $(addprefix $(HOSTT_DIR)/,$(HOST_TESTS))
host-fuzz: $(FUZZ_DIR)/fuzz_sysimage $(FUZZ_DIR)/corpus/.seeded $(FUZZ_DIR)/fuzz_cpio \
  $(FUZZ_DIR)/cpio-corpus/.seeded $(FUZZ_DIR)/fuzz_queue $(FUZZ_DIR)/queue-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_virtq $(FUZZ_DIR)/virtq-corpus/.seeded $(FUZZ_DIR)/fuzz_blkreq $(FUZZ_DIR)/blkreq-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_netdev $(FUZZ_DIR)/netdev-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_net_addr $(FUZZ_DIR)/net-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_eth_frames $(FUZZ_DIR)/eth-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_jbd2 $(FUZZ_DIR)/jbd2-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_inflate $(FUZZ_DIR)/inflate-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_release_state $(FUZZ_DIR)/release-corpus/.seeded \
  $(FUZZ_DIR)/fuzz_ext4_mount $(FUZZ_DIR)/ext4-corpus/.seeded
host-target-check: $(TCHECK_DIR)/all.o
host-check: host-tests host-fuzz host-target-check
