#!/usr/bin/env bash
# tools/notices.sh OUT [--elixir] [--openssl] - the licence notices a freebeam image must carry,
# written to OUT (a plain text file).  beam/mkroot.sh puts it in every OTP
# root archive as /otp/NOTICES; `tools/freebeam image` writes it next to
# every image as IMAGE.notices.
#
# What an image can hold, and where its notice comes from:
#   freebeam (kernel, libos, libfbpd, drivers)  LICENSE of this repository
#   Erlang/OTP (erts in beam.smp, the .beam files; erts carries zlib, PCRE
#     and an MD5 of its own)   Debian's copyright file of the erlang source
#     package the build fetched (build/third_party/erlang-*/debian/copyright),
#     else that of the host's erlang-base, whose .beam files the archive holds
#   musl (linked into every PD built with libos: beam.smp, `freebeam cc`
#     programs)   Debian's copyright file of the musl source package the
#     build fetched (build/third_party/musl-*/debian/copyright); a build that
#     never fetched musl has no PD that contains it
#   OpenSSL (libcrypto, in the crypto flavour of beam.smp that images with
#     the crypto application boot: OUT --openssl)   Debian's copyright file
#     of the openssl source package the build fetched
#     (build/third_party/openssl-*/debian/copyright)
#   Elixir (OTP root archives holding Elixir's applications: OUT --elixir)
#     Debian's copyright file (and Elixir's NOTICE) of the host's elixir package, whose .beam files
#     the archive holds
# The Apache License 2.0 text is given whole once (LICENSE): Debian's files
# refer to it by name.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Debian's copyright files of the fetched sources: in this checkout's build
# folder (FREEBEAM_BUILD, which the top Makefile exports from B; default
# build), else in the SDK this script was copied into (ROOT/third_party:
# `make sdk` puts them there, docs/sdk.md), else in FREEBEAM_SDK's.
B=${FREEBEAM_BUILD:-build}
[[ $B == /* ]] || B=$ROOT/$B
S=${FREEBEAM_SDK:-$ROOT}
first() { local f; for f in "$@"; do [ -f "$f" ] && { echo "$f"; return 0; }; done; return 1; }
usage() { echo "usage: $0 OUT [--elixir] [--openssl]" >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1 elixir="" openssl=""
shift
for opt in "$@"; do
  case $opt in
    --elixir)
      elixir=/usr/share/doc/elixir/copyright
      [ -f "$elixir" ] || { echo "$0: no copyright file for Elixir (make setup installs elixir)" >&2; exit 1; } ;;
    --openssl)
      openssl=$(first "$B"/third_party/openssl-[0-9]*/debian/copyright "$ROOT"/third_party/openssl-[0-9]*/debian/copyright \
                     "$S"/third_party/openssl-[0-9]*/debian/copyright) ||
        { echo "$0: no copyright file for OpenSSL (make openssl fetches its source)" >&2; exit 1; } ;;
    *) usage ;;
  esac
done

erlang=$(first "$B"/third_party/erlang-[0-9]*/debian/copyright "$ROOT"/third_party/erlang-[0-9]*/debian/copyright \
          "$S"/third_party/erlang-[0-9]*/debian/copyright /usr/share/doc/erlang-base/copyright) ||
  { echo "$0: no copyright file for Erlang/OTP (make setup installs erlang-base)" >&2; exit 1; }
musl=$(first "$B"/third_party/musl-[0-9]*/debian/copyright "$ROOT"/third_party/musl-[0-9]*/debian/copyright \
          "$S"/third_party/musl-[0-9]*/debian/copyright) || musl=""
[ -f "$ROOT/LICENSE" ] || { echo "$0: $ROOT/LICENSE is missing" >&2; exit 1; }

section() { printf '\n==== %s ====\n\n' "$1"; }
tmp=$out.tmp.$$
{
  echo "Notices for a freebeam image: the software it contains and the licences it comes under."
  echo
  echo "- freebeam (the kernel, libos, libfbpd, the drivers): Apache License 2.0 (text at the end)."
  echo "- Erlang/OTP 25.2.3 (erts in the BEAM PD, the .beam files of its archive): Apache License 2.0;"
  echo "  erts contains zlib (Zlib licence), PCRE (BSD-3-clause) and an MD5 (RSA): Debian's copyright file below."
  [ -n "$elixir" ] && echo "- Elixir 1.14.0 (the .beam files of its applications in the archive): Apache License 2.0: Debian's copyright file below."
  [ -n "$musl" ] && echo "- musl 1.2.3 (the C library of every PD built with libos): MIT licence: Debian's copyright file below."
  [ -n "$openssl" ] && echo "- OpenSSL $(basename "$(dirname "$(dirname "$openssl")")" | sed 's/^openssl-//') (libcrypto, linked into the BEAM PD for the crypto application): Apache License 2.0: Debian's copyright file below."
  section "Erlang/OTP: Debian's copyright file of the erlang source package"
  cat "$erlang"
  if [ -n "$musl" ]; then
    section "musl: Debian's copyright file of the musl source package"
    cat "$musl"
  fi
  if [ -n "$openssl" ]; then
    section "OpenSSL: Debian's copyright file of the openssl source package"
    cat "$openssl"
  fi
  if [ -n "$elixir" ]; then
    section "Elixir: Debian's copyright file of the elixir package"
    cat "$elixir"
    if [ -f /usr/share/doc/elixir/NOTICE ]; then
      section "Elixir: its NOTICE file"
      cat /usr/share/doc/elixir/NOTICE
    fi
  fi
  section "freebeam, Erlang/OTP${openssl:+, OpenSSL}: the Apache License 2.0"
  cat "$ROOT/LICENSE"
} >"$tmp"
mv -f "$tmp" "$out"
