#!/usr/bin/env bash
# SSH into the device (docs/ssh.md): build/images/ssh_shell.img
# (examples/ssh_shell, made by examples/examples.mk with keys made at build
# time) booted with its port 22 forwarded to the host's loopback, and the
# host's OpenSSH client, as a user would run it:
#   - the daemon's host key is the one made at build time (strict host key
#     checking against a known_hosts line written from it);
#   - public-key login and exec of an Erlang expression;
#   - an interactive Erlang shell through `ssh -tt` (bindings, exit());
#   - a key the daemon does not authorise is refused;
#   - `init:stop(7).` through ssh powers the machine off with status 7.
# Ends with `N passed, N failed`.  SSH_TIMEOUT bounds the boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
. tests/lib/background.sh
img=$B/images/ssh_shell.img keys=$B/examples/ssh-keys
make --no-print-directory -s "$img" >/dev/null || give_up "make $img"
command -v ssh >/dev/null || give_up "no ssh on the host (tools/setup.sh installs openssh-client)"
work=$(mktemp -d $B/ssh-test.XXXXXX)
qemu=""
trap '[ -n "$qemu" ] && kill "$qemu" 2>/dev/null; rm -rf "$work"' EXIT
t=${SSH_TIMEOUT:-240}

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$keys/host_key.pub")" >"$work/known_hosts"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$work/stranger"
# hssh KEY ARGS...: the host's ssh client into the image, never asking.
hssh() {
  local key=$1; shift
  timeout 60 ssh -p "$port" -i "$key" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=30 \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$work/known_hosts" -o LogLevel=ERROR 127.0.0.1 "$@"
}

start_until "$work/console" "^ssh_shell: SSH daemon listening on port 22" "$t" \
  tools/freebeam run "$img" --timeout "$t" --hostfwd "tcp:127.0.0.1:$port-:22"
qemu=$started
check "the image booted, got a lease and its daemon listens" eval \
  'grep -aq "^libos: eth0: 10.0.2.15 .*(dhcp)" "$work/console" && grep -aq "^ssh_shell: SSH daemon listening on port 22" "$work/console"'

out=$(hssh "$keys/id_ed25519" 'lists:sum([1, 2, 3]) * 7.' 2>&1); rc=$?
check "exec: public-key login, the host key as made at build time, 42 (exit $rc: $out)" \
  eval '[ $rc -eq 0 ] && [ "$(tr -d "\r" <<<"$out")" = 42 ]'

out=$(printf 'X = 6 * 7.\nX + 1.\nexit().\n' | hssh "$keys/id_ed25519" -tt 2>&1 | tr -d '\r'); rc=$?
printf '%s\n' "$out" | show
check "shell: an Erlang shell prompt, a binding kept between lines, exit() ends it" \
  eval 'grep -q "^Eshell V" <<<"$out" && grep -q "^2> X + 1\.$" <<<"$out" && grep -qx 43 <<<"$out"'

out=$(hssh "$work/stranger" 'node().' 2>&1); rc=$?
check "a key the daemon does not authorise is refused (exit $rc)" \
  eval '[ $rc -eq 255 ] && grep -q "Permission denied" <<<"$out"'

hssh "$keys/id_ed25519" 'init:stop(7).' >/dev/null 2>&1
wait "$qemu"; rc=$?; qemu=""
check "init:stop(7) through ssh powers the machine off with 7 (exit $rc)" eval '[ $rc -eq 7 ]'
[ "$fail" -eq 0 ] || show <"$work/console"
finish
