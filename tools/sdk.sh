# tools/sdk.sh - sourced by tools/freebeam and the scripts it runs: where
# the SDK is (docs/sdk.md), the one folder the tools take everything a build
# makes from (the kernel, erts, driver PDs, the sysroot, the tools' Erlang,
# the freebeam application, the descriptions images include).  Needs ROOT.
# BUILD: this checkout's build folder, absolute: FREEBEAM_BUILD (the top
# Makefile exports it from B; relative to ROOT), default build.
BUILD=${FREEBEAM_BUILD:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
SDK=${FREEBEAM_SDK:-$BUILD/sdk}
export FREEBEAM_SDK=$SDK

# sdk_make TARGET: in this checkout's own SDK, bring TARGET up to date (one
# make at a time when make -j or configure call the tools in parallel);
# nothing in another SDK, or when make itself runs the tool (its rules name
# what they need).
sdk_make() {
  [ "$SDK" = "$BUILD/sdk" ] && [ -z "${MAKELEVEL:-}" ] || return 0
  mkdir -p "$SDK" || return 1
  ( command -v flock >/dev/null && flock 9
    make --no-print-directory -s -C "$ROOT" "$1" >&2 ) 9>"$SDK/.lock"
}

# sdk_ebin: the tools' compiled Erlang (SDK/tools/ebin, which tools/freebeam
# and its front doors run) is there, and in this checkout's SDK not older
# than its sources (the usual case runs no make at all).
sdk_ebin() {
  local ebin=$SDK/tools/ebin f
  if [ -e "$ebin/.built" ]; then
    for f in "$ROOT"/tools/erlang/src/*; do
      [ "$f" -nt "$ebin/.built" ] && break
    done
    [ "$f" -nt "$ebin/.built" ] || return 0
  fi
  sdk_make sdk-tools && sdk_has "$ebin/fb_main.beam"
}

# sdk_has FILE...: each file is in the SDK, else a message and status 1.
sdk_has() {
  local f
  for f in "$@"; do
    [ -e "$f" ] || { echo "freebeam: $SDK has no ${f#$SDK/} (FREEBEAM_SDK; make sdk: docs/sdk.md)" >&2; return 1; }
  done
}
