# drivers.mk - builds the driver PDs: each drivers/NAME/ folder's .c files
# become one ELF, $(B)/pds/drivers/NAME.elf, with libfbpd's pd_elf recipe.
# Included by the top Makefile after libfbpd/libfbpd.mk (it needs pd_elf)
# and before systems/systems.mk (the demos that use a driver, such as echo,
# are only built when DRIVER_ELFS is defined).  System images find the
# ELFs with `--search $(B)/pds/drivers`.

# drivers/virtio/ is not a driver: the virtio transport (virtio_mmio.c),
# virtqueue (virtq.c) and the bring-up and event helpers (virtio_pd.c) that each virtio
# driver links (NAME_SHARED below).

DRIVERS := serial rng blk net
DRIVERS_DIR := $(B)/pds/drivers
VIRTIO_SRCS := $(wildcard drivers/virtio/*.c)
rng_SHARED := $(VIRTIO_SRCS)
blk_SHARED := $(VIRTIO_SRCS)
net_SHARED := $(VIRTIO_SRCS)

$(foreach d,$(DRIVERS),$(eval $(call pd_elf,$(DRIVERS_DIR)/$(d).elf,$(wildcard drivers/$(d)/*.c) $($(d)_SHARED))))

DRIVER_ELFS := $(foreach d,$(DRIVERS),$(DRIVERS_DIR)/$(d).elf)

.PHONY: drivers
drivers: $(DRIVER_ELFS)
