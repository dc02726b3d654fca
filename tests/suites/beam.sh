#!/usr/bin/env bash
# The BEAM on freebeam: OTP's erts, cross-built against our musl and libos,
# boots in its PD from the OTP root archive, runs Erlang code and halts with
# the status Erlang asked for.  Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh

img=$B/images/beam-hello.img
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
has_app $B/beam/root.cpio && ok "$B/beam/root.cpio holds $fbapp (.app and every module)" ||
  bad "$B/beam/root.cpio lacks the freebeam application"

# ---- every module's checksum chunk is the sum its module had on Linux ----
# beam/mkroot.sh gives each module its beam_lib:md5/1 in a chunk "FbM5",
# which erts takes as module_info(md5) (fun identity across nodes too), and
# rewrites the literal chunk of the boot modules it stores raw: the chunk
# must hold the sum of the module as OTP built it (the host's file, or the
# patched module's: third_party/erlang/otp-patches), computed by the host's
# own beam_lib.  And the patched beam_lib:md5/1 in the archive answers it.
rootabs=$(cd "$B/beam" && pwd)/root.cpio patched=$(cd "$B/erlang/freebeam-$(erlang/app-vsn.sh)/otp" && pwd)
md5dir=$(mktemp -d) && (cd "$md5dir" && cpio --quiet -id <"$rootabs")
md5out=$(cd "$md5dir" && PATCHED=$patched erl -noshell -noinput -eval '
  Otp = code:root_dir(), Patched = os:getenv("PATCHED"),
  Check = fun(F) ->
      [_, App | _] = lists:reverse(filename:split(filename:dirname(F))),
      Base = filename:basename(F),
      Refs = filelib:wildcard(filename:join([Patched, "*", "ebin", Base])) ++
             [R || R <- [filename:join([Otp, "lib", App, "ebin", Base])], filelib:is_regular(R)],
      case {Refs, beam_lib:chunks(F, ["FbM5"])} of
          {[], _} -> skip;
          {[Ref | _], {ok, {_, [{_, Sum}]}}} ->
              case beam_lib:md5(Ref) of {ok, {_, Sum}} -> same; _ -> {differs, F} end;
          {_, Other} -> {no_chunk, F, Other}
      end
  end,
  R = [Check(F) || F <- filelib:wildcard("otp/lib/*/ebin/*.beam")],
  io:format("MD5 ~p same ~p~n", [length([x || same <- R]), [X || X <- R, X =/= same, X =/= skip]]),
  halt(0).' 2>&1)
rm -rf "$md5dir"
grep -qE '^MD5 [0-9]{3,} same \[\]$' <<<"$md5out" &&
  ok "every module of the root carries its OTP checksum in FbM5 ($(cut -d' ' -f2 <<<"$md5out") checked against the host's or the patched .beam)" ||
  { echo "$md5out" | head -n 5 | sed 's/^/  | /'; bad "a module's FbM5 chunk is not its checksum as OTP built it"; }

roots_ok=1 nroots=0
for cfg in beam/*.config bench/*/*.config systems/*.config; do
  # Its includes expanded: the descriptions that boot beam.smp (beam/beam.config's PD).
  terms=$(tools/freebeam image "$cfg" --expand 2>/dev/null) || continue
  grep -q '"beam.smp"' <<<"$terms" || continue
  nroots=$((nroots + 1))
  root=$(sed -n 's/^{region,rootfs,\[{file,"\([^"]*\)"}.*/\1/p' <<<"$terms")
  case $root in
    # bvl-root and cbench-root: beam/mkroot.sh's root plus a benchmark's
    # .beam files (bench/beam-vs-linux/mkroot.sh; bench/bench.mk, crypto.mk);
    # iex-root: beam/mkroot.sh's with elixir and iex (beam/beam.mk)
    root.cpio|bvl-root.cpio|cbench-root.cpio|iex-root.cpio) ;;
    *) roots_ok=0; echo "     $cfg boots beam.smp from '$root', not a root of beam/mkroot.sh" ;;
  esac
done
[ "$roots_ok" -eq 1 ] && [ "$nroots" -ge 8 ] && ok "every BEAM system description ($nroots) boots from beam/mkroot.sh's root" ||
  bad "a BEAM system description with another root"
# (the benchmark's root, when a benchmark run made one: brought up to date first)
if [ -f $B/bench/beam-vs-linux/bvl-root.cpio ] &&
     make --no-print-directory -s $B/bench/beam-vs-linux/bvl-root.cpio >/dev/null 2>&1; then
  has_app $B/bench/beam-vs-linux/bvl-root.cpio && ok "the benchmark's root holds the freebeam application" ||
    bad "$B/bench/beam-vs-linux/bvl-root.cpio lacks the freebeam application"
fi
# ---- the boot leaves out what OTP's kernel loaded only to make unused values ----
# OTP patches (third_party/erlang/otp-patches): the inetrc read as a binary
# term, not as text (no epp), global's rand, kernel's peer, net_kernel for
# monitor_nodes, erpc, beam_lib, inet and inet_udp for the host name, and
# inet_parse for the check of it;
# heart, which cannot run here (beam/mkroot.sh); the socket and net APIs'
# modules, which erts no longer preloads (erts patch 0010), load at their
# first call and work (their -on_load: OTP patch 0008).
# The lookup settings must be the inetrc's all the same.
lean=$(mkdir -p $B/testimage && mktemp -d $B/testimage/lean.XXXXXX) || exit 1
cat >"$lean/lean.config" <<'EOF'
{include, "HELLO", [{eval, "io:format(\"LEAN ~w~n\", [[M || M <- [epp, rand, peer, net_kernel, erpc, beam_lib, inet, inet_udp, inet_parse, heart, prim_socket, prim_net, socket_registry], erlang:module_loaded(M)]]), io:format(\"SOCK ~p~n\", [catch begin {ok, S} = socket:open(inet, stream, tcp), ok = socket:bind(S, #{family => inet, addr => loopback, port => 0}), {ok, #{port := P}} = socket:sockname(S), ok = socket:close(S), {P > 0, erlang:module_loaded(prim_socket), is_pid(whereis(socket_registry))} end]), io:format(\"NET ~p~n\", [catch net:gethostname()]), io:format(\"RC ~0p~nLOOKUP ~w ~w~n\", [inet:get_rc(), inet:getaddr(\"localhost\", inet), inet:getaddr(\"nosuchname\", inet)]), halt(0)."}]}.
EOF
sed -i "s|\"HELLO\"|\"$PWD/beam/hello.config\"|" "$lean/lean.config"
out=$(tools/freebeam image "$lean/lean.config" -o "$lean/lean.img" --kernel $B/kernel/kernel.elf --search $B/erts \
        --search $B/beam >/dev/null && tools/freebeam run "$lean/lean.img" --timeout 300 </dev/null 2>&1 | tr -d '\r')
check "the boot loads none of epp, rand, peer, net_kernel, erpc, beam_lib, inet, inet_udp, inet_parse, heart, prim_socket, prim_net, socket_registry" grep -qx 'LEAN \[\]' <<<"$out"
check "the socket API loads prim_socket at its first call and works (open, bind on loopback, sockname, close)" \
  grep -qx 'SOCK {true,true,true}' <<<"$out"
check "the net API loads prim_net at its first call (net:gethostname/0)" grep -qx 'NET {ok,"[^"]*"}' <<<"$out"
check "inet:get_rc/0 has the inetrc's settings (localhost, lookup [file])" \
  grep -q '^RC .*{host,{127,0,0,1},\["localhost"\]}.*{lookup,\[file\]}' <<<"$out"
check "localhost resolves through the inetrc, an unknown name is nxdomain" \
  grep -qx 'LOOKUP {ok,{127,0,0,1}} {error,nxdomain}' <<<"$out"
grep -qx 'LEAN \[\]' <<<"$out" && grep -qx 'SOCK {true,true,true}' <<<"$out" || echo "$out" | tail -n 8 | sed 's/^/  | /'
rm -rf "$lean"

# ---- the loader's rule index (erts patch 0008) loads the same code as the plain walk ----
# Every module of the root is loaded and disassembled (erts_debug:df/1),
# once as images boot and once with FREEBEAM_TE_PLAIN, which makes erts try
# ops.tab's rules one by one as OTP does; the disassemblies must be the same
# instructions, line by line, with the same operands.  What two boots of
# one image may already differ in is left out: addresses (8 hex digits),
# and what follows from the order in which atoms were made (the boot's
# processes run in a timing-dependent order): the hashes that map
# instructions carry (signed decimals: digits and minus signs are left out
# of those lines), and the order of the operands of a select table (each
# line's words are compared as a sorted list).
te=$(mkdir -p $B/testimage && mktemp -d $B/testimage/te.XXXXXX) || exit 1
te_boot() {  # MORE_ENV -> the DIS lines of the console
  cat >"$te/te.config" <<EOF
{include, "$PWD/beam/beam.config",
 [{rights, [poweroff]}, {more_env, [$1]},
  {erl_args, ["--", "-noshell", "-eval", "_ = [code:ensure_loaded(list_to_atom(filename:basename(F, \".beam\"))) || D <- code:get_path(), F <- filelib:wildcard(D ++ \"/*.beam\")], ok = file:set_cwd(\"/tmp\"), [begin ok = erts_debug:df(M), {ok, B} = file:read_file(atom_to_list(M) ++ \".dis\"), ok = file:delete(atom_to_list(M) ++ \".dis\"), N0 = re:replace(B, \"[0-9A-F]{8}\", \"\", [global, {return, binary}]), N = << <<(iolist_to_binary(lists:join(<<32>>, lists:sort(binary:split(L2, <<32>>, [global])))))/binary, 10>> || L <- binary:split(N0, <<10>>, [global]), L2 <- [case binary:match(L, <<\"_hash_\">>) of nomatch -> L; _ -> << <<C>> || <<C>> <= L, C =/= 45, C < 48 orelse C > 57 >> end] >>, io:format(\"DIS ~p ~p ~s~n\", [M, byte_size(N), binary:encode_hex(erlang:md5(N))]) end || M <- lists:sort([M || {M, _} <- code:all_loaded()])], halt(0)."]}]}.
EOF
  tools/freebeam image "$te/te.config" -o "$te/te.img" --kernel $B/kernel/kernel.elf --search $B/erts --search $B/beam \
      >/dev/null && tools/freebeam run "$te/te.img" --timeout 300 </dev/null 2>&1 | tr -d '\r' | grep -a '^DIS '
}
idx=$(te_boot "") plain=$(te_boot '"FREEBEAM_TE_PLAIN=1"')
n=$(grep -c . <<<"$idx")
[ "$n" -gt 200 ] && [ "$idx" = "$plain" ] &&
  ok "the loader's rule index and ops.tab's plain walk load the same code ($n modules disassembled)" ||
  { diff <(echo "$idx") <(echo "$plain") | head -n 5 | sed 's/^/  | /'; bad "the loader's rule index loads other code than the plain walk ($n modules)"; }
rm -rf "$te"

# ---- .erlang: evaluated at boot when there is one, c and erl_eval not loaded when not ----
# The boot scripts call freebeam_boot:erlangrc/0 in place of c:erlangrc/0
# (beam/mkroot.sh): a root with a .erlang in its home folder (/otp/home),
# booted once with -home there and once with -home /, where there is none.
gen=$(mkdir -p $B/testimage && mktemp -d $B/testimage/erlangrc.XXXXXX) || exit 1
mkdir -p "$gen/home"
echo 'io:format("ERLANGRC_RAN ~p~n", [erlang:module_loaded(c)]).' >"$gen/home/.erlang"
erlangrc_boot() {  # HOME -> console of hello.config with that home and a C_LOADED line
  tools/freebeam image beam/hello.config --expand |
    sed -e "s|\"-home\",\"/\"|\"-home\",\"$1\"|" -e 's|"root.cpio"|"erlangrc-root.cpio"|' \
      -e 's|halt(0)\.|io:format(\\"C_LOADED ~p~n\\", [erlang:module_loaded(c)]), halt(0).|' >"$gen/erlangrc.config" &&
    tools/freebeam image "$gen/erlangrc.config" -o "$gen/erlangrc.img" --kernel $B/kernel/kernel.elf \
      --search $B/erts --search "$gen" >/dev/null &&
    tools/freebeam run "$gen/erlangrc.img" --timeout 300 </dev/null 2>&1 | tr -d '\r'
}
if FREEBEAM_APP=$B/erlang/freebeam-$(erlang/app-vsn.sh) beam/mkroot.sh --tree "$gen/home:home" \
     "$gen/erlangrc-root.cpio" >/dev/null; then
  out=$(erlangrc_boot /otp/home)
  grep -q '^ERLANGRC_RAN true' <<<"$out" && grep -q '^C_LOADED true' <<<"$out" &&
    ok ".erlang in the home folder is evaluated at boot (by c:erlangrc/0)" ||
    { echo "$out" | tail -n 5 | sed 's/^/  | /'; bad ".erlang in the home folder was not evaluated"; }
  out=$(erlangrc_boot /)
  ! grep -q 'ERLANGRC_RAN' <<<"$out" && grep -q '^C_LOADED false' <<<"$out" &&
    ok "without a .erlang, the boot loads neither .erlang nor the c module" ||
    { echo "$out" | tail -n 5 | sed 's/^/  | /'; bad "without a .erlang: c loaded or something evaluated"; }
else
  bad "beam/mkroot.sh --tree failed"
fi
rm -rf "$gen"
finish
