# third_party/openssl.mk - OpenSSL's libcrypto for erts's crypto NIF:
# Debian's `openssl` source package (3.0), with our patches
# (third_party/openssl/patches/), cross-built static with `tools/freebeam cc`
# against our musl and libos (third_party/openssl/build.sh says how and
# with which options).  Included by the top Makefile after libos/libos.mk:
#
#   make openssl   build/third_party/openssl/{include,lib/libcrypto.a}
#
# Needs B, CROSS (top Makefile), LIBOS, LIBOS_CRT1 (libos/libos.mk) and
# MUSL_STAMP (third_party/third_party.mk).  A few minutes on 2 cores.

OPENSSL_DIR := $(B)/third_party/openssl
OPENSSL_LIB := $(OPENSSL_DIR)/lib/libcrypto.a
OPENSSL_OURS := third_party/openssl/build.sh $(wildcard third_party/openssl/patches/*.patch) \
  third_party/apt-source.sh third_party/xbin.sh third_party/musl/check.sh tools/freebeam

$(OPENSSL_LIB): $(OPENSSL_OURS) $(LIBOS) $(LIBOS_CRT1) $(MUSL_STAMP)
	CROSS=$(CROSS) third_party/openssl/build.sh $(B)

.PHONY: openssl
openssl: $(OPENSSL_LIB)
