# third_party.mk - third-party sources, fetched from Debian source packages
# by the build (never committed) and built with our small replacement
# files.  Included by the top Makefile, which defines B and CROSS.  Not in
# `all` yet.
#
#   make musl         build/sysroot/{include,lib}: musl 1.2.3, static, for
#                     ARMv7-A hard-float, its syscalls calling libos
#   make musl-check   re-run the no-svc/no-kuser check on libc.a

MUSL_SYSROOT := $(B)/sysroot
MUSL_STAMP := $(B)/third_party/musl.stamp
MUSL_LIBC := $(MUSL_SYSROOT)/lib/libc.a
MUSL_OURS := third_party/apt-source.sh $(shell find third_party/musl -type f 2>/dev/null)

$(MUSL_STAMP): $(MUSL_OURS)
	@rm -f $@
	CROSS=$(CROSS) third_party/musl/build.sh $(B)
	@touch $@

# The sysroot's files are made by the stamp's recipe.
$(MUSL_LIBC) $(MUSL_SYSROOT)/include/bits/syscall.h: $(MUSL_STAMP)

.PHONY: musl musl-check
musl: $(MUSL_STAMP)
musl-check: $(MUSL_STAMP)
	CROSS=$(CROSS) third_party/musl/check.sh $(MUSL_LIBC)
