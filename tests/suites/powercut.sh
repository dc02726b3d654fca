#!/usr/bin/env bash
# powercut.sh - power cuts on /data (issue 15): POWERCUT_CUTS (200 by
# default) kills of QEMU at random moments while the image writes, fsyncs,
# renames over and appends to files on its ext4 disk, each followed by
# `e2fsck -fn` after the journal's replay and a check that every fsync'd
# write is there (tests/storage/powercut.sh says how).  Prints the time
# per cut.  Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
img=build/images/posix-ext4.img
make --no-print-directory -s "$img" >/dev/null || give_up "make $img"
work=$(mktemp -d build/powercut-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PATH=$PATH:/usr/sbin:/sbin
. tests/storage/powercut.sh
powercut_cuts powercut "${POWERCUT_CUTS:-200}"
finish
