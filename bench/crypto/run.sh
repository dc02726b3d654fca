#!/usr/bin/env bash
# run.sh - issue 14's crypto figures (README.md here): SHA-256 and
# AES-128-GCM through OTP's crypto, and TLS 1.3 handshakes through ssl, on
# freebeam (build/images/cbench.img, OpenSSL 3.0 linked into erts) and on
# the Linux+BEAM peer of bench/beam-vs-linux with Debian's armhf
# erlang-crypto and libssl3 (the same OpenSSL), same QEMU, both
# deterministic, the same cbench.beam; then the bytes crypto, asn1,
# public_key, ssl and ssh add to an image.  Prints
#   NAME freebeam=F linux=L linux/freebeam=R  # ...
# for sha256_mb_per_s, aes128gcm_mb_per_s, tls_handshake_insns and
# crypto_ssl_ssh_added_bytes, and a goal line for each timed figure.
# The consoles go to build/bench/crypto/logs/; exits non-zero if a boot
# failed or a figure is missing.  Not part of `make test`.
# env: TIMEOUT=600 (s per boot), BVL_PEER (the peer baseline, peer.sh)
set -u
cd "$(dirname "$0")/../.."
CR=build/bench/crypto
L=$CR/logs
W=build/bench-peer
PEER=bench/beam-vs-linux/peer.sh
T=${TIMEOUT:-600}
fail() { echo "run.sh: $*" >&2; exit 1; }
mkdir -p "$L" "$CR/debs" || fail "cannot make $CR"

# ---- freebeam: the benchmark image and the two images for the bytes ----
make --no-print-directory build/images/cbench.img build/images/beam-hello.img build/images/beam-hello-crypto.img \
  "$CR/cbench.beam" "$CR/cbench_certs.beam" >&2 || fail "cannot build the images"
# The same two, compressed (what an image made with --release or --app is).
tools/freebeam image beam/hello.config --compress -o "$CR/hello.cimg" --kernel build/kernel/kernel.elf \
  --search build/erts --search build/beam >/dev/null || fail "cannot build the compressed plain image"
tools/freebeam image beam/hello.config --compress -o "$CR/hello-crypto.cimg" --kernel build/kernel/kernel.elf \
  --search build/erts/crypto --search "$CR/apps" >/dev/null || fail "cannot build the compressed crypto image"

# ---- Linux: Debian's armhf packages in the peer's initramfs ----
# Kept apart from build/bench-peer/debs, which the peer's build_initramfs.sh
# extracts whole into its own initramfs.
PKGS="erlang-crypto erlang-asn1 erlang-public-key erlang-ssl erlang-ssh libssl3"
$PEER prepare >&2 || fail "cannot prepare the Linux side"
missing=()
for p in $PKGS; do ls "$CR"/debs/${p}_*_armhf.deb >/dev/null 2>&1 || missing+=("$p:armhf"); done
if [ ${#missing[@]} -gt 0 ]; then
  (cd "$CR/debs" && apt-get download "${missing[@]}" >&2) || fail "apt-get download ${missing[*]}"
fi
lx=$CR/linux-root
if [ ! -d "$lx/usr/lib/erlang/lib" ]; then
  rm -rf "$lx" "$CR/linux-x" && mkdir -p "$lx/usr/lib" "$CR/linux-x"
  for d in "$CR"/debs/*_armhf.deb; do dpkg -x "$d" "$CR/linux-x"; done
  # What erl needs of them: the applications (crypto's NIFs in priv/lib),
  # and of libssl3, libcrypto.so.3 and the legacy provider crypto loads.
  cp -a "$CR/linux-x/usr/lib/erlang" "$lx/usr/lib/"
  mkdir -p "$lx/usr/lib/arm-linux-gnueabihf"
  cp -a "$CR"/linux-x/usr/lib/arm-linux-gnueabihf/libcrypto.so.3 "$CR/linux-x/usr/lib/arm-linux-gnueabihf/ossl-modules" \
    "$lx/usr/lib/arm-linux-gnueabihf/"
  rm -rf "$CR/linux-x"
fi
# cbench: the benchmark; apps: the peer's own initramfs and /init plus the
# same files, for the bytes.
$PEER derive cbench bench/crypto/peer-init.sh "$lx/.:/" "$CR/cbench.beam:/bench/" "$CR/cbench_certs.beam:/bench/" >&2 &&
  $PEER derive cryptoapps "$W/peer/guest/init" "$lx/.:/" >&2 || fail "cannot derive the Linux initramfs"

# ---- the two boots, side by side (guest time does not care) ----
tools/freebeam run --det build/images/cbench.img --timeout "$T" </dev/null 2>&1 | tr -d '\r' >"$L/freebeam.log" &
TIMEOUT=$T $PEER boot cbench 512 2>&1 | tr -d '\r' >"$L/linux.log" &
wait

kv() { grep -m1 -E "^$2 " "$L/$1.log" | grep -oE "$3=[0-9-]+" | cut -d= -f2; }   # kv LOG LINE KEY
for s in freebeam linux; do
  grep -q '^CBENCH_DONE' "$L/$s.log" || fail "no CBENCH_DONE on $s (console in $L/$s.log)"
done
mbps() { awk -v b="$(kv "$1" "$2" bytes)" -v t="$(kv "$1" "$2" ns)" 'BEGIN {printf "%.2f", b * 1000 / t}'; }
speed() {  # speed NAME LINE: MB/s (10^6 bytes per second of guest time); bigger is better
  local f l
  f=$(mbps freebeam "$2"); l=$(mbps linux "$2")
  awk -v n="$1" -v f="$f" -v l="$l" -v b="$(kv freebeam "$2" bytes)" 'BEGIN {
    f += 0; l += 0   # numbers, not strings (mawk compares -v values as strings)
    printf "%s freebeam=%.2f linux=%.2f linux/freebeam=%.3f  # %d bytes in 64 KiB chunks; bigger is better\n", n, f, l, l / f, b
    printf "goal %s freebeam/linux=%.3f (at least 1): %s\n", n, f / l, (f >= l ? "met" : "NOT met") }'
}
speed sha256_mb_per_s SHA256
speed aes128gcm_mb_per_s AES128GCM

# TLS: the CPU time the OS charges to the BEAM's OS process (erts's
# statistics(runtime): getrusage on both; on freebeam the BEAM PD's time as
# the kernel charges it) over N handshakes.  Under -icount shift=0 one ns of
# it is one instruction.  Notes: the guest time (which adds idle waits),
# and on Linux the whole machine's busy time (README.md).
tls() { kv "$1" TLS13 "$2"; }
[ -n "$(tls freebeam runtime_ms)" ] && [ -n "$(tls linux runtime_ms)" ] || fail "no TLS13 line (logs in $L)"
awk -v fn="$(tls freebeam n)" -v fc="$(tls freebeam runtime_ms)" -v ft="$(tls freebeam ns)" -v fs="$(tls freebeam slow)" \
    -v ln="$(tls linux n)" -v lc="$(tls linux runtime_ms)" -v lt="$(tls linux ns)" -v ls="$(tls linux slow)" \
    -v lb="$(tls linux busy_ns)" 'BEGIN {
  ft += 0; lt += 0
  f = fc * 1e6 / fn; l = lc * 1e6 / ln
  printf "tls_handshake_insns freebeam=%.0f linux=%.0f linux/freebeam=%.3f  # the BEAM'"'"'s CPU time over %d TLS 1.3 handshakes, server and client both in the VM\n", f, l, l / f, fn
  printf "note tls_linux_machine_busy_insns_per_handshake=%.0f  # /proc/timer_list, the whole machine\n", lb / ln
  printf "tls_handshake_guest_ns freebeam=%.0f linux=%.0f linux/freebeam=%.3f  # guest time over %d; over 1 s each: freebeam %d, linux %d\n", ft / fn, lt / ln, (lt / ln) / (ft / fn), fn, fs, ls
  printf "goal tls_handshake_insns freebeam/linux=%.3f (at most 1): %s\n", f / l, (f <= l ? "met" : "NOT met")
  printf "goal tls_handshake_guest_ns freebeam/linux=%.3f (at most 1): %s\n", ft / lt, (ft <= lt ? "met" : "NOT met") }'

# ---- bytes: what the five applications add ----
size() { stat -c %s "$1"; }
fb_add=$(( $(size build/images/beam-hello-crypto.img) - $(size build/images/beam-hello.img) ))
fbc_add=$(( $(size "$CR/hello-crypto.cimg") - $(size "$CR/hello.cimg") ))
lx_add=$(( $(size "$W/cryptoapps/initrd.cpio.gz") - $(size "$W/peer/out/initrd.min.cpio.gz") ))
awk -v f="$fbc_add" -v l="$lx_add" -v u="$fb_add" 'BEGIN {
  printf "crypto_ssl_ssh_added_bytes freebeam=%d linux=%d linux/freebeam=%.2f  # compressed: hello-crypto.cimg - hello.cimg; linux initrd.cpio.gz with the debs - the peer'"'"'s\n", f, l, l / f
  printf "note crypto_ssl_ssh_added_bytes_uncompressed: freebeam=%d (build/images/beam-hello-crypto.img - build/images/beam-hello.img)\n", u }'
grep -m1 '^CRYPTO_LIB' "$L/freebeam.log" | sed 's/^/note freebeam /'
grep -m1 '^CRYPTO_LIB' "$L/linux.log" | sed 's/^/note linux /'
