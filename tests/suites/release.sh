#!/usr/bin/env bash
# tests/suites/release.sh - the user's own OTP applications in an image
# (docs/releases.md): `tools/freebeam image --app DIR...` and
# `tools/freebeam image --release DIR`.  Compiles examples/hello_app into
# build/release-test/, builds images from it (as application directories,
# with and without the shell, and as a systools release), boots them and
# checks the gen_server's line and the exit status the application asked
# for; then bad inputs, refused with a clear message, status 1 and no image.
# Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
FB=$ROOT/tools/freebeam
. tests/lib/checks.sh
T=$B_ABS/release-test

rm -rf "$T" && mkdir -p "$T" || { bad "make $T"; finish; }
# The host's kernel and stdlib: the versions the image's erts runs.
read -r kvsn svsn < <(erl -noshell -eval '
  V = fun(A) -> element(3, lists:keyfind(A, 1, application:loaded_applications())) end,
  io:format("~s ~s~n", [V(kernel), V(stdlib)]), halt().')

# ---- the example, compiled as a user would (no rebar3) ----
app=$T/hello_app
mkdir -p "$app/ebin" &&
  erlc +debug_info -o "$app/ebin" examples/hello_app/src/*.erl &&
  cp examples/hello_app/src/hello_app.app.src "$app/ebin/hello_app.app" ||
  { bad "compile examples/hello_app"; finish; }
mkdir -p "$app/priv" && echo "hello, priv" >"$app/priv/greeting.txt"
printf '[{hello_app, [{halt_after_boot, 7}]}].\n' >"$T/halt7.config"

# The app's lines on a console log: the greeting from hello_server's init,
# then, after the boot script has started everything, the halt line.
app_lines() {  # LOG STATUS
  local log=$1 st=$2 g h
  # (No ^: with the shell, the prompt may come first on the line.)
  g=$(tr -d '\r' <"$log" | grep -n 'hello_app: hello from hello_app (' | head -n 1 | cut -d: -f1)
  h=$(tr -d '\r' <"$log" | grep -n "hello_app: booted, running .*hello_app.*; halting with status $st\$" |
      head -n 1 | cut -d: -f1)
  [ -n "$g" ] && [ -n "$h" ] && [ "$g" -lt "$h" ]
}

# ---- 1. --app, no shell ----
out=$("$FB" image --app "$app" --sys-config "$T/halt7.config" -o "$T/hello.img" --workdir "$T/work" 2>&1); rc=$?
echo "$out" | show
check "image --app: built (exit 0)" [ "$rc" -eq 0 -a -f "$T/hello.img" ]
check "image --app: one PD (-noshell)" grep -q "^image: $T/hello.img ([0-9]* bytes, 1 PDs)" <<<"$out"
check "image --app: .rel names the host's kernel and stdlib" \
  grep -q "{kernel,\"$kvsn\"},{stdlib,\"$svsn\"}" \
  "$T/work/releases/0.1.0/hello_app.rel"
check "image --app: boot script made by systools" [ -f "$T/work/releases/0.1.0/hello_app.boot" ]
check "image --app: -noshell, -boot and -config in the description" \
  grep -q '"-boot", "/otp/releases/0.1.0/hello_app", "-config", "/otp/releases/0.1.0/sys", "-noshell"' \
  "$T/work/system.config"
# The description includes beam/beam.config: its terms, expanded.
check "image --app: the heap is the rest of RAM by default" \
  grep -q '^{region,heap,\[{size,rest}\]}\.' <(tools/freebeam image "$T/work/system.config" --expand)
# The archive: the app at lib/hello_app-0.1.0 with its priv/, its .beam files stripped.
mkdir -p "$T/cpio" && (cd "$T/cpio" && cpio --quiet -id <"$T/work/root.cpio") 2>/dev/null
check "archive: lib/hello_app-0.1.0/ebin and priv/" \
  [ -f "$T/cpio/otp/lib/hello_app-0.1.0/ebin/hello_server.beam" -a -f "$T/cpio/otp/lib/hello_app-0.1.0/priv/greeting.txt" ]
dbgi() { erl -noshell -eval '
  case beam_lib:chunks("'"$1"'", ["Dbgi"]) of
      {ok, _} -> io:put_chars("yes");
      {error, beam_lib, {missing_chunk, _, _}} -> io:put_chars("no")
  end, halt().' 2>/dev/null; }
check "archive: the app's .beam files are stripped (debug_info before, none after)" \
  [ "$(dbgi "$app/ebin/hello_server.beam")" = yes -a "$(dbgi "$T/cpio/otp/lib/hello_app-0.1.0/ebin/hello_server.beam")" = no ]
check "archive: kernel and stdlib of the host, compiler too" \
  [ -d "$T/cpio/otp/lib/kernel-$kvsn" -a -d "$T/cpio/otp/lib/stdlib-$svsn" -a -n "$(ls -d "$T"/cpio/otp/lib/compiler-* 2>/dev/null)" ]
fbvsn=$(erlang/app-vsn.sh)
check "archive: the freebeam application (in every image)" \
  [ -f "$T/cpio/otp/lib/freebeam-$fbvsn/ebin/freebeam.app" -a -f "$T/cpio/otp/lib/freebeam-$fbvsn/ebin/freebeam_nif.beam" ]

if [ -f "$T/hello.img" ]; then
  "$FB" run "$T/hello.img" --timeout 120 </dev/null >"$T/hello.log" 2>&1; rc=$?
  show <"$T/hello.log"
  check "boot --app image: exit status 7, as the app asked (halt(7))" [ "$rc" -eq 7 ]
  check "boot --app image: the gen_server's line, then the app running after boot" app_lines "$T/hello.log" 7
else
  bad "boot --app image: no image"
fi

# ---- 2. --app --shell: the serial driver PD and the shell ----
printf '[{hello_app, [{halt_after_boot, 3}, {greeting, "hello from hello_app"}]}].\n' >"$T/halt3.config"
out=$("$FB" image --app "$app" --shell --sys-config "$T/halt3.config" --name hello --vsn 2 \
      -o "$T/shell.img" 2>&1); rc=$?
echo "$out" | show
check "image --app --shell: built (exit 0)" [ "$rc" -eq 0 -a -f "$T/shell.img" ]
check "image --app --shell: two PDs (the serial driver and the BEAM)" \
  grep -q "^image: $T/shell.img ([0-9]* bytes, 2 PDs)" <<<"$out"
check "image --app --shell: release named by --name/--vsn" grep -q '^release: hello 2 (boot /otp/releases/2/hello.boot' <<<"$out"
if [ -f "$T/shell.img" ]; then
  "$FB" run "$T/shell.img" --timeout 120 </dev/null >"$T/shell.log" 2>&1; rc=$?
  show <"$T/shell.log"
  check "boot --shell image: exit status 3" [ "$rc" -eq 3 ]
  check "boot --shell image: the gen_server's line, then the app running after boot" app_lines "$T/shell.log" 3
else
  bad "boot --shell image: no image"
fi

# ---- 3. --release: a release made with systools (make_script + make_tar) ----
rel=$T/relsrc
mkdir -p "$rel" && cp -r "$app" "$rel/hello_app-0.1.0" &&
  printf '[{hello_app, [{halt_after_boot, 5}]}].\n' >"$rel/sys.config" &&
  erl -noshell -eval '
    {ok, [Apps]} = {ok, [[{A, V} || {A, _, V} <- application:loaded_applications(), lists:member(A, [kernel, stdlib])]]},
    Rel = {release, {"hello_rel", "1.0"}, {erts, erlang:system_info(version)}, Apps ++ [{hello_app, "0.1.0"}]},
    ok = file:write_file("'"$rel"'/hello_rel.rel", io_lib:format("~p.~n", [Rel])),
    Path = ["'"$rel"'/hello_app-0.1.0/ebin"],
    {ok, _, _} = systools:make_script("'"$rel"'/hello_rel", [{path, Path}, {outdir, "'"$rel"'"}, silent]),
    {ok, _, _} = systools:make_tar("'"$rel"'/hello_rel", [{path, Path}, {outdir, "'"$rel"'"}, silent]),
    halt().' &&
  mkdir -p "$T/rel" && tar -xzf "$rel/hello_rel.tar.gz" -C "$T/rel" ||
  bad "make a release with systools"
out=$("$FB" image --release "$T/rel" -o "$T/rel.img" 2>&1); rc=$?
echo "$out" | show
check "image --release: built (exit 0)" [ "$rc" -eq 0 -a -f "$T/rel.img" ]
check "image --release: its boot script and sys.config" \
  grep -q '^release: hello_rel 1.0 (boot /otp/releases/1.0/start.boot, config /otp/releases/1.0/sys.config)' <<<"$out"
if [ -f "$T/rel.img" ]; then
  "$FB" run "$T/rel.img" --timeout 120 </dev/null >"$T/rel.log" 2>&1; rc=$?
  show <"$T/rel.log"
  check "boot --release image: exit status 5 (from the release's sys.config)" [ "$rc" -eq 5 ]
  check "boot --release image: the gen_server's line, then the app running after boot" app_lines "$T/rel.log" 5
else
  bad "boot --release image: no image"
fi

# ---- 4. dependencies from the host's OTP ----
dep=$T/dep_app
mkdir -p "$dep/ebin" && cat >"$dep/ebin/dep_app.app" <<'EOF'
{application, dep_app, [{description, "needs sasl"}, {vsn, "1"}, {modules, []}, {registered, []},
                        {applications, [kernel, stdlib, sasl, hello_app]}]}.
EOF
out=$("$FB" image --app "$dep" --app "$app" --start dep_app -o "$T/dep.img" --workdir "$T/depwork" 2>&1); rc=$?
echo "$out" | show
check "dependencies: built" [ "$rc" -eq 0 -a -f "$T/dep.img" ]
check "dependencies: sasl (from the host) and hello_app (given) in the .rel" \
  grep -q '{sasl,"[0-9.]*"}' "$T/depwork/releases/1/dep_app.rel"
check "dependencies: sasl's .beam files in the archive" \
  grep -qa 'otp/lib/sasl-[0-9.]*/ebin/sasl.beam' "$T/depwork/root.cpio"
check "dependencies: --start dep_app starts hello_app it needs" \
  grep -q '{hello_app,"0.1.0"}' "$T/depwork/releases/1/dep_app.rel"
out=$("$FB" image --app "$dep" --app "$app" --start hello_app --heap 64 -o "$T/dep2.img" --workdir "$T/depwork2" 2>&1); rc=$?
echo "$out" | show
check "--heap 64 caps the heap region at 64 MiB" \
  grep -q "^{region,heap,\[{size,$((64 << 20))}\]}\." <(tools/freebeam image "$T/depwork2/system.config" --expand)
loaded_only() { [ "$rc" -eq 0 ] && grep -q '{dep_app,"1",load}' "$T/depwork2/releases/1/dep_app.rel" &&
                grep -q '{sasl,"[0-9.]*",load}' "$T/depwork2/releases/1/dep_app.rel"; }
check "--start hello_app: dep_app and the sasl it needs only loaded" loaded_only

# An application that needs freebeam: found in the image's own root, started
# by the boot script, never copied as a second application.
fbu=$T/fbuser_app
mkdir -p "$fbu/ebin" && cat >"$fbu/ebin/fbuser_app.app" <<'EOF'
{application, fbuser_app, [{description, "needs freebeam"}, {vsn, "1"}, {modules, []}, {registered, []},
                           {applications, [kernel, stdlib, freebeam]}]}.
EOF
out=$("$FB" image --app "$fbu" -o "$T/fbuser.img" --workdir "$T/fbuwork" 2>&1); rc=$?
echo "$out" | show
fbu_built() { [ "$rc" -eq 0 ] && [ -f "$T/fbuser.img" ] && grep -q "{freebeam,\"$fbvsn\"}" "$T/fbuwork/releases/1/fbuser_app.rel"; }
check "needs freebeam: built, freebeam started by the .rel" fbu_built
check "needs freebeam: one freebeam in the archive" \
  [ "$(cpio -t <"$T/fbuwork/root.cpio" 2>/dev/null | grep -c '^otp/lib/freebeam-[^/]*$')" = 1 ]

# ---- 5. bad inputs: status 1, a clear message, no image ----
refused() {  # NAME PATTERN ARGS...: exit 1, PATTERN on stderr, no image
  local name=$1 pat=$2; shift 2
  rm -f "$T/bad.img"
  local err; err=$("$FB" image "$@" -o "$T/bad.img" 2>&1 >/dev/null); local rc=$?
  echo "$err" | show
  if [ "$rc" -eq 1 ] && grep -q -- "$pat" <<<"$err" && [ ! -e "$T/bad.img" ]; then
    ok "refused: $name"
  else
    bad "refused: $name (exit $rc)"
  fi
}
mkdir -p "$T/noapp/ebin" && cp "$app/ebin/"*.beam "$T/noapp/ebin/"
refused "a directory without ebin/*.app" "--app $T/noapp: no ebin/\*.app file: not an OTP application" \
  --app "$T/noapp"
mkdir -p "$T/noebin/src"
refused "a directory without ebin/" "--app $T/noebin: no ebin/ directory" --app "$T/noebin"
refused "no such directory" "--app $T/nosuch: no such directory" --app "$T/nosuch"
mkdir -p "$T/missdep/ebin" && cat >"$T/missdep/ebin/missdep.app" <<'EOF'
{application, missdep, [{description, "x"}, {vsn, "1"}, {modules, []}, {registered, []},
                        {applications, [kernel, stdlib, no_such_app]}]}.
EOF
refused "a dependency that is nowhere" "missdep needs no_such_app, which is neither given with --app nor installed" \
  --app "$T/missdep"
mkdir -p "$T/missmod/ebin" && cat >"$T/missmod/ebin/missmod.app" <<'EOF'
{application, missmod, [{description, "x"}, {vsn, "1"}, {modules, [missmod_server]}, {registered, []},
                        {applications, [kernel, stdlib]}]}.
EOF
refused "a module named in the .app without its .beam" "module missmod_server (named in ebin/missmod.app) has no ebin/missmod_server.beam" \
  --app "$T/missmod"
mkdir -p "$T/ownfb/ebin" && cp "$ROOT/erlang/src/freebeam.app.src" "$T/ownfb/ebin/freebeam.app"
refused "an --app named freebeam (the image has its own)" "freebeam is always in the image" --app "$T/ownfb"
refused "--start of an application not given" "--start nope: not one of the applications given with --app" \
  --app "$app" --start nope
refused "a directory that is no release" "--release $T/noapp: no releases/ directory: not an OTP release" \
  --release "$T/noapp"
# A release made for another OTP: its boot script's kernel is not the host's.
cp -r "$T/rel" "$T/oldrel" &&
  erl -noshell -eval '
    F = hd(filelib:wildcard("'"$T"'/oldrel/releases/1.0/*.boot")),
    {ok, B} = file:read_file(F),
    {script, Id, I} = binary_to_term(B),
    Fix = fun({path, P}) -> {path, [lists:flatten(string:replace(X, "kernel-'"$kvsn"'", "kernel-7.0")) || X <- P]}; (X) -> X end,
    ok = file:write_file(F, term_to_binary({script, Id, [Fix(X) || X <- I]})), halt().'
refused "a release for another OTP version" "the release is made for kernel-7.0, but freebeam's erts runs the host's OTP 25" \
  --release "$T/oldrel"
# A refusal leaves an older image as it was.
cp "$T/hello.img" "$T/keep.img" 2>/dev/null
"$FB" image --app "$T/noapp" -o "$T/keep.img" >/dev/null 2>&1
check "a refusal leaves an existing image alone" cmp -s "$T/hello.img" "$T/keep.img"

# ---- 6. usage errors: status 2 ----
usage2() { local name=$1; shift; "$FB" image "$@" >/dev/null 2>&1; local rc=$?
           [ "$rc" -eq 2 ] && ok "usage: $name (exit 2)" || bad "usage: $name (exit $rc)"; }
usage2 "--app without -o" --app "$app"
usage2 "--app with --release" --app "$app" --release "$T/rel" -o "$T/bad.img"
usage2 "--start with --release" --release "$T/rel" --start hello_app -o "$T/bad.img"
usage2 "a system description with --app" beam/hello.config --app "$app" -o "$T/bad.img"
usage2 "--heap out of range" --app "$app" --heap 1000 -o "$T/bad.img"
check "usage errors wrote no image" [ ! -e "$T/bad.img" ]

finish
