# third_party/openssl.mk - OpenSSL's libcrypto for erts's crypto NIF:
# Debian's `openssl` source package (3.0), with our patches
# (third_party/openssl/patches/), cross-built static with `tools/freebeam cc`
# against our musl and libos (third_party/openssl/build.sh says how and
# with which options).  Included by the top Makefile after libos/libos.mk:
#
#   make openssl   build/third_party/openssl/{include,lib/libcrypto.a}
#
# Needs B, CROSS (top Makefile), LIBOS, LIBOS_CRT1 (libos/libos.mk) and
# MUSL_STAMP (third_party/third_party.mk).  2-13 minutes on 2 cores.

OPENSSL_DIR := $(B)/third_party/openssl
OPENSSL_LIB := $(OPENSSL_DIR)/lib/libcrypto.a
# A library archive, compiled from scratch each time (minutes): it depends
# on our files and musl's headers, not on libos (only present for `freebeam
# cc`, order-only) nor on tools/freebeam, whose other commands change often
# (after a change to `cc`'s flags: make -B openssl).
OPENSSL_OURS := third_party/openssl/build.sh $(wildcard third_party/openssl/patches/*.patch) \
  third_party/apt-source.sh third_party/xbin.sh third_party/musl/check.sh

$(OPENSSL_LIB): $(OPENSSL_OURS) $(MUSL_STAMP) | $(LIBOS) $(LIBOS_CRT1)
	CROSS=$(CROSS) third_party/openssl/build.sh $(B)

.PHONY: openssl
openssl: $(OPENSSL_LIB)
