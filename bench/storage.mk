# storage.mk - the storage benchmark (bench/storage/run.sh, README.md there):
# an image of the BEAM with the stbench application, /data (the virtio-blk
# driver PD) and the meter PD of bench/channels.  The Linux side uses the
# same stbench.beam (bench/beam-vs-linux/peer.sh derive, from run.sh).
STB := $(B)/bench/storage

$(STB)/stbench/ebin/stbench.app: bench/storage/stbench.erl bench/storage/stbench.app.src
	@rm -rf $(@D) && mkdir -p $(@D)
	erlc +deterministic -Werror -o $(@D) bench/storage/stbench.erl
	cp bench/storage/stbench.app.src $@

$(B)/images/storage.img: $(STB)/stbench/ebin/stbench.app $(CHB)/chmeter.elf $(B)/pds/drivers/blk.elf \
  beam/data-disk.config bench/storage/meter.config $(ERTS_BEAM) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS) \
  $(FREEBEAM_APP_FILES) $(SDK_DONE)
	@mkdir -p $(@D)
	tools/freebeam image --app $(STB)/stbench --system beam/data-disk.config --system bench/storage/meter.config \
	  --search $(CHB) --kernel $(B)/kernel/kernel.elf -o $@
