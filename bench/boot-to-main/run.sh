#!/usr/bin/env bash
# bench/boot-to-main: how many guest instructions from boot to a trivial C
# program's main, through `tools/freebeam run-program --det` (the kernel
# loads the image, libos builds the process stack, musl initialises).  The
# program reads the PMU instruction counter the kernel starts at its first
# C instruction; QEMU's own boot stub before it is a handful of
# instructions.  Prints `boot_to_main_insns=N`.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/bench
tools/freebeam cc -O2 bench/boot-to-main/main.c -o build/bench/boot-to-main
tools/freebeam run-program --det --timeout 60 build/bench/boot-to-main | grep -a '^boot_to_main_insns=' | tr -d '\r'
