%% fb_image_tests - accepted descriptions: build an image, then decode the
%% output ELF and its blob independently (fb_test_lib) and check every field.
-module(fb_image_tests).
-include("fb_assert.hrl").

-define(NO_PD, 16#ffffffff).
-define(NO_REGION, 16#ffffffff).
-define(FULL,
"%% a full system; comments and 16# numbers are fine\n"
"{pd, ping, [{elf, \"a.elf\"}, {priority, 100}, {stack, 16384}, {max_threads, 4},\n"
"            {monitor, root}, {rights, [poweroff, pd_control]}]}.\n"
"{pd, pong, [{elf, \"a.elf\"}, {priority, 150}]}.   % defaults\n"
"{pd, root, [{elf, \"r.elf\"}, {priority, 254}, {stack, 8192}, {rights, [poweroff]}]}.\n"
"{region, shared_buf, [{size, 8192}]}.\n"
"{region, uart, [{size, 4096}, {paddr, 16#09000000}]}.\n"
"{map, ping, shared_buf, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
"{map, pong, shared_buf, [{vaddr, 16#20000000}, {perms, r}]}.\n"
"{map, pong, uart, [{vaddr, 16#21000000}, {perms, rw}]}.\n"
"{map, root, shared_buf, [{vaddr, 16#22000000}, {perms, rx}]}.\n"
"{channel, {ping, 0}, {pong, 0}}.\n"
"{irq, 33, {pong, 5}}.\n"
"{channel, {pong, 62}, {root, 1}}.\n"
"{irq, 34, {root, 2}, [edge]}.\n"
"{irq, 35, {root, 3}, [level]}.\n").

r_elf() ->
    fb_test_lib:elf([#{vaddr => 16#400000, filesz => 301, memsz => 301, flags => 5}], #{entry => 16#400000}).

%% Build Text in a scratch dir (with r.elf too); return {Dir, ImageBin, Msg}.
build(Text) -> build(Text, []).
build(Text, Extra) ->
    Dir = fb_test_lib:scratch(),
    ok = file:write_file(filename:join(Dir, "r.elf"), r_elf()),
    {0, Msg, Out} = fb_test_lib:image(Dir, Text, Extra),
    {ok, Img} = file:read_file(Out),
    {Dir, Img, Msg}.

%% The last program header holds the blob.
blob(Img) ->
    {_, _, _, Ph} = fb_test_lib:decode_elf(Img),
    {_, Off, V, P, Fs, Ms, Fl} = lists:last(Ph),
    ?assertEqual({V, Fs, 4}, {P, Ms, Fl}),
    {V, binary:part(Img, Off, Fs)}.

success_line_test() ->
    {Dir, Img, Msg} = build(?FULL),
    Out = filename:join(Dir, "out/s.img"),
    ?assertEqual(lists:flatten(io_lib:format("image: ~s (~b bytes, 3 PDs)~n", [Out, byte_size(Img)])), Msg),
    ?assertEqual([Out], filelib:wildcard(filename:join(Dir, "out/*"))).

image_elf_test() ->
    {_, Img, _} = build(?FULL),
    K = fb_test_lib:kernel(),
    {Entry, Flags, ShNum, Ph} = fb_test_lib:decode_elf(Img),
    {KEntry, KFlags, _, KPh} = fb_test_lib:decode_elf(K),
    ?assertEqual({KEntry, KFlags, 0}, {Entry, Flags, ShNum}),
    ?assertEqual(length(KPh) + 1, length(Ph)),
    [begin
         ?assertEqual(setelement(2, KSeg, x), setelement(2, Seg, x)),
         ?assertEqual(binary:part(K, element(2, KSeg), element(5, KSeg)),
                      binary:part(Img, element(2, Seg), element(5, Seg))),
         ?assertEqual(element(3, Seg) rem 4096, element(2, Seg) rem 4096)
     end || {KSeg, Seg} <- lists:zip(KPh, lists:droplast(Ph))],
    %% the kernel's highest byte is 16#40014010: the blob goes at the next page
    {At, _} = blob(Img),
    ?assertEqual(16#40015000, At),
    {_, BOff, BV, _, _, _, _} = lists:last(Ph),
    ?assertEqual(BV rem 4096, BOff rem 4096).

blob_header_test() ->
    {_, Img, _} = build(?FULL),
    {_, B} = blob(Img),
    D = fb_test_lib:decode_blob(B),
    ?assertMatch(#{magic := 16#59534246, version := 3, reserved := [0, 0]}, D),
    ?assertEqual(byte_size(B), maps:get(total_len, D)),
    ?assertEqual(0, byte_size(B) rem 4),
    ?assertEqual([68, 68 + 3 * 40, 188 + 2 * 24, 236 + 4 * 16, 300 + 2 * 32, 364 + 3 * 16],
                 maps:get(offsets, D)),
    ?assertEqual(<<"ping", 0, "pong", 0, "root", 0, "shared_buf", 0, "uart", 0>>, maps:get(strings, D)).

blob_pds_test() ->
    {Dir, Img, _} = build(?FULL),
    {_, B} = blob(Img),
    #{pds := Pds, strings := S, offsets := [_, _, _, _, _, SO]} = fb_test_lib:decode_blob(B),
    {ok, A} = file:read_file(filename:join(Dir, "a.elf")),
    Rb = r_elf(),
    ?assertMatch([{_, _, _, 100, 16384, 4, 2, 3, 0, 0},
                  {_, _, _, 150, 16384, 1, ?NO_PD, 0, 0, 0},
                  {_, _, _, 254, 8192, 1, ?NO_PD, 1, 0, 0}], Pds),
    ?assertEqual(["ping", "pong", "root"], [fb_test_lib:string_at(S, element(1, P)) || P <- Pds]),
    ?assertEqual([A, A, Rb], [binary:part(B, Off, Len) || {_, Off, Len, _, _, _, _, _, _, _} <- Pds]),
    Offs = [Off || {_, Off, _, _, _, _, _, _, _, _} <- Pds],
    ?assertEqual([0, 0, 0], [O rem 4 || O <- Offs]),
    ?assert(hd(Offs) >= SO + byte_size(S)),
    %% the ELFs follow one another without overlapping, and fit in the blob
    Ends = [Off + Len || {_, Off, Len, _, _, _, _, _, _, _} <- Pds],
    ?assert(lists:all(fun({E, O}) -> E =< O end, lists:zip(lists:droplast(Ends), tl(Offs)))),
    ?assert(lists:last(Ends) =< byte_size(B)).

blob_tables_test() ->
    {_, Img, _} = build(?FULL),
    {_, B} = blob(Img),
    #{regions := R, maps := M, channels := C, irqs := I, strings := S} = fb_test_lib:decode_blob(B),
    ?assertMatch([{_, 8192, 0, 0, 0, 0}, {_, 4096, 16#09000000, 1, 0, 0}], R),
    ?assertEqual(["shared_buf", "uart"], [fb_test_lib:string_at(S, element(1, X)) || X <- R]),
    ?assertEqual([{0, 0, 16#20000000, 6}, {1, 0, 16#20000000, 4},
                  {1, 1, 16#21000000, 6}, {2, 0, 16#22000000, 5}], M),
    ?assertEqual([{0, 0, 1, 0, 0, ?NO_REGION, 0, 0}, {1, 62, 2, 1, 0, ?NO_REGION, 0, 0}], C),
    ?assertEqual([{33, 1, 5, 0}, {34, 2, 2, 1}, {35, 2, 3, 0}], I).

%% {size, rest}: flag FB_REGION_REST (4), size one page (the least the kernel accepts).
blob_rest_region_test() ->
    Text = "{pd, a, [{elf, \"r.elf\"}, {priority, 1}]}.\n{region, heap, [{size, rest}]}.\n"
           "{map, a, heap, [{vaddr, 16#08000000}, {perms, rw}]}.\n",
    {_, Img, _} = build(Text),
    {_, B} = blob(Img),
    #{regions := R, maps := M} = fb_test_lib:decode_blob(B),
    ?assertMatch([{_, 4096, 0, 4, 0, 0}], R),
    ?assertEqual([{0, 0, 16#08000000, 6}], M).

%% Named channels and queue pairs: names after the region names, the
%% queue's region index, depth and slot; unnamed channels keep offset 0.
%% The queue fits exactly: 128 + 16 * (16 + 488) = 8192 = half of q.
-define(QUEUES,
"{pd, a, [{elf, \"a.elf\"}, {priority, 1}]}.\n"
"{pd, b, [{elf, \"a.elf\"}, {priority, 1}]}.\n"
"{region, other, [{size, 4096}]}.\n"
"{region, q, [{size, 16#4000}]}.\n"
"{map, a, q, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
"{map, b, other, [{vaddr, 16#20000000}, {perms, r}]}.\n"
"{map, b, q, [{vaddr, 16#30000000}, {perms, rw}]}.\n"
"{channel, {a, 0}, {b, 0}}.\n"
"{channel, ctl, {a, 1}, {b, 2}}.\n"
"{channel, data, {b, 3}, {a, 4}, [{queue, q, [{depth, 16}, {slot, 488}]}]}.\n"
"{channel, a, {a, 5}, {b, 5}}.   % channel names have their own name space\n").

blob_named_channels_test() ->
    {_, Img, _} = build(?QUEUES),
    {_, B} = blob(Img),
    #{channels := C, strings := S} = fb_test_lib:decode_blob(B),
    ?assertEqual(<<"a", 0, "b", 0, "other", 0, "q", 0, "ctl", 0, "data", 0, "a", 0>>, S),
    ?assertMatch([{0, 0, 1, 0, 0, ?NO_REGION, 0, 0}, {0, 1, 1, 2, _, ?NO_REGION, 0, 0},
                  {1, 3, 0, 4, _, 1, 16, 488}, {0, 5, 1, 5, _, ?NO_REGION, 0, 0}], C),
    ?assertEqual(["ctl", "data", "a"], [fb_test_lib:string_at(S, element(5, X)) || X <- tl(C)]),
    ?assertNotEqual(0, element(5, lists:last(C))).

minimal_test() ->
    {_, Img, Msg} = build("{pd, only, [{elf, \"a.elf\"}, {priority, 0}]}.\n"),
    ?assertNotEqual(nomatch, string:find(Msg, "1 PDs")),
    {_, B} = blob(Img),
    D = fb_test_lib:decode_blob(B),
    ?assertMatch(#{pds := [{0, _, _, 0, 16384, 1, ?NO_PD, 0, 0, 0}], regions := [], maps := [],
                   channels := [], irqs := [], strings := <<"only", 0>>}, D),
    ?assertEqual([68, 108, 108, 108, 108, 108], maps:get(offsets, D)).

%% The blob goes after the highest *physical* byte, at paddr = vaddr.
kernel_paddr_test() ->
    Dir = fb_test_lib:scratch(),
    K = fb_test_lib:elf([#{vaddr => 16#C0010000, paddr => 16#40010000, filesz => 8, memsz => 16#3000, flags => 5}],
                        #{entry => 16#40010000}),
    ok = file:write_file(filename:join(Dir, "k.elf"), K),
    {0, _, Out} = fb_test_lib:image(Dir, "{pd, p, [{elf, \"a.elf\"}, {priority, 1}]}.\n"),
    {ok, Img} = file:read_file(Out),
    ?assertMatch({16#40013000, _}, blob(Img)),
    {_, _, _, [{1, _, 16#C0010000, 16#40010000, 8, 16#3000, 5} | _]} = fb_test_lib:decode_elf(Img).

search_order_test() ->
    Dir = fb_test_lib:scratch(),
    [ok = filelib:ensure_dir(filename:join([Dir, D, "x"])) || D <- ["d1", "d2"]],
    Elf2 = fb_test_lib:elf([#{vaddr => 16#10000, filesz => 77, memsz => 77, flags => 5}]),
    ok = file:write_file(filename:join([Dir, "d2", "a.elf"]), Elf2),
    Cfg = "{pd, p, [{elf, \"a.elf\"}, {priority, 1}]}.\n",
    Search = ["--search", filename:join(Dir, "d1"), "--search", filename:join(Dir, "d2")],
    {0, _, Out} = fb_test_lib:image(Dir, Cfg, Search),
    {ok, Img} = file:read_file(Out),
    {_, B} = blob(Img),
    #{pds := [{_, Off, Len, _, _, _, _, _, _, _}]} = fb_test_lib:decode_blob(B),
    ?assertEqual(Elf2, binary:part(B, Off, Len)),
    %% without the search dirs, the config's own directory is used
    {0, _, _} = fb_test_lib:image(Dir, Cfg),
    {ok, Img2} = file:read_file(Out),
    {_, B2} = blob(Img2),
    #{pds := [{_, Off2, Len2, _, _, _, _, _, _, _}]} = fb_test_lib:decode_blob(B2),
    ?assertEqual(fb_test_lib:good_pd(), binary:part(B2, Off2, Len2)).

absolute_elf_path_test() ->
    Dir = fb_test_lib:scratch(),
    Cfg = "{pd, p, [{elf, \"" ++ filename:join(Dir, "a.elf") ++ "\"}, {priority, 1}]}.\n",
    ?assertMatch({0, _, _}, fb_test_lib:image(Dir, Cfg, ["--search", "/nonexistent"])).

failed_build_keeps_old_image_test() ->
    Dir = fb_test_lib:scratch(),
    {0, _, Out} = fb_test_lib:image(Dir, "{pd, p, [{elf, \"a.elf\"}, {priority, 1}]}.\n"),
    {ok, Before} = file:read_file(Out),
    {1, _, Out} = fb_test_lib:image(Dir, "{pd, p, [{elf, \"a.elf\"}, {priority, 999}]}.\n"),
    ?assertEqual({ok, Before}, file:read_file(Out)),
    ?assertEqual([Out], filelib:wildcard(filename:join(Dir, "out/*"))).

usage_test_() ->
    [?_assertMatch({2, _}, fb_main:run([])),
     ?_assertMatch({2, _}, fb_main:run(["x.config"])),
     ?_assertMatch({2, _}, fb_main:run(["x.config", "-o"])),
     ?_assertMatch({2, _}, fb_main:run(["x.config", "-o", "y", "--frob"])),
     ?_assertMatch({2, _}, fb_main:run(["x.config", "y.config", "-o", "y"])),
     ?_assertMatch({1, _}, fb_main:run(["/nonexistent/x.config", "-o", "/tmp/never.img"]))].

%% ---- args, env and region files ----
-define(INIT,
"{pd, sh, [{elf, \"a.elf\"}, {priority, 10}, {args, [\"prog\", \"-x\", \"1\"]},\n"
"          {env, [\"TERM=vt100\", \"HOME=/\"]}]}.\n"
"{pd, envonly, [{elf, \"a.elf\"}, {priority, 10}, {env, [\"A=\", \"B==\"]}]}.\n"
"{pd, argsonly, [{elf, \"a.elf\"}, {priority, 10}, {args, [\"x\"]}]}.\n"
"{pd, none, [{elf, \"a.elf\"}, {priority, 10}, {args, []}, {env, []}]}.\n"
"{pd, plain, [{elf, \"a.elf\"}, {priority, 10}]}.\n"
"{pd, utf, [{elf, \"a.elf\"}, {priority, 10}, {args, [\"caf\\x{e9} \\\"q\\\"\"]}]}.\n"
"{region, fs, [{file, \"rootfs.cpio\"}]}.\n"
"{region, sized, [{size, 16384}, {file, \"page.bin\"}]}.\n"
"{region, empty, [{size, 4096}, {file, \"empty.bin\"}]}.\n"
"{region, zero, [{size, 4096}]}.\n"
"{region, dev, [{size, 4096}, {paddr, 16#09000000}]}.\n"
"{region, page, [{file, \"page.bin\"}]}.\n"
"{map, sh, fs, [{vaddr, 16#20000000}, {perms, r}]}.\n"
"{map, sh, zero, [{vaddr, 16#20002000}, {perms, rw}]}.\n").

fs_bin() -> << <<(I rem 253)>> || I <- lists:seq(1, 5001) >>.
page_bin() -> binary:copy(<<"PAGE">>, 1024).

init_files(Dir) ->
    ok = file:write_file(filename:join(Dir, "rootfs.cpio"), fs_bin()),
    ok = file:write_file(filename:join(Dir, "page.bin"), page_bin()),
    ok = file:write_file(filename:join(Dir, "empty.bin"), <<>>).

build_init() ->
    Dir = fb_test_lib:scratch(),
    init_files(Dir),
    {0, _, Out} = fb_test_lib:image(Dir, ?INIT),
    {ok, Img} = file:read_file(Out),
    {_, B} = blob(Img),
    {B, fb_test_lib:decode_blob(B)}.

args_env_test() ->
    {B, #{pds := Pds, total_len := Total}} = build_init(),
    ?assertEqual(byte_size(B), Total),
    ?assertEqual([<<"prog", 0, "-x", 0, "1", 0, 0, "TERM=vt100", 0, "HOME=/", 0>>,
                  <<0, "A=", 0, "B==", 0>>,
                  <<"x", 0, 0>>,
                  <<>>, <<>>,
                  <<"caf", 16#c3, 16#a9, " \"q\"", 0, 0>>],
                 [fb_test_lib:bytes_at(B, Off, Len) || {_, _, _, _, _, _, _, _, Off, Len} <- Pds]),
    %% none and plain: 0/0; the others 4-byte aligned, after every ELF
    ?assertMatch([_, _, _, {0, 0}, {0, 0}, _], [{O, L} || {_, _, _, _, _, _, _, _, O, L} <- Pds]),
    ElfEnd = lists:max([O + L || {_, O, L, _, _, _, _, _, _, _} <- Pds]),
    ArgOffs = [O || {_, _, _, _, _, _, _, _, O, L} <- Pds, L > 0],
    ?assertEqual([0, 0, 0, 0], [O rem 4 || O <- ArgOffs]),
    ?assert(lists:min(ArgOffs) >= ElfEnd),
    ?assertEqual(ArgOffs, lists:sort(ArgOffs)).

region_files_test() ->
    {B, #{regions := R, maps := M, strings := S}} = build_init(),
    ?assertEqual(["fs", "sized", "empty", "zero", "dev", "page"],
                 [fb_test_lib:string_at(S, element(1, X)) || X <- R]),
    %% fs: 5001 bytes -> 8192; sized keeps its size; an empty file with a size is 0/0
    ?assertMatch([{_, 8192, 0, 0, _, 5001}, {_, 16384, 0, 0, _, 4096}, {_, 4096, 0, 0, 0, 0},
                  {_, 4096, 0, 0, 0, 0}, {_, 4096, 16#09000000, 1, 0, 0}, {_, 4096, 0, 0, _, 4096}], R),
    [{_, _, _, _, FsOff, _}, {_, _, _, _, SzOff, _}, _, _, _, {_, _, _, _, PgOff, _}] = R,
    ?assertEqual(fs_bin(), fb_test_lib:bytes_at(B, FsOff, 5001)),
    ?assertEqual(page_bin(), fb_test_lib:bytes_at(B, SzOff, 4096)),
    ?assertEqual(page_bin(), fb_test_lib:bytes_at(B, PgOff, 4096)),
    ?assertEqual([0, 0, 0], [O rem 4 || O <- [FsOff, SzOff, PgOff]]),
    ?assert(FsOff + 5001 =< SzOff andalso SzOff + 4096 =< PgOff),
    ?assertEqual(byte_size(B), PgOff + 4096),
    ?assertEqual([{0, 0, 16#20000000, 4}, {0, 3, 16#20002000, 6}], M).

%% exactly FB_MAX_ARGS_BYTES: "p" NUL, 2044 x "x" NUL, the argv end (NUL)
args_at_limit_test() ->
    {_, Img, _} = build("{pd, p, [{elf, \"a.elf\"}, {priority, 1}, {args, [\"p\", \""
                        ++ lists:duplicate(2044, $x) ++ "\"]}]}.\n"),
    {_, B} = blob(Img),
    #{pds := [{_, _, _, _, _, _, _, _, Off, 2048}]} = fb_test_lib:decode_blob(B),
    ?assertEqual(<<"p", 0, (binary:copy(<<"x">>, 2044))/binary, 0, 0>>, fb_test_lib:bytes_at(B, Off, 2048)).

%% a region's file is searched like an ELF file: --search dirs, then the config's dir
region_file_search_test() ->
    Dir = fb_test_lib:scratch(),
    ok = filelib:ensure_dir(filename:join([Dir, "d1", "x"])),
    ok = file:write_file(filename:join([Dir, "d1", "fs.bin"]), <<"from d1">>),
    ok = file:write_file(filename:join(Dir, "fs.bin"), <<"from the config dir">>),
    Cfg = "{pd, p, [{elf, \"a.elf\"}, {priority, 1}]}.\n{region, fs, [{file, \"fs.bin\"}]}.\n",
    Data = fun(Extra) ->
                   {0, _, Out} = fb_test_lib:image(Dir, Cfg, Extra),
                   {ok, Img} = file:read_file(Out),
                   {_, B} = blob(Img),
                   #{regions := [{_, 4096, 0, 0, Off, Len}]} = fb_test_lib:decode_blob(B),
                   fb_test_lib:bytes_at(B, Off, Len)
           end,
    ?assertEqual(<<"from d1">>, Data(["--search", filename:join(Dir, "nowhere"),
                                      "--search", filename:join(Dir, "d1")])),
    ?assertEqual(<<"from the config dir">>, Data([])),
    Abs = "{pd, p, [{elf, \"a.elf\"}, {priority, 1}]}.\n{region, fs, [{file, \""
        ++ filename:join([Dir, "d1", "fs.bin"]) ++ "\"}]}.\n",
    {0, _, Out} = fb_test_lib:image(Dir, Abs, ["--search", "/nonexistent"]),
    {ok, Img} = file:read_file(Out),
    {_, B} = blob(Img),
    #{regions := [{_, 4096, 0, 0, Off, Len}]} = fb_test_lib:decode_blob(B),
    ?assertEqual(<<"from d1">>, fb_test_lib:bytes_at(B, Off, Len)).

%% {dma, true}: a RAM region with the FB_REGION_DMA flag (2), no address
dma_region_test() ->
    {_, Img, _} = build("{pd, p, [{elf, \"a.elf\"}, {priority, 1}]}.\n"
                        "{region, d, [{size, 8192}, {dma, true}]}.\n"
                        "{region, n, [{size, 4096}, {dma, false}]}.\n"),
    {_, B} = blob(Img),
    ?assertMatch(#{regions := [{_, 8192, 0, 2, 0, 0}, {_, 4096, 0, 0, 0, 0}]}, fb_test_lib:decode_blob(B)).

%% A device region declared twice alike (two description fragments each
%% bringing a driver of the same bus) is one region, mapped by both PDs.
same_device_twice_test() ->
    {_, Img, _} = build("{pd, p, [{elf, \"a.elf\"}, {priority, 1}]}.\n"
                        "{pd, q, [{elf, \"a.elf\"}, {priority, 1}]}.\n"
                        "{region, bus, [{size, 16#4000}, {paddr, 16#0a000000}]}.\n"
                        "{map, p, bus, [{vaddr, 16#20000000}, {perms, rw}]}.\n"
                        "{region, bus, [{size, 16#4000}, {paddr, 16#0a000000}]}.\n"
                        "{map, q, bus, [{vaddr, 16#20000000}, {perms, rw}]}.\n"),
    {_, B} = blob(Img),
    #{regions := R, maps := M} = fb_test_lib:decode_blob(B),
    ?assertMatch([{_, 16#4000, 16#0a000000, 1, 0, 0}], R),
    ?assertEqual([{0, 0, 16#20000000, 6}, {1, 0, 16#20000000, 6}], M).
