#!/usr/bin/env python3
"""report.py - turns the `prof PD PC COUNT` lines that kernel-prof.elf prints
at power off (kernel/prof.c, docs/profiling.md) into a table of functions.

    tools/freebeam run --det X.img | tools/profile/report.py --elf beam=build/erts/beam.smp.unstripped

--elf NAME=ELF names the ELF of the PD called NAME in the description (any
PD without one is counted by pc only); --top N rows (default 40);
--by file groups by source file instead of by function.
"""
import argparse
import collections
import re
import subprocess
import sys


def symbolize(elf, pcs, addr2line):
    """{pc: (function, file)} for pcs in elf, by one addr2line run."""
    out = subprocess.run([addr2line, "-f", "-C", "-e", elf] + ["%#x" % pc for pc in pcs],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    return {pc: (out[2 * i], out[2 * i + 1].split(":")[0]) for i, pc in enumerate(pcs)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log", nargs="?", help="console log (default: standard input)")
    ap.add_argument("--elf", action="append", default=[], help="NAME=ELF of a PD")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--by", choices=["function", "file"], default="function")
    ap.add_argument("--addr2line", default="arm-linux-gnueabihf-addr2line")
    args = ap.parse_args()

    text = open(args.log, errors="replace").read() if args.log else sys.stdin.read()
    names, counts = {}, collections.Counter()
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"^prof: pd (\d+) (\S+)$", line)
        if m:
            names[int(m.group(1))] = m.group(2)
        m = re.match(r"^prof (\d+) ([0-9a-f]{8}) (\d+)$", line)
        if m:
            counts[(int(m.group(1)), int(m.group(2), 16))] += int(m.group(3))
    total = sum(counts.values())
    if not total:
        sys.exit("report.py: no `prof` lines: was the image built with build/kernel-prof/kernel.elf?")

    elfs = dict(e.split("=", 1) for e in args.elf)
    rows = collections.Counter()
    for pd in sorted({pd for pd, _ in counts}):
        name = names.get(pd, "pd%d" % pd)
        pcs = sorted(pc for p, pc in counts if p == pd)
        syms = symbolize(elfs[name], pcs, args.addr2line) if name in elfs else {}
        for pc in pcs:
            func, path = syms.get(pc, ("%#010x" % pc, "?"))
            key = path if args.by == "file" else func
            rows["%s: %s" % (name, key)] += counts[(pd, pc)]

    print("%d samples" % total)
    cum = 0
    for key, n in rows.most_common(args.top):
        cum += n
        print("%6.2f%% %6.2f%% %7d  %s" % (100.0 * n / total, 100.0 * cum / total, n, key))


if __name__ == "__main__":
    main()
