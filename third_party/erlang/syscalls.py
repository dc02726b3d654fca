#!/usr/bin/env python3
"""third_party/erlang/syscalls.py PROGRAM.elf [REPO]

Which Linux system calls a linked freebeam program can make, and which of
them libos does not implement yet.  A static upper bound, found in the
code: in a freebeam program every system call is a call to
__libos_syscall (musl's syscall_arch.h is ours), to one of gcc's outlined
copies of musl's __syscallN helpers, to __syscall_cp or to syscall(), with
the call number put in r0 by a move of a constant a few instructions
before.  Calls whose number is not such a constant are listed at the end
(they are the helpers themselves, whose callers are counted).

The implemented set is libos's dispatch table (libos/systab_*.inc), with
the Linux numbers of musl's bits/syscall.h (build/sysroot) and libos.h.
"""
import glob
import os
import re
import signal
import subprocess
import sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quiet under `| head`

if len(sys.argv) < 2:
    sys.exit(__doc__)
elf = sys.argv[1]
root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
cross = os.environ.get("CROSS", "arm-linux-gnueabihf-")

numbers = {}   # SYS_ name without the prefix -> number
for path in (os.path.join(root, "build/sysroot/include/bits/syscall.h"), os.path.join(root, "libos/libos.h")):
    for line in open(path):
        m = re.match(r"#define\s+SYS_(\w+)\s+(0x[0-9a-fA-F]+|\d+)\b", line)
        if m:
            numbers.setdefault(m.group(1), int(m.group(2), 0))
names = {}
for name, n in sorted(numbers.items()):
    if not name.endswith("_nr"):
        names.setdefault(n, name)

implemented = set()
for path in glob.glob(os.path.join(root, "libos/systab_*.inc")):
    for m in re.finditer(r"\[SYS_(\w+)\]\s*=", open(path).read()):
        if m.group(1) in numbers:
            implemented.add(numbers[m.group(1)])
implemented |= {0xf0005, 0xf0006}   # ARM set_tls/get_tls: syscall.c

dis = subprocess.run([cross + "objdump", "-d", "--no-show-raw-insn", elf],
                     capture_output=True, text=True, check=True).stdout.splitlines()
entry = re.compile(r"^(__libos_syscall|__syscall_cp|syscall|__syscall\d.*)$")
found, unresolved = {}, set()
fn, window = None, []
for line in dis:
    m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
    if m:
        fn, window = m.group(1), []
        continue
    m = re.match(r"^\s*[0-9a-f]+:\s+(\S+)\s*(.*)$", line)
    if not m:
        continue
    op, args = m.group(1), m.group(2)
    target = re.match(r".*<([^>+]+)>", args)
    if op.startswith("bl") and target and entry.match(target.group(1)):
        n = None
        for o, a in reversed(window):
            base = o.split(".")[0]
            k = re.match(r"r0, #(-?\d+)", a)
            if k and base in ("mov", "movs", "movw"):
                n = int(k.group(1))
                break
            if a.startswith("r0,") and base not in ("cmp", "cmn", "tst", "str", "strd", "movt"):
                break
            if base.startswith("b"):
                break
        if n is None:
            unresolved.add(f"{fn} -> {target.group(1)}")
        else:
            found.setdefault(n, set()).add(fn)
        window = []
        continue
    window = (window + [(op, args)])[-14:]

missing = [n for n in sorted(found) if n not in implemented]
print(f"{elf}: {len(found)} system call numbers reachable, {len(found) - len(missing)} implemented by libos, "
      f"{len(missing)} not")
for n in sorted(found):
    mark = "  " if n in implemented else "- "
    print(f"{mark}{n:4} {names.get(n, hex(n)):24} {' '.join(sorted(found[n]))[:100]}")
print("not resolved (number not a constant at the call):", ", ".join(sorted(unresolved)) or "none")
