# third_party/erlang.mk - erts for the BEAM PD: Debian's `erlang` source
# package at the host's erlang-base version, with our patches
# (third_party/erlang/patches/), cross-built with `tools/freebeam cc`
# against our musl and libos; only the emulator.  Not in the default build:
# the top Makefile includes it after libos/libos.mk with
#
#   -include third_party/erlang.mk
#
#   make erts         build/erts/beam.smp (stripped) + beam.smp.unstripped, and
#                     build/erts/crypto/beam.smp: the same with OTP's crypto and
#                     asn1rt_nif NIFs and OpenSSL's libcrypto linked in
#   make erts-check   the svc/__sync_/kuser check on the linked emulator
#
# The freebeam application's NIF (erlang/c_src/) is linked into beam.smp
# (build.sh builds build/erlang/nif/freebeam_nif.a): a change to it relinks.
#
# Needs B, CROSS (top Makefile), LIBOS, LIBOS_CRT1 (libos/libos.mk) and
# MUSL_STAMP (third_party/third_party.mk), OPENSSL_LIB (third_party/openssl.mk).  About 3-4 minutes on 2 cores
# the first time; afterwards a libos or libc change only relinks.

ERTS_DIR := $(B)/erts
ERTS_BEAM := $(ERTS_DIR)/beam.smp
ERTS_OURS := third_party/erlang/build.sh $(wildcard third_party/erlang/patches/*.patch) \
  third_party/apt-source.sh third_party/xbin.sh tools/freebeam libos/program.ld beam/termcap/termcap.c beam/termcap/termcap.h \
  $(wildcard erlang/c_src/*.c erlang/c_src/*.h) include/freebeam/fbdev.h include/freebeam/kapi.h

$(ERTS_BEAM): $(ERTS_OURS) $(LIBOS) $(LIBOS_CRT1) $(MUSL_STAMP) $(OPENSSL_LIB)
	CROSS=$(CROSS) third_party/erlang/build.sh $(B)

$(ERTS_DIR)/beam.smp.unstripped $(ERTS_DIR)/crypto/beam.smp $(ERTS_DIR)/crypto/beam.smp.unstripped: $(ERTS_BEAM)

.PHONY: erts erts-check
erts: $(ERTS_BEAM)
erts-check: $(ERTS_BEAM)
	CROSS=$(CROSS) libos/check-program.sh $(LIBOS) $(ERTS_DIR)/beam.smp.unstripped \
	  $(ERTS_DIR)/crypto/beam.smp.unstripped
