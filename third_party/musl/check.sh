#!/usr/bin/env bash
# third_party/musl/check.sh FILE...
#
# Fails when an ARM object, archive or ELF contains what cannot work in a
# freebeam PD (docs/internals.md, notes 2 and 3):
#   - an `svc`/`swi` instruction (a trap into a Linux kernel that is not there),
#   - a reference to or definition of a `__sync_*` function (Debian's libgcc
#     implements them through the Linux kuser helper page),
#   - a call through a kuser helper address (0xffff0fxx).
# FREEBEAM_SVC_OK="sym1 sym2": functions allowed to hold svc (libos's own
# kernel calls), when checking a linked PD ELF.
set -euo pipefail
CROSS=${CROSS:-arm-linux-gnueabihf-}
allow=" ${FREEBEAM_SVC_OK:-} "
bad=0
for f in "$@"; do
  dis=$("${CROSS}objdump" -d "$f")
  # svc/swi sites, with the function holding each.
  svcs=$(printf '%s\n' "$dis" | awk '
    /^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn) }
    /^ *[0-9a-f]+:\t/ && $0 ~ /\t(svc|swi)[a-z]*[ \t]/ { print fn }' | sort | uniq -c)
  if [ -n "$svcs" ]; then
    while read -r n fn; do
      case $allow in *" $fn "*) continue ;; esac
      echo "check: $f: $n svc/swi in $fn" >&2; bad=1
    done <<<"$svcs"
  fi
  if "${CROSS}nm" "$f" 2>/dev/null | grep -E ' (U|T|t|W) __sync_' >&2; then
    echo "check: $f: uses __sync_* (kuser helpers via libgcc)" >&2; bad=1
  fi
  if printf '%s\n' "$dis" | grep -Ei '(0x)?ffff0f[0-9a-f]{2}\b' >&2; then
    echo "check: $f: refers to a kuser helper address 0xffff0fxx" >&2; bad=1
  fi
done
[ $bad -eq 0 ] || exit 1
echo "check: no svc/swi, __sync_* or kuser helpers in $*"
