#!/usr/bin/env bash
# tools/release/release.sh - `tools/freebeam image --app DIR...` and
# `tools/freebeam image --release DIR`: an image that boots the user's own
# OTP applications (docs/releases.md).
#
#   image (--app DIR... | --release DIR) -o OUT.img [--start APP]... [--name NAME]
#         [--vsn VSN] [--sys-config FILE] [--shell] [--heap MB] [--env KEY=VALUE]...
#         [--arg ARG]... [--kernel KERNEL.elf] [--workdir DIR]
#         [--system FILE]... [--search DIR]... [--no-compress]
#
# Steps: fb_release (tools/erlang/src, run as `fb_main release-plan`) reads the applications (or the
# release), follows their dependencies into the host's OTP and makes the
# .rel and the boot script with systools (--app), or checks the release's
# boot script (--release); beam/mkroot.sh makes the OTP root archive
# (kernel, stdlib, compiler, freebeam, the host applications needed, the user's,
# stripped; the boot script under /otp/releases/VSN/); a system description
# like beam/hello.config (or beam/shell.config with --shell) boots erts with
# `-boot /otp/releases/VSN/NAME`; `tools/freebeam image --compress` builds
# the image (PD segments and the archive deflated, inflated by the kernel
# at boot: about 1.27 MB less for ~90 ms of boot; --no-compress: as they are).
# Exit status: 0 built, 1 refused (a reason on stderr, no image written),
# 2 bad usage.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/tools/sdk.sh"
desc=$SDK/systems   # the descriptions of the BEAM PD and the drivers (beam.config, serial.config)
me="freebeam image"

usage() {
  cat >&2 <<'USAGE'
usage: freebeam image --app DIR... -o OUT.img [--start APP]... [--name NAME] [--vsn VSN] [OPTIONS]
       freebeam image --release DIR -o OUT.img [OPTIONS]
options: --sys-config FILE  --shell  --heap MB  --env KEY=VALUE  --arg ARG
         --kernel KERNEL.elf  --workdir DIR  --system FILE  --search DIR  --no-compress
         (docs/releases.md)
USAGE
  exit 2
}
bad_usage() { echo "$me: $*" >&2; usage; }
refuse() { echo "$me: $*" >&2; exit 1; }

apps=() release="" out="" starts=() name="" vsn="" sysconfig="" shell=0 heap_mb=""
envs=() args=() kernel="" workdir="" systems=() searches=() compress=(--compress)
while [ $# -gt 0 ]; do
  case $1 in
    --app|--release|-o|--start|--name|--vsn|--sys-config|--heap|--env|--arg|--kernel|--workdir|--system|--search)
      [ $# -ge 2 ] || bad_usage "$1 needs a value" ;;&
    --app) apps+=("$2"); shift 2 ;;
    --release) [ -z "$release" ] || bad_usage "--release given twice"; release=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    --start) starts+=("$2"); shift 2 ;;
    --name) name=$2; shift 2 ;;
    --vsn) vsn=$2; shift 2 ;;
    --sys-config) sysconfig=$2; shift 2 ;;
    --shell) shell=1; shift ;;
    --no-compress) compress=(); shift ;;
    --heap) heap_mb=$2; shift 2 ;;
    --env) [[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || bad_usage "--env needs KEY=VALUE"
           envs+=("$2"); shift 2 ;;
    --arg) [ -n "$2" ] || bad_usage "--arg needs a non-empty argument"; args+=("$2"); shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --system) systems+=("$2"); shift 2 ;;
    --search) searches+=("$2"); shift 2 ;;
    -*) bad_usage "unknown option $1" ;;
    *) bad_usage "unexpected argument $1 (a system description cannot be combined with --app or --release)" ;;
  esac
done
[ -n "$out" ] || bad_usage "need -o OUT.img"
if [ -n "$release" ]; then
  [ ${#apps[@]} -eq 0 ] || bad_usage "--app and --release cannot be combined"
  [ ${#starts[@]} -eq 0 ] && [ -z "$name" ] && [ -z "$vsn" ] ||
    bad_usage "--start, --name and --vsn are for --app (a release says them itself)"
else
  [ ${#apps[@]} -ge 1 ] || bad_usage "need --app DIR or --release DIR"
fi
# Without --heap the heap region is the rest of RAM, sized by the kernel at
# boot; --heap MB caps it.  It is mapped at 0x08000000 and may reach the
# stack reserve at 0x3eff0000: 879 MiB at most (docs/kernel.md).
[ -z "$heap_mb" ] || { [[ $heap_mb =~ ^[0-9]+$ ]] && [ "$heap_mb" -ge 32 ] && [ "$heap_mb" -le 879 ]; } ||
  bad_usage "--heap needs a number of MB from 32 to 879 (without it: all the RAM left)"
# NAME and VSN become file names under /otp/releases/.
[ -z "$name" ] || [[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] ||
  bad_usage "--name: letters, digits, _ . - only"
[ -z "$vsn" ] || [[ $vsn =~ ^[A-Za-z0-9_][A-Za-z0-9_.+-]*$ ]] ||
  bad_usage "--vsn: letters, digits, _ . + - only"
for s in ${starts[@]+"${starts[@]}"}; do
  [[ $s =~ ^[a-z][A-Za-z0-9_]*$ ]] || bad_usage "--start $s: not an application name"
done
[ -z "$sysconfig" ] || [ -f "$sysconfig" ] || refuse "--sys-config $sysconfig: no such file"
for f in ${systems[@]+"${systems[@]}"}; do [ -f "$f" ] || refuse "--system $f: no such file"; done
search_args=()
for d in ${searches[@]+"${searches[@]}"}; do
  [ -d "$d" ] || refuse "--search $d: no such directory"
  search_args+=(--search "$(cd "$d" && pwd)")
done

# ---- what the image is built from: the SDK's kernel, erts, serial driver,
# descriptions, freebeam application and release helper (in this
# checkout's SDK, brought up to date first: docs/sdk.md) ----
sdk_make sdk || refuse "building the SDK failed (make -C $ROOT sdk)"
[ -n "$kernel" ] || kernel=$SDK/kernel/kernel.elf
[ -f "$kernel" ] || sdk_has "$kernel" || refuse "--kernel $kernel: no such file"
export FREEBEAM_APP=$SDK/erlang/freebeam-$("$ROOT/erlang/app-vsn.sh")
ebin=$SDK/tools/ebin
sdk_has "$SDK/erts/beam.smp" "$desc/beam.config" "$FREEBEAM_APP/ebin/freebeam.app" "$ebin/fb_release.beam" || exit 1
[ $shell -eq 0 ] || sdk_has "$SDK/pds/drivers/serial.elf" "$desc/serial.config" || exit 1

# ---- the work directory ----
if [ -n "$workdir" ]; then
  if [ -e "$workdir" ]; then
    [ -d "$workdir" ] && [ -z "$(ls -A "$workdir")" ] || refuse "--workdir $workdir: exists and is not an empty directory"
  fi
  mkdir -p "$workdir" || refuse "--workdir $workdir: cannot create it"
  work=$(cd "$workdir" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/freebeam-image.XXXXXX") || exit 1
  trap 'rm -rf "$work"' EXIT
fi

otp=${OTP_ROOT:-/usr/lib/erlang}
helper() { erl -noshell -noinput -pa "$ebin" -s fb_main main -extra release-plan "$@"; }

abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
absdir() { if [ -d "$1" ]; then (cd "$1" && pwd); else echo "$1"; fi; }
[ -z "$sysconfig" ] || sysconfig=$(abs "$sysconfig")
if [ -n "$release" ]; then
  helper release "$work" "$otp" "$(absdir "$release")" "$sysconfig" || exit 1
else
  dirs=()
  for d in "${apps[@]}"; do dirs+=("$(absdir "$d")"); done
  # "@": the default, the first application's name and version.
  starts_csv=$(IFS=,; echo "${starts[*]+"${starts[*]}"}")
  helper apps "$work" "$otp" "${name:-@}" "${vsn:-@}" "$sysconfig" "$starts_csv" "${dirs[@]}" || exit 1
fi

# ---- the OTP root archive ----
host_apps=() app_args=() boot="" config="" relname="" relvsn="" plan_envs=() plan_args=()
while read -r kind a b; do   # app: a = APP-VSN, b = the directory (may hold spaces)
  case $kind in
    host) host_apps+=("$a") ;;
    app) dst=$work/lib/$a
         mkdir -p "$dst" || exit 1
         # -L: the archive holds files, not links to the host's file system.
         for sub in ebin priv include; do
           [ -d "$b/$sub" ] && { cp -rL "$b/$sub" "$dst/" || refuse "cannot copy $b/$sub"; }
         done
         app_args+=(--app "$dst") ;;
    boot) boot=$a ;;
    config) config=$a ;;
    env) plan_envs+=("$a") ;;                  # the release's (a mix release's RELEASE_ROOT...)
    arg) plan_args+=("$a${b:+ $b}") ;;         # from its vm.args
    release) relname=$a relvsn=$b ;;
  esac
done <"$work/plan"
[ -n "$boot" ] && [ -n "$relname" ] || refuse "internal error: no boot script planned"

# A release with the crypto application (the host's, or its own copy)
# boots the crypto flavour of erts (its NIF and OpenSSL's libcrypto linked
# in; same file name, found first by --search); any other keeps the plain
# one (docs/crypto.md).
erts_dir=$SDK/erts
for a in ${host_apps[@]+"${host_apps[@]}"} ${app_args[@]+"${app_args[@]##*/}"}; do
  case $a in
    crypto|crypto-*) erts_dir=$SDK/erts/crypto
              sdk_has "$erts_dir/beam.smp" || exit 1 ;;
  esac
done

"$ROOT/beam/mkroot.sh" ${app_args[@]+"${app_args[@]}"} --tree "$work/releases:releases" \
  "$work/root.cpio" ${host_apps[@]+"${host_apps[@]}"} >/dev/null || refuse "cannot build the root archive"

# ---- the system description ----
heap=rest
[ -z "$heap_mb" ] || heap=$(printf '16#%X' $((heap_mb * 1024 * 1024)))
estr() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
declare -A env_set=()
env_all=()
for e in ${envs[@]+"${envs[@]}"}; do env_set[${e%%=*}]=1; env_all+=("$e"); done
defaults=(HOME=/ TERM=vt100 LANG=C.UTF-8 FREEBEAM_NODENAME=freebeam.local ERL_INETRC=/otp/etc/inetrc
          ROOTDIR=/otp BINDIR=/otp/bin
          EMU=beam PROGNAME=erl ERL_CRASH_DUMP=/tmp/erl_crash.dump)
[ $shell -eq 1 ] && defaults+=(FREEBEAM_CONSOLE_CH=0)
for e in ${plan_envs[@]+"${plan_envs[@]}"} "${defaults[@]}"; do [ -n "${env_set[${e%%=*}]:-}" ] || env_all+=("$e"); done
env_list=""
for e in "${env_all[@]}"; do env_list+="${env_list:+, }$(estr "$e")"; done
erl_args='"-boot", '$(estr "$boot")
[ -z "$config" ] || erl_args+=', "-config", '$(estr "$config")
# With the serial console, the freebeam application starts at boot and
# supervises the serial driver PD (docs/native-components.md).
if [ $shell -eq 1 ]; then erl_args+=', "-s", "freebeam", "-freebeam", "supervise", "[serial]"'
else erl_args+=', "-noshell"'; fi
for a in ${plan_args[@]+"${plan_args[@]}"} ${args[@]+"${args[@]}"}; do erl_args+=", $(estr "$a")"; done

{
  echo "%% Generated by tools/freebeam image for the release $relname $relvsn (docs/releases.md)."
  if [ $shell -eq 1 ]; then
    echo "%% As beam/shell.config: the serial driver PD, the BEAM PD with the shell on the console."
    echo "{include, $(estr "$desc/serial.config"), [{client, beam}, {options, [{monitor, beam}]}]}."
  else
    echo "%% As beam/hello.config: the BEAM PD alone, -noshell."
  fi
  echo "{include, $(estr "$desc/beam.config"), [{erl_args, [\"--\", $erl_args]}, {env, [$env_list]}, {heap, $heap}]}."
  for f in ${systems[@]+"${systems[@]}"}; do
    echo "%% From --system $f: more PDs, regions, maps and channels."
    echo "{include, $(estr "$(abs "$f")")}."
  done
} >"$work/system.config" || exit 1

# ---- the image ----
echo "release: $relname $relvsn (boot $boot.boot${config:+, config $config.config})"
"$ROOT/tools/freebeam" image "$work/system.config" -o "$out" --kernel "$kernel" ${compress[@]+"${compress[@]}"} \
  --search "$erts_dir" --search "$SDK/pds/drivers" --search "$work" ${search_args[@]+"${search_args[@]}"}
