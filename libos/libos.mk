# libos.mk - the library OS ($(B)/libos/libos.a and the program entry
# $(B)/libos/crt1.o), the rule that links a C program against our musl and
# libos into a PD ELF, and the hello-posix image (in IMAGES).  Included by the top
# Makefile (B, CROSS, TCC, TAR, TGCC_INC) after third_party/third_party.mk
# (MUSL_SYSROOT, MUSL_STAMP, MUSL_LIBC).
#
#   make libos                    build/libos/libos.a + crt1.o (+ musl)
#   make build/images/hello-posix.img
#   make hello-posix-run          boot it; passes if it powers off with 0
#   make posix-files-run          the file system test (archive, tmpfs, /dev, fds)
#   make libos-check              the svc/__sync_/kuser check on the ELF
#
#   $(eval $(call posix_elf,OUT.elf,SOURCES[,EXTRA_CFLAGS[,EXTRA_LDFLAGS]]))
# compiles C sources against build/sysroot and links them (static, with
# libos/program.ld, libc.a, libos.a, libgcc) into a PD ELF.

LIBOS := $(B)/libos/libos.a
LIBOS_CRT1 := $(B)/libos/crt1.o
LIBOS_SRCS := $(filter-out libos/crt1.S,$(wildcard libos/*.c libos/*.S))
LIBOS_OBJS := $(patsubst libos/%,$(B)/libos/obj/%.o,$(LIBOS_SRCS))

LIBOS_ARCH := -march=armv7-a -mfloat-abi=hard -mfpu=vfpv3-d16
# Our musl's headers first, then gcc's own (stdarg.h & co): nothing of the
# host or of Debian's armhf glibc.
LIBOS_INC := -nostdinc -isystem $(MUSL_SYSROOT)/include -isystem $(TGCC_INC)
# -fomit-frame-pointer: r7 carries the kernel call number (include/freebeam/ksvc.h).
# lwIP's headers (third_party/lwip.mk) as system headers: its code, not ours.
LIBOS_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding $(LIBOS_INC) -Iinclude \
  -isystem $(LWIP_PORT) -isystem $(LWIP_SRC)/src/include \
  -isystem $(E2FS_PORT) -isystem $(E2FS_SRC) \
  $(LIBOS_ARCH) -fno-pic -fno-stack-protector -fno-common -fomit-frame-pointer \
  -ffunction-sections -fdata-sections

# libos.a also holds lwIP's objects (build/lwip/obj/lwip_*.o), so that every
# link of libos (erts's too) gets the stack without a change to its command.
$(LIBOS): $(LIBOS_OBJS) $(LWIP_LIB) $(E2FS_LIB)
	@mkdir -p $(@D)
	rm -f $@
	$(TAR) rcs $@ $(LIBOS_OBJS) $(LWIP_OBJ_DIR)/*.o $(E2FS_OBJ_DIR)/*.o

# The socket files include lwIP's headers, which its build fetches.
$(filter $(B)/libos/obj/net_% $(B)/libos/obj/sys_net%,$(LIBOS_OBJS)): $(LWIP_LIB)
# The ext4 files include libext2fs's headers, which its build fetches.
$(filter $(B)/libos/obj/ext4_%,$(LIBOS_OBJS)): $(E2FS_LIB)

# Every libos object needs musl's installed headers.
$(B)/libos/obj/%.c.o: libos/%.c $(MUSL_STAMP)
	@mkdir -p $(@D)
	$(TCC) $(LIBOS_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libos/obj/%.S.o: libos/%.S $(MUSL_STAMP)
	@mkdir -p $(@D)
	$(TCC) $(LIBOS_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBOS_CRT1): libos/crt1.S
	@mkdir -p $(@D)
	$(TCC) $(LIBOS_CFLAGS) -c -o $@ $<

.PHONY: libos
libos: $(LIBOS) $(LIBOS_CRT1)

# ---- POSIX programs as PD ELFs ----
POSIX_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g $(LIBOS_INC) $(LIBOS_ARCH) \
  -fno-pic -fno-stack-protector
POSIX_LDFLAGS := -static -nostdlib -no-pie -T libos/program.ld -Wl,--build-id=none \
  -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack
POSIX_LIBS := -Wl,--start-group $(MUSL_LIBC) $(LIBOS) -lgcc -Wl,--end-group
POSIX_DEPS := $(LIBOS_CRT1) $(LIBOS) $(MUSL_STAMP) libos/program.ld

$(B)/posixobj/%.c.o: %.c $(MUSL_STAMP)
	@mkdir -p $(@D)
	$(TCC) $(POSIX_CFLAGS) $(POSIX_EXTRA_CFLAGS) -MMD -MP -c -o $@ $<

define posix_elf
$(1): $(patsubst %,$(B)/posixobj/%.o,$(2)) $(POSIX_DEPS)
	@mkdir -p $$(@D)
	$(TCC) $(POSIX_CFLAGS) $(3) -o $$@ $(LIBOS_CRT1) $(patsubst %,$(B)/posixobj/%.o,$(2)) \
	  $(POSIX_LDFLAGS) $(4) $(POSIX_LIBS)
endef

# $(call posix_image,NAME,FILES,TIMEOUT): build/images/NAME.img from
# systems/NAME.config and FILES (found in build/posix), in IMAGES, and a
# `NAME-run` target that boots it with TIMEOUT seconds.
define posix_image
$(B)/images/$(1).img: systems/$(1).config $(2) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $$(@D)
	tools/freebeam image systems/$(1).config -o $$@ --kernel $(B)/kernel/kernel.elf --search $(B)/posix
.PHONY: $(1)-run
$(1)-run: $(B)/images/$(1).img
	tools/freebeam run $(B)/images/$(1).img --timeout $(3)
IMAGES += $(B)/images/$(1).img
endef

# ---- hello-posix: the walking skeleton ----
$(eval $(call posix_elf,$(B)/posix/hello.elf,tests/posix/hello.c))
$(eval $(call posix_image,hello-posix,$(B)/posix/hello.elf,30))

.PHONY: libos-check
libos-check: $(B)/posix/hello.elf $(LIBOS)
	CROSS=$(CROSS) libos/check-program.sh $(LIBOS) $(B)/posix/hello.elf

# ---- posix-files: the file system (tests/posix/files.c) ----
# The test archive: a cpio newc archive of tests/posix/files-data (Debian's
# cpio), embedded with .incbin until images carry an archive region.
FILES_DATA := $(shell find tests/posix/files-data 2>/dev/null)
$(B)/posix/files.cpio: $(FILES_DATA)
	@mkdir -p $(@D)
	cd tests/posix/files-data && find . | LC_ALL=C sort | \
	  cpio -o -H newc --quiet --owner=0:0 --reproducible > $(abspath $@).tmp
	mv $@.tmp $@

$(B)/posixobj/files_archive.o: tests/posix/files_archive.S $(B)/posix/files.cpio
	@mkdir -p $(@D)
	$(TCC) $(LIBOS_ARCH) -DARCHIVE='"$(B)/posix/files.cpio"' -c -o $@ $<

$(eval $(call posix_elf,$(B)/posix/files.elf,tests/posix/files.c,,$(B)/posixobj/files_archive.o))
$(B)/posix/files.elf: $(B)/posixobj/files_archive.o

$(eval $(call posix_image,posix-files,$(B)/posix/files.elf,30))

-include $(LIBOS_OBJS:.o=.d)
-include $(shell find $(B)/posixobj -name '*.d' 2>/dev/null)

# ---- posix-ipc: pipes, eventfd, poll/select, identity, limits, processes ----
# tests/posix/ipc.c as a PD (systems/posix-ipc.config); the same source is
# also built for the host by tests/suites/posix.sh.
$(eval $(call posix_elf,$(B)/posix/ipc.elf,tests/posix/ipc.c))

$(eval $(call posix_image,posix-ipc,$(B)/posix/ipc.elf,60))

# ---- posix-symlinks: symbolic links on the tmpfs (tests/posix/symlinks.c) ----
# As posix-ipc: a PD, and the same source built for the host by posix.sh.
$(eval $(call posix_elf,$(B)/posix/symlinks.elf,tests/posix/symlinks.c))
$(eval $(call posix_image,posix-symlinks,$(B)/posix/symlinks.elf,60))

# ---- posix-conformance: tests/posix/conformance.c (threads, TLS, memory, ----
# ---- time, files on the rootfs region and /tmp, pipes, fds, processes)  ----
# The image's `rootfs` region is a cpio newc archive of
# tests/posix/conformance-data (Debian's cpio), which libos mounts at /.
# The same source is also built for the host by tests/suites/posix.sh.
CONFORMANCE_DATA := $(shell find tests/posix/conformance-data 2>/dev/null)
$(B)/posix/conformance.cpio: $(CONFORMANCE_DATA)
	@mkdir -p $(@D)
	cd tests/posix/conformance-data && find . | LC_ALL=C sort | \
	  cpio -o -H newc --quiet --owner=0:0 --reproducible > $(abspath $@).tmp
	mv $@.tmp $@

$(eval $(call posix_elf,$(B)/posix/conformance.elf,tests/posix/conformance.c))

$(eval $(call posix_image,posix-conformance,$(B)/posix/conformance.elf $(B)/posix/conformance.cpio,120))

# ---- posix-net: sockets over the loopback interface (tests/posix/net.c) ----
# The same source is also built for the host by tests/suites/posix.sh.
$(eval $(call posix_elf,$(B)/posix/net.elf,tests/posix/net.c))

$(eval $(call posix_image,posix-net,$(B)/posix/net.elf,60))

# ---- posix-ext4: /data on the disk (tests/posix/ext4.c, tests/suites/storage.sh) ----
$(eval $(call posix_elf,$(B)/posix/ext4.elf,tests/posix/ext4.c tests/posix/ext4_powercut.c tests/posix/ext4_osync.c))
# posix_disk_image NAME ELF: the image of systems/NAME.config, a program with
# the virtio-blk driver PD (its disk is /data); booted by tests/suites/storage.sh.
define posix_disk_image
$(B)/images/$(1).img: systems/$(1).config $(2) $(B)/pds/drivers/blk.elf $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $$(@D)
	tools/freebeam image systems/$(1).config -o $$@ --kernel $(B)/kernel/kernel.elf \
	  --search $(B)/posix --search $(B)/pds/drivers
IMAGES += $(B)/images/$(1).img
endef
$(eval $(call posix_disk_image,posix-ext4,$(B)/posix/ext4.elf))

# ---- posix-links: symbolic and hard links on /data (tests/posix/links.c, storage.sh) ----
$(eval $(call posix_elf,$(B)/posix/links.elf,tests/posix/links.c))
$(eval $(call posix_disk_image,posix-links,$(B)/posix/links.elf))
