# libfbpd.mk - builds libfbpd ($(B)/libfbpd/libfbpd.a) and gives every PD a
# one-line build: included by the top Makefile, which defines B, TCC, TAR
# and TARGET_CFLAGS.
#
#   $(eval $(call pd_elf,OUT.elf,SOURCES[,EXTRA_LDFLAGS]))
#
# compiles each source (.c or .S) to $(B)/pdobj/<source>.o with header
# dependency tracking and links OUT.elf with libfbpd/pd.ld, libfbpd.a and
# libgcc.

LIBFBPD := $(B)/libfbpd/libfbpd.a
LIBFBPD_SRCS := $(wildcard libfbpd/*.c libfbpd/*.S)
# memcpy and the other routines gcc may call: the kernel's (kernel/lib.c,
# word and halfword copies, tested on the host by test_lib), one copy for both.
LIBFBPD_OBJS := $(patsubst libfbpd/%,$(B)/libfbpd/%.o,$(LIBFBPD_SRCS)) $(B)/libfbpd/kernel-lib.c.o

# -fomit-frame-pointer: r7 carries the kernel call number (include/freebeam/ksvc.h);
# PDs get it too, since they inline the calls of include/freebeam/kcall.h.
# -fno-tree-loop-distribute-patterns: memcpy must not become a call to memcpy.
LIBFBPD_CFLAGS := $(TARGET_CFLAGS) -fomit-frame-pointer -fno-tree-loop-distribute-patterns
PD_CFLAGS := $(TARGET_CFLAGS) -fomit-frame-pointer
PD_LDFLAGS := -nostdlib -static -T libfbpd/pd.ld -Wl,--build-id=none \
  -Wl,-z,max-page-size=4096 -Wl,--gc-sections
PD_LIBS := $(LIBFBPD) -lgcc

$(LIBFBPD): $(LIBFBPD_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(TAR) rcs $@ $^

$(B)/libfbpd/%.c.o: libfbpd/%.c
	@mkdir -p $(@D)
	$(TCC) $(LIBFBPD_CFLAGS) -MMD -MP -c -o $@ $<

# -mno-unaligned-access, as for the kernel: gcc would merge the halfword
# copies into unaligned words, which fault on device memory.
$(B)/libfbpd/kernel-lib.c.o: kernel/lib.c
	@mkdir -p $(@D)
	$(TCC) $(LIBFBPD_CFLAGS) -mno-unaligned-access -MMD -MP -c -o $@ $<

$(B)/libfbpd/%.S.o: libfbpd/%.S
	@mkdir -p $(@D)
	$(TCC) $(LIBFBPD_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/pdobj/%.c.o: %.c
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/pdobj/%.S.o: %.S
	@mkdir -p $(@D)
	$(TCC) $(PD_CFLAGS) -MMD -MP -c -o $@ $<

define pd_elf
$(1): $(patsubst %,$(B)/pdobj/%.o,$(2)) $(LIBFBPD) libfbpd/pd.ld
	@mkdir -p $$(@D)
	$(TCC) $(PD_CFLAGS) -o $$@ $(patsubst %,$(B)/pdobj/%.o,$(2)) $(PD_LDFLAGS) $(3) $(PD_LIBS)
endef

-include $(LIBFBPD_OBJS:.o=.d)
-include $(shell find $(B)/pdobj -name '*.d' 2>/dev/null)
