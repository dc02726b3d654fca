#!/usr/bin/env bash
# mkroot.sh OUT.cpio BASE.cpio BEAM... - the benchmark's root archive: the
# OTP root that beam/mkroot.sh makes (BASE.cpio, mounted at / by libos, the
# tree under otp/) plus the given .beam files under bench/ (-pa /bench),
# without the compiler application: nothing in these images compiles at run
# time, and an image carries what it uses (issue 12: the shell image keeps it
# for c/1).
# Reproducible like BASE: sorted entries, every mtime 0.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 OUT.cpio BASE.cpio BEAM..." >&2; exit 2; }
out=$1 base=$2; shift 2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
(cd "$stage" && cpio --quiet -i -d --no-absolute-filenames) <"$base"
rm -rf "$stage"/otp/lib/compiler-*
mkdir -p "$stage/bench"
cp "$@" "$stage/bench/"
find "$stage" -exec touch -h -d @0 {} +
tmp=$out.tmp.$$
(cd "$stage" && find otp bench | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible) >"$tmp"
mv -f "$tmp" "$out"
echo "mkroot: $out ($(wc -c <"$out") bytes)" >&2
