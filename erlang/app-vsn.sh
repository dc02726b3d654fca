#!/bin/sh
# erlang/app-vsn.sh - prints the freebeam application's version, from
# erlang/src/freebeam.app.src: its OTP root directory is
# build/erlang/freebeam-VSN (erlang/erlang.mk, beam/mkroot.sh, tools/release).
sed -n 's/^ *{vsn, *"\([^"]*\)"}.*/\1/p' "$(dirname "$0")/src/freebeam.app.src"
