#!/usr/bin/env bash
# libos/check-program.sh LIBOS.a PROGRAM.elf...
#
# docs/internals.md note 2 over linked POSIX programs: svc only inside
# libos's own functions (its kernel calls), no __sync_* functions and no
# kuser helper address anywhere (third_party/musl/check.sh does the work).
set -euo pipefail
CROSS=${CROSS:-arm-linux-gnueabihf-}
libos=$1; shift
ok=$("${CROSS}nm" "$libos" | awk '$2 ~ /^[Tt]$/ { print $3 }' | sort -u | tr '\n' ' ')
FREEBEAM_SVC_OK="$ok" exec "$(dirname "$0")/../third_party/musl/check.sh" "$@"
