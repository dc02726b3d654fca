# tools/sdk.mk - `make sdk` (part of `make all`): everything a user's build
# needs, laid out in one folder, $(SDK) (build/sdk; docs/sdk.md): the kernel,
# erts (and its crypto flavour), the driver PDs and the root monitor, the
# musl + libos sysroot of `tools/freebeam cc`, the tools' compiled Erlang
# (tools/tools.mk), the freebeam application, the descriptions images
# include, and beam/mkroot.sh with what it needs (a user's own OTP roots).  The tools find it through FREEBEAM_SDK (tools/tools.mk), never
# through build/.  Included last by the top Makefile: it names the other
# fragments' files.
SDK_SYSROOT := $(SDK)/sysroot/.built
SDK_DESCS := $(addprefix beam/,beam.config serial.config rng.config net.config data-disk.config)
SDK_FILES := $(SDK)/kernel/kernel.elf $(SDK)/erts/beam.smp $(SDK)/erts/crypto/beam.smp \
  $(patsubst $(B)/%,$(SDK)/%,$(DRIVER_ELFS) $(ROOTMON_ELF)) $(addprefix $(SDK)/systems/,$(notdir $(SDK_DESCS)))
SDK_APP := $(SDK)/erlang/$(notdir $(FREEBEAM_APP_DIR))/.built
SDK_ROOTKIT := $(SDK)/tools/mkroot.sh $(SDK)/tools/boot-modules.txt $(SDK)/tools/notices.sh $(SDK)/third_party/.built

$(SDK)/kernel/%: $(B)/kernel/%
	@mkdir -p $(@D) && cp -f $< $@
$(SDK)/erts/%: $(ERTS_DIR)/%
	@mkdir -p $(@D) && cp -f $< $@
$(SDK)/pds/%: $(B)/pds/%
	@mkdir -p $(@D) && cp -f $< $@
$(SDK)/systems/%.config: beam/%.config
	@mkdir -p $(@D) && cp -f $< $@

# musl's headers and libraries, and libos (libos.a, crt1.o, the link
# script) beside them: what `tools/freebeam cc` compiles and links with.
$(SDK_SYSROOT): $(MUSL_STAMP) $(LIBOS) $(LIBOS_CRT1) libos/program.ld
	@rm -rf $(@D) && mkdir -p $(@D)/libos
	cp -r $(MUSL_SYSROOT)/include $(MUSL_SYSROOT)/lib $(@D)/
	cp $(LIBOS) $(LIBOS_CRT1) libos/program.ld $(@D)/libos/
	@touch $@
# erts and OpenSSL are cross-built with `tools/freebeam cc`.
$(ERTS_BEAM) $(OPENSSL_LIB): | $(SDK_SYSROOT)

# beam/mkroot.sh as SDK/tools/mkroot.sh (it takes the SDK's freebeam
# application), with what it reads from its own folder (boot-modules.txt:
# the boot modules it stores uncompressed) and tools/notices.sh beside it
# and what that reads: LICENSE
# and Debian's copyright files of the fetched erlang, musl and OpenSSL
# sources, where their build left them (third_party/PKG-VSN/debian/).
$(SDK)/tools/mkroot.sh: beam/mkroot.sh
	@mkdir -p $(@D) && cp -f $< $@
$(SDK)/tools/boot-modules.txt: beam/boot-modules.txt
	@mkdir -p $(@D) && cp -f $< $@
$(SDK)/tools/notices.sh: tools/notices.sh
	@mkdir -p $(@D) && cp -f $< $@
$(SDK)/third_party/.built: LICENSE $(MUSL_STAMP) $(ERTS_BEAM) $(OPENSSL_LIB)
	@rm -rf $(@D) && mkdir -p $(@D)
	cp -f LICENSE $(SDK)/LICENSE
	for f in $(B)/third_party/{erlang,musl,openssl}-[0-9]*/debian/copyright; do \
	  d=$(@D)/$${f#$(B)/third_party/}; mkdir -p $${d%/*} && cp $$f $$d || exit 1; done
	@touch $@

$(SDK_APP): $(FREEBEAM_APP_FILES)
	@rm -rf $(@D) && mkdir -p $(@D)
	cp -r $(FREEBEAM_APP_DIR)/ebin $(FREEBEAM_APP_DIR)/otp $(@D)/
	@touch $@

$(SDK_DONE): $(SDK_FILES) $(SDK_SYSROOT) $(SDK_APP) $(SDK_EBIN)/.built $(SDK_ROOTKIT)
	@touch $@

.PHONY: sdk sdk-sysroot
sdk: $(SDK_DONE)
sdk-sysroot: $(SDK_SYSROOT)
all: sdk
