#!/usr/bin/env bash
# tests/suites/tools.sh - tests of `tools/freebeam`: the EUnit tests of the
# tools' Erlang application (tools/erlang/test) and command-line tests of `image` and
# `run` with tiny stand-in kernels built here, so no real kernel is needed.
# Ends with one line `N passed, N failed`; exit 0 only if none failed.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
FB=$ROOT/tools/freebeam
. tests/lib/checks.sh
T=$B_ABS/tools/test

rm -rf "$T" && mkdir -p "$T/ebin" "$T/tmp" || { bad "make $T"; finish; }

# ---- EUnit ----
if erlc -I tools/erlang/src -I tools/erlang/test -o "$T/ebin" tools/erlang/src/*.erl tools/erlang/test/*.erl; then
  mods=$(for f in tools/erlang/test/*_tests.erl; do basename "$f" .erl; done | paste -sd, -)
  out=$(cd "$T" && FB_TEST_TMP=$T/tmp erl -noshell -noinput -pa "$T/ebin" \
        -eval "eunit:test([$mods], []), halt()." 2>&1)
  echo "$out" | grep -v '^$' | tail -n 40
  if [[ $out =~ All\ ([0-9]+)\ tests\ passed ]]; then
    tally "${BASH_REMATCH[1]}" 0
  elif [[ $out =~ Test\ passed ]]; then
    tally 1 0
  elif [[ $out =~ Failed:\ ([0-9]+)\.\ +Skipped:\ ([0-9]+)\.\ +Passed:\ ([0-9]+) ]]; then
    tally "${BASH_REMATCH[3]}" $((BASH_REMATCH[1] + BASH_REMATCH[2]))
  else
    bad "eunit (no summary line)"
  fi
else
  bad "compile tools/erlang"
fi

# ---- tiny ELFs for the command-line tests ----
printf 'SECTIONS { . = 0x40010000; .text : { *(.text*) } _end = .; }\n' > "$T/k.ld"
cat > "$T/loop.S" <<'ASM'
.global _start
_start: b .
ASM
cat > "$T/exit3.S" <<'ASM'
@ semihosting SYS_EXIT_EXTENDED with status 3
.arm
.global _start
_start: mov r0, #0x20
        adr r1, args
        svc 0x123456
        b .
args:   .word 0x20026, 3
ASM
cat > "$T/blobcheck.S" <<'ASM'
@ a stand-in kernel: exit 0 if the blob of sys/demo.config sits at the first
@ page after _end (version 3, pds[0]'s ELF, its arguments "ping" "-v" ""
@ "TERM=vt100", regions[0] of one page holding buf.bin's "FBDATA"), else
@ exit 7 (semihosting SYS_EXIT_EXTENDED)
.arm
.global _start
_start: ldr r2, =_end
        ldr r3, =4095
        add r2, r2, r3
        bic r2, r2, r3          @ the blob
        adr r1, fail
        ldr r0, [r2]
        ldr r3, =0x59534246     @ FB_SYS_MAGIC
        cmp r0, r3
        bne 1f
        ldr r0, [r2, #4]        @ version
        cmp r0, #3
        bne 1f
        ldr r4, [r2, #16]       @ pds_off
        add r4, r4, r2          @ pds[0]
        ldr r0, [r4, #4]        @ pds[0].elf_off
        ldr r0, [r2, r0]
        ldr r3, =0x464c457f     @ "\177ELF"
        cmp r0, r3
        bne 1f
        ldr r0, [r4, #36]       @ pds[0].args_len
        cmp r0, #20             @ "ping\0-v\0\0TERM=vt100\0"
        bne 1f
        ldr r0, [r4, #32]       @ pds[0].args_off
        ldr r0, [r2, r0]
        ldr r3, =0x676e6970     @ "ping"
        cmp r0, r3
        bne 1f
        ldr r4, [r2, #24]       @ regions_off
        add r4, r4, r2          @ regions[0]
        ldr r0, [r4, #4]        @ size
        cmp r0, #4096
        bne 1f
        ldr r0, [r4, #20]       @ data_len
        cmp r0, #6
        bne 1f
        ldr r0, [r4, #16]       @ data_off
        ldr r0, [r2, r0]
        ldr r3, =0x41444246     @ "FBDA"
        cmp r0, r3
        adreq r1, good
1:      mov r0, #0x20
        svc 0x123456
        b .
good:   .word 0x20026, 0
fail:   .word 0x20026, 7
ASM
cat > "$T/pd.S" <<'ASM'
.global _start
.text
_start: b .
.data
.word 1
ASM
CC=arm-linux-gnueabihf-gcc
built=1
for k in loop exit3 blobcheck; do
  $CC -nostdlib -static -Wl,--build-id=none -T "$T/k.ld" "$T/$k.S" -o "$T/$k.elf" || built=0
done
$CC -nostdlib -static -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-Ttext=0x10000 \
  "$T/pd.S" -o "$T/pd.elf" || built=0
check "build the tiny ELFs" test $built -eq 1

# ---- freebeam (dispatch) ----
"$FB" >/dev/null 2>&1; check "no subcommand: exit 2" test $? -eq 2
"$FB" frobnicate 2>"$T/err"; rc=$?
check "unknown subcommand: exit 2 and usage" test $rc -eq 2 -a -n "$(grep -e 'image' "$T/err" | grep -e 'run' -e 'image')"

# ---- freebeam run ----
start=$SECONDS
"$FB" run "$T/loop.elf" --timeout 2 >/dev/null 2>"$T/err"; rc=$?
check "run --timeout: exit 124" test $rc -eq 124
check "run --timeout: message" grep -qx 'freebeam run: timed out after 2 s' "$T/err"
check "run --timeout: QEMU gone within 10 s" test $((SECONDS - start)) -lt 10
"$FB" run "$T/exit3.elf" >/dev/null 2>&1; check "run: guest status 3" test $? -eq 3
"$FB" run "$T/exit3.elf" --det --mem 128 --timeout 20 >/dev/null 2>&1
check "run --det --mem: guest status 3" test $? -eq 3
"$FB" run "$T/exit3.elf" -- -d unimp >/dev/null 2>&1; check "run -- extra args" test $? -eq 3
"$FB" run "$T/nonexistent.img" 2>"$T/err"; rc=$?
check "run: missing image: exit 2 and message" test $rc -eq 2 -a -n "$(grep nonexistent.img "$T/err")"

# ---- freebeam disk, run --disk ----
"$FB" disk --size 3M "$T/d.img"; rc=$?
check "disk --size 3M: a file of 3 MiB of zeroes" test $rc -eq 0 -a "$(stat -c %s "$T/d.img" 2>/dev/null)" = 3145728 -a \
  "$(tr -d '\0' <"$T/d.img" | wc -c)" = 0
printf 'x' | dd of="$T/d.img" conv=notrunc status=none
"$FB" disk --size 1M "$T/d.img" 2>"$T/err"; rc=$?
check "disk: an existing file is left alone (exit 2)" test $rc -eq 2 -a "$(head -c 1 "$T/d.img")" = x
"$FB" disk --size 1000 "$T/e.img" 2>"$T/err"; rc=$?
check "disk --size 1000: refused, no file" test $rc -eq 2 -a ! -e "$T/e.img"
"$FB" disk --size 1M --from "$T" "$T/e.img" 2>"$T/err"; rc=$?
check "disk --from without --ext4: refused, no file" test $rc -eq 2 -a ! -e "$T/e.img"
"$FB" disk --size 8M --ext4 "$T/x.img"; rc=$?
check "disk --ext4: an ext4 file system (e2fsck -fn clean)" \
  eval '[ $rc -eq 0 ] && PATH=$PATH:/usr/sbin:/sbin e2fsck -fn "$T/x.img" >/dev/null 2>&1'
cp "$T/d.img" "$T/r.img"
"$FB" run "$T/exit3.elf" --disk "$T/d.img" --disk-ro "$T/r.img" -- -d unimp >/dev/null 2>"$T/err"
check "run --disk --disk-ro -- extra args: guest status 3" test $? -eq 3
"$FB" run "$T/exit3.elf" --disk "$T/none.img" 2>"$T/err"; rc=$?
check "run --disk: missing file: exit 2 and message" test $rc -eq 2 -a -n "$(grep none.img "$T/err")"

# ---- freebeam image, end to end, from another directory ----
mkdir -p "$T/sys"
cat > "$T/sys/demo.config" <<'CFG'
{pd, ping, [{elf, "pd.elf"}, {priority, 100}, {monitor, pong}, {args, ["ping", "-v"]}, {env, ["TERM=vt100"]}]}.
{pd, pong, [{elf, "pd.elf"}, {priority, 150}]}.
{region, buf, [{file, "buf.bin"}]}.
{map, ping, buf, [{vaddr, 16#20000000}, {perms, rw}]}.
{channel, {ping, 0}, {pong, 0}}.
CFG
printf 'FBDATA' > "$T/sys/buf.bin"   # found in the config's directory, the ELF through --search
# Another SDK (FREEBEAM_SDK) without the tools' Erlang: refused, the file named.
mkdir -p "$T/nosdk"
FREEBEAM_SDK=$T/nosdk "$FB" image "$T/sys/demo.config" -o "$T/out/nosdk.img" --kernel "$T/blobcheck.elf" \
  --search "$T" >/dev/null 2>"$T/err"; rc=$?
check "image: an SDK without tools/ebin: exit 1, the file named" \
  test $rc -eq 1 -a -n "$(grep -F "$T/nosdk has no tools/ebin/fb_main.beam" "$T/err")"
# This checkout's own SDK (no FREEBEAM_SDK, not run by make): the command
# makes what it lacks (make sdk-tools, docs/sdk.md).
rm -rf "$B_ABS/sdk/tools/ebin"
(cd / && env -u FREEBEAM_SDK -u MAKELEVEL -u MAKEFLAGS -u MFLAGS "$FB" image "$T/sys/demo.config" \
   -o "$T/out/demo.img" --kernel "$T/blobcheck.elf" --search "$T" >"$T/out.txt" 2>&1); rc=$?
check "image: exit 0" test $rc -eq 0
check "image: one line on success" grep -qE "^image: $T/out/demo.img \([0-9]+ bytes, 2 PDs\)$" "$T/out.txt"
check "image: made the SDK's tools/ebin" test -f "$B_ABS/sdk/tools/ebin/fb_main.beam"
# The licence notices next to the image, naming each component it can hold.
for what in "freebeam (the kernel, libos" "Erlang/OTP 25.2.3" "Upstream-Name: musl" \
            "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"; do
  check "image: demo.img.notices names '$what'" grep -qF "$what" "$T/out/demo.img.notices"
done
"$FB" run "$T/out/demo.img" --timeout 20 >/dev/null 2>&1
check "image boots: the kernel finds the blob, the PD ELF, its arguments and the region data" test $? -eq 0
sed -i 's/{priority, 150}/{priority, 255}/' "$T/sys/demo.config"
"$FB" image "$T/sys/demo.config" -o "$T/out/bad.img" --kernel "$T/blobcheck.elf" --search "$T" 2>"$T/err"; rc=$?
check "image refuses: exit 1" test $rc -eq 1
check "image refuses: FILE:LINE: TERM: reason" \
  grep -qF "$T/sys/demo.config:2: {pd,pong,[...]}: priority 255 is outside 0..254" "$T/err"
check "image refuses: no image written" test ! -e "$T/out/bad.img"
check "image refuses: no notices written" test ! -e "$T/out/bad.img.notices"
"$FB" image >/dev/null 2>&1; check "image without arguments: exit 2" test $? -eq 2

# ---- the suites' shared checks (tests/lib/checks.sh) cannot pass empty ----
out=$(bash -c '. tests/lib/checks.sh; finish' 2>&1); rc=$?
check "checks.sh: a suite that ran no check fails" test "$rc" -ne 0 -a "$(tail -n 1 <<<"$out")" = "0 passed, 1 failed"
out=$(bash -c '. tests/lib/checks.sh; ok a; bad b; finish' 2>&1); rc=$?
check "checks.sh: one failure fails the suite" test "$rc" -ne 0 -a "$(tail -n 1 <<<"$out")" = "1 passed, 1 failed"
out=$(python3 -c 'import sys; sys.path.insert(0, "tests/lib"); import guest; guest.finish()' 2>&1); rc=$?
check "guest.py: a suite that ran no check fails" test "$rc" -ne 0 -a "$(tail -n 1 <<<"$out")" = "0 passed, 1 failed"

finish
