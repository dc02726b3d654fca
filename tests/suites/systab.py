#!/usr/bin/env python3
"""systab.py - libos's dispatch table, and docs/posix.md's table of it.

  systab.py table             every call libos dispatches: NUMBER NAME FUNCTION
  systab.py doc               every call docs/posix.md's table names: the same
  systab.py check             compare them; one `ok`/`FAIL` line per call,
                              then `N passed, N failed`; exit 1 on a difference

Options (before the command): --libos DIR (default libos), --doc FILE
(default docs/posix.md), --musl-header FILE (musl's bits/syscall.h; default
B/sysroot/include/bits/syscall.h, which `make musl` installs; B is
$FREEBEAM_BUILD, else build).

The table: every `[SYS_xxx] = sys_yyy` entry of the fragments that
libos/systab_all.inc includes, plus the ARM private numbers that
libos/syscall.c handles before the table (`n == ARM_NR_xxx` ... `sys_yyy(`).
A number comes from libos/libos.h when it defines the name there (the
`*_nr` and `ARM_NR_*` names), else from musl's header.  A call's name is
musl's SYS_ name without `SYS_` (for a `*_nr` name of libos.h: musl's name
of that number), or `ARM_xxx` for an ARM private call.

The document: every table row whose first cell is a number:
  | NUMBER | `name` | `sys_function` | full/partial/refused | ... |
"""
import os
import re
import sys

STATUSES = ("full", "partial", "refused")


def fail_usage(msg):
    sys.stderr.write("systab.py: %s\n" % msg)
    sys.exit(2)


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        fail_usage("cannot read %s: %s" % (path, e.strerror))


def number(text):
    return int(text, 0)


def musl_numbers(header):
    """SYS_name -> number, and number -> musl's first SYS_ name."""
    by_name, by_number = {}, {}
    for m in re.finditer(r"^#define\s+SYS_(\w+)\s+(\w+)\s*$", read(header), re.M):
        try:
            n = number(m.group(2))
        except ValueError:
            continue
        by_name[m.group(1)] = n
        by_number.setdefault(n, m.group(1))
    return by_name, by_number


def libos_defines(libos):
    """Names libos.h defines as numbers itself (SYS_*_nr, ARM_NR_*)."""
    out = {}
    for m in re.finditer(r"^#define\s+(SYS_\w+|ARM_NR_\w+)\s+(0x[0-9a-fA-F]+|\d+)\b",
                         read(os.path.join(libos, "libos.h")), re.M):
        out[m.group(1)] = number(m.group(2))
    return out


def table(libos, header):
    """[(number, name, function, where)] of the dispatch table."""
    by_name, by_number = musl_numbers(header)
    local = libos_defines(libos)
    entries, problems = [], []
    allinc = read(os.path.join(libos, "systab_all.inc"))
    frags = re.findall(r'^#include\s+"([^"]+)"', allinc, re.M)
    if not frags:
        problems.append("libos/systab_all.inc includes no fragment")
    for frag in frags:
        text = read(os.path.join(libos, frag))
        for m in re.finditer(r"\[\s*SYS_(\w+)\s*\]\s*=\s*(sys_\w+)", text):
            sym, fn = m.group(1), m.group(2)
            if "SYS_" + sym in local:
                n = local["SYS_" + sym]
                name = by_number.get(n)
                if name is None:
                    problems.append("%s: SYS_%s = %d is no number musl knows" % (frag, sym, n))
                    name = sym
            elif sym in by_name:
                n, name = by_name[sym], sym
            else:
                problems.append("%s: SYS_%s is not in musl's header" % (frag, sym))
                continue
            entries.append((n, name, fn, frag))
    sysc = read(os.path.join(libos, "syscall.c"))
    for m in re.finditer(r"n\s*==\s*(ARM_NR_(\w+))\s*\)\s*\{?\s*return\s+(sys_\w+)\s*\(", sysc):
        if m.group(1) not in local:
            problems.append("syscall.c: %s is not defined in libos.h" % m.group(1))
            continue
        entries.append((local[m.group(1)], "ARM_" + m.group(2), m.group(3), "syscall.c"))
    return entries, problems


ROW = re.compile(r"^\|\s*(0x[0-9a-fA-F]+|\d+)\s*\|(.*)$")
CELLS = re.compile(r"^\s*`?(\w+)`?\s*\|\s*`?(sys_\w+)`?\s*\|\s*\**(\w+)\**\s*\|")


def doc(path):
    """[(number, name, function, status, line)] of the document's rows, and
    the rows that look like call rows but do not parse."""
    rows, bad = [], []
    for i, line in enumerate(read(path).splitlines(), 1):
        m = ROW.match(line)
        if not m:
            continue
        c = CELLS.match(m.group(2))
        if not c:
            bad.append("%s:%d: a row that is not | NUMBER | `name` | `sys_fn` | status | ...: %s"
                       % (path, i, line[:80]))
            continue
        rows.append((number(m.group(1)), c.group(1), c.group(2), c.group(3), i))
    return rows, bad


def main(argv):
    libos, docpath = "libos", "docs/posix.md"
    header = os.environ.get("FREEBEAM_BUILD", "build") + "/sysroot/include/bits/syscall.h"
    args = list(argv)
    while args and args[0].startswith("--"):
        if len(args) < 2:
            fail_usage("%s needs a value" % args[0])
        opt, val = args[0], args[1]
        args = args[2:]
        if opt == "--libos":
            libos = val
        elif opt == "--doc":
            docpath = val
        elif opt == "--musl-header":
            header = val
        else:
            fail_usage("unknown option %s" % opt)
    if len(args) != 1 or args[0] not in ("table", "doc", "check"):
        fail_usage("usage: systab.py [--libos DIR] [--doc FILE] [--musl-header FILE] table|doc|check")
    if args[0] in ("table", "check") and not os.path.exists(header):
        fail_usage("%s is missing: build musl first (make musl)" % header)
    cmd = args[0]
    if cmd == "table":
        entries, problems = table(libos, header)
        for n, name, fn, where in sorted(entries):
            print("%-6d %-24s %-26s %s" % (n, name, fn, where))
        for p in problems:
            print("problem: " + p)
        return 1 if problems else 0
    if cmd == "doc":
        rows, bad = doc(docpath)
        for n, name, fn, status, line in sorted(rows):
            print("%-6d %-24s %-26s %s" % (n, name, fn, status))
        for b in bad:
            print("problem: " + b)
        return 1 if bad else 0

    entries, problems = table(libos, header)
    rows, bad = doc(docpath)
    passed = failed = 0

    def result(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   " + what)
        else:
            failed += 1
            print("FAIL " + what)

    for p in problems + bad:
        result(False, p)
    seen = {}
    for n, name, fn, status, line in rows:
        if n in seen:
            result(False, "%s:%d: number %d documented twice (also line %d)" % (docpath, line, n, seen[n]))
        seen.setdefault(n, line)
        if status not in STATUSES:
            result(False, "%s:%d: %s: status '%s' is not full, partial or refused" % (docpath, line, name, status))
    numbers = {}
    for n, name, fn, where in entries:
        if n in numbers:
            result(False, "%s: number %d is in the dispatch table twice" % (where, n))
        numbers[n] = (name, fn, where)
    documented = {n: (name, fn, status, line) for n, name, fn, status, line in rows}
    for n, (name, fn, where) in sorted(numbers.items()):
        d = documented.get(n)
        if d is None:
            result(False, "%d %s (-> %s, %s): in the dispatch table, not in %s" % (n, name, fn, where, docpath))
        elif (d[0], d[1]) != (name, fn):
            result(False, "%d: the dispatch table says %s -> %s, %s line %d says %s -> %s"
                   % (n, name, fn, docpath, d[3], d[0], d[1]))
        else:
            result(True, "%d %s -> %s: documented (%s)" % (n, name, fn, d[2]))
    for n, (name, fn, status, line) in sorted(documented.items()):
        if n not in numbers:
            result(False, "%s:%d: %d %s -> %s is documented but not in the dispatch table"
                   % (docpath, line, n, name, fn))
    result(len(rows) > 0 and len(entries) > 0,
           "%d calls in the dispatch table, %d rows in %s" % (len(entries), len(rows), docpath))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
