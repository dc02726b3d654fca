# systems.mk - builds the demo systems: each systems/NAME.config with the
# PDs in systems/NAME/*.c becomes $(B)/images/NAME.img (one PD ELF per .c
# file, $(B)/pds/NAME/FILE.elf), and is added to IMAGES.

# kapi and nomonitor are kernel tests rather than demos (tests/suites/kernel.sh).
DEMO_SYSTEMS := pingpong fault isolation threads kapi nomonitor

# A demo may also use PDs built elsewhere: NAME_EXTRA_ELFS are more
# prerequisites of its image, NAME_SEARCH more folders for --search.
# echo uses the serial driver of drivers/drivers.mk (tests/suites/serial.sh),
# so it exists only when that fragment was included before this one.
ifdef DRIVER_ELFS
DEMO_SYSTEMS += echo
echo_EXTRA_ELFS := $(DRIVER_ELFS)
echo_SEARCH := $(DRIVERS_DIR)
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
