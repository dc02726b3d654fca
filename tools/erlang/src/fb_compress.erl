%% fb_compress - `tools/freebeam image --compress`: each PD ELF's loadable
%% segments and each region's initial contents as raw DEFLATE streams
%% (zlib, best compression), which the kernel inflates at boot
%% (kernel/inflate.c; FB_PF_DEFLATE and FB_REGION_DEFLATE in
%% include/freebeam/sysimage.h).  A part whose stream would not be smaller
%% stays as it is.  An ELF is rewritten as its header, its program headers
%% (offsets renumbered, other sections dropped) and its segments' bytes:
%% the loaded memory is the same, original ELF headers included (musl reads
%% them in memory to find PT_TLS).
-module(fb_compress).
-export([system/1, elf/1, deflate/1]).
-include("fb_abi.hrl").

-define(EHDR_SIZE, 52).
-define(PHDR_SIZE, 32).

%% system(Sys) -> Sys with compressed PD ELFs and region contents.
system(Sys = #{pds := Pds, regions := Regions}) ->
    Sys#{pds := [Pd#{elf_bin := elf(B)} || Pd = #{elf_bin := B} <- Pds],
         regions := [region(R) || R <- Regions]}.

region(R = #{data := D}) when byte_size(D) > 0 ->
    Z = deflate(D),
    case byte_size(Z) < byte_size(D) of
        true -> R#{data := Z, deflate => true};
        false -> R
    end;
region(R) -> R.

%% elf(Bin) -> the same program, its PT_LOAD file bytes deflated where that
%% is smaller (fb_elf:check_pd has accepted Bin).
elf(Elf) ->
    <<Ident:16/binary, Type:16/little, Machine:16/little, Version:32/little, Entry:32/little,
      PhOff:32/little, _ShOff:32/little, Flags:32/little, _EhSize:16/little, ?PHDR_SIZE:16/little,
      PhNum:16/little, _/binary>> = Elf,
    Phdrs = [binary:part(Elf, PhOff + K * ?PHDR_SIZE, ?PHDR_SIZE) || K <- lists:seq(0, PhNum - 1)],
    Start = ?EHDR_SIZE + PhNum * ?PHDR_SIZE,
    {NewPhdrs, {_, Datas}} = lists:mapfoldl(fun(P, Acc) -> phdr(Elf, P, Acc) end, {Start, []}, Phdrs),
    Ehdr = <<Ident/binary, Type:16/little, Machine:16/little, Version:32/little, Entry:32/little,
             ?EHDR_SIZE:32/little, 0:32/little, Flags:32/little, ?EHDR_SIZE:16/little,
             ?PHDR_SIZE:16/little, PhNum:16/little, 0:16/little, 0:16/little, 0:16/little>>,
    iolist_to_binary([Ehdr, NewPhdrs | lists:reverse(Datas)]).

%% One program header: a loadable segment's bytes at the next 4-byte
%% aligned offset, deflated if smaller; any other header describes no bytes
%% of this file (the loaded copy of the original headers is unchanged).
phdr(Elf, <<?PT_LOAD:32/little, Off:32/little, V:32/little, P:32/little, Fs:32/little,
            Ms:32/little, Fl:32/little, Al:32/little>>, {At, Datas}) when Fs > 0 ->
    Raw = binary:part(Elf, Off, Fs),
    Z = deflate(Raw),
    {Bytes, Fl2} = case byte_size(Z) < Fs of
                       true -> {Z, Fl bor ?FB_PF_DEFLATE};
                       false -> {Raw, Fl}
                   end,
    Pad = (4 - byte_size(Bytes) rem 4) rem 4,
    {<<?PT_LOAD:32/little, At:32/little, V:32/little, P:32/little, (byte_size(Bytes)):32/little,
       Ms:32/little, Fl2:32/little, Al:32/little>>,
     {At + byte_size(Bytes) + Pad, [[Bytes, binary:copy(<<0>>, Pad)] | Datas]}};
phdr(_Elf, <<Type:32/little, _Off:32/little, V:32/little, P:32/little, _Fs:32/little,
             Ms:32/little, Fl:32/little, Al:32/little>>, Acc) ->
    {<<Type:32/little, 0:32/little, V:32/little, P:32/little, 0:32/little,
       Ms:32/little, Fl:32/little, Al:32/little>>, Acc}.

%% A raw DEFLATE stream (no zlib header or checksum) of Bin, in one zlib
%% stream whose level changes by 16 KiB chunk: best compression where a
%% chunk alone shrinks by a tenth or more, stored blocks elsewhere (most of
%% an archive of already compressed .beam files), which the kernel copies
%% instead of decoding byte by byte.
deflate(Bin) ->
    Z = zlib:open(),
    try
        ok = zlib:deflateInit(Z, best_compression, deflated, -15, 9, default),
        Body = chunks(Z, Bin, best_compression),
        Tail = zlib:deflate(Z, <<>>, finish),
        ok = zlib:deflateEnd(Z),
        iolist_to_binary([Body, Tail])
    after
        zlib:close(Z)
    end.

-define(CHUNK, 16384).

chunks(_Z, <<>>, _Level) -> [];
chunks(Z, Bin, Level) ->
    {Chunk, Rest} = case Bin of
                        <<C:?CHUNK/binary, R/binary>> -> {C, R};
                        _ -> {Bin, <<>>}
                    end,
    Want = case byte_size(zlib:zip(Chunk)) * 10 < byte_size(Chunk) * 9 of
               true -> best_compression;
               false -> none
           end,
    Switch = case Want of
                 Level -> [];
                 _ -> params(Z, Want)
             end,
    [Switch, zlib:deflate(Z, Chunk, none) | chunks(Z, Rest, Want)].

%% A level change; the bytes zlib flushes for it (OTP's deflateParams keeps
%% them for the next deflate call, so there are none to collect here).
params(Z, Level) ->
    ok = zlib:deflateParams(Z, Level, default),
    [].
