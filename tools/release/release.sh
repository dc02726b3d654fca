#!/usr/bin/env bash
# tools/release/release.sh - `tools/freebeam image --app DIR...` and
# `tools/freebeam image --release DIR`: an image that boots the user's own
# OTP applications (docs/releases.md).  The front door only: the work (the
# command line, the plan, the OTP root archive, the description, the image)
# is fb_release_image's, in the tools' Erlang application (tools/erlang),
# which takes everything else from the SDK (docs/sdk.md).
# Exit status: 0 built, 1 refused (a reason on stderr, no image written),
# 2 bad usage.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/tools/sdk.sh"
sdk_ebin || exit 1
exec erl -noshell -noinput -pa "$SDK/tools/ebin" -s fb_main main -extra release-image "$ROOT" "$@"
