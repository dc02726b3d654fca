#!/usr/bin/env bash
# tools/testimage/test-image.sh - `tools/freebeam test-image`: run EUnit test
# modules and Common Test suites inside a freebeam image (docs/erlang-tests.md).
#
#   test-image [--timeout S] [--keep IMG] [--mem MB] [--heap MB] [--env K=V]... [--erl-arg ARG]...
#              [--helper FILE]... [--apps APP,...]... [--system FILE]... [--search DIR]... [--net] [--hostfwd RULE]...
#              MODULE_OR_SUITE...
#
# Each argument is an Erlang source file (or an already compiled .beam): a
# name ending in _SUITE is a Common Test suite, anything else an EUnit module;
# or an ExUnit file (foo_test.exs: Elixir, compiled on the host by
# tools/testimage/compile_exs.exs; each test module it defines runs, and the
# image holds Elixir's elixir and ex_unit applications).
# On the host: compile them with erlc (the host's OTP is the image's OTP),
# build an OTP root archive (beam/mkroot.sh: kernel, stdlib, compiler, the
# freebeam application, eunit,
# and common_test with what it needs when a suite is given) with the compiled
# modules and our runner (fb_test_runner) in /otp/test/ebin, write a system
# description like beam/hello.config whose -eval runs the runner, build the
# image and boot it.  The runner prints `N passed, N failed, N skipped` and
# halts with 0 only if nothing failed; that status is ours.  A module that
# takes the VM down (out of memory, an abort, a halt) is reported as crashed
# with erts's last words and counted as one failure, and the image boots
# again for the modules after it; then the totals are ours (1 as status).
# --erl-arg ARG is one more argument of erl's command line for init (such
# as `-enable-feature maybe_expr`), placed before the runner's -eval.
# --helper FILE compiles a module the tests use (an OTP test directory's
# helpers) into the same ebin without running it.  --apps APP,... puts more
# of the host's OTP applications into the image (crypto, asn1, public_key,
# ssl, ssh, ...; not started); with crypto the image boots the crypto
# flavour of erts (erts/crypto/beam.smp in the SDK: OpenSSL's libcrypto and the
# crypto NIF linked in, docs/crypto.md).  --system FILE adds the
# description terms in FILE (native PDs, regions, maps, channels: the BEAM
# PD is `beam` and has the pd_control right) and --search DIR a folder for
# their ELF files, so tests can talk to native components.  --net and
# --hostfwd RULE go to `run` (a network device on QEMU's user network, port
# forwards; with --system beam/net.config the BEAM gets eth0:
# docs/networking.md).  Everything goes
# to a temporary directory (under $TMPDIR or /tmp), removed at the end
# (--keep IMG copies the image out first).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/tools/sdk.sh"
desc=$SDK/systems   # the description of the BEAM PD (beam.config)
me="freebeam test-image"

usage() {
  echo "usage: freebeam test-image [--timeout S] [--keep IMG] [--mem MB] [--heap MB] [--env K=V]... [--erl-arg ARG]..." >&2
  echo "                             [--helper FILE]... [--apps APP,...]... [--system FILE]... [--search DIR]... [--net] [--hostfwd RULE]..." >&2
  echo "                             MODULE_OR_SUITE..." >&2
  exit 2
}
die() { echo "$me: $*" >&2; exit 2; }

timeout=300 keep="" mem="" heap_mb="" files=() envs=() helpers=() systems=() search_args=() extra_apps=() net_args=() erl_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
    --keep) [ $# -ge 2 ] || usage; keep=$2; shift 2 ;;
    --mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
    --heap) [ $# -ge 2 ] || usage; heap_mb=$2; shift 2 ;;
    --env) [ $# -ge 2 ] || usage; [[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env needs KEY=VALUE"
           envs+=("$2"); shift 2 ;;
    --erl-arg) [ $# -ge 2 ] || usage; erl_args+=("$2"); shift 2 ;;
    --helper) [ $# -ge 2 ] || usage; helpers+=("$2"); shift 2 ;;
    --apps) [ $# -ge 2 ] || usage
            [[ $2 =~ ^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$ ]] || die "--apps needs APP,... (application names)"
            IFS=, read -r -a more <<<"$2"; extra_apps+=("${more[@]}"); shift 2 ;;
    --system) [ $# -ge 2 ] || usage; [ -f "$2" ] || die "--system $2: no such file"
              systems+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
    --search) [ $# -ge 2 ] || usage; [ -d "$2" ] || die "--search $2: no such directory"
              search_args+=(--search "$(cd "$2" && pwd)"); shift 2 ;;
    --net) net_args+=(--net); shift ;;
    --hostfwd) [ $# -ge 2 ] || usage; net_args+=(--hostfwd "$2"); shift 2 ;;
    --) shift; files+=("$@"); break ;;
    -*) echo "$me: unknown option $1" >&2; usage ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -ge 1 ] || usage
[[ $timeout =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--timeout needs a number of seconds"
[ -z "$mem" ] || [[ $mem =~ ^[0-9]+$ ]] || die "--mem needs a number of MB"
# Without --heap the heap region is the rest of RAM, sized by the kernel at
# boot; --heap MB caps it.  It is mapped at 0x08000000 and may reach the
# stack reserve at 0x3eff0000: 879 MiB at most (docs/kernel.md).
[ -z "$heap_mb" ] || { [[ $heap_mb =~ ^[0-9]+$ ]] && [ "$heap_mb" -ge 32 ] && [ "$heap_mb" -le 879 ]; } ||
  die "--heap needs a number of MB from 32 to 879 (without it: all the RAM left)"

# ---- the modules: names, kinds ----
declare -A seen=()
plan=() srcs=() beams=() exs=() need_ct=0
nfiles=${#files[@]}
for f in "${files[@]}" ${helpers[@]+"${helpers[@]}"}; do
  nfiles=$((nfiles - 1))
  [ -f "$f" ] || die "$f: no such file"
  if [[ $f == *_test.exs ]] && [ "$nfiles" -ge 0 ]; then
    # Its modules are known once compiled: a placeholder in the plan.
    exs+=("$f"); plan+=("@exs $f"); continue
  fi
  case $f in
    *.erl) mod=$(basename "$f" .erl); srcs+=("$f") ;;
    *.beam) mod=$(basename "$f" .beam); beams+=("$f") ;;
    *) die "$f: not an Erlang source (.erl), module (.beam) or ExUnit file (_test.exs)" ;;
  esac
  [[ $mod =~ ^[a-z][a-zA-Z0-9_]*$ ]] || die "$f: $mod is not a plain module name"
  [ -z "${seen[$mod]:-}" ] || die "$f: module $mod given twice"
  seen[$mod]=1
  case $mod in
    fb_test_runner) die "$f: fb_test_runner is the runner's own name" ;;
    *) [ "$nfiles" -lt 0 ] && continue ;;   # a --helper: compiled, not run
  esac
  case $mod in
    *_SUITE) plan+=("{ct, $mod}."); need_ct=1 ;;
    *) plan+=("{eunit, $mod}.") ;;
  esac
done

# ---- what the image is built from: the SDK (docs/sdk.md; in this
# checkout's, brought up to date first): the kernel, erts, the BEAM PD's
# description, the test runner, the freebeam application every OTP root
# holds (beam/mkroot.sh) ----
sdk_make sdk || { echo "$me: building the SDK failed (make -C $ROOT sdk)" >&2; exit 1; }
kernel=$SDK/kernel/kernel.elf erts=$SDK/erts/beam.smp
# The crypto application needs its NIF, which only the crypto flavour of
# erts has (erts/crypto/beam.smp, same name: found first by --search).
erts_dir=$SDK/erts
for a in ${extra_apps[@]+"${extra_apps[@]}"}; do
  [ "$a" = crypto ] && { erts_dir=$SDK/erts/crypto erts=$SDK/erts/crypto/beam.smp; }
done
export FREEBEAM_APP=$SDK/erlang/freebeam-$("$ROOT/erlang/app-vsn.sh")
sdk_has "$kernel" "$erts" "$desc/beam.config" "$SDK/tools/ebin/fb_test_runner.beam" \
  "$FREEBEAM_APP/ebin/freebeam.app" || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/freebeam-test.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
ebin=$work/test/ebin
mkdir -p "$ebin" || exit 1

fail() { echo "$me: $*" >&2; exit 1; }

cp "$SDK/tools/ebin/fb_test_runner.beam" "$ebin/" || fail "cannot copy the runner"
for f in ${srcs[@]+"${srcs[@]}"}; do
  d=$(dirname "$f")
  # The usual rebar-like layout: headers next to the source or in ../include.
  erlc -o "$ebin" -I "$d" -I "$d/../include" -DFREEBEAM "$f" || fail "$f: does not compile"
done
for f in ${beams[@]+"${beams[@]}"}; do cp "$f" "$ebin/" || exit 1; done
if [ ${#exs[@]} -gt 0 ]; then
  command -v elixir >/dev/null || fail "ExUnit files need Elixir on the host (make setup installs elixir)"
  : >"$work/exs.plan"
  elixir "$ROOT/tools/testimage/compile_exs.exs" "$ebin" "$work/exs.plan" "${exs[@]}" ||
    fail "cannot compile the ExUnit files"
  expanded=()
  for p in "${plan[@]}"; do
    if [[ $p == "@exs "* ]]; then
      while IFS=$'\t' read -r file term; do
        [ "$file" = "${p#@exs }" ] && expanded+=("$term")
      done <"$work/exs.plan"
    else
      expanded+=("$p")
    fi
  done
  plan=("${expanded[@]}")
fi
printf '%s\n' "${plan[@]}" >"$work/test/plan.eterm"

# A suite's data directory (foo_SUITE_data/ next to its source) goes next to
# its .beam, where Common Test looks for ?config(data_dir).
for f in ${srcs[@]+"${srcs[@]}"} ${beams[@]+"${beams[@]}"}; do
  mod=$(basename "${f%.*}")
  case $mod in *_SUITE) d=$(dirname "$f")/${mod}_data
                        [ -d "$d" ] && { cp -rL "$d" "$ebin/" || exit 1; } ;; esac
done

# A plain ct:run_test/1 loads modules of common_test, kernel and stdlib only
# (measured in the image); cover, ct_telnet & co would need more.
apps=(eunit ${extra_apps[@]+"${extra_apps[@]}"})
[ $need_ct -eq 1 ] && apps+=(common_test)
[ ${#exs[@]} -gt 0 ] && apps+=(elixir ex_unit)
"$ROOT/beam/mkroot.sh" --tree "$work/test:test" "$work/root.cpio" "${apps[@]}" >/dev/null ||
  fail "cannot build the root archive"

heap=rest
[ -z "$heap_mb" ] || heap=$(printf '16#%X' $((heap_mb * 1024 * 1024)))
# The environment, as Erlang strings: ours, each KEY given by --env replaced
# (never twice: erts and libc disagree on which of two wins).
declare -A env_set=()
env_all=()
for e in ${envs[@]+"${envs[@]}"}; do env_set[${e%%=*}]=1; env_all+=("$e"); done
for e in HOME=/ TERM=vt100 LANG=C.UTF-8 FREEBEAM_NODENAME=freebeam.local ERL_INETRC=/otp/etc/inetrc \
         ROOTDIR=/otp BINDIR=/otp/bin \
         EMU=beam PROGNAME=erl ERL_CRASH_DUMP=/tmp/erl_crash.dump; do
  [ -n "${env_set[${e%%=*}]:-}" ] || env_all+=("$e")
done
# erl_strings ARG...: the arguments as Erlang strings, comma-separated.
erl_strings() {
  local out="" a
  for a in "$@"; do
    a=${a//\\/\\\\}; a=${a//\"/\\\"}
    out+="${out:+, }\"$a\""
  done
  echo "$out"
}
env_list=$(erl_strings "${env_all[@]}")
extra_args=""
[ ${#erl_args[@]} -eq 0 ] || extra_args="$(erl_strings "${erl_args[@]}"), "
# image FIRST: the image that runs the plan from its FIRST-th module on.
image() {
  cat >"$work/test.config" <<EOF
%% Generated by tools/freebeam test-image: erts boots from root.cpio, runs
%% fb_test_runner on /otp/test/plan.eterm from module $1 on and powers off
%% with its verdict: the BEAM PD of beam/beam.config.
{include, $(erl_strings "$desc/beam.config"),
 [{erl_args, ["--", $extra_args"-noshell", "-pa", "/otp/test/ebin",
              "-eval", "fb_test_runner:main(\"/otp/test/plan.eterm\", $1)."]},
  {env, [$env_list]}, {heap, $heap}]}.
EOF
  for f in ${systems[@]+"${systems[@]}"}; do
    { echo "%% From --system $f"; echo "{include, $(erl_strings "$f")}."; } >>"$work/test.config"
  done
  "$ROOT/tools/freebeam" image "$work/test.config" -o "$work/test.img" --kernel "$kernel" \
    --search "$erts_dir" --search "$work" ${search_args[@]+"${search_args[@]}"} >/dev/null ||
    fail "cannot build the image"
}

image 1
if [ -n "$keep" ]; then
  mkdir -p "$(dirname "$keep")" && cp "$work/test.img" "$keep" || fail "cannot copy the image to $keep"
  echo "$me: image kept as $keep" >&2
fi

# ---- boot, and boot again after a module that took the VM down ----
# The runner prints `fb_test: KIND MOD` as a module starts and `fb_test:
# MOD: N passed, N failed, N skipped` as it ends.  A boot that stops without
# `fb_test: N module(s) in T ms` stopped inside the last module that started
# and did not end: that module crashed the VM.  It counts one failure, with
# the console line that says why, and the next boot starts after it.  The
# whole run shares one --timeout: a boot that runs out of time ends the run.
# Sum the per-module lines of every boot for the totals.
runargs=(${net_args[@]+"${net_args[@]}"}); [ -n "$mem" ] && runargs+=(--mem "$mem")
t_end=$(( $(date +%s) + ${timeout%.*} ))
first=1 crashed=0 rc=0 nplan=${#plan[@]}
: >"$work/all.log"
while :; do
  left=$(( t_end - $(date +%s) )); [ "$left" -ge 1 ] || left=1
  [ "$first" -eq 1 ] && left=$timeout
  "$ROOT/tools/freebeam" run "$work/test.img" --timeout "$left" ${runargs[@]+"${runargs[@]}"} </dev/null | tee "$work/console.log"
  rc=${PIPESTATUS[0]}
  tr -d '\r' <"$work/console.log" >"$work/boot.log"
  cat "$work/boot.log" >>"$work/all.log"
  grep -qE '^fb_test: [0-9]+ module\(s\) in [0-9]+ ms$' "$work/boot.log" && break
  # The module running when the VM stopped: the last one started that did not end.
  mod=$(awk '/^fb_test: (eunit|ct|exunit) [a-zA-Z0-9_.]+$/ { m = $3; done = 0 }
             m != "" && $0 ~ "^fb_test: " m ": [0-9]+ passed, " { done = 1 }
             END { if (m != "" && !done) print m }' "$work/boot.log")
  if [ -z "$mod" ]; then
    echo "$me: the image printed no result line (exit status $rc)" >&2
    [ "$rc" -eq 0 ] && rc=1
    exit "$rc"
  fi
  # Why: the line before erts's crash dump notice (its slogan), else the last line.
  why=$(awk -v m="$mod" '$0 == "fb_test: eunit " m || $0 == "fb_test: ct " m || $0 == "fb_test: exunit " m { on = 1; next }
                         on && /^Crash dump is being written to:/ { if (prev != "") slogan = prev }
                         on && NF { prev = $0 }
                         END { print (slogan != "" ? slogan : prev) }' "$work/boot.log")
  [ -n "$why" ] || why="(nothing on the console)"
  crashed=$((crashed + 1))
  if [ "$rc" -eq 124 ]; then
    echo "fb_test: $mod did not end before the run's timeout: $why"
    break
  fi
  echo "fb_test: $mod crashed the VM (exit status $rc): $why"
  idx=0
  for i in "${!plan[@]}"; do [[ ${plan[$i]} == *" $mod}." || ${plan[$i]} == *" '$mod'}." ]] && idx=$((i + 1)); done
  [ "$idx" -ge 1 ] || fail "$mod is not in the plan"
  [ "$idx" -lt "$nplan" ] || break
  first=$((idx + 1))
  echo "fb_test: booting again for modules $first..$nplan"
  image "$first"
done
[ "$crashed" -eq 0 ] && exit "$rc"

# Totals of the whole plan: every module that ended, plus each crashed one as a failure.
read -r p f s < <(sed -nE 's/^fb_test: [a-zA-Z0-9_.]+: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p' \
                    "$work/all.log" | awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }')
echo "$((p)) passed, $((f + crashed)) failed, $((s)) skipped"
[ "$rc" -eq 124 ] && exit 124
exit 1
