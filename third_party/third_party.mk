# third_party.mk - third-party sources, fetched from Debian source packages
# by the build (never committed) and built with our small replacement
# files.  Included by the top Makefile, which defines B and CROSS.  Not in
# `all` yet.
#
#   make musl         build/sysroot/{include,lib}: musl 1.2.3, static, for
#                     ARMv7-A hard-float, its syscalls calling libos
#   make musl-check   re-run the no-svc/no-kuser check on libc.a

MUSL_SYSROOT := $(B)/sysroot
MUSL_STAMP := $(B)/third_party/musl.stamp
MUSL_LIBC := $(MUSL_SYSROOT)/lib/libc.a
MUSL_OURS := third_party/apt-source.sh $(shell find third_party/musl -type f 2>/dev/null)

$(MUSL_STAMP): $(MUSL_OURS)
	@rm -f $@
	CROSS=$(CROSS) third_party/musl/build.sh $(B)
	@touch $@

# The sysroot's files are made by the stamp's recipe.
$(MUSL_LIBC) $(MUSL_SYSROOT)/include/bits/syscall.h: $(MUSL_STAMP)

.PHONY: musl musl-check
musl: $(MUSL_STAMP)
musl-check: $(MUSL_STAMP)
	CROSS=$(CROSS) third_party/musl/check.sh $(MUSL_LIBC)

# lwIP 2.1.3 (Debian's `lwip`), the TCP/IP stack of libos's sockets
# (third_party/lwip/build.sh, docs/networking.md): its objects go into
# libos.a (libos/libos.mk).
#
#   make lwip         build/lwip/liblwip.a (+ the Debian source, fetched once)
# The patched working copy, whose headers libos's socket files include.
LWIP_SRC := $(B)/third_party/lwip-work
LWIP_PORT := third_party/lwip/port
LWIP_LIB := $(B)/lwip/liblwip.a
LWIP_OBJ_DIR := $(B)/lwip/obj
LWIP_OURS := third_party/apt-source.sh $(shell find third_party/lwip -type f 2>/dev/null)

$(LWIP_LIB): $(LWIP_OURS) $(MUSL_STAMP)
	CROSS=$(CROSS) third_party/lwip/build.sh $(B)

.PHONY: lwip
lwip: $(LWIP_LIB)

# libext2fs from Debian's e2fsprogs 1.47.0, the ext4 of /data
# (third_party/e2fsprogs/build.sh, docs/storage.md): its objects go into
# libos.a (libos/libos.mk), next to libos's ext4_*.c.
#
#   make e2fsprogs    build/e2fsprogs/libext2fs.a (+ the Debian source, fetched once)
E2FS_SRC := $(B)/third_party/e2fsprogs-work
E2FS_PORT := third_party/e2fsprogs/port
E2FS_LIB := $(B)/e2fsprogs/libext2fs.a
E2FS_OBJ_DIR := $(B)/e2fsprogs/obj
E2FS_OURS := third_party/apt-source.sh $(shell find third_party/e2fsprogs -type f 2>/dev/null)

$(E2FS_LIB): $(E2FS_OURS) $(MUSL_STAMP)
	CROSS=$(CROSS) third_party/e2fsprogs/build.sh $(B)

.PHONY: e2fsprogs
e2fsprogs: $(E2FS_LIB)
