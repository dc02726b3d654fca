#!/usr/bin/env bash
# tools/testimage/test-image.sh - `tools/freebeam test-image`: run EUnit test
# modules and Common Test suites inside a freebeam image (docs/erlang-tests.md).
#
#   test-image [--timeout S] [--keep IMG] [--mem MB] [--heap MB] [--env K=V]... [--erl-arg ARG]...
#              [--helper FILE]... [--apps APP,...]... [--system FILE]... [--search DIR]... [--net] [--hostfwd RULE]...
#              [--cases NAME,...]... MODULE_OR_SUITE...
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
# docs/networking.md).  --cases NAME,... runs only those entries of each
# suite's all() (cases, or groups by name), in all()'s order: a suite too
# long for one run, in parts.  Everything goes
# to a temporary directory (under $TMPDIR or /tmp), removed at the end
# (--keep IMG copies the image out first).
# The front door only: the work is fb_test_image's, in the tools' Erlang
# application (tools/erlang), which takes everything else from the SDK
# (docs/sdk.md).  Exit status: the runner's; 1 a failure or a crashed
# module (or a refusal), 124 the run's time ran out, 2 bad usage.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/tools/sdk.sh"
sdk_ebin || exit 1
exec erl -noshell -noinput -pa "$SDK/tools/ebin" -s fb_main main -extra test-image "$ROOT" "$@"
