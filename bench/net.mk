# net.mk - the network benchmark (bench/net/run.sh, README.md there): the
# application netb (the guest's echo listener, httpd and counter) in an
# image with eth0 (beam/net.config), entropy and the meter PD of
# bench/channels; netb_host.beam for the host's node.  The Linux side's
# initramfs is made by run.sh (bench/beam-vs-linux/peer.sh derive).
NETB := $(B)/bench/net
NETB_ARGS := -name netb@127.0.0.2 -setcookie netbench -erl_epmd_port 4370 -kernel net_ticktime 3600 -s netb main

$(NETB)/netb/ebin/netb.app: bench/net/netb/src/netb.erl bench/net/netb/src/netb.app.src bench/net/netb/priv/www/index.html
	@rm -rf $(NETB)/netb && mkdir -p $(@D)
	erlc +deterministic -Werror -o $(@D) bench/net/netb/src/netb.erl
	cp -r bench/net/netb/priv $(NETB)/netb/
	cp bench/net/netb/src/netb.app.src $@
$(NETB)/host/netb_host.beam: bench/net/netb_host.erl
	@mkdir -p $(@D)
	erlc +deterministic -Werror -o $(@D) $<

$(B)/images/netb.img: $(NETB)/netb/ebin/netb.app $(CHB)/chmeter.elf $(B)/pds/drivers/net.elf $(B)/pds/drivers/rng.elf \
  bench/net/meter.config beam/net.config beam/rng.config $(ERTS_BEAM) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS) $(FREEBEAM_APP_FILES) $(SDK_DONE)
	@mkdir -p $(@D) && rm -rf $(NETB)/rel
	tools/freebeam image --app $(NETB)/netb --system beam/rng.config --system beam/net.config \
	  --system bench/net/meter.config --search $(B)/pds/drivers --search $(CHB) \
	  --env FREEBEAM_IPV4=10.0.2.15/24,10.0.2.2 $(foreach a,$(NETB_ARGS),--arg $(a)) \
	  --kernel $(B)/kernel/kernel.elf --workdir $(NETB)/rel -o $@
