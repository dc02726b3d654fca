#!/usr/bin/env bash
# tests/suites/elixir.sh - Elixir releases in images (docs/elixir.md):
# builds examples/hello_elixir with `MIX_ENV=prod mix release` (no
# dependencies, offline) in build/elixir-test/, makes images from the
# release with `tools/freebeam image --release`, boots them and checks what
# the Application and its supervised GenServer print: the greeting from
# config/runtime.exs (it wins over config/config.exs), a String function and
# an Enum one, the applications started, and the exit status asked for
# through the image's environment (runtime.exs reads HELLO_HALT) or through
# the release's vm.args; the same through the mix task (`make mix-task`
# installs it in a MIX_HOME of the test's own; `mix freebeam.image`); a
# /data/config/runtime.exs on the disk that wins, and a malformed one ignored;
# updates made by mix (`update --release`): one confirmed, one rolled back.
# ExUnit files in `tools/freebeam test-image`, next to an EUnit module.  Also what the archive holds (the consolidated
# protocols, runtime.exs, no IEx nor SASL: the release marks them `none`,
# Elixir's notices) and a broken release refused with a clear message.
# Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
FB=$ROOT/tools/freebeam
. tests/lib/checks.sh
T=$B_ABS/elixir-test

rm -rf "$T" && mkdir -p "$T" || { bad "make $T"; finish; }
command -v mix >/dev/null || { bad "mix is not installed (make setup installs elixir)"; finish; }

# ---- the release, as a user makes it (a copy: the example stays clean) ----
proj=$T/hello_elixir
cp -r examples/hello_elixir "$proj" && rm -rf "$proj/_build" "$proj/deps" || { bad "copy the example"; finish; }
out=$(cd "$proj" && MIX_ENV=prod MIX_HOME=$T/mix-home HEX_OFFLINE=1 mix release --overwrite 2>&1); rc=$?
rel=$proj/_build/prod/rel/hello_elixir
check "mix release: made (exit 0)" [ "$rc" -eq 0 -a -f "$rel/releases/0.1.0/start.boot" ]
[ "$rc" -eq 0 ] || { echo "$out" | tail -n 20 | show; finish; }

# ---- 1. the release as it is, HELLO_HALT=5 for runtime.exs ----
out=$("$FB" image --release "$rel" -o "$T/hello.img" --env HELLO_HALT=5 --workdir "$T/work" 2>&1); rc=$?
echo "$out" | show
check "image --release (a mix release): built (exit 0)" [ "$rc" -eq 0 -a -f "$T/hello.img" ]
list=$(cpio -it --quiet <"$T/work/root.cpio" 2>/dev/null)
has() { grep -qx "$1" <<<"$list"; }
check "archive: the consolidated protocols under /otp/releases/0.1.0/consolidated" \
  has otp/releases/0.1.0/consolidated/Elixir.Enumerable.beam
check "archive: config/runtime.exs as /otp/releases/0.1.0/runtime.exs" has otp/releases/0.1.0/runtime.exs
check "archive: elixir, logger and the app from the release's lib/" \
  bash -c 'for a in elixir-1.14.0 logger-1.14.0 hello_elixir-0.1.0; do grep -qx "otp/lib/$a/ebin/$a.app" <<<"$1" || grep -qx "otp/lib/$a/ebin/${a%%-*}.app" <<<"$1" || exit 1; done' _ "$list"
check "archive: no iex and no sasl (the release marks them none)" \
  bash -c '! grep -qE "^otp/lib/(iex|sasl)-" <<<"$1"' _ "$list"
check "archive: the boot script's paths are /otp's (no \$RELEASE_LIB)" \
  erl -noshell -eval '{ok, B} = file:read_file("'"$T"'/work/releases/0.1.0/start.boot"),
    {script, _, I} = binary_to_term(B), Ps = lists:append([P || {path, P} <- I]),
    Bad = [P || P <- Ps, string:find(P, "RELEASE_LIB") =/= nomatch],
    Cons = lists:member("$ROOT/releases/0.1.0/consolidated", Ps),
    halt(case {Bad, Cons} of {[], true} -> 0; _ -> 1 end).'
check "description: RELEASE_ROOT=/otp for Config.Provider" grep -q '"RELEASE_ROOT=/otp"' "$T/work/system.config"
check "notices: the image's /otp/NOTICES names Elixir" bash -c '
  mkdir -p "$2" && cd "$2" && cpio -i -d --quiet otp/NOTICES <"$1" && grep -q "Elixir 1.14" otp/NOTICES' \
  _ "$T/work/root.cpio" "$T/notices"

"$FB" run "$T/hello.img" --timeout 180 >"$T/hello.log" 2>&1; rc=$?
log=$(tr -d '\r' <"$T/hello.log")
check "boot: the GenServer greets with runtime.exs's greeting (it wins), String and Enum work" \
  grep -q '^hello_elixir: hello from runtime.exs (ÜNÏCÖDÉ, 5050)$' <<<"$log"
check "boot: elixir, logger and hello_elixir started, halt status from runtime.exs's env" \
  grep -q '^hello_elixir: booted, running \[.*:elixir, :hello_elixir, :kernel, :logger.*\]; halting with status 5$' <<<"$log"
check "boot: exit status 5" [ "$rc" -eq 5 ]
[ "$rc" -eq 5 ] || echo "$log" | tail -n 30 | show

# ---- 2. vm.args: its init flags reach erts' init ----
# (An -APP KEY VALUE flag would not show: Config.Provider applies sys.config
# over it, on Linux too.)
cp -r "$rel" "$T/rel-vmargs" && printf '## a comment\n-eval erlang:halt(6)  # after the boot\n+sbwt none\n' >>"$T/rel-vmargs/releases/0.1.0/vm.args"
out=$("$FB" image --release "$T/rel-vmargs" -o "$T/vmargs.img" --workdir "$T/work-vmargs" 2>&1); rc=$?
echo "$out" | show
check "vm.args: image built, a warning for its emulator flag (+sbwt none)" \
  bash -c '[ "$1" -eq 0 ] && grep -q "emulator flags (+sbwt none) are not used" <<<"$2"' _ "$rc" "$out"
"$FB" run "$T/vmargs.img" --timeout 180 >"$T/vmargs.log" 2>&1; rc=$?
check "vm.args: -eval erlang:halt(6) ran after the boot (greeting, then exit status 6)" \
  bash -c '[ "$1" -eq 6 ] && tr -d "\r" <"$2" | grep -q "^hello_elixir: hello from runtime.exs "' _ "$rc" "$T/vmargs.log"
[ "$rc" -eq 6 ] || tr -d '\r' <"$T/vmargs.log" | tail -n 20 | show

# ---- 2b. the mix task: `make mix-task` into a MIX_HOME of the test's own ----
out=$(MIX_HOME=$T/mix-home make --no-print-directory -s mix-task 2>&1); rc=$?
check "make mix-task: installs the archive (exit 0)" [ "$rc" -eq 0 -a -d "$T/mix-home/archives/mix_freebeam" ]
[ "$rc" -eq 0 ] || echo "$out" | tail -n 10 | show
out=$(cd "$proj" && MIX_ENV=prod MIX_HOME=$T/mix-home HEX_OFFLINE=1 \
      mix freebeam.image -o "$T/task.img" -- --env HELLO_HALT=4 2>&1); rc=$?
echo "$out" | tail -n 5 | show
check "mix freebeam.image: the image built from the project (exit 0)" [ "$rc" -eq 0 -a -f "$T/task.img" ]
"$FB" run "$T/task.img" --timeout 180 >"$T/task.log" 2>&1; rc=$?
check "mix freebeam.image: the image boots, runtime.exs's greeting, exit status 4" \
  bash -c '[ "$1" -eq 4 ] && tr -d "\r" <"$2" | grep -q "^hello_elixir: hello from runtime.exs "' _ "$rc" "$T/task.log"

# ---- 2c. the device's own config/runtime.exs on /data wins over the image's ----
out=$("$FB" image --release "$rel" -o "$T/data.img" --system beam/data-disk.config --env HELLO_HALT=7 \
      --workdir "$T/work-data" 2>&1); rc=$?
check "data: image with a disk built (exit 0)" [ "$rc" -eq 0 -a -f "$T/data.img" ]
[ "$rc" -eq 0 ] || echo "$out" | tail -n 10 | show
check "data: the provider comes after the release's own (sys.config)" \
  grep -q 'freebeam_data_runtime' "$T/work-data/releases/0.1.0/sys.config"
mkdir -p "$T/data-good/config" "$T/data-bad/config"
printf 'import Config\nconfig :hello_elixir, greeting: "hello from /data"\n' >"$T/data-good/config/runtime.exs"
printf 'import Config\nconfig :hello_elixir, greeting: \n' >"$T/data-bad/config/runtime.exs"
for k in good bad; do
  "$FB" disk --size 16M --ext4 --from "$T/data-$k" "$T/data-$k.disk" >/dev/null 2>&1 || bad "disk --ext4 --from data-$k"
  "$FB" run "$T/data.img" --timeout 180 --disk "$T/data-$k.disk" >"$T/data-$k.log" 2>&1; echo $? >"$T/data-$k.rc"
done
check "data: /data/config/runtime.exs's greeting wins over the image's runtime.exs, exit status 7" \
  bash -c '[ "$(cat "$1.rc")" -eq 7 ] && tr -d "\r" <"$1.log" | grep -q "^hello_elixir: hello from /data (" &&
           tr -d "\r" <"$1.log" | grep -q "/data/config/runtime.exs overrides the settings of \[hello_elixir\]"' _ "$T/data-good"
[ "$(cat "$T/data-good.rc")" -eq 7 ] || tr -d '\r' <"$T/data-good.log" | tail -n 20 | show
check "data: a malformed /data/config/runtime.exs is reported, the image's greeting holds, exit status 7" \
  bash -c '[ "$(cat "$1.rc")" -eq 7 ] && tr -d "\r" <"$1.log" | grep -q "^hello_elixir: hello from runtime.exs (" &&
           tr -d "\r" <"$1.log" | grep -q "/data/config/runtime.exs not used (the image.s settings hold)"' _ "$T/data-bad"
[ "$(cat "$T/data-bad.rc")" -eq 7 ] || tr -d '\r' <"$T/data-bad.log" | tail -n 20 | show

# ---- 2d. an update made by mix: tried, confirmed, permanent; then one rolled back ----
# 0.2.0 confirms itself once booted (its runtime.exs sets confirm_release); 0.3.0
# does not.  Both halt with status 7 (the image's HELLO_HALT) after their boot.
mixrel() {  # VSN GREETING CONFIRM: $B/elixir-test/hello-VSN, released
  local p=$T/hello-$1
  cp -r examples/hello_elixir "$p" && rm -rf "$p/_build" "$p/deps" &&
    sed -i "s/version: \"0.1.0\"/version: \"$1\"/" "$p/mix.exs" &&
    sed -i "s/hello from runtime.exs/$2/" "$p/config/runtime.exs" &&
    echo "config :hello_elixir, confirm_release: $3" >>"$p/config/runtime.exs" &&
    (cd "$p" && MIX_ENV=prod MIX_HOME=$T/mix-home HEX_OFFLINE=1 mix release --overwrite >"$T/mix-$1.log" 2>&1)
}
mixrel 0.2.0 "hello from 0.2.0" true || bad "mix release 0.2.0"
mixrel 0.3.0 "hello from 0.3.0" false || bad "mix release 0.3.0"
"$FB" disk --size 64M --ext4 "$T/upd.disk" >/dev/null 2>&1 || bad "disk --ext4 for updates"
boot_upd() {  # NAME: boots data.img on upd.disk; the console in $T/upd-NAME.log, the status in $urc
  "$FB" run "$T/data.img" --timeout 180 --disk "$T/upd.disk" >"$T/upd-$1.raw" 2>&1; urc=$?
  tr -d '\r' <"$T/upd-$1.raw" >"$T/upd-$1.log"
}
upd() { "$FB" update --release "$T/hello-$1/_build/prod/rel/hello_elixir" --disk "$T/upd.disk" >"$T/update-$1.log" 2>&1 ||
  { show <"$T/update-$1.log"; false; }; }
check "update --release: 0.2.0 (a mix release) placed on the disk" upd 0.2.0
boot_upd 1
check "update --release: 0.2.0 boots on trial, greets with its own runtime.exs, confirms" \
  bash -c '[ "$1" -eq 7 ] && grep -q "^libos: release: 0.2.0 boots from /data on trial" "$2" &&
           grep -q "^hello_elixir: hello from 0.2.0 (" "$2" && grep -q "^hello_elixir: release 0.2.0 confirmed" "$2"' \
  _ "$urc" "$T/upd-1.log"
check "update --release: the trial notice printed once" \
  bash -c '[ "$(grep -c "^freebeam: release 0.2.0 on trial: it must confirm within" "$1")" -eq 1 ]' _ "$T/upd-1.log"
[ "$urc" -eq 7 ] || tail -n 20 "$T/upd-1.log" | show
boot_upd 2
check "update --release: next boot, 0.2.0 is permanent" \
  bash -c '[ "$1" -eq 7 ] && grep -q "^libos: release: 0.2.0 boots from /data (permanent)" "$2"' _ "$urc" "$T/upd-2.log"
check "update --release: 0.3.0 placed" upd 0.3.0
boot_upd 3
check "update --release: 0.3.0 on trial halts (status 7) without confirming" \
  bash -c '[ "$1" -eq 7 ] && grep -q "^hello_elixir: hello from 0.3.0 (" "$2" && ! grep -q "confirmed" "$2"' \
  _ "$urc" "$T/upd-3.log"
boot_upd 4
check "update --release: 0.3.0 rolled back, 0.2.0 (permanent) boots again" \
  bash -c '[ "$1" -eq 7 ] && grep -q "^hello_elixir: hello from 0.2.0 (" "$2"' _ "$urc" "$T/upd-4.log"
check "update --release: e2fsck -fn finds the disk clean" eval 'e2fsck -fn "$T/upd.disk" >/dev/null 2>&1'

# ---- 3. a broken release: refused, no image ----
cp -r "$rel" "$T/rel-broken" && rm -rf "$T/rel-broken/releases/0.1.0/consolidated"
out=$("$FB" image --release "$T/rel-broken" -o "$T/broken.img" 2>&1); rc=$?
check "no consolidated/: refused (exit 1), says which directory, no image" \
  bash -c '[ "$1" -eq 1 ] && grep -q "consolidated: no such directory" <<<"$2" && [ ! -e "$3" ]' _ "$rc" "$out" "$T/broken.img"
# ---- 4. ExUnit files in test-image, next to an EUnit module ----
x=$T/exunit && mkdir -p "$x"
cat >"$x/fb_plain_tests.erl" <<'EOF'
-module(fb_plain_tests).
-include_lib("eunit/include/eunit.hrl").
plain_test() -> ?assertEqual(3, 1 + 2).
EOF
cat >"$x/passing_test.exs" <<'EOF'
defmodule Helper do
  def double(x), do: x * 2
end

defmodule PassingTest do
  use ExUnit.Case, async: true

  test "a helper module of the same file" do
    assert Helper.double(21) == 42
  end

  test "unicode strings" do
    assert String.reverse("héllo") == "olléh"
  end

  @tag :skip
  test "skipped on purpose" do
    flunk("never runs")
  end
end
EOF
cat >"$x/failing_test.exs" <<'EOF'
defmodule FailingTest do
  use ExUnit.Case

  test "passes" do
    assert Enum.sum(1..10) == 55
  end

  test "fails on purpose" do
    assert Enum.sum([1, 2]) == 4
  end
end
EOF
out=$("$FB" test-image --timeout 300 "$x/fb_plain_tests.erl" "$x/passing_test.exs" "$x/failing_test.exs" </dev/null 2>&1); rc=$?
out=$(tr -d '\r' <<<"$out")
echo "$out" | show
check "test-image: EUnit and ExUnit counted together: 4 passed, 1 failed, 1 skipped" \
  grep -q '^4 passed, 1 failed, 1 skipped$' <<<"$out"
check "test-image: each ExUnit module's own line" bash -c '
  grep -q "^fb_test: Elixir.PassingTest: 2 passed, 0 failed, 1 skipped$" <<<"$1" &&
  grep -q "^fb_test: Elixir.FailingTest: 1 passed, 1 failed, 0 skipped$" <<<"$1"' _ "$out"
check "test-image: ExUnit's report of the failure on the console" grep -q 'Assertion with == failed' <<<"$out"
check "test-image: exit status 1 (a test failed)" [ "$rc" -eq 1 ]
printf 'defmodule NoTests do\nend\n' >"$x/empty_test.exs"
out=$("$FB" test-image "$x/empty_test.exs" </dev/null 2>&1); rc=$?
check "test-image: an .exs without a test module is refused" \
  bash -c '[ "$1" -ne 0 ] && grep -q "defines no ExUnit test module" <<<"$2"' _ "$rc" "$out"
finish
