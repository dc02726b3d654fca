# bench/libos.mk - the libos benchmark (bench/libos/run.sh).  Not part of
# IMAGES: `make images` and `make test` never build or run it.
#
#   make build/images/bench-libos.img   bench/libos/bench.c for freebeam (musl + libos)
#   make build/bench-peer/bench-linux   the same source, static, glibc armhf (Linux /init)

BENCH_LIBOS := $(B)/bench/libos

$(eval $(call posix_elf,$(BENCH_LIBOS)/bench-libos.elf,bench/libos/bench.c))
$(B)/posixobj/bench/libos/bench.c.o: POSIX_EXTRA_CFLAGS := -DBENCH_FREEBEAM

$(B)/images/bench-libos.img: bench/libos/bench-libos.config $(BENCH_LIBOS)/bench-libos.elf \
    $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image bench/libos/bench-libos.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(BENCH_LIBOS)

# The Linux build: Debian's cross gcc and its glibc (libc6-dev-armhf-cross),
# with the same code-generation flags as posix_elf so that bench.c's own
# loops are the same instructions on both sides.
$(B)/bench-peer/bench-linux: bench/libos/bench.c
	@mkdir -p $(@D)
	$(TCC) -std=c11 -Wall -Wextra -Werror -O2 -march=armv7-a -mfloat-abi=hard -mfpu=vfpv3-d16 \
	  -static -pthread -o $@ $<
