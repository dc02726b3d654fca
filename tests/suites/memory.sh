#!/usr/bin/env bash
# The BEAM's heap is all the RAM left at boot ({size, rest} in
# beam/shell.config, docs/kernel.md "Memory: the rest of RAM"), so
# `tools/freebeam run --mem` changes what Erlang can use without a new image:
#   - -m 512: the kernel reports a heap of most of the 512 MiB, and the shell
#     builds and reverses a list of 3,000,000 integers (which ran out of
#     memory with the old fixed 128 MiB heap);
#   - -m 1024: a larger heap, and a 400 MB binary is allocated;
#   - -m 384: the same 400 MB binary does not fit: erts says why, writes its
#     crash dump, dies with status 134 and the root monitor restarts it.
# Ends with `N passed, N failed`.  MEMORY_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
make --no-print-directory -s $B/images/shell.img >/dev/null ||
  give_up "memory: cannot build $B/images/shell.img"

exec python3 - "${MEMORY_TIMEOUT:-300}" <<'PY'
import sys
sys.path.insert(0, "tests/lib")
import guest
from guest import ok, bad, check, step, PROMPT, Guest

limit = float(sys.argv[1])
HEAP = rb"freebeam: region heap is the rest of RAM: (\d+) MiB"

def boot(mem):
    """The shell image at -m mem, up to its first prompt: (guest, heap MiB or None)."""
    g = Guest(guest.BUILD + "/images/shell.img", limit, ["--mem", str(mem)])
    m = g.expect(HEAP, 60)
    heap = int(m.group(1)) if m else None
    if not check(heap is not None and g.expect(PROMPT, limit) is not None, "-m %d: boots to a prompt" % mem):
        g.dump()
        return g, None
    return g, heap

def halt(g, mem):
    g.send("halt(0).\r")
    check(g.wait(60) == 0, "-m %d: halt(0) powers off with 0" % mem)

# ---- -m 512: the list that the old 128 MiB heap could not hold ----
g, h512 = boot(512)
if h512 is not None:
    check(400 <= h512 < 512, "-m 512: the heap is the rest of RAM, %d MiB (400..511)" % h512)
    step(g, "-m 512: a list of 3,000,000 integers is built and reversed",
         "L = lists:seq(1, 3000000), L2 = lists:reverse(L), {length(L2), hd(L2)}.",
         rb"\r\n\{3000000,3000000\}\r\n", 120)
    halt(g, 512)
if guest.failed:
    g.dump()

# ---- -m 1024: a 400 MB binary ----
failed_before = guest.failed
g, h1024 = boot(1024)
if h1024 is not None:
    check(h512 is not None and h1024 >= h512 + 300,
          "-m 1024: the heap grows with the RAM, %d MiB (-m 512: %s MiB)" % (h1024, h512))
    step(g, "-m 1024: a 400 MB binary is allocated",
         "B = binary:copy(<<0>>, 400000000), byte_size(B).", rb"\r\n400000000\r\n", 120)
    step(g, "-m 1024: and erts counts it", "erlang:memory(binary) >= 400000000.", rb"\r\ntrue\r\n")
    halt(g, 1024)
if guest.failed > failed_before:
    g.dump()

# ---- -m 384: the same binary runs out of memory ----
failed_before = guest.failed
g, h384 = boot(384)
if h384 is not None:
    check(h384 < 381, "-m 384: a heap smaller than 400 MB, %d MiB" % h384)
    g.send("binary:copy(<<0>>, 400000000).\r")
    check(g.expect(rb"Cannot allocate 400000000 bytes of memory", 60) is not None, "-m 384: erts says why")
    check(g.expect(rb"Crash dump is being written to", 60) is not None, "-m 384: erts writes its crash dump")
    check(g.expect(rb"rootmon: beam ended with status 134", 120) is not None, "-m 384: erts dies with 134")
    check(g.expect(rb"rootmon: restarted beam \(restart 1\)", 30) is not None and
          g.expect(PROMPT, limit) is not None, "-m 384: the root monitor restarts it to a prompt")
    halt(g, 384)
if guest.failed > failed_before:
    g.dump()
guest.finish()
PY
