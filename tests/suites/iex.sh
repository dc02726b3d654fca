#!/usr/bin/env bash
# IEx, Elixir's shell, on the serial console (build/images/iex.img, made by
# beam/beam.mk from beam/iex.config, beam/shell.config with other parameters): drives
# `tools/freebeam run` like a person at a terminal (tests/lib/guest.py),
# waits for each `iex(N)>` prompt before typing, and checks the answers: a
# pipeline over a range, unicode String functions, a spawned process
# answering a message, an error IEx survives, line editing (erts' tty_sl over
# beam/termcap) and history, tab completion, `h` for a module whose docs the
# image keeps, and System.halt(3) powering off with status 3.
# Ends with `N passed, N failed`.  IEX_TIMEOUT (seconds, default 180) bounds
# the boot; IEX_IMG tests another image (the default is built when missing).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
img=${IEX_IMG:-$B/images/iex.img}
if [ -z "${IEX_IMG:-}" ] && [ ! -f "$img" ]; then
  make --no-print-directory -s "$img" >/dev/null || give_up "iex: cannot build $img"
fi

exec python3 - "$img" "${IEX_TIMEOUT:-180}" <<'EOF'
import sys, time
sys.path.insert(0, "tests/lib")
import guest
from guest import ok, bad, step

guest.PROMPT = rb"iex\(\d+\)> "
img, limit = sys.argv[1], float(sys.argv[2])
g = guest.Guest(img, limit)
t0 = time.monotonic()
if g.expect(rb"Interactive Elixir \(1\.14\.\d+\)[^\r\n]*\r\n", limit) and g.expect(rb"iex\(1\)> ", 60):
    ok("boot: the Interactive Elixir banner and iex(1)> (%.1f s)" % (time.monotonic() - t0))
    step(g, "a pipeline: 1..100 |> Enum.map(&(&1 * 2)) |> Enum.sum() is 10100",
         "1..100 |> Enum.map(&(&1 * 2)) |> Enum.sum()", rb"\r\n10100\r\n")
    step(g, "unicode: String.upcase of a UTF-8 string typed on the console",
         'String.upcase("héllo wörld")', '\r\n"HÉLLO WÖRLD"\r\n'.encode())
    step(g, "unicode: String.length counts graphemes, byte_size bytes",
         '{String.length("ü€𝄞"), byte_size("ü€𝄞")}', rb"\r\n\{3, 9\}\r\n")
    step(g, "a spawned process answers a message",
         "pid = spawn(fn -> receive do {:ping, from} -> send(from, {:pong, self()}) end end)",
         rb"#PID<")
    step(g, "... and its answer arrives", "send(pid, {:ping, self()}); receive do {:pong, ^pid} -> :pong_from_pid end",
         rb"\r\n:pong_from_pid\r\n")
    step(g, "an error: IEx prints the exception and goes on", "1 / 0",
         rb"\*\* \(ArithmeticError\) bad argument in arithmetic expression")
    step(g, "IEx still evaluates after the error", "Enum.to_list(1..5)", rb"\r\n\[1, 2, 3, 4, 5\]\r\n")
    LEFT, UP = "\x1b[D", "\x1b[A"
    step(g, "line editing: cursor left, insertion mid-line (12 <- 3 gives 132)",
         "12" + LEFT + "3", rb"\r\n132\r\n")
    step(g, "history: up-arrow recalls the previous line", UP, rb"\r\n132\r\n")
    step(g, "tab completion: Enum.rev<TAB> completes to Enum.reverse",
         "Enum.rev\t([1, 2, 3])", rb"\r\n\[3, 2, 1\]\r\n")
    step(g, "h: the docs of Enum.sum/1, kept in the image", "h Enum.sum/1",
         rb"def sum\(enumerable\).*Returns the sum of all elements")
    guest.powers_off(g, "System.halt(3) powers off with status 3", "System.halt(3)", 3)
else:
    bad("boot: no Interactive Elixir banner and iex(1)> prompt")
    g.wait(5)
if guest.failed:
    g.dump()
guest.finish()
EOF
