%% fb_elf - read the headers of an ELF32 ARM executable and check it, either
%% as a PD program (static, inside the user window, never W+X, ...) or as the
%% kernel the image is built around.  Reasons are short phrases; the caller
%% adds the file name and the description line.
-module(fb_elf).
-export([check_pd/1, check_kernel/1, pages/1]).
-include("fb_abi.hrl").

%% check_pd(Bin) -> {ok, #{entry, loads}} | {error, Reason}
check_pd(Bin) ->
    try
        #{entry := Entry, phdrs := Ph} = parse(Bin),
        [no("is dynamically linked (PT_INTERP/PT_DYNAMIC)") ||
            #{type := T} <- Ph, T =:= ?PT_INTERP orelse T =:= ?PT_DYNAMIC],
        %% Like the kernel, ignore PT_LOAD segments that load nothing.
        Loads = [P || P = #{type := ?PT_LOAD, memsz := M} <- Ph, M > 0],
        Loads =/= [] orelse no("has no PT_LOAD segment"),
        length(Loads) =< ?FB_MAX_SEGMENTS orelse
            no(io_lib:format("has more than ~b PT_LOAD segments", [?FB_MAX_SEGMENTS])),
        Numbered = lists:zip(lists:seq(0, length(Loads) - 1), Loads),
        [pd_segment(I, S, byte_size(Bin)) || {I, S} <- Numbered],
        [no(io_lib:format("segments ~b and ~b overlap (page granularity)", [I, J]))
         || {I, A} <- Numbered, {J, B} <- Numbered, I < J, overlap(pages(A), pages(B))],
        E = Entry band (bnot 1),
        lists:any(fun(#{vaddr := V, memsz := M, flags := F}) ->
                          F band ?PF_X =/= 0 andalso E >= V andalso E < V + M
                  end, Loads)
            orelse no(io_lib:format("entry ~s is not inside an executable segment",
                                    [fb_sysdesc:hex(Entry)])),
        {ok, #{entry => Entry, loads => Loads}}
    catch
        throw:{elf, Why} -> {error, Why}
    end.

pd_segment(I, #{flags := F, filesz := Fs, memsz := Ms, offset := Off, vaddr := V}, Size) ->
    Seg = io_lib:format("segment ~b", [I]),
    F band ?PF_R =/= 0 orelse no([Seg, " is not readable"]),
    F band (?PF_W bor ?PF_X) =:= ?PF_W bor ?PF_X andalso no([Seg, " is writable and executable"]),
    Fs =< Ms orelse no([Seg, " has filesz > memsz"]),
    Off + Fs =< Size orelse no([Seg, " has data past the end of the file"]),
    V >= ?FB_USER_BASE andalso V + Ms =< ?FB_USER_TOP orelse
        no(io_lib:format("~s (~s..~s) lies outside the user window ~s..~s",
                         [Seg, fb_sysdesc:hex(V), fb_sysdesc:hex(V + Ms),
                          fb_sysdesc:hex(?FB_USER_BASE), fb_sysdesc:hex(?FB_USER_TOP)])).

%% check_kernel(Bin) -> {ok, #{entry, flags, loads}} | {error, Reason}
check_kernel(Bin) ->
    try
        Elf = #{phdrs := Ph} = parse(Bin),
        Loads = [P || P = #{type := ?PT_LOAD} <- Ph],
        Loads =/= [] orelse no("has no PT_LOAD segment"),
        [begin
             Fs =< Ms orelse no("has a segment with filesz > memsz"),
             Off + Fs =< byte_size(Bin) orelse no("has segment data past the end of the file"),
             Pa >= ?FB_RAM_BASE orelse no(io_lib:format("has a segment at ~s, below RAM",
                                                        [fb_sysdesc:hex(Pa)]))
         end || #{filesz := Fs, memsz := Ms, offset := Off, paddr := Pa} <- Loads],
        {ok, Elf#{loads => Loads}}
    catch
        throw:{elf, Why} -> {error, Why}
    end.

%% The pages a segment touches: {FirstByte, EndByte} rounded out to pages.
pages(#{vaddr := V, memsz := M}) ->
    {V band (bnot (?FB_PAGE - 1)), (V + M + ?FB_PAGE - 1) band (bnot (?FB_PAGE - 1))}.

overlap({A0, A1}, {B0, B1}) -> A0 < B1 andalso B0 < A1.

no(Why) -> throw({elf, lists:flatten(io_lib:format("~ts", [Why]))}).

parse(Bin) when byte_size(Bin) < 52 -> no("is too short to be an ELF file");
parse(<<16#7f, "ELF", Class, Data, _/binary>> = Bin) ->
    Class =:= 1 orelse no("is not ELF32"),
    Data =:= 1 orelse no("is not little-endian"),
    <<_:16/binary, Type:16/little, Machine:16/little, Ver:32/little, Entry:32/little,
      PhOff:32/little, _ShOff:32/little, Flags:32/little, _EhSize:16/little,
      PhEntSize:16/little, PhNum:16/little, _/binary>> = Bin,
    Machine =:= ?EM_ARM orelse no("is not for ARM"),
    Type =:= ?ET_EXEC orelse no("is not an executable (ET_EXEC)"),
    Ver =:= 1 orelse no("has ELF version " ++ integer_to_list(Ver) ++ ", not 1 (EV_CURRENT)"),
    PhOff rem 4 =:= 0 orelse no("has a program header offset that is not 4-byte aligned"),
    PhNum =:= 0 orelse PhEntSize =:= 32 orelse no("has a bad program header size"),
    PhOff + PhNum * 32 =< byte_size(Bin) orelse no("has program headers past the end of the file"),
    Ph = [phdr(binary:part(Bin, PhOff + I * 32, 32)) || I <- lists:seq(0, PhNum - 1)],
    #{entry => Entry, flags => Flags, phdrs => Ph};
parse(_) -> no("is not an ELF file").

phdr(<<Type:32/little, Off:32/little, V:32/little, P:32/little, Fs:32/little, Ms:32/little,
       Fl:32/little, Al:32/little>>) ->
    #{type => Type, offset => Off, vaddr => V, paddr => P, filesz => Fs, memsz => Ms,
      flags => Fl, align => Al}.
