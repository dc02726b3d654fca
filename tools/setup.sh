#!/usr/bin/env bash
# make setup: install every Debian package the build and the tests need.
# Idempotent and quiet when everything is already there; never asks questions.
set -euo pipefail
pkgs=(make gcc libc6-dev clang llvm libclang-rt-14-dev
      gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf linux-libc-dev-armhf-cross
      qemu-system-arm gdb-multiarch erlang-base erlang-eunit erlang-common-test erlang-dev elixir
      python3 coreutils dpkg-dev cpio
      libdeflate-tools  # libdeflate-gzip: the root archives' compressed .beam files (beam/mkroot.sh)
      e2fsprogs     # mke2fs, e2fsck, debugfs: ext4 disks for /data (tools/freebeam disk --ext4, tests/suites/storage.sh)
      zlib1g-dev    # the inflater's host test compresses with zlib (tests/host/test_inflate.c)
      perl          # OpenSSL's Configure (third_party/openssl/build.sh)
      rng-tools5    # rngtest: the FIPS 140-2 checks of tests/suites/entropy.sh
      # crypto & co: their .beam files go into images that name them (beam/mkroot.sh);
      # openssl: the host's certificates and signatures in tests/suites/crypto.sh;
      # openssh-client: its ssh-keygen makes the SSH keys there
      erlang-crypto erlang-asn1 erlang-public-key erlang-ssl erlang-ssh openssl openssh-client
      curl          # the host's HTTP(S) client in tests/suites/tls.sh and http.sh
      erlang-inets  # inets (httpd, httpc) for the images that name it (tests/suites/http.sh)
      erlang-mnesia  # mnesia for the images that name it (tests/storage/storage_check.erl)
      libc6-dev-armhf-cross)   # the benchmarks' Linux-side programs (static armhf glibc, bench/*)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
# A mirror in the middle of a sync fails the update of one list; the lists
# we already have usually still name what we need, so try the install.
$SUDO apt-get update -qq || echo "setup: apt-get update failed; installing from the package lists at hand" >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
