# tls_certs.sh - sourced by the suites that need a TLS chain made at test
# time by the host's openssl (never committed): tls_certs DIR writes there
#   ca.pem, ca.key              a CA (ECDSA P-256, valid 2 days)
#   other-ca.pem, other-ca.key  a second CA that signs nothing of ours
#   server.pem, server.key      a server certificate signed by ca.pem for
#                               localhost and 127.0.0.1 (serverAuth)
# and fails (status 1) if openssl did not make them all.
tls_certs() {
  ( cd "$1" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
      -subj /CN=freebeam-test-ca -days 2 2>/dev/null &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-ca.key \
      -out other-ca.pem -subj /CN=freebeam-other-ca -days 2 2>/dev/null &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
      -out server.csr -subj /CN=localhost 2>/dev/null &&
    printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' 'basicConstraints=CA:FALSE' \
      'keyUsage=digitalSignature' 'extendedKeyUsage=serverAuth' >server.ext &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
      -out server.pem 2>/dev/null )
}
