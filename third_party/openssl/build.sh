#!/usr/bin/env bash
# third_party/openssl/build.sh BUILD_DIR
#
# Builds libcrypto for erts's crypto NIF (linked into the crypto flavour of
# beam.smp, third_party/erlang/build.sh): Debian's `openssl` source package
# (OpenSSL 3.0, with Debian's patches and ours, patches/*.patch, each says
# why), cross-compiled for ARMv7-A hard-float with `tools/freebeam cc` (our
# musl + libos), static, without loadable modules.
#
#   BUILD_DIR/third_party/openssl-VERSION/  the unpacked Debian source, never edited
#   BUILD_DIR/third_party/openssl-work/     a copy with our patches, configured and built in place
#   BUILD_DIR/third_party/openssl/          what erts's configure --with-ssl takes:
#                                           include/openssl/*.h, lib/libcrypto.a,
#                                           configure.txt (the configure line)
#
# Only libcrypto: OTP's ssl and ssh are Erlang code over the crypto NIF and
# never call libssl.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
B=$(mkdir -p "${1:?usage: $0 BUILD_DIR}" && cd "$1" && pwd)
# The newest 3.0 release Debian 12 offers as a source package when this was
# written (the host's own libssl3 may be a point release whose source the
# archive no longer carries): same major, same API, same algorithms.
VERSION=${OPENSSL_VERSION:-3.0.20}
JOBS=${JOBS:-2}
src=$B/third_party/openssl-$VERSION
work=$B/third_party/openssl-work
out=$B/third_party/openssl
die() { echo "$0: $*" >&2; exit 1; }

[ -d "$src" ] || "$ROOT/third_party/apt-source.sh" openssl "$VERSION" "$src"
xbin=$("$ROOT/third_party/xbin.sh" "$B")
export PATH="$xbin:$PATH"

# A fresh working copy each time: the result depends only on the Debian
# source, our patches and the options below.
rm -rf "$work"
cp -a "$src" "$work"
for p in "$here"/patches/*.patch; do
  [ -e "$p" ] || continue
  patch -d "$work" -p1 --batch --forward --quiet <"$p" || die "$(basename "$p") does not apply to openssl $VERSION"
done

# linux-armv4: OpenSSL's 32-bit ARM Linux target, with its assembler
# (NEON code chosen at run time from AT_HWCAP, patches/0001).
#   no-shared no-module  static only: no libcrypto.so, the legacy provider
#                        built into libcrypto (as on Linux, where OTP's
#                        crypto loads it), no dlopen
#   no-dso no-engine     nothing loads code at run time; OTP 25's crypto
#                        builds without the ENGINE API
#   no-async             no ucontext in musl (it would fall back to a null
#                        implementation anyway); OTP does not use it
#   no-afalgeng          the Linux AF_ALG socket engine: no such sockets
#   no-ui-console        no terminal to ask a pass phrase on
#   no-tests             not built: the tests run on the host's Linux build
opts=(linux-armv4 no-shared no-module no-dso no-engine no-async no-afalgeng no-ui-console no-tests
      --prefix=/usr --openssldir=/etc/ssl)
echo "openssl: Configure ${opts[*]}"
( cd "$work" && CC=arm-linux-musleabihf-gcc AR=arm-linux-musleabihf-ar RANLIB=arm-linux-musleabihf-ranlib \
    ./Configure "${opts[@]}" >configure.log 2>&1 ) ||
  { tail -n 20 "$work/configure.log" >&2; die "Configure failed (log: $work/configure.log)"; }
echo "openssl: make libcrypto.a (log: $work/build.log)"
( cd "$work" && make -j"$JOBS" build_generated >build.log 2>&1 && make -j"$JOBS" libcrypto.a >>build.log 2>&1 ) ||
  { tail -n 30 "$work/build.log" >&2; die "make failed (log: $work/build.log)"; }

# Nothing that cannot work in a PD (no svc, no __sync_, no kuser helper).
CROSS=${CROSS:-arm-linux-gnueabihf-} "$ROOT/third_party/musl/check.sh" "$work/libcrypto.a"

rm -rf "$out.tmp"
mkdir -p "$out.tmp/include/openssl" "$out.tmp/lib"
cp "$work"/include/openssl/*.h "$out.tmp/include/openssl/"
cp "$work/libcrypto.a" "$out.tmp/lib/"
printf 'openssl %s\nConfigure %s\n' "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)" "${opts[*]}" \
  >"$out.tmp/configure.txt"
rm -rf "$out" && mv "$out.tmp" "$out"
echo "openssl $VERSION: $out/lib/libcrypto.a ($(stat -c %s "$out/lib/libcrypto.a") bytes)"
