# bench.mk - builds the benchmark images (not part of IMAGES: `make images`
# and `make test` do not build them; bench/*/run.sh asks for them).

KIPC := $(B)/pds/kernel-ipc
# The client records the PMU count at its very first instruction (entry.S).
KIPC_CLIENT_LDFLAGS := -Wl,-e,bench_entry
KIPC_ELFS := $(KIPC)/client.elf $(KIPC)/server.elf

$(eval $(call pd_elf,$(KIPC)/client.elf,bench/kernel-ipc/entry.S bench/kernel-ipc/client.c,$(KIPC_CLIENT_LDFLAGS)))
$(eval $(call pd_elf,$(KIPC)/server.elf,bench/kernel-ipc/entry.S bench/kernel-ipc/server.c,$(KIPC_CLIENT_LDFLAGS)))

$(B)/images/kernel-ipc.img: bench/kernel-ipc/kernel-ipc.config $(KIPC_ELFS) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image bench/kernel-ipc/kernel-ipc.config -o $@ --kernel $(B)/kernel/kernel.elf --search $(KIPC)

# ---- the libos benchmark (bench/libos/run.sh): its own fragment ----
-include bench/libos.mk
