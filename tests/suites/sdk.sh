#!/usr/bin/env bash
# tests/suites/sdk.sh - the SDK as a user gets it (docs/sdk.md): a copy of
# `make sdk`'s folder, away from this checkout and its build folder, makes an
# OTP root with the user's own files (SDK/tools/mkroot.sh, which takes the
# SDK's freebeam application and licence notices), and `tools/freebeam image`
# with FREEBEAM_SDK set to the copy builds an image that boots from it.
# Ends with one line `N passed, N failed`; exit 0 only if none failed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh

# The SDK under test: FREEBEAM_SDK's (as `make test` exports it), else this
# build folder's, made first.
src=${FREEBEAM_SDK:-$B_ABS/sdk}
[ -n "${FREEBEAM_SDK:-}" ] || make --no-print-directory -s sdk >/dev/null || give_up "make sdk"
T=$(mktemp -d "${TMPDIR:-/tmp}/freebeam-sdk-test.XXXXXX") || give_up "make a scratch folder"
trap 'rm -rf "$T"' EXIT
sdk=$T/sdk
mkdir -p "$sdk" && cp -r "$src"/{kernel,erts,systems,erlang,tools,third_party,LICENSE} "$sdk/" ||
  give_up "copy the SDK"

# ---- the user's root: their files at /otp/mine, from the SDK's mkroot.sh ----
mkdir -p "$T/mine" && echo "from the user's root" >"$T/mine/hello.txt"
(cd "$T" && env -u FREEBEAM_BUILD -u FREEBEAM_SDK -u FREEBEAM_APP \
   "$sdk/tools/mkroot.sh" --tree "$T/mine:mine" "$T/my-root.cpio" >"$T/mkroot.log" 2>&1); rc=$?
[ $rc -eq 0 ] || show <"$T/mkroot.log"
check "SDK/tools/mkroot.sh: exit 0 without this checkout's build folder" test $rc -eq 0
list=$(cpio -t <"$T/my-root.cpio" 2>/dev/null)
vsn=$(erlang/app-vsn.sh)
check "the root holds the SDK's freebeam application" grep -qx "otp/lib/freebeam-$vsn/ebin/freebeam.app" <<<"$list"
check "the root holds the user's file" grep -qx "otp/mine/hello.txt" <<<"$list"
notices=$(cd "$T" && cpio -i --to-stdout otp/NOTICES <"$T/my-root.cpio" 2>/dev/null)
check "its NOTICES come from the SDK's copyright files (musl's too)" \
  eval 'grep -q "Upstream-Name: musl" <<<"$notices" && grep -q "TERMS AND CONDITIONS FOR USE" <<<"$notices"'

# ---- an image from the SDK's kernel, erts and beam.config, booting that root ----
cat >"$T/my.config" <<EOF
%% The BEAM PD of the SDK, booting the user's root: prints the user's file.
{include, "$sdk/systems/beam.config",
 [{rights, [poweroff]}, {rootfs, "my-root.cpio"},
  {erl_args, ["--", "-noshell", "-eval",
              "{ok, B} = file:read_file(\"/otp/mine/hello.txt\"), io:format(\"SDK_ROOT ~s\", [B]), halt(0)."]}]}.
EOF
(cd "$T" && env -u FREEBEAM_BUILD FREEBEAM_SDK="$sdk" "$OLDPWD/tools/freebeam" image my.config -o my.img \
   --search "$sdk/erts" --search "$T" >"$T/image.log" 2>&1); rc=$?
[ $rc -eq 0 ] || show <"$T/image.log"
check "tools/freebeam image with FREEBEAM_SDK: the copy's kernel, erts and beam.config" test $rc -eq 0
tools/freebeam run "$T/my.img" --timeout 120 </dev/null >"$T/console" 2>&1; rc=$?
out=$(tr -d '\r' <"$T/console")
grep -qx "SDK_ROOT from the user's root" <<<"$out" && [ $rc -eq 0 ]
st=$?
[ $st -eq 0 ] || tail -n 5 <<<"$out" | show
verdict "the image boots the user's root and reads their file" $st

finish
