#!/usr/bin/env bash
# Native components as Erlang citizens (docs/native-components.md), booted
# in QEMU:
#   - the freebeam application's API (erlang/test/native/, EUnit through
#     test-image --system): messages, back-pressure, resets, errors (unknown
#     names, a PD the BEAM does not monitor, a stopped PD, a full queue),
#     monitors and an ordinary supervisor;
#   - a plain C program on libos with a native echo PD
#     (build/images/posix-native.img, tests/posix/native.c): the devices
#     /dev/chan and /dev/pd with their errors, back-pressure, a fault, exit,
#     stop and restart; it prints `native: N passed, N failed`;
#   - the sensor demo (build/images/sensor.img): a C sensor PD crashing on
#     purpose every 100 readings under an Erlang supervisor; the image
#     prints readings=R restarts=S lost=L duplicated=D and powers off 0 only
#     if nothing was lost or duplicated; here R >= 1000 and S >= 10 too;
#   - the isolation demo (build/images/rogue.img): a rogue PD breaks its
#     queue three ways and writes into the BEAM PD's memory; the BEAM
#     rejects the garbage, sees the fault and keeps running;
#   - the shell image with the serial driver's test fault key (beam/shell.config
#     plus `fault-key=29` for the driver): freebeam_pd status/restart of the
#     console driver at the prompt, error cases, a crash of the driver that
#     its supervisor repairs, and the root monitor restarting erts after a
#     NULL write in a NIF and after an out-of-memory, then halt(7);
#   - the root monitor giving up: four aborts within 60 s power off non-zero.
# Ends with `N passed, N failed`.  NATIVE_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
imgs=($B/images/posix-native.img $B/images/sensor.img $B/images/rogue.img $B/images/shell.img)
make --no-print-directory -s "${imgs[@]}" >/dev/null ||
  give_up "native: cannot build ${imgs[*]}"

# The shell image with the driver's fault key: the same description (its
# includes expanded), one argument more for the serial PD.
work=$(mktemp -d $B/native-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
tools/freebeam image beam/shell.config --expand |
  sed 's/^{pd,serial,\[{elf,"serial.elf"},/{pd,serial,[{elf,"serial.elf"},{args,["serial","fault-key=29"]},/' \
  >"$work/shell-fault.config"
grep -q 'fault-key=29' "$work/shell-fault.config" ||
  give_up "native: beam/shell.config has no serial PD line to add the fault key to"
tools/freebeam image "$work/shell-fault.config" -o "$work/shell-fault.img" --kernel $B/kernel/kernel.elf \
  --search $B/erts --search $B/beam --search $B/pds/drivers --search $B/pds/beam >/dev/null ||
  give_up "native: cannot build the shell image with the fault key"

# The freebeam application's API against real native PDs, through
# test-image (erlang/test/native/: EUnit with an echo PD the BEAM monitors
# and one it does not).
api=$(set -o pipefail; tools/freebeam test-image --timeout 300 --system erlang/test/native/qecho.config \
        --search $B/pds/qecho --helper erlang/test/native/sup_cb.erl \
        erlang/test/native/freebeam_api_tests.erl 2>&1 | tr -d '\r')
api_rc=$?
api_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' <<<"$api" | tail -n 1)
echo "$api" | grep -E '^fb_test|^  (All|Failed|[a-z_]+:)' | sed 's/^/  | /'

exec python3 - "$work/shell-fault.img" "${NATIVE_TIMEOUT:-300}" "$api_rc" "$api_line" <<'PY'
import re, sys
sys.path.insert(0, "tests/lib")
import guest
from guest import ok, bad, check, step, PROMPT, Guest

fault_img, limit = sys.argv[1], float(sys.argv[2])
api_rc, api_line = int(sys.argv[3]), sys.argv[4]
m = re.match(r"(\d+) passed, (\d+) failed", api_line)
check(api_rc == 0 and m is not None and int(m.group(1)) >= 9 and m.group(2) == "0",
      "freebeam API in an image with native PDs (EUnit): %s, status %d" % (api_line or "no result line", api_rc))

# ---- a plain C program with a native PD ----
g = Guest(guest.BUILD + "/images/posix-native.img", limit)
m = g.expect(rb"native: (\d+) passed, (\d+) failed", limit)
rc = g.wait(30)
if check(m is not None and int(m.group(1)) >= 40 and m.group(2) == b"0" and rc == 0,
         "posix-native: %s, exit status %r" % (m.group(0).decode() if m else "no result line", rc)):
    pass
else:
    g.dump()

# ---- the sensor demo ----
g = Guest(guest.BUILD + "/images/sensor.img", limit)
m = g.expect(rb"readings=(\d+) restarts=(\d+) lost=(\d+) duplicated=(\d+) malformed=(\d+)", limit)
rc = g.wait(60)
if m:
    r, s, l, d, x = (int(v) for v in m.groups())
    print("     sensor: readings=%d restarts=%d lost=%d duplicated=%d malformed=%d" % (r, s, l, d, x))
    check(r >= 1000, "sensor: at least 1,000 readings (%d)" % r)
    check(s >= 10, "sensor: at least 10 restarts of the sensor PD (%d)" % s)
    check(l == 0 and d == 0 and x == 0, "sensor: none lost, duplicated or malformed")
    check(rc == 0, "sensor: the image powers off with 0 (%r)" % rc)
    check(g.buf.count(b"libos: pd sensor stopped by a fault") >= 10,
          "sensor: each crash is a fault the BEAM PD saw (libos's line)")
else:
    bad("sensor: no readings= line (exit status %r)" % rc)
    g.dump()

# ---- the isolation demo ----
g = Guest(guest.BUILD + "/images/rogue.img", limit)
m = g.expect(rb"rogue: good=(\d+) garbage_as_data=(\d+) breaks_rejected=(\d+) rogue_faulted=(\w+) beam_alive=true", limit)
rc = g.wait(60)
if m:
    good, garbage, breaks, faulted = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
    check(garbage == 0, "rogue: no garbage reached Erlang as data")
    check(breaks == 3, "rogue: all three breaks of the queue rejected (%d)" % breaks)
    check(faulted == b"true", "rogue: its write into the BEAM PD's memory faulted it")
    check(good >= 20, "rogue: the good messages arrived in order (%d)" % good)
    check(rc == 0, "rogue: the BEAM kept running and powered off with 0 (%r)" % rc)
    check(b"FAIL" not in g.buf, "rogue: no FAIL line")
else:
    bad("rogue: no verdict line (exit status %r)" % rc)
    g.dump()

# ---- the console driver and the BEAM under supervision ----
g = Guest(fault_img, limit)
if g.expect(rb"Eshell V13[^\r\n]*\r\n", limit) and g.expect(PROMPT, 30):
    ok("shell: boots with the root monitor and the supervised serial driver")
    step(g, "freebeam_pd:status(serial) is running", "freebeam_pd:status(serial).", rb"\r\nrunning\r\n")
    step(g, "freebeam_pd:restart(serial) returns ok", "freebeam_pd:restart(serial).", rb"\r\nok\r\n")
    step(g, "the shell works after the driver's restart", "6*7.", rb"\r\n42\r\n")
    step(g, "a PD not monitored by the BEAM: {error,eperm}", "freebeam_pd:restart(rootmon).",
         rb"\r\n\{error,eperm\}\r\n")
    step(g, "no such PD: {error,enoent}", "freebeam_pd:status(nosuch).", rb"\r\n\{error,enoent\}\r\n")
    step(g, "freebeam_channel:open of no such channel: {error,enoent}", "freebeam_channel:open(nosuch).",
         rb"\r\n\{error,enoent\}\r\n")
    g.send("\x1d")          # the fault key: the driver writes through NULL
    if check(g.expect(rb"libos: pd serial stopped by a fault: data abort", 30) is not None,
             "a crash of the serial driver reaches the BEAM PD"):
        check(g.expect(rb"serial: PL011 driver up", 30) is not None,
              "its supervisor (freebeam_sup) restarted it")
    step(g, "the console is back after the crash", "\r3+4.", rb"\r\n7\r\n")
    step(g, "the driver is running again", "freebeam_pd:status(serial).", rb"\r\nrunning\r\n")
    g.send("freebeam_nif:fault_for_test(null_write).\r")
    check(g.expect(rb"rootmon: beam faulted: kind 1 at 0x00000000", 30) is not None,
          "a NIF's NULL write faults the BEAM PD; the root monitor says so")
    check(g.expect(rb"rootmon: restarted beam \(restart 1\)", 30) is not None,
          "the root monitor restarts the BEAM PD")
    if check(g.expect(rb"Eshell V13[^\r\n]*\r\n", limit) and g.expect(PROMPT, 30),
             "the new BEAM boots to a prompt on the same serial driver"):
        step(g, "the new BEAM evaluates", "5*5.", rb"\r\n25\r\n")
        step(g, "and supervises the driver it took over", "freebeam_pd:status(serial).", rb"\r\nrunning\r\n")
    # 600 MB: more than the whole machine (-m 512), so it runs out of memory
    # even though the heap is now all the RAM left (docs/kernel.md)
    g.send("binary:copy(<<1>>, 600000000).\r")
    check(g.expect(rb"Cannot allocate \d+ bytes", 60) is not None, "out of memory: erts says why")
    check(g.expect(rb"rootmon: beam ended with status 134", 60) is not None,
          "after its crash dump erts dies (abort), not halts")
    check(g.expect(rb"rootmon: restarted beam \(restart 2\)", 30) is not None,
          "the root monitor restarts it again")
    if g.expect(PROMPT, limit):
        g.send("halt(7).\r")
        check(g.wait(60) == 7, "halt(7) still powers off with 7 under the root monitor")
    else:
        bad("no prompt after the second restart")
else:
    bad("shell: no Eshell banner and prompt")
if guest.failed:
    g.dump()
g.wait(5)

# ---- the root monitor gives up: four failures within 60 s ----
g = Guest(guest.BUILD + "/images/shell.img", limit)
aborts = 0
for i in range(4):
    if not g.expect(PROMPT, limit):
        break
    g.send("erlang:halt(abort).\r")
    aborts += 1
m = g.expect(rb"rootmon: beam failed (\d+) times within 60 s: powering off", 60)
rc = g.wait(60)
check(aborts == 4 and m is not None, "rootmon: the 4th failure within 60 s powers off")
check(rc == 134, "rootmon: with the last failure's status, 134 (%r)" % rc)

guest.finish()
PY
