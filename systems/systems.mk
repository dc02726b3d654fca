# systems.mk - builds the demo systems: each systems/NAME.config with the
# PDs in systems/NAME/*.c becomes $(B)/images/NAME.img (one PD ELF per .c
# file, $(B)/pds/NAME/FILE.elf), and is added to IMAGES.

# kapi, nomonitor, heldfault and guard are kernel tests rather than demos (tests/suites/kernel.sh).
DEMO_SYSTEMS := pingpong fault isolation threads kapi nomonitor heldfault guard

# A demo may also use PDs built elsewhere: NAME_EXTRA_ELFS are more
# prerequisites of its image, NAME_SEARCH more folders for --search.
# echo uses the serial driver of drivers/drivers.mk (tests/suites/serial.sh),
# so it exists only when that fragment was included before this one.
ifdef DRIVER_ELFS
DEMO_SYSTEMS += echo
echo_EXTRA_ELFS := $(DRIVER_ELFS) beam/serial.config
echo_SEARCH := $(DRIVERS_DIR)
# blkcheck: the virtio-blk driver and its test client (tests/suites/blk.sh)
DEMO_SYSTEMS += blkcheck
blkcheck_EXTRA_ELFS := $(DRIVERS_DIR)/blk.elf
blkcheck_SEARCH := $(DRIVERS_DIR)
endif

# $(call demo_system,NAME): the rules of one demo.
define demo_system
$(1)_PD_SRCS := $$(wildcard systems/$(1)/*.c)
$(1)_PD_ELFS := $$(patsubst systems/$(1)/%.c,$(B)/pds/$(1)/%.elf,$$($(1)_PD_SRCS))
$$(foreach s,$$($(1)_PD_SRCS),$$(eval $$(call pd_elf,$$(patsubst systems/$(1)/%.c,$(B)/pds/$(1)/%.elf,$$(s)),$$(s))))
IMAGES += $(B)/images/$(1).img
$(B)/images/$(1).img: systems/$(1).config $$($(1)_PD_ELFS) $$($(1)_EXTRA_ELFS) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $$(@D)
	tools/freebeam image systems/$(1).config -o $$@ --kernel $(B)/kernel/kernel.elf --search $(B)/pds/$(1) $$(addprefix --search ,$$($(1)_SEARCH))
.PHONY: pds-$(1)
pds-$(1): $$($(1)_PD_ELFS)
endef

$(foreach d,$(DEMO_SYSTEMS),$(eval $(call demo_system,$(d))))

.PHONY: pds
pds: $(foreach d,$(DEMO_SYSTEMS),$($(d)_PD_ELFS))

# ---- demos of native components with an Erlang side ----
# systems/NAME/NAME.c is a C PD, systems/NAME/NAME_demo/src an OTP
# application (its .app.src lists its modules), systems/NAME/NAME.config the
# terms `tools/freebeam image --app ... --system` adds to the BEAM PD's
# description (docs/native-components.md).  Run by tests/suites/native.sh.
NATIVE_DEMOS := sensor rogue

define native_demo
$$(eval $$(call pd_elf,$(B)/pds/$(1)/$(1).elf,systems/$(1)/$(1).c))
$(1)_DEMO_DIR := $(B)/systems/$(1)_demo
$(1)_DEMO_SRCS := $$(wildcard systems/$(1)/$(1)_demo/src/*)
$$($(1)_DEMO_DIR)/ebin/$(1)_demo.app: $$($(1)_DEMO_SRCS)
	@rm -rf $$(@D) && mkdir -p $$(@D)
	erlc +deterministic -Werror -o $$(@D) $$(filter %.erl,$$^)
	cp systems/$(1)/$(1)_demo/src/$(1)_demo.app.src $$@
IMAGES += $(B)/images/$(1).img
$(B)/images/$(1).img: $(B)/pds/$(1)/$(1).elf $$($(1)_DEMO_DIR)/ebin/$(1)_demo.app systems/$(1)/$(1).config \
  $(ERTS_BEAM) $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS) $(FREEBEAM_APP_FILES) $(SDK_DONE)
	@mkdir -p $$(@D)
	tools/freebeam image --app $$($(1)_DEMO_DIR) --system systems/$(1)/$(1).config \
	  --search $(B)/pds/$(1) --kernel $(B)/kernel/kernel.elf -o $$@
endef

$(foreach d,$(NATIVE_DEMOS),$(eval $(call native_demo,$(d))))

# ---- posix-native: a plain C program on libos and a native echo PD ----
# tests/posix/native.c (posix_elf of libos/libos.mk) with systems/qecho.
$(eval $(call pd_elf,$(B)/pds/qecho/qecho.elf,systems/qecho/qecho.c))
$(eval $(call posix_elf,$(B)/posix/native.elf,tests/posix/native.c))
$(B)/posixobj/tests/posix/native.c.o: POSIX_EXTRA_CFLAGS := -Iinclude   # freebeam/fbdev.h, kapi.h
IMAGES += $(B)/images/posix-native.img
$(B)/images/posix-native.img: systems/posix-native.config $(B)/posix/native.elf $(B)/pds/qecho/qecho.elf \
  $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image systems/posix-native.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(B)/posix --search $(B)/pds/qecho

# ---- entropy: the rng driver PD and a plain C program reading getrandom
# and /dev/urandom (tests/suites/entropy.sh) ----
$(eval $(call posix_elf,$(B)/posix/entropy.elf,tests/posix/entropy.c))
IMAGES += $(B)/images/entropy.img
$(B)/images/entropy.img: systems/entropy.config $(B)/posix/entropy.elf $(B)/pds/drivers/rng.elf \
  $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image systems/entropy.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(B)/posix --search $(B)/pds/drivers

# ---- netping: the virtio-net driver PD and its test client
# (tests/suites/net.sh) ----
$(eval $(call pd_elf,$(B)/pds/netping/netping.elf,systems/netping/netping.c))
IMAGES += $(B)/images/netping.img
$(B)/images/netping.img: systems/netping.config $(B)/pds/netping/netping.elf $(B)/pds/drivers/net.elf \
  $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image systems/netping.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(B)/pds/netping --search $(B)/pds/drivers

# ---- posix-eth: a C program on eth0 through the net driver PD, with peers
# on the host (tests/posix/eth.c, tests/suites/eth.sh) ----
ifdef DRIVER_ELFS
$(eval $(call posix_elf,$(B)/posix/eth.elf,tests/posix/eth.c))
IMAGES += $(B)/images/posix-eth.img
$(B)/images/posix-eth.img: systems/posix-eth.config $(B)/posix/eth.elf $(DRIVERS_DIR)/net.elf \
  $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS)
	@mkdir -p $(@D)
	tools/freebeam image systems/posix-eth.config -o $@ --kernel $(B)/kernel/kernel.elf \
	  --search $(DRIVERS_DIR) --search $(B)/posix     # drivers first: build/posix has a net.elf too
endif
# The guests of eth.sh's flood and half-close tests (tests/posix/ethflood.c,
# ethhalf.c): eth.sh makes their images from systems/posix-eth.config with
# these ELFs and a static address.
ifdef DRIVER_ELFS
$(eval $(call posix_elf,$(B)/posix/ethflood.elf,tests/posix/ethflood.c))
$(eval $(call posix_elf,$(B)/posix/ethhalf.elf,tests/posix/ethhalf.c))
endif
