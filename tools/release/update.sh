#!/usr/bin/env bash
# tools/release/update.sh - `tools/freebeam update`: put a new version of the
# user's release onto a device's disk image, to be tried at its next boot
# (docs/storage.md, "Release updates").
#
#   update --app DIR... --disk DISK [--vsn VSN] [--name NAME]
#          [--start APP]... [--sys-config FILE]
#   update --release DIR --disk DISK [--sys-config FILE]
#
# The release is made as `tools/freebeam image` makes one (tools/release/
# release.sh, whose OTP root archive it keeps); that root goes onto the
# disk's ext4 file system as /releases/VSN (the image sees /data/releases/VSN)
# with its boot script also as releases/VSN/start.boot, and /releases/boot
# gets the line `try VSN` (its `permanent` line kept).  The host's debugfs
# writes the disk: the image must not be running on it.
# Exit status: 0 placed, 1 refused (a reason on stderr, the disk as it was
# unless a write failed half-way: then say so), 2 bad usage.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
me="freebeam update"
usage() {
  echo "usage: freebeam update --app DIR... --disk DISK [--vsn VSN] [--name NAME]" >&2
  echo "                       [--start APP]... [--sys-config FILE]   (docs/storage.md)" >&2
  echo "       freebeam update --release DIR --disk DISK [--sys-config FILE]   (a mix release)" >&2
  exit 2
}
refuse() { echo "$me: $*" >&2; exit 1; }

disk="" pass=()
while [ $# -gt 0 ]; do
  case $1 in
    --disk) [ $# -ge 2 ] || usage; disk=$2; shift 2 ;;
    --app|--release|--vsn|--name|--start|--sys-config) [ $# -ge 2 ] || usage; pass+=("$1" "$2"); shift 2 ;;
    *) echo "$me: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$disk" ] || { echo "$me: need --disk DISK" >&2; usage; }
[[ " ${pass[*]} " == *" --app "* || " ${pass[*]} " == *" --release "* ]] ||
  { echo "$me: need --app DIR or --release DIR" >&2; usage; }
[ -f "$disk" ] || refuse "--disk $disk: no such file"
dumpe2fs -h "$disk" >/dev/null 2>&1 || refuse "--disk $disk: no ext4 file system on it (tools/freebeam disk --ext4)"

work=$(mktemp -d "${TMPDIR:-/tmp}/freebeam-update.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
"$ROOT/tools/release/release.sh" "${pass[@]}" -o "$work/update.img" --workdir "$work/w" >"$work/release.log" 2>&1 ||
  { cat "$work/release.log" >&2; refuse "the release could not be made"; }
vsns=("$work"/w/releases/*/)
[ ${#vsns[@]} -eq 1 ] && [ -d "${vsns[0]}" ] || refuse "the release work has no single version folder"
vsn=$(basename "${vsns[0]}")
# The name rules of libos/release_state.c: it names a folder under /data/releases.
[[ $vsn =~ ^[A-Za-z0-9._+-]{1,64}$ ]] && [ "$vsn" != . ] && [ "$vsn" != .. ] ||
  refuse "version $vsn: at most 64 of letters, digits, . _ + - (--vsn)"

mkdir -p "$work/x" && (cd "$work/x" && cpio --quiet -i -d -m --no-absolute-filenames) <"$work/w/root.cpio" ||
  refuse "cannot unpack the release's root"
tree=$work/x/otp
boots=("$tree/releases/$vsn"/*.boot)
[ -f "${boots[0]}" ] && [ ${#boots[@]} -eq 1 ] || refuse "the release has no single boot script"
[ "${boots[0]}" -ef "$tree/releases/$vsn/start.boot" ] ||   # a mix release's is start.boot already
  cp "${boots[0]}" "$tree/releases/$vsn/start.boot" || refuse "cannot copy the boot script"
if (cd "$tree" && find . | grep -q '[[:space:]"\\]'); then
  refuse "a file name in the release has a space, quote or backslash (debugfs cannot write it)"
fi

dest=/releases/$vsn
debugfs -R "stat $dest" "$disk" 2>&1 | grep -q "Inode:" && refuse "$disk already holds release $vsn ($dest)"
state=$(debugfs -R "cat /releases/boot" "$disk" 2>/dev/null)
permanent=$(sed -n 's/^permanent \([A-Za-z0-9._+-]*\)$/\1/p' <<<"$state")
printf '%s' "${permanent:+permanent $permanent
}try $vsn
" >"$work/boot"

# One debugfs run: the folders, the files, then the state file last, so a
# failed copy never leaves a state that names a half-written release.
{
  debugfs -R "stat /releases" "$disk" 2>&1 | grep -q "Inode:" || echo "mkdir /releases"
  echo "mkdir $dest"
  (cd "$tree" && find . -mindepth 1 -type d | sort) | while read -r d; do echo "mkdir $dest/${d#./}"; done
  (cd "$tree" && find . -type f | sort) | while read -r f; do echo "write $tree/${f#./} $dest/${f#./}"; done
} >"$work/cmds"
debugfs -w -f "$work/cmds" "$disk" >"$work/debugfs.log" 2>&1 || refuse "debugfs failed writing $disk ($dest may be half-written)"
n=$(cd "$tree" && find . -type f | wc -l)
got=$(debugfs -R "cat $dest/releases/$vsn/start.boot" "$disk" 2>/dev/null | cmp - "$tree/releases/$vsn/start.boot" >/dev/null && echo ok)
[ "$got" = ok ] || { grep -v "^debugfs" "$work/debugfs.log" | head -5 >&2; refuse "the copy on $disk is not whole ($dest may be half-written)"; }
{ echo "rm /releases/boot"; echo "write $work/boot /releases/boot"; } >"$work/cmds2"
debugfs -w -f "$work/cmds2" "$disk" >/dev/null 2>&1
[ "$(debugfs -R "cat /releases/boot" "$disk" 2>/dev/null)" = "$(cat "$work/boot")" ] ||
  refuse "cannot write /releases/boot on $disk"
echo "update: release $vsn on $disk ($n files in /data/releases/$vsn); the next boot tries it${permanent:+ (permanent: $permanent)}"
