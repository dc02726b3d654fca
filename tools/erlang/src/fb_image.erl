%% fb_image - lay out the output ELF that QEMU's -kernel loads: the kernel's
%% PT_LOAD segments and entry, plus one read-only PT_LOAD holding the system
%% blob at the first page boundary after the kernel's highest loaded byte.
-module(fb_image).
-export([build/2]).
-include("fb_abi.hrl").

%% build(KernelBin, Blob) -> {ok, ImageBin, BlobAddr} | {error, Reason}
build(Kernel, Blob) ->
    case fb_elf:check_kernel(Kernel) of
        {error, Why} -> {error, Why};
        {ok, #{entry := Entry, flags := Flags, loads := Loads}} ->
            Top = lists:max([P + M || #{paddr := P, memsz := M} <- Loads]),
            At = (Top + ?FB_PAGE - 1) band (bnot (?FB_PAGE - 1)),
            case At + byte_size(Blob) =< 16#100000000 of
                false -> {error, "leaves no room for the blob below 4 GiB"};
                true ->
                    BlobSeg = #{data => Blob, vaddr => At, paddr => At, filesz => byte_size(Blob),
                                memsz => byte_size(Blob), flags => ?PF_R},
                    Segs = [S#{data => binary:part(Kernel, Off, Fs)}
                            || S = #{offset := Off, filesz := Fs} <- Loads] ++ [BlobSeg],
                    {ok, layout(Entry, Flags, Segs), At}
            end
    end.

%% Header, program headers, then each segment's bytes at a file offset
%% congruent to its address modulo the page size.
layout(Entry, Flags, Segs) ->
    N = length(Segs),
    {Placed, _} = lists:mapfoldl(
                    fun(S = #{vaddr := V, data := D}, Cur) ->
                            Off = Cur + ((V - Cur) band (?FB_PAGE - 1)),
                            {S#{offset => Off}, Off + byte_size(D)}
                    end, 52 + N * 32, Segs),
    Ehdr = <<16#7f, "ELF", 1, 1, 1, 0, 0:64,
             ?ET_EXEC:16/little, ?EM_ARM:16/little, 1:32/little, Entry:32/little,
             52:32/little, 0:32/little, Flags:32/little, 52:16/little, 32:16/little,
             N:16/little, 0:16/little, 0:16/little, 0:16/little>>,
    Phdrs = [<<?PT_LOAD:32/little, Off:32/little, V:32/little, P:32/little, Fs:32/little,
               Ms:32/little, Fl:32/little, ?FB_PAGE:32/little>>
             || #{offset := Off, vaddr := V, paddr := P, filesz := Fs, memsz := Ms, flags := Fl}
                    <- Placed],
    {Body, _} = lists:foldl(fun(#{offset := Off, data := D}, {Acc, Cur}) ->
                                    {[Acc, binary:copy(<<0>>, Off - Cur), D], Off + byte_size(D)}
                            end, {[], 52 + N * 32}, Placed),
    iolist_to_binary([Ehdr, Phdrs, Body]).
