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

# ---- freebeam against Linux+BEAM (bench/beam-vs-linux/run.sh, README.md there) ----
# The workload is the peer baseline's module, compiled here with the host's erlc.
BVL := $(B)/bench/beam-vs-linux
BVL_PEER ?= ../shared/peer
BVL_BEAMS := $(BVL)/bvl.beam $(BVL)/peer_ring.beam

$(BVL)/bvl.beam: bench/beam-vs-linux/bvl.erl
	@mkdir -p $(@D)
	erlc +deterministic -o $(@D) $<
$(BVL)/peer_ring.beam: $(BVL_PEER)/guest/peer_ring.erl
	@mkdir -p $(@D)
	erlc +deterministic -o $(@D) $<
$(BVL)/bvl-root.cpio: bench/beam-vs-linux/mkroot.sh $(BEAM_ROOT) $(BVL_BEAMS)
	bench/beam-vs-linux/mkroot.sh $@ $(BEAM_ROOT) $(BVL_BEAMS)

$(eval $(call posix_elf,$(BVL)/bvl-meter.elf,bench/beam-vs-linux/meter.c))

$(B)/images/bvl-up.img $(B)/images/bvl-ring.img: $(B)/images/bvl-%.img: bench/beam-vs-linux/%.config \
    bench/beam-vs-linux/up.config $(BEAM_PARTS) $(ERTS_BEAM) $(BVL)/bvl-root.cpio $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image $< -o $@ --kernel $(B)/kernel/kernel.elf --search $(ERTS_DIR) --search $(BVL)
$(B)/images/bvl-idle.img $(B)/images/bvl-probe.img: $(B)/images/bvl-%.img: bench/beam-vs-linux/%.config \
    bench/beam-vs-linux/up.config $(BEAM_PARTS) $(ERTS_BEAM) $(BVL)/bvl-root.cpio \
    $(BVL)/bvl-meter.elf $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image $< -o $@ --kernel $(B)/kernel/kernel.elf --search $(ERTS_DIR) --search $(BVL)
$(B)/images/bvl-shell.img: bench/beam-vs-linux/shell.config beam/shell.config $(BEAM_PARTS) $(ERTS_BEAM) $(BVL)/bvl-root.cpio \
    $(B)/kernel/kernel.elf $(B)/pds/drivers/serial.elf $(B)/pds/drivers/rng.elf $(B)/pds/drivers/net.elf $(ROOTMON_ELF) $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image $< -o $@ --kernel $(B)/kernel/kernel.elf --search $(ERTS_DIR) --search $(BVL) \
	  --search $(B)/pds/drivers --search $(B)/pds/beam

# ---- Erlang <-> native channels against an Erlang port on Linux (bench/channels/) ----
-include bench/channels.mk

# ---- crypto, asn1, public_key, ssl against Linux+BEAM with Debian's OpenSSL (bench/crypto/) ----
-include bench/crypto.mk

# ---- the network: gen_tcp, inets and distribution against Linux+BEAM (bench/net/) ----
-include bench/net.mk

# ---- ext4 on /data against ext4 on Linux (bench/storage/) ----
-include bench/storage.mk
