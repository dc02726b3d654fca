#!/usr/bin/env bash
# The BEAM on freebeam: OTP's erts, cross-built against our musl and libos,
# boots in its PD from the OTP root archive, runs Erlang code and halts with
# the status Erlang asked for.  Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh

img=build/images/beam-hello.img
out=$(tools/freebeam run "$img" --timeout 300 </dev/null 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "beam-hello: halt(0) powers off with status 0" || bad "beam-hello: exit status $rc"
grep -q '^BEAM_UP Erlang/OTP 25 \[erts-13' <<<"$out" && ok "beam-hello: Erlang code ran (BEAM_UP line)" \
  || bad "beam-hello: no BEAM_UP line"

# ---- the freebeam application is in every BEAM image's OTP root ----
# Every system description that boots beam.smp takes one of the roots that
# beam/mkroot.sh makes (build/beam/root.cpio, or the benchmark's copy of it);
# test-image and `image --app` call mkroot.sh too (tests/suites/erlang.sh,
# tests/suites/release.sh check those images).
fbapp=otp/lib/freebeam-$(erlang/app-vsn.sh)/ebin
has_app() {  # ARCHIVE: the .app and one .beam per module of freebeam.app.src
  local list; list=$(cpio -t <"$1" 2>/dev/null) || return 1
  grep -qx "$fbapp/freebeam.app" <<<"$list" || return 1
  local n; n=$(grep -cE "^$fbapp/freebeam(_[a-z_]*)?\.beam$" <<<"$list")
  [ "$n" -ge 7 ] && [ "$n" -eq "$(ls erlang/src/*.erl | wc -l)" ]
}
has_app build/beam/root.cpio && ok "build/beam/root.cpio holds $fbapp (.app and every module)" ||
  bad "build/beam/root.cpio lacks the freebeam application"
roots_ok=1
for cfg in $(grep -l '"beam.smp"' beam/*.config bench/*/*.config systems/*.config 2>/dev/null); do
  root=$(sed -n 's/.*{region, *rootfs, *\[{file, *"\([^"]*\)"}.*/\1/p' "$cfg")
  case $root in
    root.cpio|bvl-root.cpio) ;;
    *) roots_ok=0; echo "     $cfg boots beam.smp from '$root', not a root of beam/mkroot.sh" ;;
  esac
done
[ "$roots_ok" -eq 1 ] && ok "every BEAM system description boots from beam/mkroot.sh's root" ||
  bad "a BEAM system description with another root"
if [ -f build/bench/beam-vs-linux/bvl-root.cpio ]; then
  has_app build/bench/beam-vs-linux/bvl-root.cpio && ok "the benchmark's root holds the freebeam application" ||
    bad "build/bench/beam-vs-linux/bvl-root.cpio lacks the freebeam application"
fi
finish
