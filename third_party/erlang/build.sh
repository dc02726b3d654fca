#!/usr/bin/env bash
# third_party/erlang/build.sh BUILD_DIR
#
# Builds erts for the BEAM PD: Debian's `erlang` source package at exactly
# the version of the host's erlang-base (whose architecture-independent
# .beam files the image takes), with Debian's patches and ours
# (patches/*.patch, each says why), cross-compiled for ARMv7-A hard-float
# with `tools/freebeam cc` (our musl + libos: an ordinary static freebeam C
# program) and only the emulator built, in two flavours linked from the
# same objects: the plain one, and one with OTP's crypto and asn1rt_nif
# NIFs and OpenSSL's libcrypto (third_party/openssl/build.sh) linked in,
# which images holding the crypto application take (docs/crypto.md).
#
#   BUILD_DIR/third_party/erlang-VERSION/  the unpacked Debian source, never edited
#   BUILD_DIR/third_party/erlang-work/     a copy with our patches, configured and built in place
#                                          (OTP builds inside its tree)
#   BUILD_DIR/third_party/xbin/            arm-linux-musleabihf-* tool names for configure --host
#   BUILD_DIR/termcap/libtermcap.a         beam/termcap (ours): the termcap erts's tty_sl
#                                          driver uses for line editing in the shell
#   BUILD_DIR/erlang/nif/freebeam_nif.a    erlang/c_src/freebeam_nif.c, the freebeam
#                                          application's NIF, linked into beam.smp
#   BUILD_DIR/erts/beam.smp                stripped: what an image takes
#   BUILD_DIR/erts/beam.smp.unstripped     with symbols and debug info, for gdb
#   BUILD_DIR/erts/crypto/beam.smp(.unstripped)  the same with crypto + asn1rt_nif
#                                          (needs BUILD_DIR/third_party/openssl)
#   BUILD_DIR/erts/build-times.txt         configure and make wall times
#
# A second run with the same patches, script and flags reuses the configured
# work tree and only relinks (so a new libos.a or libc.a is picked up);
# FREEBEAM_ERTS_CLEAN=1 forces a fresh copy and configure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
B=$(mkdir -p "${1:?usage: $0 BUILD_DIR}" && cd "$1" && pwd)
CROSS=${CROSS:-arm-linux-gnueabihf-}
HOST=arm-linux-musleabihf              # what configure is told (--host)
TARGET=arm-unknown-linux-musleabihf     # what OTP's config.sub makes of it
JOBS=${JOBS:-$(nproc)}
die() { echo "$0: $*" >&2; exit 1; }

# ---- the version: exactly the host's erlang-base ----
hostver=$(dpkg-query -W -f='${Version}' erlang-base 2>/dev/null) ||
  die "erlang-base is not installed (make setup installs it): erts must match its .beam files"
upstream=${hostver%-*}                 # 1:25.2.3+dfsg (apt-source.sh wants no Debian revision)
noepoch=${hostver#*:}                  # 25.2.3+dfsg-1+deb12u4 (for folder names)
src=$B/third_party/erlang-$noepoch
work=$B/third_party/erlang-work
out=$B/erts
ssl=$B/third_party/openssl
[ -f "$ssl/lib/libcrypto.a" ] || die "no $ssl/lib/libcrypto.a (make openssl)"

# apt-source.sh takes the upstream version and fetches the newest Debian
# revision of it: check that this is the host's revision too, and keep no
# tree of another version.
fetched=$src
if [ ! -d "$src" ]; then
  fetched=$src.fetch
  rm -rf "$fetched"
  "$ROOT/third_party/apt-source.sh" erlang "$upstream" "$fetched"
fi
srcver=$(dpkg-parsechangelog -l "$fetched/debian/changelog" -S Version)
if [ "$srcver" != "$hostver" ]; then
  [ "$fetched" = "$src" ] || rm -rf "$fetched"
  die "the erlang source package is $srcver but the host's erlang-base is $hostver.
  erts and the host's .beam files must be the same release: install
  erlang-base=$srcver (and erlang-eunit to match), or use an archive that
  offers erlang $hostver as its newest $upstream."
fi
[ "$fetched" = "$src" ] || mv "$fetched" "$src"

# ---- tool names for --host=arm-linux-musleabihf (third_party/xbin.sh) ----
# The compiler is the wrapper itself (CC below); the -gcc name is there for
# whatever looks it up.
xbin=$("$ROOT/third_party/xbin.sh" "$B")
export PATH="$xbin:$PATH"

# The wrapper builds libc.a + libos.a + crt1.o if they are missing: let it
# happen here, in sight, rather than in configure's first probe.
echo 'int main(void){return 0;}' >"$B/third_party/.erts-cc-probe.c"
"$ROOT/tools/freebeam" cc -o "$B/third_party/.erts-cc-probe" "$B/third_party/.erts-cc-probe.c" ||
  die "tools/freebeam cc cannot link a trivial program: see above"
rm -f "$B/third_party/.erts-cc-probe" "$B/third_party/.erts-cc-probe.c"

# ---- termcap: beam/termcap, ours ----
# erts's line-editing driver (tty_sl) needs tgetent/tgetstr/tputs and a
# description of the terminal; a PD has no terminal database, so the few
# terminals it may meet are compiled into the library (beam/termcap/termcap.h).
# Built on every run (it is small): a change only relinks beam.smp.
tcdir=$B/termcap
mkdir -p "$tcdir"
"$ROOT/tools/freebeam" cc -O2 -g -std=c11 -Wall -Wextra -Werror -ffunction-sections -fdata-sections \
  -c "$ROOT/beam/termcap/termcap.c" -o "$tcdir/termcap.o.tmp" || die "beam/termcap/termcap.c does not compile"
mv -f "$tcdir/termcap.o.tmp" "$tcdir/termcap.o"
rm -f "$tcdir/libtermcap.a.tmp"
"${CROSS}ar" rcD "$tcdir/libtermcap.a.tmp" "$tcdir/termcap.o" && mv -f "$tcdir/libtermcap.a.tmp" "$tcdir/libtermcap.a"

# ---- the freebeam application's NIF: a static NIF ----
# There is no dynamic loading, so the NIF is linked into beam.smp:
# configure's --enable-static-nifs takes the .a, and erts's make_driver_tab
# names the init function after the archive's base name (freebeam_nif.a ->
# freebeam_nif_nif_init, what ERL_NIF_INIT(freebeam_nif, ...) defines under
# -DSTATIC_ERLANG_NIF).  erlang:load_nif/2 from the module freebeam_nif then
# finds it by the module's name.  The archive's path is part of the configure
# key below, its contents are not: it is compiled after configure (it needs
# the configured erl_int_sizes_config.h) on every run, and beam.smp is
# always relinked.
nifdir=$B/erlang/nif
nif_a=$nifdir/freebeam_nif.a
# OTP's own static NIF archives, which erts's make builds in the work tree
# (lib/ static_lib) before it links: crypto.a -> crypto_nif_init,
# asn1rt_nif.a -> asn1rt_nif_nif_init, found by the modules crypto and
# asn1rt_nif as the freebeam NIF is.
crypto_a=$work/lib/crypto/priv/lib/$TARGET/crypto.a
asn1_a=$work/lib/asn1/priv/lib/$TARGET/asn1rt_nif.a

# ---- configure settings ----
# The answers configure cannot find out when cross-compiling
# (docs/internals.md note 31).
xcomp=(
  erl_xcomp_bigendian=no erl_xcomp_double_middle_endian=no
  erl_xcomp_linux_clock_gettime_correction=yes erl_xcomp_linux_nptl=yes
  erl_xcomp_linux_usable_sigusrx=yes erl_xcomp_linux_usable_sigaltstack=yes
  erl_xcomp_poll=yes erl_xcomp_putenv_copy=no erl_xcomp_reliable_fpe=no
  erl_xcomp_getaddrinfo=yes erl_xcomp_clock_gettime_cpu_time=yes
  erl_xcomp_posix_memalign=yes
  # Without a system root, crypto's configure refuses to look for OpenSSL
  # at all when cross-compiling, even at --with-ssl=DIR: ours is musl's.
  erl_xcomp_sysroot="$B/sysroot"
  # The linker for dynamic drivers and NIFs: none are built (static NIFs
  # only), but crypto's configure links its OpenSSL test program with these
  # flags, and the default (-shared) is refused by tools/freebeam cc.
  DED_LD="$ROOT/tools/freebeam cc" DED_LDFLAGS="-static" DED_LD_FLAG_RUNTIME_LIBRARY_PATH="-Wl,-R"
  # configure looks for tgetent in -ltinfo, -lncurses, -lcurses, -ltermcap
  # in that order: only ours (-ltermcap, found through LDFLAGS' -L) may
  # answer, never a library of the host's that the cross linker can see.
  ac_cv_lib_tinfo_tgetent=no ac_cv_lib_ncurses_tgetent=no ac_cv_lib_curses_tgetent=no
)
# No JIT (none on 32-bit ARM); kernel poll off (ppoll + pipes: the smaller
# libos surface, DESIGN.md decision 11); termcap on, ours (above: line
# editing in the shell, docs/internals.md note 19); no java/odbc/wx; the
# builtin zlib.  --build is explicit: config.guess would probe with $CC.
# OpenSSL's libcrypto static (--disable-dynamic-ssl-lib): crypto's NIF is
# built as a static archive against it, and libcrypto is on the emulator's
# LIBS (erts's configure help says so for static crypto); the plain flavour
# references none of it, so the linker takes nothing from it there.
conf_flags=(
  --build="$(gcc -dumpmachine | sed 's/-linux-gnu$/-pc-linux-gnu/')" --host=$HOST
  --disable-jit --disable-kernel-poll --with-termcap
  --with-ssl="$ssl" --disable-dynamic-ssl-lib --without-javac --without-jinterface
  --without-odbc --without-wx --enable-builtin-zlib
  --disable-sharing-preserving --disable-pgo
  # Applications with configure scripts of their own that the emulator does
  # not need: skipping them saves their configure runs.
  --without-common_test --without-megaco --without-snmp
  --enable-static-nifs="$nif_a,$crypto_a,$asn1_a"
)
cc="$ROOT/tools/freebeam cc"
# Each function and object in its own section, and the link drops those that
# nothing refers to (erts's unused helpers, zlib's and PCRE's unused entry
# points): beam.smp 45 KB smaller, the image room that issue 12's quarter of
# Linux+BEAM's leaves for boot modules stored uncompressed (beam/mkroot.sh).
cflags="-O2 -g -ffunction-sections -fdata-sections"
ldflags="-static -L$tcdir -Wl,--gc-sections"
libs=$ssl/lib/libcrypto.a

# Everything the configured tree depends on (musl's headers too): when it
# changes, start afresh.
key=$( { cat "$0"; printf '%s\n' "$hostver" "${xcomp[@]}" "${conf_flags[@]}" "$cc" "$cflags" "$ldflags" "$libs";
         cat "$ssl/configure.txt";
         for p in "$here"/patches/*.patch; do [ -e "$p" ] && cat "$p"; done
         find "$B/sysroot/include" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)

t_conf=0
if [ -n "${FREEBEAM_ERTS_CLEAN:-}" ] || [ ! -f "$work/.freebeam-key" ] || [ "$(cat "$work/.freebeam-key")" != "$key" ]; then
  rm -rf "$work"
  cp -a "$src" "$work"
  for p in "$here"/patches/*.patch; do
    [ -e "$p" ] || continue
    echo "erts: applying $(basename "$p")"
    patch -d "$work" -p1 --batch --forward --quiet <"$p" || die "$(basename "$p") does not apply to erlang $hostver"
  done
  # The preloaded modules (erts/preloaded/ebin: init, erlang, prim_file...),
  # which make_preload builds into beam.smp and erts loads at every boot,
  # get their MD5 in a chunk "FbM5" (patch 0006; patch 0007 has
  # make_preload keep it), as beam/mkroot.sh does for the archive's: erts
  # then takes it instead of hashing them at each boot.  The sum is
  # beam_lib:md5/1's over the chunks that make_preload keeps, which is what
  # erts would compute for the module built into beam.smp.  Their literal
  # chunk then holds the same terms as a zlib stream of stored blocks (level
  # 0), which erts copies out instead of decoding, as beam/mkroot.sh does for
  # the archive's boot modules (docs/profiling.md).
  PRE_EBIN=$work/erts/preloaded/ebin erl -noshell -noinput -eval '
    Kept = ["AtU8", "Code", "StrT", "ImpT", "ExpT", "FunT", "LitT", "Type"],
    StoredLiterals = fun({"LitT", <<Size:32, Packed/binary>>}) ->
                             Terms = zlib:uncompress(Packed),
                             Size = byte_size(Terms),
                             Z = zlib:open(),
                             ok = zlib:deflateInit(Z, none),
                             Stored = iolist_to_binary(zlib:deflate(Z, Terms, finish)),
                             ok = zlib:deflateEnd(Z),
                             ok = zlib:close(Z),
                             {"LitT", <<Size:32, Stored/binary>>};
                        (Chunk) -> Chunk
                     end,
    AddMd5 = fun(F) ->
        {ok, Bin} = file:read_file(F),
        {ok, _, Chunks} = beam_lib:all_chunks(Bin),
        {ok, Loaded} = beam_lib:build_module([C || {Id, _} = C <- Chunks, lists:member(Id, Kept)]),
        {ok, {_, Md5}} = beam_lib:md5(Loaded),
        {ok, Out} = beam_lib:build_module([StoredLiterals(C) || {Id, _} = C <- Chunks, Id =/= "FbM5"] ++ [{"FbM5", Md5}]),
        ok = file:write_file(F, Out)
    end,
    Files = filelib:wildcard(filename:join(os:getenv("PRE_EBIN"), "*.beam")),
    Files =/= [] orelse halt(1),
    lists:foreach(AddMd5, Files),
    halt(0).' || die "cannot add the MD5 chunk to the preloaded modules"
  t0=$(date +%s)
  echo "erts: configure (log: $work/configure.log)"
  ( cd "$work" && export ERL_TOP=$work && env "${xcomp[@]}" CC="$cc" CFLAGS="$cflags" LDFLAGS="$ldflags" LIBS="$libs" \
      ./configure "${conf_flags[@]}" >configure.log 2>&1 ) ||
    { tail -n 30 "$work/configure.log" >&2; die "configure failed (log: $work/configure.log)"; }
  t_conf=$(( $(date +%s) - t0 ))
  grep -q "^#define ETHR_HAVE_LINUX_FUTEX 1" "$work/erts/include/internal/$TARGET/ethread_header_config.h" ||
    die "configure found no Linux futexes (<linux/futex.h>): ethread would not use futexes"
  grep -q "^#define HAVE_TERMCAP 1" "$work/erts/$TARGET/config.h" &&
    grep -q "^LIBS[[:space:]]*+=[[:space:]]*-ltermcap " "$work/erts/emulator/$TARGET/Makefile" ||
    die "configure did not take beam/termcap (-ltermcap) for termcap: no line editing (see configure.log)"
  [ ! -e "$work/lib/crypto/SKIP" ] ||
    die "configure left out crypto: $(cat "$work/lib/crypto/SKIP") (see configure.log)"
  echo "$key" >"$work/.freebeam-key"
else
  echo "erts: reusing the configured tree $work (relinking)"
fi

# ---- the NIF archive (see above), against the configured tree's erl_nif.h ----
mkdir -p "$nifdir"
"$ROOT/tools/freebeam" cc -O2 -g -std=c11 -Wall -Wextra -Werror -ffunction-sections -fdata-sections \
  -DSTATIC_ERLANG_NIF -I"$ROOT/include" -I"$work/erts/emulator/beam" -I"$work/erts/include/$TARGET" \
  -c "$ROOT/erlang/c_src/freebeam_nif.c" -o "$nifdir/freebeam_nif.o.tmp" ||
  die "erlang/c_src/freebeam_nif.c does not compile"
mv -f "$nifdir/freebeam_nif.o.tmp" "$nifdir/freebeam_nif.o"
rm -f "$nif_a.tmp"
"${CROSS}ar" rcD "$nif_a.tmp" "$nifdir/freebeam_nif.o" && mv -f "$nif_a.tmp" "$nif_a"

# ---- build: the emulator only, in two flavours ----
# erts/emulator's opt target builds erts/lib_src (ethread, erts_internal),
# zlib, pcre and ryu, OTP's static NIF archives (lib/ static_lib), then
# beam.smp (and erl_child_setup).  Remove the binaries first: OTP's
# makefiles do not relink when libos.a, libc.a or libethread.a change
# (docs/internals.md note 30).  The flavours differ only in the static NIF
# list and so in driver_tab.c, the table erts looks static NIFs up in, which
# make does not regenerate by itself: removed before each link.  The list
# goes on make's command line, separated by spaces: erts's Makefile turns
# configure's commas into spaces with a `space` variable that GNU make 4.3
# leaves empty, gluing the paths into one.
bindir=$work/bin/$TARGET
emu=$work/erts/emulator
# flavour DEST STATIC_NIFS: link beam.smp with those static NIF archives
# and install it, stripped, as DEST/beam.smp.
flavour() {
  local dest=$1 nifs=(STATIC_NIFS="$2")
  rm -f "$bindir"/beam.smp "$bindir"/beam.emu "$emu/$TARGET/opt/smp/driver_tab.c" \
    "$emu/obj/$TARGET/opt/smp/driver_tab.o"
  echo "erts: make $dest/beam.smp (log: $work/build.log)"
  ( cd "$emu" && export ERL_TOP=$work &&
    make -j"$JOBS" opt FLAVOR=smp TYPE=opt TARGET=$TARGET "${nifs[@]}" >>"$work/build.log" 2>&1 ) ||
    { tail -n 40 "$work/build.log" >&2; die "make failed (log: $work/build.log)"; }
  [ -f "$bindir/beam.smp" ] || die "no $bindir/beam.smp after make"
  mkdir -p "$dest"
  cp -f "$bindir/beam.smp" "$dest/beam.smp.unstripped"
  "${CROSS}strip" -o "$dest/beam.smp.tmp" "$bindir/beam.smp" && mv -f "$dest/beam.smp.tmp" "$dest/beam.smp"
  # Nothing that cannot work in a freebeam PD (docs/internals.md notes 2-3).
  CROSS=$CROSS "$ROOT/libos/check-program.sh" "$B/libos/libos.a" "$dest/beam.smp.unstripped"
}
: >"$work/build.log"
t0=$(date +%s)
# OTP's static NIF archives (crypto.a, asn1rt_nif.a) first, once, without
# -j: the emulator's Makefile has one recipe per missing archive, each making
# every static library under lib/, so under -j two of them wrote the same
# crypto.a at once (ranlib died of a bus error in one CI run of three).
# Once they exist, the emulator's make takes them as they are.
( cd "$work/lib" && export ERL_TOP=$work &&
  make BUILD_STATIC_LIBS=1 TYPE=opt TARGET=$TARGET static_lib >>"$work/build.log" 2>&1 ) ||
  { tail -n 40 "$work/build.log" >&2; die "make static_lib failed (log: $work/build.log)"; }
[ -f "$crypto_a" ] && [ -f "$asn1_a" ] || die "no $crypto_a or $asn1_a after make static_lib"
flavour "$out/crypto" "$nif_a $crypto_a $asn1_a"
t_make=$(( $(date +%s) - t0 ))
flavour "$out" "$nif_a"
# The crypto flavour must have its NIFs, the plain one none of OpenSSL.
# (nm's whole output first: grep -q would stop reading, and pipefail see nm's SIGPIPE.)
syms=$("${CROSS}nm" "$out/crypto/beam.smp.unstripped")
grep -q ' T crypto_nif_init$' <<<"$syms" ||
  die "$out/crypto/beam.smp has no crypto_nif_init: the crypto NIF is not linked in"
syms=$("${CROSS}nm" "$out/beam.smp.unstripped")
! grep -q ' T OPENSSL_init_crypto$' <<<"$syms" ||
  die "$out/beam.smp contains OpenSSL: the plain flavour must not"

if [ "$t_conf" -gt 0 ]; then
  printf 'erlang %s\nconfigure_s %s\nmake_s %s\njobs %s\n' "$hostver" "$t_conf" "$t_make" "$JOBS" >"$out/build-times.txt"
else
  { grep -v '^relink_s ' "$out/build-times.txt" 2>/dev/null; echo "relink_s $t_make"; } >"$out/build-times.tmp"
  mv -f "$out/build-times.tmp" "$out/build-times.txt"
fi
if [ "$t_conf" -gt 0 ]; then how="configure ${t_conf}s, make ${t_make}s on $JOBS jobs"; else how="relinked in ${t_make}s"; fi
echo "erts $hostver: $out/beam.smp ($(stat -c %s "$out/beam.smp") bytes stripped; $how)," \
  "$out/crypto/beam.smp ($(stat -c %s "$out/crypto/beam.smp") bytes)"
