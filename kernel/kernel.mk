# kernel.mk - builds build/kernel/kernel.elf: every .c and .S under kernel/,
# freestanding, ARM state, no VFP code outside vfp.S.
KERNEL_SRCS := $(wildcard kernel/*.c kernel/arch/armv7/*.c kernel/plat/qemu-virt/*.c) \
               $(wildcard kernel/arch/armv7/*.S)
KERNEL_OBJS := $(patsubst kernel/%,$(B)/kernel/%.o,$(KERNEL_SRCS))
KERNEL_CFLAGS := $(TARGET_CFLAGS) -Ikernel -marm -mgeneral-regs-only \
                 -mno-unaligned-access -fno-builtin
KERNEL_ASFLAGS := -Ikernel -Iinclude -march=armv7-a -mfpu=neon -mfloat-abi=hard

$(B)/kernel/%.c.o: kernel/%.c $(wildcard kernel/*.h kernel/*/*.h kernel/*/*/*.h include/freebeam/*.h)
	@mkdir -p $(dir $@)
	$(TCC) $(KERNEL_CFLAGS) -c $< -o $@

$(B)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(TCC) $(KERNEL_ASFLAGS) -c $< -o $@

$(B)/kernel/kernel.elf: $(KERNEL_OBJS) kernel/kernel.ld
	$(TCC) -nostdlib -static -T kernel/kernel.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	  -Wl,--gc-sections -o $@ $(KERNEL_OBJS) -lgcc

all: $(B)/kernel/kernel.elf

# kernel-prof.elf: the same kernel with the sampling profiler of prof.c,
# a sample every PROF_PERIOD counter ticks (16 instructions each under --det)
# (docs/profiling.md; tested by tests/suites/kernel.sh).
PROF_PERIOD ?= 3125
KERNEL_PROF_OBJS := $(patsubst kernel/%,$(B)/kernel-prof/%.o,$(KERNEL_SRCS))

$(B)/kernel-prof/%.c.o: kernel/%.c $(wildcard kernel/*.h kernel/*/*.h kernel/*/*/*.h include/freebeam/*.h)
	@mkdir -p $(dir $@)
	$(TCC) $(KERNEL_CFLAGS) -DFB_PROFILE=$(PROF_PERIOD)u -c $< -o $@

$(B)/kernel-prof/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(TCC) $(KERNEL_ASFLAGS) -c $< -o $@

$(B)/kernel-prof/kernel.elf: $(KERNEL_PROF_OBJS) kernel/kernel.ld
	$(TCC) -nostdlib -static -T kernel/kernel.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	  -Wl,--gc-sections -o $@ $(KERNEL_PROF_OBJS) -lgcc

all: $(B)/kernel-prof/kernel.elf
