#!/usr/bin/env bash
# OTP's crypto, asn1 and public_key in a freebeam image (docs/crypto.md):
#   - erts's two flavours: build/erts/crypto/beam.smp has the crypto NIF and
#     OpenSSL's libcrypto linked in, build/erts/beam.smp and the shell image
#     (build/images/shell.img, the plain image) have nothing of OpenSSL;
#   - tests/crypto/crypto_image_tests.erl run in an image made by
#     `tools/freebeam test-image --apps crypto,asn1,public_key` with the rng
#     driver PD (beam/rng.config): known answers (SHA-2, HMAC),
#     crypto:info_lib() and crypto:supports() against the host's erl (same
#     OpenSSL major, same lists), AES-GCM against the host's crypto, random
#     bytes, ECDSA, EdDSA and RSA key generation with sign/verify, and
#     public_key decoding and verifying a certificate and signatures the
#     host's openssl made just now (in a temporary folder, never committed),
#     all passed to the image as a generated module, crypto_host_data;
#   - tests/crypto/tls_image_tests.erl in the same image (with ssl): a TLS
#     server and client over loopback, TLS 1.3 and 1.2, each verifying the
#     chain of a CA and server certificate the host's openssl made, and
#     refusing an unknown CA and a wrong host name; and ssh_image_tests.erl
#     (with ssh): an SSH daemon and client over loopback, public-key login
#     with keys the host's ssh-keygen made, exec of an Erlang expression, a
#     key the daemon does not know refused;
#   - an application whose .app needs crypto, through `tools/freebeam image
#     --app`: the crypto flavour boots it, IMAGE.notices names OpenSSL.
# Ends with `N passed, N failed`.  CRYPTO_TIMEOUT bounds the image's run (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
plain=build/erts/beam.smp flav=build/erts/crypto/beam.smp shell=build/images/shell.img
make --no-print-directory -s "$plain" "$flav" build/pds/drivers/rng.elf "$shell" >/dev/null ||
  { bad "make $plain $flav build/pds/drivers/rng.elf $shell"; finish; }
command -v openssl >/dev/null || { bad "no openssl on the host (tools/setup.sh installs it)"; finish; }
command -v ssh-keygen >/dev/null || { bad "no ssh-keygen on the host (tools/setup.sh installs openssh-client)"; finish; }
work=$(mktemp -d build/crypto-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

# ---- the flavours ----
# OpenSSL's ARM code names OPENSSL_armcap (its getenv): present only where
# libcrypto is.
check "the crypto flavour has the crypto NIF and libcrypto" \
  eval 'arm-linux-gnueabihf-nm build/erts/crypto/beam.smp.unstripped | grep -q " T crypto_nif_init$" && grep -qaF OPENSSL_armcap "$flav"'
check "the plain beam.smp has nothing of OpenSSL" eval '! grep -qaF OPENSSL_armcap "$plain"'
check "the shell image has nothing of OpenSSL ($(stat -c %s "$shell") bytes)" eval '! grep -qaF OPENSSL_armcap "$shell"'
echo "     beam.smp $(stat -c %s "$plain") bytes, crypto/beam.smp $(stat -c %s "$flav") bytes (stripped)"

# ---- what the host makes ----
( cd "$work" &&
  openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out cert.pem -subj /CN=freebeam-test -days 2 2>/dev/null &&
  printf 'signed by the host' >msg &&
  openssl dgst -sha256 -sign rsa.key -out rsa.sig msg &&
  openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null &&
  openssl ec -in ec.key -pubout -out ec.pub 2>/dev/null &&
  openssl dgst -sha256 -sign ec.key -out ec.sig msg &&
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
    -subj /CN=freebeam-test-ca -days 2 2>/dev/null &&
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-ca.key \
    -out other-ca.pem -subj /CN=freebeam-other-ca -days 2 2>/dev/null &&
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
    -out server.csr -subj /CN=localhost 2>/dev/null &&
  printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' 'basicConstraints=CA:FALSE' \
    'keyUsage=digitalSignature' 'extendedKeyUsage=serverAuth' >server.ext &&
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
    -out server.pem 2>/dev/null &&
  for k in host user stranger; do ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -C "freebeam-$k" -f "ssh-$k" || exit 1; done ) ||
  { bad "the host's openssl made a certificate, keys and signatures"; finish; }
ok "the host's openssl made a certificate, keys and signatures"
# crypto_host_data.erl: the host's answers and files as functions.
CRYPTO_WORK=$work erl -noshell -noinput -eval '
  W = os:getenv("CRYPTO_WORK"),
  R = fun(F) -> {ok, B} = file:read_file(filename:join(W, F)), B end,
  Key = binary:copy(<<16#2a>>, 32), IV = binary:copy(<<16#07>>, 12),
  AAD = <<"header">>, Plain = <<"freebeam aes-256-gcm plain text">>,
  {C, T} = crypto:crypto_one_time_aead(aes_256_gcm, Key, IV, Plain, AAD, true),
  Fs = [{info_lib, crypto:info_lib()}, {supports, crypto:supports()},
        {aes_gcm, {Key, IV, AAD, Plain, C, T}}, {cert_pem, R("cert.pem")},
        {rsa_signature, {R("msg"), R("rsa.sig")}}, {ec_pub_pem, R("ec.pub")},
        {ec_signature, {R("msg"), R("ec.sig")}},
        {tls_pem, [{ca_cert, R("ca.pem")}, {other_ca_cert, R("other-ca.pem")},
                   {server_cert, R("server.pem")}, {server_key, R("server.key")}]},
        {ssh_keys, [{host_key, R("ssh-host")}, {host_pub, R("ssh-host.pub")}, {user_key, R("ssh-user")},
                    {user_pub, R("ssh-user.pub")}, {stranger_key, R("ssh-stranger")},
                    {stranger_pub, R("ssh-stranger.pub")}]}],
  Src = ["%% Generated by tests/suites/crypto.sh from the host.\n-module(crypto_host_data).\n",
         "-export([", lists:join(", ", [atom_to_list(N) ++ "/0" || {N, _} <- Fs]), "]).\n",
         [io_lib:format("~p() -> ~w.~n", [N, V]) || {N, V} <- Fs]],
  ok = file:write_file(filename:join(W, "crypto_host_data.erl"), Src),
  halt(0).' || { bad "the host's erl wrote crypto_host_data.erl"; finish; }

# ---- the image ----
tools/freebeam test-image --timeout "${CRYPTO_TIMEOUT:-600}" --apps crypto,asn1,public_key,ssl,ssh \
  --system beam/rng.config --search build/pds/drivers --helper "$work/crypto_host_data.erl" \
  tests/crypto/crypto_image_tests.erl tests/crypto/tls_image_tests.erl tests/crypto/ssh_image_tests.erl \
  >"$work/image.log" 2>&1
rc=$?
tr -d '\r' <"$work/image.log" | grep -E '^(crypto:|fb_test:|rng:|  )|Failed|failed|error' | head -n 60 | sed 's/^/     /'
summary=$(tr -d '\r' <"$work/image.log" | grep -E '^fb_test: crypto_image_tests: ' | tail -n 1)
check "the image ran crypto_image_tests: ${summary:-no result}" \
  eval 'printf "%s\n" "$summary" | grep -qE "^fb_test: crypto_image_tests: (19|[2-9][0-9]) passed, 0 failed, 0 skipped$"'
tls=$(tr -d '\r' <"$work/image.log" | grep -E '^fb_test: tls_image_tests: ' | tail -n 1)
check "the image ran tls_image_tests (TLS 1.3 and 1.2 on loopback, chains verified): ${tls:-no result}" \
  eval 'printf "%s\n" "$tls" | grep -qE "^fb_test: tls_image_tests: 4 passed, 0 failed, 0 skipped$"'
sshr=$(tr -d '\r' <"$work/image.log" | grep -E '^fb_test: ssh_image_tests: ' | tail -n 1)
check "the image ran ssh_image_tests (daemon and client on loopback, public-key login, exec): ${sshr:-no result}" \
  eval 'printf "%s\n" "$sshr" | grep -qE "^fb_test: ssh_image_tests: 2 passed, 0 failed, 0 skipped$"'
verdict "test-image: exit status 0 (got $rc)" "$rc"
check "the rng driver seeded libos (no unseeded warning)" eval '! grep -aq "NOT cryptographically seeded" "$work/image.log"'

# ---- an application that needs crypto, through `tools/freebeam image --app` ----
# Its .app names crypto: the release brings crypto in, the image boots the
# crypto flavour, and IMAGE.notices carries OpenSSL's notice.
mkdir -p "$work/capp/ebin"
cat >"$work/capp/ebin/capp.app" <<'EOF'
{application, capp, [{description, "needs crypto"}, {vsn, "0.1.0"}, {modules, [capp]}, {registered, []},
                     {applications, [kernel, stdlib, crypto]}, {mod, {capp, []}}]}.
EOF
cat >"$work/capp.erl" <<'EOF'
-module(capp).
-behaviour(application).
-export([start/2, stop/1]).
start(_, _) ->
    io:format("capp: sha256(a) ~s~n", [string:lowercase(binary:encode_hex(crypto:hash(sha256, <<"a">>)))]),
    erlang:halt(0).
stop(_) -> ok.
EOF
erlc -o "$work/capp/ebin" "$work/capp.erl" && tools/freebeam image --app "$work/capp" -o "$work/capp.img" >/dev/null 2>&1
check "image --app: an application needing crypto gets OpenSSL's notice" eval 'grep -q "^- OpenSSL 3\." "$work/capp.img.notices"'
tools/freebeam run "$work/capp.img" --timeout "${CRYPTO_TIMEOUT:-600}" </dev/null >"$work/capp.log" 2>&1
rc=$?
check "image --app: it boots the crypto flavour and hashes (exit $rc)" \
  eval '[ $rc -eq 0 ] && tr -d "\r" <"$work/capp.log" | grep -aq "^capp: sha256(a) ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb$"'
finish
