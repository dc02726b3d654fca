%% fb_elf_tests - one test per refusal of a PD's or the kernel's ELF file
%% (fb_elf, fb_pdfiles), with crafted ELF binaries, plus the cases that must
%% be accepted (Thumb entry, segments next to each other).
-module(fb_elf_tests).
-include("fb_assert.hrl").

-define(CFG, "{pd, a, [{elf, \"a.elf\"}, {priority, 100}]}.\n"
             "{pd, b, [{elf, \"b.elf\"}, {priority, 50}]}.\n"
             "{region, buf, [{size, 8192}]}.\n"
             "{map, b, buf, [{vaddr, 16#20000000}, {perms, rw}]}.\n").

text(V) -> #{vaddr => V, filesz => 64, memsz => 64, flags => 5}.
data(V) -> #{vaddr => V, filesz => 16, memsz => 4096, flags => 6}.

%% pd b gets the crafted ELF; the refusal points at its pd term (line 2).
bad(Elf, Reason) -> fb_test_lib:refuse(?CFG, 2, Reason, [{"b.elf", Elf}]).
bad(Segs, Opts, Reason) -> bad(fb_test_lib:elf(Segs, Opts), Reason).
good(Elf) ->
    Dir = fb_test_lib:scratch(),
    ok = file:write_file(filename:join(Dir, "b.elf"), Elf),
    ?assertMatch({0, "image: " ++ _, _}, fb_test_lib:image(Dir, ?CFG)).

missing_elf_test() ->
    fb_test_lib:refuse(?CFG, 2, "elf \"b.elf\" not found (looked in: ").
unreadable_elf_test() ->
    case os:cmd("id -u") of
        "0\n" ->  % root reads anything; a read error is still a read error
            fb_test_lib:refuse("{pd, a, [{elf, \"/proc/self/mem\"}, {priority, 1}]}.\n", 1, "cannot read /proc/self/mem");
        _ ->
            Dir = fb_test_lib:scratch(),
            P = filename:join(Dir, "b.elf"),
            ok = file:write_file(P, fb_test_lib:good_pd()),
            ok = file:change_mode(P, 0),
            {1, Msg, _} = fb_test_lib:image(Dir, ?CFG),
            ?assertNotEqual(nomatch, string:find(Msg, "cannot read"))
    end.
too_short_test() -> bad(<<16#7f, "ELF", 1, 1>>, "too short to be an ELF file").
not_elf_test() -> bad(binary:copy(<<"#!/bin/sh\n">>, 10), "is not an ELF file").
elf64_test() -> bad([text(16#10000)], #{class => 2}, "is not ELF32").
big_endian_test() -> bad([text(16#10000)], #{data => 2}, "is not little-endian").
not_arm_test() -> bad([text(16#10000)], #{machine => 3}, "is not for ARM").
not_exec_test() -> bad([text(16#10000)], #{type => 3}, "is not an executable (ET_EXEC)").
bad_version_test() -> bad([text(16#10000)], #{version => 2}, "has ELF version 2, not 1 (EV_CURRENT)").
phoff_unaligned_test() ->
    <<H:28/binary, _:32/little, Rest/binary>> = fb_test_lib:elf([text(16#10000)]),
    <<Ehdr:24/binary, Ph/binary>> = Rest,
    bad(<<H/binary, 54:32/little, Ehdr/binary, 0, 0, Ph/binary>>,
        "has a program header offset that is not 4-byte aligned").
not_readable_test() -> bad([text(16#10000), (data(16#11000))#{flags => 2}], #{}, "segment 1 is not readable").
interp_test() ->
    bad([#{type => 3, vaddr => 16#10100, filesz => 8, memsz => 8, flags => 4}, text(16#10000)], #{},
        "is dynamically linked").
dynamic_test() ->
    bad([text(16#10000), #{type => 2, vaddr => 16#11000, filesz => 8, memsz => 8, flags => 6}], #{},
        "is dynamically linked").
no_load_test() -> bad([], #{}, "has no PT_LOAD segment").
writable_executable_test() ->
    bad([text(16#10000), (data(16#11000))#{flags => 7}], #{}, "segment 1 is writable and executable").
below_user_window_test() -> bad([text(16#0)], #{entry => 0}, "segment 0 (16#0..16#40) lies outside the user window").
above_user_window_test() ->
    bad([text(16#10000), (data(16#3FFFF000))#{memsz => 16#2000}], #{}, "lies outside the user window").
filesz_above_memsz_test() -> bad([text(16#10000), (data(16#11000))#{memsz => 8}], #{}, "segment 1 has filesz > memsz").
data_past_end_test() ->
    bad([text(16#10000), (data(16#11000))#{offset => 16#100000}], #{}, "segment 1 has data past the end of the file").
segments_overlap_test() ->
    bad([text(16#10000), data(16#10800)], #{}, "segments 0 and 1 overlap (page granularity)").
too_many_segments_test() ->
    bad([text(16#10000) | [data(16#11000 + I * 16#1000) || I <- lists:seq(0, 8)]], #{},
        "has more than 8 PT_LOAD segments").
entry_not_executable_test() ->
    bad([text(16#10000), data(16#11000)], #{entry => 16#11000}, "entry 16#11000 is not inside an executable segment").
entry_outside_test() ->
    bad([text(16#10000)], #{entry => 16#10040}, "is not inside an executable segment").
clash_with_map_test() ->
    bad([text(16#10000), data(16#20001000)], #{}, "segment 1 (16#20001000..16#20002000) clashes with the map of buf at 16#20000000 (line 4)").
clash_with_stack_reserve_test() ->
    bad([text(16#10000), data(16#3F000000)], #{}, "segment 1 (16#3F000000..16#3F001000) clashes with the stack reserve").

%% ---- accepted ----
thumb_entry_test() -> good(fb_test_lib:elf([text(16#10000)], #{entry => 16#10021})).
eight_segments_test() ->
    good(fb_test_lib:elf([text(16#10000) | [data(16#11000 + I * 16#1000) || I <- lists:seq(0, 6)]])).
empty_load_segments_ignored_test() ->
    Empty = #{vaddr => 16#10010, filesz => 0, memsz => 0, flags => 6},
    good(fb_test_lib:elf([text(16#10000) | [data(16#11000 + I * 16#1000) || I <- lists:seq(0, 6)]]
                         ++ [Empty, Empty])).
adjacent_to_map_test() -> good(fb_test_lib:elf([text(16#10000), data(16#1FFFF000)])).

%% ---- the kernel ----
kernel_missing_test() ->
    Dir = fb_test_lib:scratch(),
    ok = file:delete(filename:join(Dir, "k.elf")),
    ok = file:write_file(filename:join(Dir, "b.elf"), fb_test_lib:good_pd()),
    {St, Msg, Out} = fb_test_lib:image(Dir, ?CFG),
    ?assertEqual(1, St),
    ?assertNotEqual(nomatch, string:find(Msg, "cannot read the kernel")),
    ?assertNot(filelib:is_file(Out)).
kernel_bad_test() ->
    Dir = fb_test_lib:scratch(),
    ok = file:write_file(filename:join(Dir, "k.elf"), fb_test_lib:elf([text(16#10000)])),
    ok = file:write_file(filename:join(Dir, "b.elf"), fb_test_lib:good_pd()),
    {St, Msg, Out} = fb_test_lib:image(Dir, ?CFG),
    ?assertEqual(1, St),
    ?assertNotEqual(nomatch, string:find(Msg, "(kernel) has a segment at 16#10000, below RAM")),
    ?assertNot(filelib:is_file(Out)).
