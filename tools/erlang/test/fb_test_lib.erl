%% fb_test_lib - helpers shared by the image builder's EUnit tests: crafted
%% ELF files, a scratch directory with a stand-in kernel and PD, running the
%% `image` command without halting, and an independent blob/ELF decoder.
-module(fb_test_lib).
-export([elf/1, elf/2, good_pd/0, kernel/0, scratch/0, image/2, image/3,
         refuse/3, refuse/4, decode_blob/1, decode_elf/1, string_at/2, bytes_at/3]).
-include("fb_assert.hrl").

%% elf([Seg], Opts): an ELF32 file; Seg = #{vaddr, filesz, memsz, flags}
%% with optional type (default PT_LOAD), paddr and offset (default: the
%% segment's data follows the headers).  Opts override header fields.
elf(Segs) -> elf(Segs, #{}).
elf(Segs, O) ->
    N = length(Segs),
    {Placed, _} = lists:mapfoldl(
                    fun(S = #{filesz := Fs}, Cur) ->
                            {S#{off => maps:get(offset, S, Cur)}, Cur + Fs}
                    end, 52 + 32 * N, Segs),
    Entry = maps:get(entry, O, 16#10000),
    Hdr = <<16#7f, "ELF", (maps:get(class, O, 1)), (maps:get(data, O, 1)), 1, 0, 0:64,
            (maps:get(type, O, 2)):16/little, (maps:get(machine, O, 40)):16/little,
            (maps:get(version, O, 1)):32/little,
            Entry:32/little, 52:32/little, 0:32/little, 16#5000400:32/little, 52:16/little,
            32:16/little, N:16/little, 40:16/little, 0:16/little, 0:16/little>>,
    Ph = [<<(maps:get(type, S, 1)):32/little, Off:32/little, V:32/little,
            (maps:get(paddr, S, V)):32/little, Fs:32/little, Ms:32/little, Fl:32/little,
            4096:32/little>>
          || S = #{off := Off, vaddr := V, filesz := Fs, memsz := Ms, flags := Fl} <- Placed],
    Data = [binary:copy(<<(I rem 251 + 1)>>, Fs)
            || {I, #{filesz := Fs} = S} <- lists:zip(lists:seq(1, N), Placed),
               not maps:is_key(offset, S)],
    iolist_to_binary([Hdr, Ph, Data]).

%% A well-formed PD: text at 16#10000 (RX), data+bss at 16#11000 (RW).
good_pd() ->
    elf([#{vaddr => 16#10000, filesz => 64, memsz => 64, flags => 5},
         #{vaddr => 16#11000, filesz => 16, memsz => 4096, flags => 6}]).

%% A stand-in kernel: two segments, the highest byte at 16#40014010.
kernel() ->
    elf([#{vaddr => 16#40010000, filesz => 100, memsz => 100, flags => 5},
         #{vaddr => 16#40012000, filesz => 8, memsz => 16#2010, flags => 6}],
        #{entry => 16#40010000}).

%% A fresh directory holding k.elf (kernel) and a.elf (a good PD).
scratch() ->
    Base = filename:join(os:getenv("FB_TEST_TMP", "/tmp"), "fbimg"),
    Dir = filename:join(Base, integer_to_list(erlang:unique_integer([positive]))
                        ++ "-" ++ os:getpid()),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    ok = file:write_file(filename:join(Dir, "k.elf"), kernel()),
    ok = file:write_file(filename:join(Dir, "a.elf"), good_pd()),
    Dir.

%% image(Dir, ConfigText[, ExtraArgs]) -> {Status, Text, Out}: writes s.config
%% in Dir and runs the image command on it.
image(Dir, Text) -> image(Dir, Text, []).
image(Dir, Text, Extra) ->
    Cfg = filename:join(Dir, "s.config"),
    Out = filename:join(Dir, "out/s.img"),
    ok = file:write_file(Cfg, Text),
    {St, Msg} = fb_main:run([Cfg, "-o", Out, "--kernel", filename:join(Dir, "k.elf") | Extra]),
    {St, lists:flatten(io_lib:format("~ts", [Msg])), Out}.

%% refuse(ConfigText, Line, Reason): the image command must refuse with
%% "DIR/s.config:Line: ... Reason" (Line none: no line), status 1, and
%% write no image.
refuse(Text, Line, Reason) -> refuse(Text, Line, Reason, []).
%% refuse/4 first writes Files = [{Name, Binary}] into the scratch directory.
refuse(Text, Line, Reason, Files) ->
    Dir = scratch(),
    [ok = file:write_file(filename:join(Dir, N), B) || {N, B} <- Files],
    {St, Msg, Out} = image(Dir, Text),
    Prefix = filename:join(Dir, "s.config") ++ case Line of
                                                   none -> ": ";
                                                   _ -> ":" ++ integer_to_list(Line) ++ ": "
                                               end,
    ?assertEqual({1, Prefix}, {St, lists:sublist(Msg, length(Prefix))}),
    ?assertNotEqual(nomatch, string:find(Msg, Reason)),
    ?assertNot(filelib:is_file(Out)),
    ?assertEqual([], filelib:wildcard(filename:join(Dir, "out/*"))),
    Msg.

%% decode_blob(Bin) -> #{header fields..., pds, regions, maps, channels, irqs}
decode_blob(B) ->
    <<Magic:32/little, Ver:32/little, Total:32/little,
      NP:32/little, PO:32/little, NR:32/little, RO:32/little, NM:32/little, MO:32/little,
      NC:32/little, CO:32/little, NI:32/little, IO:32/little, SO:32/little, SL:32/little,
      R0:32/little, R1:32/little, _/binary>> = B,
    Tab = fun(Off, Cnt, Words) ->
                  [list_to_tuple([W || <<W:32/little>> <= binary:part(B, Off + I * Words * 4, Words * 4)])
                   || I <- lists:seq(0, Cnt - 1)]
          end,
    #{magic => Magic, version => Ver, total_len => Total, reserved => [R0, R1],
      offsets => [PO, RO, MO, CO, IO, SO], strings => binary:part(B, SO, SL),
      pds => Tab(PO, NP, 10), regions => Tab(RO, NR, 6), maps => Tab(MO, NM, 4),
      channels => Tab(CO, NC, 8), irqs => Tab(IO, NI, 4)}.

%% The Len bytes at Off (as a pd's args_off/args_len or a region's
%% data_off/data_len give them), checked to lie inside the blob.
bytes_at(B, Off, Len) ->
    ?assert(Off + Len =< byte_size(B)),
    binary:part(B, Off, Len).

string_at(Strings, Off) ->
    [S | _] = binary:split(binary:part(Strings, Off, byte_size(Strings) - Off), <<0>>),
    binary_to_list(S).

%% decode_elf(Bin) -> {Entry, Flags, ShNum, [{Type, Off, V, P, Fs, Ms, Fl}]}
decode_elf(B) ->
    <<16#7f, "ELF", 1, 1, 1, _:9/binary, 2:16/little, 40:16/little, 1:32/little, Entry:32/little,
      PhOff:32/little, _:32/little, Flags:32/little, 52:16/little, 32:16/little, N:16/little,
      _:16/little, ShNum:16/little, _/binary>> = B,
    {Entry, Flags, ShNum,
     [list_to_tuple([W || <<W:32/little>> <= binary:part(B, PhOff + I * 32, 28)])
      || I <- lists:seq(0, N - 1)]}.
