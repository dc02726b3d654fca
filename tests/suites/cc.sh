#!/usr/bin/env bash
# tests/suites/cc.sh - `tools/freebeam cc`, the musl-gcc-like wrapper
# (docs/c-programs.md): compiles and links from another folder, separate
# compile and link steps, musl's empty libraries accepted, other -l/-L
# searched, errors with gcc's status, what configure scripts and make's
# implicit rules do with CC="tools/freebeam cc", and the result: a static
# ARMv7-A hard-float ELF with no PT_INTERP and svc only inside libos.
# Nothing runs on the host (the programs are freebeam PDs).
# Ends with one line `N passed, N failed`; exit 0 only if none failed.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
CROSS=${CROSS:-arm-linux-gnueabihf-}
. tests/lib/checks.sh

mkdir -p "$B" && T=$(mktemp -d "$B_ABS/cc-test.XXXXXX") || give_up "make a scratch folder under $B/"
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/a/b"
# The wrapper named by a relative path from $T/a/b (../../../../tools/freebeam
# with the default build folder; B may be anywhere).
REL=$(realpath --relative-to="$T/a/b" "$ROOT/tools/freebeam")
[ -x "$T/a/b/$REL" ] || { bad "relative path to tools/freebeam"; finish; }

cat >"$T/hello.c" <<'EOF'
#include <stdio.h>
#include <pthread.h>
#include <math.h>
static void *run(void *p) { return p; }
int main(int argc, char **argv)
{
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, run, argv);
    pthread_join(t, &r);
    printf("hello %s %g\n", (char *)((char **)r)[0], sqrt((double)argc));
    return 0;
}
EOF
cat >"$T/main.c" <<'EOF'
int twice(int);
int main(void) { return twice(21) == 42 ? 0 : 1; }
EOF
cat >"$T/twice.c" <<'EOF'
int twice(int x) { return 2 * x; }
EOF
cat >"$T/undef.c" <<'EOF'
int freebeam_no_such_function(void);
int main(void) { return freebeam_no_such_function(); }
EOF

# A static ARM executable for hard-float, no interpreter, no dynamic section.
is_static_arm() {
  local f=$1 h l a
  h=$("${CROSS}readelf" -h "$f" 2>/dev/null) || return 1
  l=$("${CROSS}readelf" -lW "$f" 2>/dev/null) || return 1
  a=$("${CROSS}readelf" -A "$f" 2>/dev/null) || return 1
  grep -q 'Machine:.*ARM' <<<"$h" && grep -q 'Type:.*EXEC' <<<"$h" &&
    ! grep -qE '^ *(INTERP|DYNAMIC) ' <<<"$l" && grep -q 'Tag_ABI_VFP_args: VFP registers' <<<"$a" &&
    grep -q 'Tag_CPU_arch: v7' <<<"$a"
}

# ---- compile + link in one step, from another folder, relative path ----
(cd "$T/a/b" && $REL cc -O2 -Wall -o hello ../../hello.c -lpthread -lm) >"$T/log" 2>&1
check "cc hello.c -o hello from another folder (relative tools/freebeam)" test -f "$T/a/b/hello"
check "hello is a static ARMv7-A hard-float ELF with no PT_INTERP" is_static_arm "$T/a/b/hello"
check "libos/check-program.sh: svc only inside libos, no __sync_, no kuser helpers" \
  env CROSS="$CROSS" libos/check-program.sh $B/libos/libos.a "$T/a/b/hello"
[ -s "$T/log" ] && sed 's/^/  | /' "$T/log"

# ---- -c, then a separate link (absolute path to tools/freebeam) ----
(cd "$T" && "$ROOT/tools/freebeam" cc -c main.c && "$ROOT/tools/freebeam" cc -c twice.c -o twice.o) >"$T/log" 2>&1
check "cc -c: objects, no link" bash -c "[ -f '$T/main.o' ] && [ -f '$T/twice.o' ] && [ ! -e '$T/a.out' ] &&
  ${CROSS}readelf -h '$T/main.o' | grep -q 'Type:.*REL'"
(cd "$T" && "$ROOT/tools/freebeam" cc main.o twice.o -o two) >>"$T/log" 2>&1
check "cc main.o twice.o -o two: links" is_static_arm "$T/two"
(cd "$T" && "$ROOT/tools/freebeam" cc main.o twice.o) >>"$T/log" 2>&1
check "no -o: a.out, as gcc" is_static_arm "$T/a.out"
[ -s "$T/log" ] && sed 's/^/  | /' "$T/log"

# ---- libraries: musl's are accepted and dropped; others searched with -L ----
out=$(cd "$T" && "$ROOT/tools/freebeam" cc hello.c -o libs -lpthread -lrt -lm -ldl -lc -lutil -lxnet -lcrypt \
      -l pthread 2>&1); rc=$?
check "-lpthread -lrt -lm -ldl -lc -lutil -lxnet -lcrypt accepted (status $rc)" \
  bash -c "[ $rc -eq 0 ] && [ -f '$T/libs' ]"
[ -n "$out" ] && echo "$out" | sed 's/^/  | /'
mkdir -p "$T/lib"
("$ROOT/tools/freebeam" cc -c "$T/twice.c" -o "$T/lib/twice.o" && "${CROSS}ar" rcs "$T/lib/libtwice.a" "$T/lib/twice.o" &&
 cd "$T" && "$ROOT/tools/freebeam" cc main.c -L lib -ltwice -o withlib) >"$T/log" 2>&1
check "-L DIR -lNAME: a library of ours is found" is_static_arm "$T/withlib"
out=$(cd "$T" && "$ROOT/tools/freebeam" cc main.c -lfreebeam_no_such_lib -o nolib 2>&1); rc=$?
[ $rc -ne 0 ] && grep -q 'freebeam_no_such_lib' <<<"$out"; check "an unknown -l fails (status $rc)" [ $? -eq 0 ]

# ---- errors keep gcc's status and message ----
"${CROSS}gcc" -c -o "$T/undef.o" "$T/undef.c" 2>/dev/null
"${CROSS}gcc" -nostdlib -o "$T/undef-gcc" "$T/undef.o" 2>/dev/null; want=$?
out=$(cd "$T" && "$ROOT/tools/freebeam" cc undef.c -o undef 2>&1); rc=$?
[ $rc -eq $want ] && [ $rc -ne 0 ] && grep -q 'undefined reference to .freebeam_no_such_function' <<<"$out" &&
  [ ! -e "$T/undef" ]
check "a link error: gcc's status ($want), undefined reference reported (status $rc)" [ $? -eq 0 ]
printf 'int main(void) { return }\n' >"$T/syntax.c"
(cd "$T" && "$ROOT/tools/freebeam" cc -c syntax.c) >/dev/null 2>&1; rc=$?
check "a compile error: non-zero status ($rc)" [ $rc -ne 0 ]
out=$(cd "$T" && "$ROOT/tools/freebeam" cc -shared twice.c -o libtwice.so 2>&1); rc=$?
[ $rc -ne 0 ] && grep -q 'static only' <<<"$out"; check "-shared is refused with a message" [ $? -eq 0 ]

# ---- what configure scripts do with CC="tools/freebeam cc" ----
CC="$ROOT/tools/freebeam cc"
out=$($CC -v 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q 'gcc version' <<<"$out"; check "cc -v: gcc's version, status 0" [ $? -eq 0 ]
out=$(printf '#include <stdio.h>\n#include <linux/futex.h>\nFB_OK BUFSIZ FUTEX_WAIT\n' | $CC -E -P - 2>&1); rc=$?
[ $rc -eq 0 ] && tr -s ' \n' '  ' <<<"$out" | grep -q 'FB_OK 1024 0'; check "cc -E - : musl's and the kernel's headers (status $rc)" [ $? -eq 0 ]
check "cc -dumpmachine: arm-linux-musleabihf" [ "$($CC -dumpmachine)" = arm-linux-musleabihf ]
printf '#include <ac_nonexistent.h>\n' >"$T/conftest.c"
(cd "$T" && $CC -E conftest.c) >/dev/null 2>&1; rc=$?
check "cc -E: a missing header fails (status $rc)" [ $rc -ne 0 ]
printf '#include <stdlib.h>\nint main(void) { return abs(-0); }\n' >"$T/conftest.c"
(cd "$T" && rm -f conftest.o conftest && $CC -c conftest.c && $CC conftest.c -o conftest) >"$T/log" 2>&1; rc=$?
check "cc -c conftest.c; cc conftest.c -o conftest" bash -c "[ $rc -eq 0 ] && [ -f '$T/conftest.o' ] && [ -f '$T/conftest' ]"
(cd "$T" && $CC -S twice.c -o twice.s && $CC -MM main.c >main.d) >"$T/log" 2>&1; rc=$?
check "cc -S and cc -MM do not link" bash -c "[ $rc -eq 0 ] && grep -q 'twice' '$T/twice.s' && grep -q '^main.o: main.c' '$T/main.d'"
out=$(cd "$T" && $CC -dM -E - </dev/null 2>&1)
grep -q '__arm__ 1' <<<"$out" && grep -q '__ARM_PCS_VFP 1' <<<"$out" && grep -q '__linux__ 1' <<<"$out" &&
  ! grep -q '__GLIBC__' <<<"$out"
check "predefined macros: __arm__, __ARM_PCS_VFP, __linux__, no glibc" [ $? -eq 0 ]
mkdir -p "$T/mk" && cp "$T/main.c" "$T/twice.c" "$T/mk/"
printf 'prog: main.o twice.o\n\t$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)\n' >"$T/mk/Makefile"
(cd "$T/mk" && make -s CC="$CC" CFLAGS=-O2 LDLIBS=-lm) >"$T/log" 2>&1
check "make CC=\"tools/freebeam cc\" with implicit rules" is_static_arm "$T/mk/prog"
[ -s "$T/log" ] && sed 's/^/  | /' "$T/log"

finish
