%% fb_compress_tests - `image --compress`: every deflated part inflates
%% (zlib) back to its bytes, incompressible parts stay as they are, the
%% rewritten PD ELF keeps every loadable segment's address, sizes and
%% permissions, and the blob marks compressed regions (FB_REGION_DEFLATE).
-module(fb_compress_tests).
-include("fb_assert.hrl").

-define(PF_DEFLATE, 16#00100000).
-define(REGION_DEFLATE, 8).

text(N) -> binary:part(binary:copy(<<"the beam process of the freebeam kernel ">>, N div 40 + 1), 0, N).
%% Bytes that do not compress: a linear congruential generator's.
noise(N) -> noise(N, 12345, []).
noise(0, _, Acc) -> iolist_to_binary(Acc);
noise(N, S, Acc) ->
    S2 = (S * 1103515245 + 12345) band 16#7fffffff,
    noise(N - 1, S2, [(S2 bsr 16) band 255 | Acc]).

deflate_round_trips_test() ->
    [?assertEqual(B, zlib:unzip(fb_compress:deflate(B)))
     || B <- [<<>>, <<"x">>, text(100000), noise(70000),
              <<(noise(40000))/binary, (text(40000))/binary, (noise(20000))/binary>>]].

%% Noise is stored (a little overhead), text shrinks; a mix shrinks by its text.
deflate_sizes_test() ->
    N = noise(64000), T = text(64000),
    ?assert(byte_size(fb_compress:deflate(N)) =< 64000 + 64000 div 1000 + 64),
    ?assert(byte_size(fb_compress:deflate(T)) < 2000),
    ?assert(byte_size(fb_compress:deflate(<<N/binary, T/binary>>)) < 64000 + 2000 + 500).

%% An ELF: text (compressible), data (4 bytes: stays), bss only, a TLS header.
elf() ->
    Text = text(5000), Data = <<1, 2, 3, 4>>,
    Hdr = fb_test_lib:elf([#{vaddr => 16#10000, filesz => 5000, memsz => 5000, flags => 5, offset => 16#1000},
                           #{vaddr => 16#12000, filesz => 4, memsz => 8192, flags => 6, offset => 16#3000},
                           #{vaddr => 16#20000, filesz => 0, memsz => 4096, flags => 6},
                           #{type => 7, vaddr => 16#12000, filesz => 4, memsz => 8, flags => 4, offset => 16#3000}]),
    Pad1 = binary:copy(<<0>>, 16#1000 - byte_size(Hdr)),
    {iolist_to_binary([Hdr, Pad1, Text, binary:copy(<<0>>, 16#2000 - 5000), Data]), Text, Data}.

elf_test() ->
    {Elf, Text, Data} = elf(),
    Z = fb_compress:elf(Elf),
    ?assert(byte_size(Z) < byte_size(Elf) div 4),
    {Entry, Flags, ShNum, Phs} = fb_test_lib:decode_elf(Z),
    {Entry0, Flags0, _, Phs0} = fb_test_lib:decode_elf(Elf),
    ?assertEqual({Entry0, Flags0, 0}, {Entry, Flags, ShNum}),
    [{1, TOff, 16#10000, 16#10000, TFs, 5000, TFl},
     {1, DOff, 16#12000, 16#12000, 4, 8192, 6},
     {1, _, 16#20000, 16#20000, 0, 4096, 6},
     {7, 0, 16#12000, 16#12000, 0, 8, 4}] = Phs,
    ?assertEqual(5 bor ?PF_DEFLATE, TFl),
    ?assertEqual(Text, zlib:unzip(binary:part(Z, TOff, TFs))),
    ?assertEqual(Data, binary:part(Z, DOff, 4)),
    ?assertEqual(0, TOff band 3),
    ?assertEqual(4, length(Phs0)),
    %% what the image builder checks of a PD ELF still holds
    ?assertMatch({ok, _}, fb_elf:check_pd(Z)).

%% A region of text is compressed and flagged; a PD of noise is kept whole.
image_test() ->
    Dir = fb_test_lib:scratch(),
    ok = file:write_file(filename:join(Dir, "r.bin"), text(30000)),
    Cfg = "{pd, ping, [{elf, \"a.elf\"}, {priority, 100}]}.\n"
          "{region, buf, [{file, \"r.bin\"}]}.\n"
          "{region, zero, [{size, 4096}]}.\n"
          "{map, ping, buf, [{vaddr, 16#20000000}, {perms, r}]}.\n",
    {0, _, Out} = fb_test_lib:image(Dir, Cfg, ["--compress"]),
    {ok, Img} = file:read_file(Out),
    {_, _, _, Loads} = fb_test_lib:decode_elf(Img),
    {1, BOff, _, _, BLen, _, _} = lists:last(Loads),
    Blob = binary:part(Img, BOff, BLen),
    #{regions := [{_, Size, 0, Fl, DOff, DLen}, {_, 4096, 0, 0, 0, 0}]} = fb_test_lib:decode_blob(Blob),
    ?assertEqual(?REGION_DEFLATE, Fl),
    ?assertEqual(32768, Size),
    ?assert(DLen < 1000),
    ?assertEqual(text(30000), zlib:unzip(fb_test_lib:bytes_at(Blob, DOff, DLen))),
    {0, _, Out2} = fb_test_lib:image(Dir, Cfg, []),
    {ok, Img2} = file:read_file(Out2),
    ?assert(byte_size(Img) < byte_size(Img2) - 25000).
