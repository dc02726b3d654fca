#!/usr/bin/env bash
# mkroot.sh [--app DIR]... [--tree SRC:DEST]... OUT.cpio [APP...] - the OTP
# root the BEAM PD boots from, as a cpio "newc" archive that libos mounts
# read-only at /otp.
#
# The .beam files are architecture independent, so they come from the host's
# Debian packages (erlang-base and friends, the same version as the erts we
# cross-build), stripped of debug chunks.  kernel, stdlib and compiler are
# always in; more applications are named on the command line (eunit, ...).
# An application not under OTP's lib is looked up in Elixir's
# ($ELIXIR_LIB, default /usr/lib/elixir/lib: Debian's elixir package, whose
# directories have no version: the archive names them APP-VSN from the .app),
# e.g. elixir, iex, logger.  An archive with Elixir's elixir application
# (from there or from --app, as a mix release has it) has Elixir's notices in
# /otp/NOTICES too.
# $KEEP_DOCS: module names (Elixir.Enum ...) whose "Docs" chunk survives the
# stripping, for IEx's `h` (every other module loses its docs).
# The freebeam application (erlang/, compiled by `make freebeam-app`) is
# always in too, as /otp/lib/freebeam-VSN: from $FREEBEAM_APP if set, else
# from the SDK's erlang/freebeam-VSN (VSN: erlang/src/freebeam.app.src).
# `make sdk` copies this script into the SDK as tools/mkroot.sh, with
# tools/notices.sh and what it reads: a user's build makes its roots there.
# Extra contents (tools/freebeam test-image uses them):
#   --app DIR       a directory of the user's application (DIR/ebin, and
#                   DIR/priv, DIR/include if present), as /otp/lib/$(basename DIR);
#                   its .beam files are stripped like OTP's
#   --tree SRC:DEST the files under directory SRC as they are, at /otp/DEST
#                   (e.g. --tree build/x/test:test gives /otp/test/ebin/...)
# /otp/NOTICES holds the licence notices of what the image holds (tools/notices.sh).
# /otp/etc/inetrc is the name lookup configuration the images point erts at
# (ERL_INETRC; stored as term_to_binary/1 of its terms, as is inetrc-net):
# names come from it, never from inet_gethost, which cannot be
# spawned in a PD and whose failure halts the VM (docs/networking.md).
# /otp/etc/inetrc-net, /etc/hosts and /etc/resolv.conf are for images on a
# network: lookups through [file, dns].  /usr is an empty directory.
# The archive is reproducible: sorted entries, every mtime 0.
set -euo pipefail
usage() { echo "usage: $0 [--app DIR]... [--tree SRC:DEST]... OUT.cpio [APP...]" >&2; exit 2; }
apps=(); trees=()
while [ $# -gt 0 ]; do
  case $1 in
    --app) [ $# -ge 2 ] || usage; apps+=("$2"); shift 2 ;;
    --tree) [ $# -ge 2 ] || usage; [[ $2 == ?*:?* ]] || usage; trees+=("$2"); shift 2 ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
out=$1; shift
otp=${OTP_ROOT:-/usr/lib/erlang}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${FREEBEAM_APP:-}" ]; then
  # The SDK's (docs/sdk.md): that of the SDK this script is part of
  # (SDK/tools/mkroot.sh, beside the tools' ebin), else FREEBEAM_SDK's,
  # else that of this checkout's build folder (FREEBEAM_BUILD, default build).
  b=${FREEBEAM_BUILD:-build}; [[ $b == /* ]] || b=$here/../$b
  sdk=${FREEBEAM_SDK:-$b/sdk}
  [ -f "$here/ebin/fb_main.beam" ] && sdk=$here/..
  FREEBEAM_APP=$(compgen -G "$sdk/erlang/freebeam-*" | sort -V | tail -n 1) || FREEBEAM_APP=$sdk/erlang/freebeam-VSN
fi
[ -f "$FREEBEAM_APP/ebin/freebeam.app" ] ||
  { echo "$0: no freebeam application at $FREEBEAM_APP (make freebeam-app)" >&2; exit 1; }
[ -f "$FREEBEAM_APP/otp/.built" ] ||
  { echo "$0: no patched OTP modules at $FREEBEAM_APP/otp (make freebeam-app)" >&2; exit 1; }
apps=("$FREEBEAM_APP" ${apps[@]+"${apps[@]}"})
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/otp
mkdir -p "$root/bin"
cp "$otp"/bin/start.boot "$otp"/bin/start_clean.boot "$otp"/bin/no_dot_erlang.boot "$root/bin/"

elixir_lib=${ELIXIR_LIB:-/usr/lib/elixir/lib}
declare -A seen=()
for app in kernel stdlib compiler "$@"; do
  [ -n "${seen[$app]:-}" ] && continue
  seen[$app]=1
  dirs=("$otp"/lib/"$app"-*)
  if [ -d "${dirs[0]}" ]; then
    src=${dirs[0]}
    dst=$root/lib/$(basename "$src")
  elif [ -f "$elixir_lib/$app/ebin/$app.app" ]; then
    src=$elixir_lib/$app
    vsn=$(sed -n 's/.*{vsn, *"\([^"]*\)"}.*/\1/p' "$src/ebin/$app.app" | head -n 1)
    [ -n "$vsn" ] || { echo "$0: $src/ebin/$app.app has no vsn" >&2; exit 1; }
    dst=$root/lib/$app-$vsn
  else
    echo "$0: application $app is installed neither under $otp/lib nor under $elixir_lib" >&2; exit 1
  fi
  mkdir -p "$dst/ebin"
  cp "$src"/ebin/*.beam "$src"/ebin/*.app "$dst/ebin/" 2>/dev/null || cp "$src"/ebin/* "$dst/ebin/"
  # -L: Debian links some priv files to other packages (common_test's jquery).
  # Not the host's shared objects (crypto's and asn1's NIFs, built for the
  # host): a PD loads no code at run time; the NIFs it can have are linked
  # into beam.smp (third_party/erlang/build.sh).
  if [ -d "$src/priv" ]; then
    cp -rL "$src/priv" "$dst/"
    find "$dst/priv" -name '*.so' -type f -delete
  fi
  [ -d "$src/include" ] && cp -r "$src/include" "$dst/"
done

for dir in ${apps[@]+"${apps[@]}"}; do
  [ -d "$dir/ebin" ] || { echo "$0: --app $dir: no ebin directory" >&2; exit 1; }
  dst=$root/lib/$(basename "$dir")
  [ -e "$dst" ] && { echo "$0: --app $dir: $(basename "$dir") is already in the archive" >&2; exit 1; }
  mkdir -p "$dst"
  for sub in ebin priv include; do [ -d "$dir/$sub" ] && cp -r "$dir/$sub" "$dst/"; done
done
for t in ${trees[@]+"${trees[@]}"}; do
  src=${t%%:*} dest=${t#*:}
  [ -d "$src" ] || { echo "$0: --tree $t: $src is not a directory" >&2; exit 1; }
  case /$dest/ in */../*|*/./*) echo "$0: --tree $t: DEST must be a plain relative path" >&2; exit 1 ;; esac
  dest=${dest#/}
  mkdir -p "$root/$dest"
  cp -r "$src"/. "$root/$dest/"
done

# The modules of the socket and net APIs, which erts does not preload
# (third_party/erlang/patches/0010): in lib/erts-VSN/ebin, where the code
# server finds them at their first call.  prim_socket and prim_net are then
# replaced by the patched ones below (otp-patches/0008: their -on_load).
erts_dirs=("$otp"/lib/erts-*)
erts_ebin=$root/lib/$(basename "${erts_dirs[0]}")/ebin
mkdir -p "$erts_ebin"
for m in socket_registry prim_socket prim_net; do
  cp "${erts_dirs[0]}/ebin/$m.beam" "$erts_ebin/" || { echo "$0: no $m.beam in $otp/lib/erts-*/ebin" >&2; exit 1; }
done

# The OTP modules freebeam patches (third_party/erlang/otp-patches, each
# says why), built with the freebeam application as otp/APP-VSN/ebin: over
# OTP's own.
for d in "$FREEBEAM_APP"/otp/*/ebin; do
  [ -d "$d" ] || continue
  dst=$root/lib/$(basename "$(dirname "$d")")/ebin
  [ -d "$dst" ] || { echo "$0: $d: the root has no $(basename "$(dirname "$d")")" >&2; exit 1; }
  cp "$d"/*.beam "$dst/"
done

# Name lookups: this file only (no native lookup helper), localhost known.
# Both inetrc files are written below as text, then stored as the
# term_to_binary/1 of their terms' list, which our inet_config reads
# without loading erl_scan, erl_parse and epp at every boot
# (third_party/erlang/otp-patches/0001; docs/profiling.md).
mkdir -p "$root/etc"
cat >"$root/etc/inetrc" <<'INETRC'
%% freebeam's inetrc (beam/mkroot.sh; ERL_INETRC points here): look names up
%% here only, never through the inet_gethost helper (no processes in a PD).
{lookup, [file]}.
{host, {127,0,0,1}, ["localhost"]}.
INETRC
# With a network (eth0: beam/net.config, docs/networking.md): /etc/hosts
# first, then DNS through resolv.conf's server, QEMU's user network's
# 10.0.2.3.  Images on a network point ERL_INETRC at inetrc-net.
cat >"$root/etc/inetrc-net" <<'INETRC'
%% freebeam's inetrc for images on a network (beam/mkroot.sh): /etc/hosts,
%% then DNS (inet_res) through the servers of /etc/resolv.conf.
{hosts_file, "/etc/hosts"}.
{resolv_conf, "/etc/resolv.conf"}.
{lookup, [file, dns]}.
INETRC
erl -noshell -noinput -eval '
  ToTerms = fun(F) ->
      {ok, Terms} = file:consult(F),
      ok = file:write_file(F, term_to_binary(Terms))
  end,
  lists:foreach(ToTerms, ["'"$root"'/etc/inetrc", "'"$root"'/etc/inetrc-net"]),
  halt(0).'
mkdir -p "$stage/etc"
printf '127.0.0.1\tlocalhost\n' >"$stage/etc/hosts"
printf '# QEMU user network (docs/networking.md)\nnameserver 10.0.2.3\n' >"$stage/etc/resolv.conf"

# The licence notices of what the image holds, readable in it as /otp/NOTICES.
# An archive with the crypto application is booted by the crypto flavour of
# erts, which holds OpenSSL's libcrypto.
notice_opts=()
compgen -G "$root/lib/elixir-*" >/dev/null && notice_opts+=(--elixir)
compgen -G "$root/lib/crypto-*" >/dev/null && notice_opts+=(--openssl)
"$(dirname "$0")/../tools/notices.sh" "$root/NOTICES" ${notice_opts[@]+"${notice_opts[@]}"}

# The boot scripts load the modules of their first primLoad at every boot,
# used or not; in interactive mode (ours) the rest are loaded when first
# called.  erl_lint and erl_parse (100 KB compressed, 13% of the boot to the
# first Erlang line: docs/profiling.md) and erl_eval are needed only to
# evaluate or compile code, so they are loaded then.  The scripts' call of
# c:erlangrc/0 becomes freebeam_boot:erlangrc/0 (erlang/src), which loads c
# and erl_eval only when there is a .erlang file to evaluate (5% of the boot).
# Once the application controller runs, freebeam_boot:data_config/0 applies
# /data/sys.config over the image's settings, if the disk has one.  Once the
# kernel application runs, freebeam_release:watch/0 starts the confirmation
# timer of a release on trial (docs/storage.md): not earlier, as logger's
# boot-time handler would print its notice and then replay it to kernel's
# handler (twice on the console).  Until the code server starts (with the kernel
# application, after that), init loads code from the scripts' paths only:
# they get the freebeam application's ebin.  heart is neither loaded nor
# started: its job is to restart the node from outside with the heart port
# program, an OS process, which a PD cannot start (docs/native-components.md:
# the BEAM PD's monitor does that job here), and heart:start/0 only checked
# for -heart and returned ignore (1.2 ms of every boot).  The scripts are written in
# term_to_binary's compressed form (init's binary_to_term/1 reads either):
# 2 KB each instead of 7.
FB_EBIN="\$ROOT/lib/$(basename "$FREEBEAM_APP")/ebin" erl -noshell -noinput -eval '
  FbEbin = os:getenv("FB_EBIN"),
  Lean = fun(F) ->
      {ok, Bin} = file:read_file(F),
      {script, Id, Cmds} = binary_to_term(Bin),
      Late = [erl_eval, erl_lint, erl_parse, heart],
      Cmds2 = lists:append(
                [case C of
                     {primLoad, Ms} -> [{primLoad, Ms -- Late}];
                     {path, P} -> [{path, P ++ [FbEbin || not lists:member(FbEbin, P)]}];
                     {apply, {c, erlangrc, []}} -> [{apply, {freebeam_boot, erlangrc, []}}];
                     {kernelProcess, heart, _} -> [];
                     {progress, init_kernel_started} -> [C, {apply, {freebeam_boot, data_config, []}}];
                     {apply, {application, start_boot, [kernel, _]}} -> [C, {apply, {freebeam_release, watch, []}}];
                     _ -> [C]
                 end || C <- Cmds]),
      lists:member({apply, {freebeam_boot, data_config, []}}, Cmds2) orelse
          begin io:format(standard_error, "~s: no init_kernel_started step~n", [F]), halt(1) end,
      lists:member({apply, {freebeam_release, watch, []}}, Cmds2) orelse
          begin io:format(standard_error, "~s: the kernel application is not started~n", [F]), halt(1) end,
      ok = file:write_file(F, term_to_binary({script, Id, Cmds2}, [{compressed, 9}]))
  end,
  lists:foreach(Lean, filelib:wildcard("'"$root"'/bin/*.boot") ++
                      filelib:wildcard("'"$root"'/releases/*/*.boot")),
  halt(0).'

# Strip debug info and other optional chunks: code loading needs none of
# them (a mix release's consolidated protocols too).  The modules named in
# $KEEP_DOCS keep their "Docs" chunk.
# Then every module gets its MD5 (beam_lib:md5/1, the sum erts gives
# module_info(md5)) in a chunk "FbM5": erts patch 0006 takes it from there
# instead of hashing each module it loads, at every boot (docs/profiling.md).
# Of the modules that every boot loads (beam/boot-modules.txt), those that
# gzip shrinks least (to more than 1/$BOOT_RAW_RATIO of their size) are
# stored uncompressed, their literal chunk too (a zlib stream of stored
# blocks, which erts copies), so that erts need not inflate them at each boot: they
# buy the most boot time per byte of image; storing every one of them so
# would take the benchmark's image over issue 12's quarter of Linux+BEAM's
# (docs/profiling.md).  Every other module is gzip-compressed, as
# beam_lib:strip would leave it, but by libdeflate-gzip -12, whose deflate
# streams are 3% smaller than zlib's (at erts's level or at 9) (what erts inflates is the
# same format); the room that makes is what stores the boot modules.
BOOT_RAW_RATIO=1.72
command -v libdeflate-gzip >/dev/null ||
  { echo "$0: libdeflate-gzip not found (Debian's libdeflate-tools; make setup installs it)" >&2; exit 1; }
[ -f "$here/boot-modules.txt" ] || { echo "$0: $here/boot-modules.txt: no such file (it comes beside mkroot.sh)" >&2; exit 1; }
gzlist=$stage/.gz-list
BOOT_MODULES=$here/boot-modules.txt GZ_LIST=$gzlist erl -noshell -noinput -eval '
  Keep = string:lexemes(os:getenv("KEEP_DOCS", ""), " "),
  {ok, BootList} = file:read_file(os:getenv("BOOT_MODULES")),
  Boot = [L || L <- string:lexemes(BootList, "\n"), binary:first(L) =/= $#],
  Files = filelib:wildcard("'"$root"'/lib/*/ebin/*.beam") ++
          filelib:wildcard("'"$root"'/releases/*/consolidated/*.beam"),
  {Docs, Rest} = lists:partition(fun(F) -> lists:member(filename:basename(F, ".beam"), Keep) end, Files),
  length(Docs) =:= length(Keep) orelse
      begin io:format(standard_error, "strip: KEEP_DOCS names a module not in the archive~n", []), halt(1) end,
  case {beam_lib:strip_files(Rest), beam_lib:strip_files(Docs, ["Docs"])} of
      {{ok, _}, {ok, _}} -> ok;
      Err -> io:format(standard_error, "strip: ~p~n", [Err]), halt(1)
  end,
  %% The literal chunk, <<Size:32, ZlibStream/binary>>, with the same
  %% terms in a zlib stream of stored blocks (level 0): erts copies
  %% them out instead of decoding Huffman codes (docs/profiling.md).
  StoredLiterals = fun({"LitT", <<Size:32, Packed/binary>>}) ->
                           Terms = zlib:uncompress(Packed),
                           Size = byte_size(Terms),
                           Z = zlib:open(),
                           ok = zlib:deflateInit(Z, none),
                           Stored = iolist_to_binary(zlib:deflate(Z, Terms, finish)),
                           ok = zlib:deflateEnd(Z),
                           ok = zlib:close(Z),
                           {"LitT", <<Size:32, Stored/binary>>};
                      (Chunk) -> Chunk
                   end,
  %% Returns [F] if F is to be compressed, else [].
  AddMd5 = fun(F) ->
      {ok, Bin} = file:read_file(F),
      {ok, {_, Md5}} = beam_lib:md5(Bin),
      {ok, _, Chunks} = beam_lib:all_chunks(Bin),
      Kept = [C || {Id, _} = C <- Chunks, Id =/= "FbM5"],
      {ok, WithMd5} = beam_lib:build_module(Kept ++ [{"FbM5", Md5}]),
      IsBoot = lists:member(list_to_binary(filename:basename(F, ".beam")), Boot),
      case IsBoot andalso byte_size(WithMd5) < '"$BOOT_RAW_RATIO"' * byte_size(zlib:gzip(WithMd5)) of
          true ->
              {ok, Raw} = beam_lib:build_module([StoredLiterals(C) || C <- Kept] ++ [{"FbM5", Md5}]),
              ok = file:write_file(F, Raw),
              [];
          false ->
              ok = file:write_file(F, WithMd5),
              [F]
      end
  end,
  ToGz = lists:append(lists:map(AddMd5, Files)),
  ok = file:write_file(os:getenv("GZ_LIST"), [[F, 0] || F <- ToGz]),
  halt(0).'
# shellcheck disable=SC2016
xargs -0 -r -n 32 -P 2 bash -c 'for f; do libdeflate-gzip -12 -c <"$f" >"$f.gz~" && mv -f "$f.gz~" "$f" || exit 1; done' bash <"$gzlist" ||
  { echo "$0: libdeflate-gzip failed" >&2; exit 1; }
rm -f "$gzlist"

# /usr, empty: a directory every POSIX root has, which programs may take as
# given (OTP's filename_SUITE makes it its working directory).
mkdir -p "$stage/usr"
find "$stage" -exec touch -h -d @0 {} +
tmp=$out.tmp.$$
(cd "$stage" && find otp etc usr -mindepth 0 | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible) > "$tmp"
mv -f "$tmp" "$out"
echo "mkroot: $out ($(wc -c <"$out") bytes, $(cd "$stage" && find otp -name '*.beam' | wc -l) modules)"
