# freebeam top-level build.  Two commands do everything on a fresh Debian
# machine: `make run` (boots the default demo image in QEMU) and `make test`.
# Each area keeps its own rules in a fragment (<area>/<area>.mk) included
# below; this file holds only what they share.

.DEFAULT_GOAL := all
SHELL := /bin/bash

# The build folder: `make B=out ...` (default build).  Exported as
# FREEBEAM_BUILD to the test suites (tests/lib/checks.sh), and read back from
# there by the make that a suite runs, so that it builds in the same folder.
B := $(or $(FREEBEAM_BUILD),build)
export FREEBEAM_BUILD := $(B)
CROSS ?= arm-linux-gnueabihf-
TCC := $(CROSS)gcc
TLD := $(CROSS)ld
TAR := $(CROSS)ar
TOBJCOPY := $(CROSS)objcopy
HOSTCC ?= cc

# Freestanding target code: no host (or target libc) headers, only gcc's own
# freestanding ones (stdint.h, stddef.h, stdarg.h, stdbool.h) and ours.
TGCC_INC := $(shell $(TCC) -print-file-name=include 2>/dev/null)
TARGET_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -nostdinc \
  -isystem $(TGCC_INC) -Iinclude -march=armv7-a -mfloat-abi=hard -mfpu=vfpv3-d16 \
  -fno-pic -fno-stack-protector -fno-common -ffunction-sections -fdata-sections
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -O1 -g -Iinclude

# The default image `make run` boots, and the images `make images` builds.
RUN_IMAGE ?= shell
# What `make run` gives `tools/freebeam run`: QEMU's user network, so the
# shell has eth0 (DHCP).  RUN_ARGS="--hostfwd tcp:8080-:8080" adds a forward.
RUN_ARGS ?= --net
IMAGES :=

.PHONY: all setup images test run clean
all: images

setup:
	@tools/setup.sh

# tools.mk first: image rules of the other fragments name $(FREEBEAM_TOOLS)
# as a prerequisite, which make expands when it reads them.
-include tools/tools.mk
-include third_party/third_party.mk
-include libos/libos.mk
-include third_party/openssl.mk
-include third_party/erlang.mk
-include erlang/erlang.mk
-include kernel/kernel.mk
-include libfbpd/libfbpd.mk
-include drivers/drivers.mk
# after libfbpd.mk: the root monitor PD is built with its pd_elf rule
-include beam/beam.mk
-include systems/systems.mk
-include tests/host/host.mk
-include bench/bench.mk
-include examples/examples.mk
# last: the SDK's layout names the files of every fragment above
-include tools/sdk.mk

images: $(IMAGES)

test: setup
	@$(MAKE) --no-print-directory all
	@tests/run_all.sh

# OTP's own stdlib suites, in freebeam and on the host's BEAM
# (docs/otp-suites.md); not part of `make test`.  OTP_SUITES="a_SUITE b_SUITE:grp,case"
# picks suites (or entries of one suite's all()), OTP_SUITE_TIMEOUT (s) bounds each run of one.
.PHONY: otp-suites
OTP_SUITE_TIMEOUT ?= 600
otp-suites: setup
	@$(MAKE) --no-print-directory $(B)/kernel/kernel.elf $(B)/erts/beam.smp
	@tests/otp-suites/run.sh --timeout $(OTP_SUITE_TIMEOUT) $(OTP_SUITES)

run: setup
	@$(MAKE) --no-print-directory $(B)/images/$(RUN_IMAGE).img
	tools/freebeam run $(B)/images/$(RUN_IMAGE).img $(RUN_ARGS)

clean:
	rm -rf $(B)
