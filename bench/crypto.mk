# crypto.mk - the crypto benchmark (bench/crypto/run.sh, README.md there):
# the benchmark image (cbench.config, which includes beam/rng.config; the crypto flavour of
# erts, an OTP root with crypto, asn1, public_key, ssl and the benchmark's
# modules), and the image that holds crypto, asn1, public_key, ssl and ssh
# for the bytes they add (beam/hello.config; build/images/beam-hello.img is
# the same without them).
CRB := $(B)/bench/crypto
CRB_APPS := crypto asn1 public_key ssl

# The certificates: made once, so that every run handshakes with the same keys.
$(CRB)/cbench_certs.erl: | bench/crypto/certs.sh
	@mkdir -p $(@D)
	bench/crypto/certs.sh $@
$(CRB)/cbench.beam: bench/crypto/cbench.erl
	@mkdir -p $(@D)
	erlc +deterministic -Werror -o $(@D) $<
$(CRB)/cbench_certs.beam: $(CRB)/cbench_certs.erl
	erlc +deterministic -o $(@D) $<

$(CRB)/base-root.cpio: beam/mkroot.sh beam/boot-modules.txt tools/notices.sh LICENSE $(MUSL_STAMP) $(FREEBEAM_APP_FILES)
	@mkdir -p $(@D)
	FREEBEAM_APP=$(FREEBEAM_APP_DIR) beam/mkroot.sh $@ $(CRB_APPS)
$(CRB)/cbench-root.cpio: bench/beam-vs-linux/mkroot.sh $(CRB)/base-root.cpio $(CRB)/cbench.beam $(CRB)/cbench_certs.beam
	bench/beam-vs-linux/mkroot.sh $@ $(CRB)/base-root.cpio $(CRB)/cbench.beam $(CRB)/cbench_certs.beam
$(B)/images/cbench.img: bench/crypto/cbench.config $(BEAM_PARTS) $(ERTS_BEAM) $(CRB)/cbench-root.cpio $(B)/pds/drivers/rng.elf \
    $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image $< -o $@ --kernel $(B)/kernel/kernel.elf --search $(ERTS_DIR)/crypto \
	  --search $(CRB) --search $(B)/pds/drivers

# image bytes: beam/hello.config over the crypto flavour and a root with the
# five applications, against build/images/beam-hello.img (plain erts, root
# without them).  Both uncompressed, as beam-hello.img is.
$(CRB)/apps/root.cpio: beam/mkroot.sh beam/boot-modules.txt tools/notices.sh LICENSE $(MUSL_STAMP) $(FREEBEAM_APP_FILES)
	@mkdir -p $(@D)
	FREEBEAM_APP=$(FREEBEAM_APP_DIR) beam/mkroot.sh $@ $(CRB_APPS) ssh
$(B)/images/beam-hello-crypto.img: beam/hello.config $(BEAM_PARTS) $(ERTS_BEAM) $(CRB)/apps/root.cpio $(B)/kernel/kernel.elf \
    $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image beam/hello.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(ERTS_DIR)/crypto --search $(CRB)/apps
