# channels.mk - the channels benchmark (bench/channels/run.sh, README.md
# there): an image of the BEAM with the chbench application, the native echo
# PD (systems/qecho) and the meter PD; and the Linux side's port program and
# module, for the peer's initramfs (bench/beam-vs-linux/peer.sh derive).
CHB := $(B)/bench/channels
CHB_SRCS := $(wildcard bench/channels/chbench/src/*)

$(eval $(call pd_elf,$(CHB)/chmeter.elf,bench/channels/chmeter.c))

$(CHB)/chbench/ebin/chbench.app: $(CHB_SRCS)
	@rm -rf $(@D) && mkdir -p $(@D)
	erlc +deterministic -Werror -o $(@D) $(filter %.erl,$^)
	cp bench/channels/chbench/src/chbench.app.src $@

$(B)/images/channels.img: $(CHB)/chmeter.elf $(B)/pds/qecho/qecho.elf $(CHB)/chbench/ebin/chbench.app \
  bench/channels/channels.config $(ERTS_BEAM) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS) $(FREEBEAM_APP_FILES) $(SDK_DONE)
	@mkdir -p $(@D)
	tools/freebeam image --app $(CHB)/chbench --system bench/channels/channels.config \
	  --search $(CHB) --search $(B)/pds/qecho --kernel $(B)/kernel/kernel.elf -o $@

# The Linux side: the port's echo program (a static armhf binary) and the
# module that times it.
$(CHB)/linux/chport.beam: bench/channels/chport.erl
	@mkdir -p $(@D)
	erlc +deterministic -Werror -o $(@D) $<
$(CHB)/linux/portecho: bench/channels/portecho.c
	@mkdir -p $(@D)
	$(TCC) -std=c11 -Wall -Wextra -Werror -O2 -march=armv7-a -mfloat-abi=hard -mfpu=vfpv3-d16 \
	  -static -o $@ $<
