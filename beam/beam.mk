# beam.mk - the BEAM PD: the OTP root archive (beam/mkroot.sh) and images
# that boot erts (third_party/erlang.mk) on libos.
#
#   make build/images/beam-hello.img   erts boots, prints BEAM_UP, halts
#   make build/images/shell.img        the Erlang shell on the serial console
#                                      (serial driver PD + BEAM PD; `make run`)
BEAM_ROOT := $(B)/beam/root.cpio

# musl's stamp: its source (and copyright file) is fetched before the
# archive's /otp/NOTICES is written (tools/notices.sh).  Every OTP root holds
# the freebeam application (erlang/erlang.mk).
$(BEAM_ROOT): beam/mkroot.sh beam/boot-modules.txt tools/notices.sh LICENSE $(MUSL_STAMP) $(FREEBEAM_APP_FILES)
	@mkdir -p $(@D)
	FREEBEAM_APP=$(FREEBEAM_APP_DIR) beam/mkroot.sh $@

# The descriptions of the PDs the BEAM images include (beam/beam.config,
# beam/serial.config, ...): an image is remade when one changes.
BEAM_PARTS := $(wildcard beam/*.config)

$(B)/images/beam-hello.img: beam/hello.config $(BEAM_PARTS) $(ERTS_BEAM) $(BEAM_ROOT) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image beam/hello.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(ERTS_DIR) --search $(B)/beam

IMAGES += $(B)/images/beam-hello.img

# The root monitor: the PD that restarts the BEAM PD when erts dies
# (beam/rootmon/rootmon.c, docs/native-components.md).
ROOTMON_ELF := $(B)/pds/beam/rootmon.elf
$(eval $(call pd_elf,$(ROOTMON_ELF),beam/rootmon/rootmon.c))

# The shell: the serial, rng and net driver PDs (drivers/drivers.mk), the BEAM PD and its
# root monitor.
$(B)/images/shell.img: beam/shell.config $(BEAM_PARTS) $(ERTS_BEAM) $(BEAM_ROOT) $(B)/kernel/kernel.elf \
  $(B)/pds/drivers/serial.elf $(B)/pds/drivers/rng.elf $(B)/pds/drivers/net.elf $(ROOTMON_ELF) $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image beam/shell.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(ERTS_DIR) --search $(B)/beam --search $(B)/pds/drivers --search $(B)/pds/beam

IMAGES += $(B)/images/shell.img

# IEx, Elixir's shell, on the serial console: the shell image's description
# with other parameters (beam/iex.config), over an OTP root that adds Elixir's elixir
# and iex applications (from Debian's elixir package; docs/elixir.md).  Only
# the modules in IEX_DOCS keep their docs (for `h`): the rest would add
# ~440 KB to the archive.
IEX_DOCS := Elixir.Enum Elixir.String Elixir.Map Elixir.List
IEX_ROOT := $(B)/beam/iex/iex-root.cpio
$(IEX_ROOT): beam/mkroot.sh beam/boot-modules.txt tools/notices.sh LICENSE $(MUSL_STAMP) $(FREEBEAM_APP_FILES)
	@mkdir -p $(@D)
	FREEBEAM_APP=$(FREEBEAM_APP_DIR) KEEP_DOCS="$(IEX_DOCS)" beam/mkroot.sh $@ elixir iex

$(B)/images/iex.img: beam/iex.config $(BEAM_PARTS) $(ERTS_BEAM) $(IEX_ROOT) $(B)/kernel/kernel.elf \
  $(B)/pds/drivers/serial.elf $(B)/pds/drivers/rng.elf $(B)/pds/drivers/net.elf $(ROOTMON_ELF) $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image $< -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(ERTS_DIR) --search $(B)/beam/iex --search $(B)/pds/drivers --search $(B)/pds/beam

IMAGES += $(B)/images/iex.img
