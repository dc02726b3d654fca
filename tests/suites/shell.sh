#!/usr/bin/env bash
# The Erlang shell on the serial console (beam/shell.config, the image
# `make run` boots): the serial driver PD, the BEAM PD, libos's console and
# line discipline.  Drives `tools/freebeam run build/images/shell.img` like
# a user at a terminal: waits for each prompt before typing the next line
# (stdin is a pipe, so the bytes go to the guest's serial port as they are;
# Enter sends CR, as a terminal does), and checks the answers: arithmetic,
# erase and kill in the line discipline, spawn/receive, a runtime error the
# shell survives, halt(3) powering off with status 3, and q() with 0.
# Line editing (erts's tty_sl driver over beam/termcap, TERM=vt100 from
# beam/shell.config): cursor left and right (ESC [ D, ESC [ C) with
# insertion mid-line, DEL mid-line, ^A, up-arrow history (ESC [ A), and ^C
# interrupting a blocked evaluation.  First, beam/termcap's host unit test
# (beam/termcap/test_termcap.c, built with the host's cc).
# Ends with `N passed, N failed`.  SHELL_TIMEOUT (seconds, default 120)
# bounds each boot; SHELL_IMG tests another image than
# build/images/shell.img (which is built only when missing).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
img=${SHELL_IMG:-$B/images/shell.img}
if [ -z "${SHELL_IMG:-}" ] && [ ! -f "$img" ]; then
  make --no-print-directory -s "$img" >/dev/null || give_up "shell: cannot build $img"
fi

# beam/termcap on the host: what tgetent gives erts for each TERM.
tc_pass=0; tc_fail=0
tc_bin=$B/termcap/host/test_termcap
mkdir -p "$(dirname "$tc_bin")"
if ${HOSTCC:-cc} -std=c11 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
     -Itests/host -Ibeam/termcap beam/termcap/test_termcap.c beam/termcap/termcap.c -o "$tc_bin" &&
   out=$("$tc_bin" 2>&1) && printf '%s\n' "$out" | grep -qE '^test_termcap: [1-9][0-9]* passed, 0 failed$'; then
  echo "ok   termcap: host unit test ($(printf '%s\n' "$out" | tail -n 1))"; tc_pass=1
else
  printf '%s\n' "${out:-}" | sed 's/^/  | /'
  echo "FAIL termcap: host unit test"; tc_fail=1
fi

exec python3 - "$img" "${SHELL_TIMEOUT:-120}" "$tc_pass" "$tc_fail" <<'EOF'
import sys, time
sys.path.insert(0, "tests/lib")
import guest
from guest import ok, bad, step, PROMPT

img, limit = sys.argv[1], float(sys.argv[2])
guest.passed, guest.failed = int(sys.argv[3]), int(sys.argv[4])
def Guest():
    return guest.Guest(img, limit)

# ---- run 1: a session that ends with halt(3) ----
g = Guest()
if g.expect(rb"Eshell V13[^\r\n]*\r\n", limit) and g.expect(rb"1> ", 30):
    ok("boot: Eshell V13 banner and the prompt 1>")
    step(g, "1+2. answers 3 (echoed, CR as Enter, ONLCR)", "1+2.", rb"1\+2\.\r\n3\r\n")
    step(g, "erase: DEL takes back a character", "2*\x7f+5.", rb"\r\n7\r\n")
    step(g, "erase: ^H too", "6-\x08*7.", rb"\r\n42\r\n")
    step(g, "kill: ^U discards the line", "junk(\x1510+1.", rb"\r\n11\r\n")
    # Line editing: erts's tty_sl driver, possible only with termcap.  The
    # answers prove the edits: unedited, each line would be a syntax error.
    LEFT, RIGHT, UP = "\x1b[D", "\x1b[C", "\x1b[A"
    step(g, "cursor left: 12. <- <- 3 Enter inserts mid-line: 132",
         "12." + LEFT + LEFT + "3", rb"\r\n132\r\n")
    step(g, "cursor right: ac <- b -> . gives abc",
         "ac" + LEFT + "b" + RIGHT + ".", rb"\r\nabc\r\n")
    step(g, "backspace mid-line: 1234. <- <- DEL gives 124",
         "1234." + LEFT + LEFT + "\x7f", rb"\r\n124\r\n")
    step(g, "^A goes to the line's start: 2*3. ^A 1+ gives 7", "2*3.\x01" + "1+", rb"\r\n7\r\n")
    step(g, "up-arrow recalls the previous expression", UP, rb"> 1\+2\*3\.\r\n7\r\n")
    step(g, "up-arrow twice, then edited: ^A - gives -124", UP + UP + "\x01-", rb"\r\n-124\r\n")
    g.send("receive after infinity -> ok end.\r")
    time.sleep(1)
    g.send("\x03")         # no Enter: user_drv acts on the byte
    if g.expect(rb"exception exit: killed", 30) and g.expect(PROMPT, 30):
        ok("^C interrupts a blocked evaluation (user_drv; no signals in a PD)")
    else:
        bad("^C interrupts a blocked evaluation")
    step(g, "spawn/receive at the prompt", 
         'spawn(fun() -> receive X -> io:format("got ~p~n",[X]) end end) ! hi.',
         rb"got hi\r\n")
    step(g, "a runtime error: the shell prints the exception and goes on", "1/0.",
         rb"exception error: an error occurred when evaluating an arithmetic expression")
    step(g, "the shell still evaluates after the error", "lists:seq(1,5).",
         rb"\[1,2,3,4,5\]\r\n")
    g.send("halt(3).\r")
    rc = g.wait(60)
    if rc == 3:
        ok("halt(3). powers off with status 3")
    else:
        bad("halt(3).: exit status %r" % rc)
else:
    bad("boot: no Eshell banner and prompt")
    g.wait(5)
if guest.failed:
    g.dump()

# ---- run 2: q(). ends with status 0 ----
g = Guest()
if g.expect(rb"1> ", limit):
    g.send("q().\r")
    rc = g.wait(60)
    if rc == 0:
        ok("q(). powers off with status 0")
    else:
        bad("q().: exit status %r" % rc)
        g.dump()
else:
    bad("second boot: no prompt")
    g.wait(5)
    g.dump()

guest.finish()
EOF
