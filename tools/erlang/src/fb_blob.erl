%% fb_blob - encode a checked system description (with its PD ELF files) as
%% the system blob of include/freebeam/sysimage.h: header, tables, strings
%% (PD, region, then channel names),
%% then each PD's ELF verbatim, each PD's argument block, each RAM region's
%% initial contents, every part 4-byte aligned.  An empty argument block or
%% region contents takes no room and is encoded as offset 0, length 0.
-module(fb_blob).
-export([encode/1]).
-include("fb_abi.hrl").

encode(#{pds := Pds, regions := Regions, maps := Maps, channels := Chans, irqs := Irqs}) ->
    {Strings, PdNames, RegNames, ChNames} = strings(Pds, Regions, Chans),
    PdsOff = ?HDR_SIZE,
    RegOff = PdsOff + length(Pds) * ?PD_SIZE,
    MapOff = RegOff + length(Regions) * ?REGION_SIZE,
    ChOff = MapOff + length(Maps) * ?MAP_SIZE,
    IrqOff = ChOff + length(Chans) * ?CHANNEL_SIZE,
    StrOff = IrqOff + length(Irqs) * ?IRQ_SIZE,
    ElfStart = align4(StrOff + byte_size(Strings)),
    Elfs = [B || #{elf_bin := B} <- Pds],
    ArgBins = [B || #{args_bin := B} <- Pds],
    DataBins = [B || #{data := B} <- Regions],
    {ElfOffs, ArgStart} = place(Elfs, ElfStart),
    {ArgOffs, DataStart} = place(ArgBins, ArgStart),
    {DataOffs, End} = place(DataBins, DataStart),
    Header = u32s([?FB_SYS_MAGIC, ?FB_SYS_VERSION, End,
                   length(Pds), PdsOff, length(Regions), RegOff, length(Maps), MapOff,
                   length(Chans), ChOff, length(Irqs), IrqOff,
                   StrOff, byte_size(Strings), 0, 0]),
    PdTab = [u32s([N, Off, byte_size(B), Pr, St, Th, Mon, R, AOff, byte_size(A)])
             || {{N, Off, AOff}, #{elf_bin := B, priority := Pr, stack := St, max_threads := Th,
                                   monitor := Mon, rights := R, args_bin := A}}
                    <- lists:zip(lists:zip3(PdNames, ElfOffs, ArgOffs), Pds)],
    RegTab = [u32s([N, Sz, Pa, region_flags(R), DOff, byte_size(D)])
              || {{N, DOff}, R = #{size := Sz, paddr := Pa, data := D}}
                     <- lists:zip(lists:zip(RegNames, DataOffs), Regions)],
    MapTab = [u32s([Pd, R, V, P]) || #{pd := Pd, region := R, vaddr := V, perms := P} <- Maps],
    ChTab = [u32s([A, Ia, B, Ib, N | case Q of
                                         none -> [?FB_NO_REGION, 0, 0];
                                         {R, D, S} -> [R, D, S]
                                     end])
             || {N, #{ends := [{A, Ia}, {B, Ib}], queue := Q}} <- lists:zip(ChNames, Chans)],
    IrqTab = [u32s([N, Pd, Id, case E of true -> ?FB_IRQ_EDGE; false -> 0 end])
              || #{irq := N, ends := [{Pd, Id}], edge := E} <- Irqs],
    Blob = iolist_to_binary([Header, PdTab, RegTab, MapTab, ChTab, IrqTab,
                             Strings, pad(byte_size(Strings)),
                             [[B, pad(byte_size(B))] || B <- Elfs ++ ArgBins ++ DataBins]]),
    End = byte_size(Blob),
    Blob.

%% A region's FB_REGION_* flags.

%% One NUL-terminated string per PD name, then per region name, then per
%% channel name; an unnamed channel gets offset 0 (the first PD's name is
%% there, so no channel name is ever at 0).
strings(Pds, Regions, Chans) ->
    {Offs, Acc} = lists:mapfoldl(
                    fun(#{name := {}}, Acc) -> {0, Acc};
                       (#{name := N}, Acc) ->
                            B = atom_to_binary(N, utf8),
                            {byte_size(Acc), <<Acc/binary, B/binary, 0>>}
                    end, <<>>, Pds ++ Regions ++ Chans),
    {PdOffs, Rest} = lists:split(length(Pds), Offs),
    {RegOffs, ChOffs} = lists:split(length(Regions), Rest),
    {Acc, PdOffs, RegOffs, ChOffs}.

%% Each binary at the next 4-byte aligned offset; an empty one at offset 0.
place(Bins, Start) ->
    lists:mapfoldl(fun(<<>>, Off) -> {0, Off};
                      (B, Off) -> {Off, align4(Off + byte_size(B))}
                   end, Start, Bins).

u32s(L) -> << <<X:32/little>> || X <- L >>.
align4(N) -> (N + 3) band (bnot 3).
pad(N) -> binary:copy(<<0>>, align4(N) - N).

region_flags(R) ->
    kind_flag(R) bor case R of
                         #{deflate := true} -> ?FB_REGION_DEFLATE;   % fb_compress
                         _ -> 0
                     end.

kind_flag(#{device := true}) -> ?FB_REGION_DEVICE;
kind_flag(#{rest := true}) -> ?FB_REGION_REST;
kind_flag(#{dma := true}) -> ?FB_REGION_DMA;
kind_flag(_) -> 0.
