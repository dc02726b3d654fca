#!/usr/bin/env bash
# mkroot.sh OUT.cpio [APP...] - the OTP root the BEAM PD boots from, as a
# cpio "newc" archive that libos mounts read-only at /otp.
#
# The .beam files are architecture independent, so they come from the host's
# Debian packages (erlang-base and friends, the same version as the erts we
# cross-build), stripped of debug chunks.  kernel, stdlib and compiler are
# always in; more applications are named on the command line (eunit, ...).
# The archive is reproducible: sorted entries, every mtime 0.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUT.cpio [APP...]" >&2; exit 2; }
out=$1; shift
otp=${OTP_ROOT:-/usr/lib/erlang}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/otp
mkdir -p "$root/bin"
cp "$otp"/bin/start.boot "$otp"/bin/start_clean.boot "$otp"/bin/no_dot_erlang.boot "$root/bin/"

declare -A seen=()
for app in kernel stdlib compiler "$@"; do
  [ -n "${seen[$app]:-}" ] && continue
  seen[$app]=1
  dirs=("$otp"/lib/"$app"-*)
  [ -d "${dirs[0]}" ] || { echo "$0: application $app is not installed under $otp/lib" >&2; exit 1; }
  src=${dirs[0]}
  dst=$root/lib/$(basename "$src")
  mkdir -p "$dst/ebin"
  cp "$src"/ebin/*.beam "$src"/ebin/*.app "$dst/ebin/" 2>/dev/null || cp "$src"/ebin/* "$dst/ebin/"
  [ -d "$src/priv" ] && cp -r "$src/priv" "$dst/"
  [ -d "$src/include" ] && cp -r "$src/include" "$dst/"
done

# Strip debug info and other optional chunks: code loading needs none of them.
erl -noshell -noinput -eval '
  Files = filelib:wildcard("'"$root"'/lib/*/ebin/*.beam"),
  case beam_lib:strip_files(Files) of
      {ok, _} -> halt(0);
      Err -> io:format(standard_error, "strip: ~p~n", [Err]), halt(1)
  end.'

find "$stage" -exec touch -h -d @0 {} +
tmp=$out.tmp.$$
(cd "$stage" && find otp -mindepth 0 | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible) > "$tmp"
mv -f "$tmp" "$out"
echo "mkroot: $out ($(wc -c <"$out") bytes, $(cd "$stage" && find otp -name '*.beam' | wc -l) modules)"
