#!/usr/bin/env bash
# third_party/erlang/otp-modules.sh SRC OUT
#
# The few modules of OTP's own applications that freebeam patches
# (otp-patches/*.patch, each says why), compiled with the host's erlc from
# Debian's erlang source package SRC (unpacked by third_party/erlang/build.sh,
# the version of the host's erlang-base, whose .beam files the images take).
# Each patched module goes to OUT/APP-VSN/ebin/MODULE.beam, APP-VSN as the
# host's OTP names the application's folder (e.g. kernel-8.5.3);
# beam/mkroot.sh puts them over OTP's own in the root archive.
# Compiled as Debian compiles OTP (debug_info, the application's include
# folder), and deterministic: the same bytes at every build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "$0: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: $0 SRC OUT"
src=$1 out=$2
otp=${OTP_ROOT:-/usr/lib/erlang}
[ -d "$src/lib/kernel/src" ] || die "$src is not an unpacked erlang source (make erts fetches it)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
for p in "$here"/otp-patches/*.patch; do
  [ -e "$p" ] || continue
  # The files a patch changes: its "+++ b/lib/APP/src/MODULE.erl" lines, or
  # "+++ b/erts/preloaded/src/MODULE.erl" for erts's own modules (those that
  # erts patch 0010 no longer preloads go to erts-VSN/ebin).
  files=$(sed -n -e 's|^+++ b/\(lib/[a-z_]*/src/[a-z_0-9]*\.erl\).*|\1|p' \
                 -e 's|^+++ b/\(erts/preloaded/src/[a-z_0-9]*\.erl\).*|\1|p' "$p")
  [ -n "$files" ] || die "$(basename "$p") changes no lib/APP/src/MODULE.erl or erts/preloaded/src/MODULE.erl"
  for f in $files; do
    [ -e "$work/$f" ] || { mkdir -p "$work/$(dirname "$f")" && cp "$src/$f" "$work/$f"; }
  done
  patch -d "$work" -p1 --batch --forward --quiet <"$p" || die "$(basename "$p") does not apply to $src"
done
for f in $(cd "$work" && find lib erts -name '*.erl' 2>/dev/null | sort); do
  case $f in
    erts/*) app=erts; inc=("$src/erts/preloaded/src") ;;
    *) app=${f#lib/}; app=${app%%/*}; inc=("$src/lib/$app/include" "$src/lib/$app/src") ;;
  esac
  dirs=("$otp"/lib/"$app"-*)
  [ -d "${dirs[0]}" ] || die "$app is not installed under $otp/lib"
  ebin=$out.tmp/$(basename "${dirs[0]}")/ebin
  mkdir -p "$ebin"
  erlc +debug_info +deterministic "${inc[@]/#/-I}" -o "$ebin" "$work/$f" ||
    die "$f does not compile once patched"
done
rm -rf "$out" && mv "$out.tmp" "$out"
