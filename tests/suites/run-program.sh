#!/usr/bin/env bash
# `tools/freebeam run-program`: C programs of ours (tests/programs/), built
# with `tools/freebeam cc`, each run as a one-PD image: exit statuses (exit,
# return from main, abort, a NULL write), argv and environment, stdout and
# stderr in order with nothing lost at exit, --files and /tmp, threads (8, and
# 1,000 at once), protections that hold (guard: PROT_NONE, PROT_READ, a
# thread's stack guard page), a
# timed wait under --det, a line read from stdin, kernel/lib.c's memcpy and
# memset as ARM and Thumb-2 code; and bad invocations refused before QEMU starts.
# Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
fb=tools/freebeam
out_dir=$B/run-program-test
mkdir -p "$out_dir"

for src in tests/programs/*.c; do
  name=$(basename "$src" .c)
  $fb cc -O2 -Wall -Wextra -Werror -pthread "$src" -o "$out_dir/$name" || bad "cc $src"
done

# run NAME EXPECTED-STATUS [run-program options and program args...]: output in $out
run() {
  local name=$1 want=$2; shift 2
  local opts=() args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift && args=("$@")
  out=$($fb run-program --timeout 60 "${opts[@]}" "$out_dir/$name" "${args[@]}" </dev/null 2>&1); rc=$?
  echo "$out" | sed 's/^/  | /'
  [ "$rc" -eq "$want" ] && ok "$name: exit status $want" || bad "$name: exit status $rc, expected $want"
}
has() { grep -qF -- "$1" <<<"$out" && ok "$2" || bad "$2 (no '$1')"; }

run exit3 3
run ret 43 -- one two
run abort 134
run nullwrite 139
has "fault: pd program" "nullwrite: the kernel printed the fault record"
run guard 139 -- none
has "guard: none page at" "guard none: the page was made PROT_NONE"
has "fault: pd program" "guard none: a load from the PROT_NONE page faults the PD"
run guard 139 -- ro
has "fault: pd program" "guard ro: a store to a PROT_READ mapping faults the PD"
run guard 139 -- stack
has "fault: pd program" "guard stack: a thread running off its stack faults the PD at its guard page"
run args 0 -- alpha "two words"
has "args: argv[0]=args" "args: argv[0] is the program's name"
has "args: argv[2]=two words" "args: an argument with a space arrives whole"
has "args: TERM=vt100" "args: the environment has TERM"
# Many short arguments: the description's 2,048 bytes hold up to a thousand,
# and none may be dropped (libos once kept only the first 64).
run args 0 -- $(seq 1 300)
has "args: argv[300]=300" "args: 300 arguments all reach main (none dropped past 64)"
run order 0
lines=$(grep -E '^order: (out|err) [0-9]+' <<<"$out" | tr -d '\r')
want=$(for i in $(seq 0 49); do echo "order: out $i"; echo "order: err $i"; done)
[ "$lines" = "$want" ] && ok "order: stdout and stderr interleave as written" || bad "order: lines out of order"
has "order: last words without a newline" "order: the last unterminated line is not lost at exit"
run files 0 --files tests/programs/files-data
has "files: /greeting.txt says: hello from the archive" "files: a file from --files is read"
has "files: /tmp/note read back" "files: /tmp is writable"
run threads 0
has "threads: 8 joined" "threads: 8 threads joined"
run manythreads 0
has "manythreads: 1000 created, 1000 alive at once, 1000 joined" "manythreads: 1,000 threads alive in one PD, all joined"
run timedwait 0 --det
has "timedwait: ETIMEDOUT after 200000 us" "timedwait: 200 ms lasts exactly 200 ms under --det"

out=$(printf 'a line from stdin\n' | $fb run-program --timeout 60 "$out_dir/readline" 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "readline: exit status 0" || bad "readline: exit status $rc"
has "readline: got 'a line from stdin'" "readline: a line typed on stdin reaches the program"

# mmap of files: private (archive, tmpfs, /dev/zero) and shared (tmpfs), coherent with read/write (mmap.c).
run mmap 0 --files tests/programs/files-data
has "mmap: ok   two shared mappings of one file see each other's stores" "mmap: two shared mappings of a file see each other"
has "mmap: ok   tmpfs file, shared: a store is seen by pread()" "mmap: a shared mapping is coherent with read/write"
has "mmap: ok   archive file: MAP_SHARED with PROT_WRITE gives EACCES" "mmap: shared writable of an archive file is refused"
has "mmap: ok   freebeam: a write at the capacity gives EFBIG" "mmap: a mapped tmpfs file does not move"
has "mmap: all 50 checks passed" "mmap: a file mapped shared and private (50 checks)"
# kernel/lib.c's memcpy and memset (the kernel's and every PD's), whose
# ldm/stm paths only ARM code reaches: as Thumb-2 (cc's default, as PDs
# are built) and as ARM code (as the kernel is)
run klib 0
has "klib: 21672 checks, 0 failed" "kernel/lib.c memcpy and memset as Thumb-2: every length and alignment"
$fb cc -O2 -marm -Wall -Wextra -Werror tests/programs/klib.c -o "$out_dir/klib-arm" || bad "cc -marm tests/programs/klib.c"
run klib-arm 0
has "klib: 21672 checks, 0 failed" "kernel/lib.c memcpy and memset as ARM code: every length and alignment"

# Refused before QEMU starts, with a reason and a non-zero status.
refuse() {
  local what=$1 want=$2; shift 2
  local o; o=$($fb run-program "$@" 2>&1 </dev/null); local r=$?
  if [ $r -ne 0 ] && grep -q -- "$want" <<<"$o" && ! grep -q "freebeam kernel" <<<"$o"; then
    ok "refused: $what"
  else
    echo "$o" | sed 's/^/  | /'; bad "refused: $what (status $r)"
  fi
}
refuse "no such file" "no such file" $B/no/such/program
refuse "not an ARM ELF" "not a 32-bit ARM ELF" /bin/true
# Dynamically linked programs, made without any C library (a fresh machine
# has no ARM glibc): a one-function shared library of our own, a program
# linked against it non-PIE (an executable with PT_INTERP and PT_DYNAMIC) and
# PIE (an ELF of type DYN).  Each must meet its own refusal.
printf 'int dyn_answer(void) { return 42; }\n' > "$out_dir/libdyn.c"
printf 'int dyn_answer(void);\nvoid _start(void) { for (;;) dyn_answer(); }\n' > "$out_dir/dyn.c"
dyncc() { arm-linux-gnueabihf-gcc -nostdlib "$@" || bad "cannot build the dynamically linked test programs"; }
dyncc -shared -fPIC "$out_dir/libdyn.c" -o "$out_dir/libdyn.so"
dyncc -no-pie "$out_dir/dyn.c" -L"$out_dir" -ldyn -o "$out_dir/dyn"
dyncc -pie -fPIE "$out_dir/dyn.c" -L"$out_dir" -ldyn -o "$out_dir/dyn-pie"
arm-linux-gnueabihf-readelf -lW "$out_dir/dyn" | grep -q '^ *INTERP ' || bad "the dynamically linked test program has no PT_INTERP"
refuse "a dynamically linked executable (PT_INTERP)" "dynamically linked; freebeam runs static programs" "$out_dir/dyn"
refuse "a position-independent executable (ELF type DYN)" "not a static executable (ELF type DYN" "$out_dir/dyn-pie"
printf 'static char big[200 << 20]; int main(void){ big[1] = 1; return big[1]; }\n' > "$out_dir/big.c"
$fb cc "$out_dir/big.c" -o "$out_dir/big"
refuse "a program bigger than the memory given" "needs more memory" --mem 64 "$out_dir/big"

finish
