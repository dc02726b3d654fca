%% fb_sysdesc - check a system description (the terms of systems/NAME.config)
%% and turn it into the maps the blob encoder uses.  Every refusal names the
%% file, the line, the term and one short reason.  ELF files are checked
%% elsewhere (fb_pdfiles); the only other files this module reads are the
%% regions' initial contents ({file, Name}), through the reader it is given.
-module(fb_sysdesc).
-export([check/2, check/3, fail/3, hex/1, at/2]).
-include("fb_abi.hrl").

-define(RIGHTS, [{poweroff, ?FB_RIGHT_POWEROFF}, {pd_control, ?FB_RIGHT_PD_CONTROL}]).

%% check(File, [{Term, Line | Ctx}][, Read]) -> {ok, Sys} | {error, Message}
%% Ctx = #{file, line, via}: where an included term comes from (fb_include).
%% Sys = #{pds, regions, maps, channels, irqs}: lists in file order; PDs and
%% regions are referred to by index (their position among their kind).
%% Read(Ctx, Name) -> {Path, Binary} finds and reads a region's file (it
%% refuses through fail/3); check/2 looks only in the description's directory.
check(File, Terms) ->
    check(File, Terms, fb_pdfiles:reader(File, [])).

check(File, Terms, Read) ->
    try
        Items = [shape((maps:merge(#{file => File, via => []}, where(L)))#{term => T, read => Read}, T)
                 || {T, L} <- Terms],
        {ok, link(File, Items)}
    catch
        throw:{fb_error, Msg} -> {error, Msg}
    end.

where(L) when is_integer(L) -> #{line => L};
where(Ctx) -> Ctx.

%% A refusal: FILE:LINE: TERM: reason, and for a term of an included file
%% the chain of includes that brought it.
fail(C = #{file := F, line := L, term := T}, Fmt, Args) ->
    Via = case maps:get(via, C, []) of
              [] -> [];
              Chain -> [" (included from ", lists:join(", from ", [io_lib:format("~ts:~b", [VF, VL])
                                                                  || {VF, VL} <- Chain]), ")"]
          end,
    throw({fb_error, [io_lib:format("~ts:~b: ~ts: " ++ Fmt, [F, L, brief(T) | Args]), Via]}).

%% The term as the message shows it: option lists elided, e.g. {pd,ping,[...]}.
brief(T) when is_tuple(T) ->
    ["{", lists:join(",", [case E of
                               [_ | _] -> "[...]";
                               _ -> io_lib:format("~0P", [E, 4])
                           end || E <- tuple_to_list(T)]), "}"];
brief(T) -> io_lib:format("~0P", [T, 5]).

hex(N) -> io_lib:format("16#~.16B", [N]).

%% Where the term There is, said from the term Here: "line N" in the same
%% file, "FILE:N" in another (an included one).
at(#{file := F}, #{file := F, line := L}) -> io_lib:format("line ~b", [L]);
at(_, #{file := F, line := L}) -> io_lib:format("~ts:~b", [F, L]).

%% ---- pass 1: each term on its own ----

shape(C, {pd, Name, Opts}) ->
    name(C, Name),
    O = options(C, Opts, [elf, priority, stack, max_threads, monitor, rights, args, env]),
    Elf = required(C, O, elf),
    is_list(Elf) andalso Elf =/= [] andalso io_lib:printable_unicode_list(Elf)
        orelse fail(C, "elf must be a non-empty string", []),
    Prio = int(C, priority, required(C, O, priority), 0, ?FB_MAX_PRIO),
    Stack = int(C, stack, maps:get(stack, O, 16384), 1, ?FB_STACK_RESERVE - ?FB_PAGE),
    Stack rem ?FB_PAGE =:= 0 orelse fail(C, "stack ~b is not a multiple of 4096", [Stack]),
    Threads = int(C, max_threads, maps:get(max_threads, O, 1), 1, ?FB_MAX_THREADS_PD),
    Mon = maps:get(monitor, O, {}),                  % {}: none (any atom may name a pd)
    Mon =:= {} orelse is_atom(Mon) orelse fail(C, "monitor must be a pd name", []),
    Mon =/= Name orelse fail(C, "pd ~p cannot monitor itself", [Name]),
    {pd, C#{name => Name, elf => Elf, priority => Prio, stack => Stack,
            max_threads => Threads, monitor => Mon, rights => rights(C, maps:get(rights, O, [])),
            args_bin => args_block(C, O)}};
shape(C, {region, Name, Opts}) ->
    name(C, Name),
    O = options(C, Opts, [size, paddr, file, dma]),
    Dma = maps:get(dma, O, false),
    is_boolean(Dma) orelse fail(C, "dma must be true or false", []),
    case maps:find(size, O) of
        {ok, rest} ->
            %% The rest of RAM: sized by the kernel at boot (docs/system-description.md).
            maps:is_key(paddr, O) andalso fail(C, "size rest is RAM: it cannot have a paddr", []),
            maps:is_key(file, O) andalso fail(C, "size rest cannot have initial contents (file)", []);
        {ok, S} ->
            is_integer(S) orelse fail(C, "size must be an integer or rest", []),
            int(C, size, S, 1, ?FB_USER_TOP),
            S rem ?FB_PAGE =:= 0 orelse fail(C, "size ~b is not a multiple of 4096", [S]);
        error ->
            maps:is_key(file, O) orelse fail(C, "option size is required (or file)", [])
    end,
    case maps:find(paddr, O) of
        error when map_get(size, O) =:= rest ->
            %% The kernel gives it all the RAM left, at least one page.
            {region, C#{name => Name, size => ?FB_PAGE, paddr => 0, device => false, data => <<>>,
                        rest => true}};
        error ->
            {Size, Data} = region_file(C, O),
            {region, C#{name => Name, size => Size, paddr => 0, device => false, data => Data,
                        dma => Dma}};
        {ok, P} ->
            maps:is_key(file, O) andalso
                fail(C, "a device region (paddr) cannot have initial contents (file)", []),
            Dma andalso fail(C, "a device region (paddr) cannot be a DMA region (dma): DMA memory is RAM", []),
            Size = required(C, O, size),
            is_integer(P) orelse fail(C, "paddr must be an integer", []),
            P rem ?FB_PAGE =:= 0 orelse fail(C, "paddr ~s is not page aligned", [hex(P)]),
            P > 0 orelse fail(C, "paddr must be above 0", []),
            P + Size =< ?FB_RAM_BASE orelse
                fail(C, "paddr ~s: device memory must lie below RAM (16#40000000)", [hex(P)]),
            {region, C#{name => Name, size => Size, paddr => P, device => true, data => <<>>}}
    end;
shape(C, {map, Pd, Region, Opts}) ->
    name(C, Pd), name(C, Region),
    O = options(C, Opts, [vaddr, perms]),
    V = required(C, O, vaddr),
    is_integer(V) orelse fail(C, "vaddr must be an integer", []),
    V rem ?FB_PAGE =:= 0 orelse fail(C, "vaddr ~s is not page aligned", [hex(V)]),
    V >= ?FB_USER_BASE andalso V < ?FB_MAP_TOP orelse
        fail(C, "vaddr ~s is outside ~s..~s", [hex(V), hex(?FB_USER_BASE), hex(?FB_MAP_TOP)]),
    {map, C#{pd => Pd, region => Region, vaddr => V, perms => perms(C, required(C, O, perms))}};
shape(C, {channel, A, B}) ->
    channel(C, {}, A, B, []);
shape(C, {channel, Name, A, B}) ->
    name(C, Name),
    channel(C, Name, A, B, []);
shape(C, {channel, Name, A, B, Opts}) ->
    name(C, Name),
    channel(C, Name, A, B, Opts);
shape(C, {irq, N, End}) ->
    shape(C, {irq, N, End, []});
shape(C, {irq, N, End, Opts}) ->
    int(C, irq, N, 32, 1019),
    E = chan_end(C, End),
    Edge = case Opts of
               [] -> false;
               [level] -> false;
               [edge] -> true;
               _ -> fail(C, "trigger must be [edge] or [level]", [])
           end,
    {irq, C#{irq => N, ends => [E], edge => Edge}};
shape(C, T) when is_tuple(T), tuple_size(T) > 0 ->
    case element(1, T) of
        K when K =:= pd; K =:= region -> fail(C, "expected {~p, Name, Options}", [K]);
        map -> fail(C, "expected {map, Pd, Region, Options}", []);
        channel -> fail(C, "expected {channel, [Name,] {Pd, Id}, {Pd, Id}} or "
                        "{channel, Name, {Pd, Id}, {Pd, Id}, [{queue, Region, Options}]}", []);
        irq -> fail(C, "expected {irq, Number, {Pd, Id}} or {irq, Number, {Pd, Id}, [edge|level]}", []);
        K -> fail(C, "unknown term kind ~p", [K])
    end;
shape(C, _) ->
    fail(C, "unknown term kind", []).

%% A channel: its ends, its name ({}: unnamed; any atom may name one) and its queue pair (none,
%% or {Region, Depth, Slot}; pass 2 checks the region).
channel(C, Name, A, B, Opts) ->
    {Pa, _} = EA = chan_end(C, A),
    {Pb, _} = EB = chan_end(C, B),
    Pa =/= Pb orelse fail(C, "both ends are in pd ~p", [Pa]),
    Queue = case Opts of
                [] -> none;
                [{queue, Region, QOpts}] -> queue(C, Region, QOpts);
                _ -> fail(C, "channel options must be [] or [{queue, Region, [{depth, D}, {slot, Bytes}]}]", [])
            end,
    {channel, C#{ends => [EA, EB], name => Name, queue => Queue}}.

queue(C, Region, QOpts) ->
    name(C, Region),
    O = options(C, QOpts, [depth, slot]),
    D = int(C, "queue depth", required(C, O, depth), 1, ?FB_QUEUE_MAX_DEPTH),
    D band (D - 1) =:= 0 orelse fail(C, "queue depth ~b is not a power of two", [D]),
    S = int(C, "queue slot", required(C, O, slot), 8, ?FB_QUEUE_MAX_SLOT),
    S rem 8 =:= 0 orelse fail(C, "queue slot ~b is not a multiple of 8", [S]),
    {Region, D, S}.

%% Names end up in the kernel's one-line console messages: printable ASCII,
%% short enough for every PD's info area (kapi.h).
name(C, N) when is_atom(N) ->
    S = atom_to_list(N),
    S =/= [] andalso lists:all(fun(Ch) -> Ch >= 16#20 andalso Ch =< 16#7e end, S) orelse
        fail(C, "name ~0p must be non-empty printable ASCII", [N]),
    length(S) =< ?FB_MAX_NAME orelse
        fail(C, "name ~0p is longer than ~b characters", [N, ?FB_MAX_NAME]);
name(C, N) -> fail(C, "name ~0p must be an atom", [N]).

%% The PD's argv and environment as the blob holds them: each argument
%% NUL-terminated, one empty string, each KEY=value NUL-terminated, all in
%% UTF-8.  Neither given (or both empty): no block at all.
args_block(C, O) ->
    Args = strings(C, args, maps:get(args, O, [])),
    Env = strings(C, env, maps:get(env, O, [])),
    [fail(C, "args: argument ~b is empty (an empty string would end argv)", [I])
     || {I, []} <- lists:zip(lists:seq(0, length(Args) - 1), Args)],
    [case string:split(E, "=") of
         [[_ | _], _] -> ok;
         _ -> fail(C, "env: ~0tp is not KEY=value with a non-empty KEY", [E])
     end || E <- Env],
    case {Args, Env} of
        {[], []} -> <<>>;
        _ ->
            B = iolist_to_binary([[unicode:characters_to_binary(A), 0] || A <- Args] ++ [0] ++
                                 [[unicode:characters_to_binary(E), 0] || E <- Env]),
            byte_size(B) =< ?FB_MAX_ARGS_BYTES orelse
                fail(C, "args and env take ~b bytes, more than ~b (FB_MAX_ARGS_BYTES)",
                     [byte_size(B), ?FB_MAX_ARGS_BYTES]),
            B
    end.

%% A list of strings of printable characters: no NUL, no control character.
strings(C, What, L) ->
    proper_list(L) andalso lists:all(fun proper_list/1, L) orelse
        fail(C, "~p must be a list of strings", [What]),
    [io_lib:printable_unicode_list(S) andalso lists:all(fun(Ch) -> Ch >= 16#20 andalso Ch =/= 16#7f end, S)
         orelse fail(C, "~p: ~0tp is not a string of printable characters", [What, S])
     || S <- L],
    L.

proper_list(L) when is_list(L) ->
    try length(L) of _ -> true catch error:badarg -> false end;
proper_list(_) -> false.

%% {Size, Data} of a RAM region: Data is the file's contents (<<>> without a
%% file); without a size option the size is the file's, rounded up to a page.
region_file(C, O) ->
    case maps:find(file, O) of
        error -> {maps:get(size, O), <<>>};
        {ok, F} ->
            is_list(F) andalso F =/= [] andalso io_lib:printable_unicode_list(F)
                orelse fail(C, "file must be a non-empty string", []),
            {Path, Bin} = (maps:get(read, C))(C, F),
            N = byte_size(Bin),
            case maps:find(size, O) of
                {ok, Size} ->
                    N =< Size orelse
                        fail(C, "~ts: file of ~b bytes does not fit in a region of ~b bytes",
                             [Path, N, Size]),
                    {Size, Bin};
                error ->
                    N > 0 orelse fail(C, "~ts: file is empty: give the region a size", [Path]),
                    Size = (N + ?FB_PAGE - 1) div ?FB_PAGE * ?FB_PAGE,
                    Size =< ?FB_USER_TOP orelse
                        fail(C, "~ts: file of ~b bytes is larger than a region may be (~b bytes)",
                             [Path, N, ?FB_USER_TOP]),
                    {Size, Bin}
            end
    end.

options(C, Opts, Allowed) ->
    is_list(Opts) orelse fail(C, "options must be a list", []),
    lists:foldl(
      fun({K, V}, Acc) when is_atom(K) ->
              lists:member(K, Allowed) orelse fail(C, "unknown option ~p", [K]),
              maps:is_key(K, Acc) andalso fail(C, "option ~p given twice", [K]),
              Acc#{K => V};
         (X, _) -> fail(C, "bad option ~0P", [X, 4])
      end, #{}, Opts).

required(C, O, K) ->
    case maps:find(K, O) of
        {ok, V} -> V;
        error -> fail(C, "option ~p is required", [K])
    end.

int(C, What, V, Lo, Hi) ->
    is_integer(V) orelse fail(C, "~s must be an integer", [What]),
    V >= Lo andalso V =< Hi orelse fail(C, "~s ~b is outside ~b..~b", [What, V, Lo, Hi]),
    V.

rights(C, L) ->
    is_list(L) orelse fail(C, "rights must be a list", []),
    lists:foldl(fun(R, Acc) ->
                        case lists:keyfind(R, 1, ?RIGHTS) of
                            {R, Bit} -> Acc bor Bit;
                            false -> fail(C, "unknown right ~0p (known: poweroff, pd_control)", [R])
                        end
                end, 0, L).

perms(_C, r) -> ?FB_PERM_R;
perms(_C, rw) -> ?FB_PERM_R bor ?FB_PERM_W;
perms(_C, rx) -> ?FB_PERM_R bor ?FB_PERM_X;
perms(C, P) when is_atom(P) ->
    S = atom_to_list(P),
    lists:member($w, S) andalso lists:member($x, S) andalso
        fail(C, "perms ~p: a mapping cannot be writable and executable", [P]),
    fail(C, "perms ~p: must be r, rw or rx", [P]);
perms(C, P) -> fail(C, "perms ~0p: must be r, rw or rx", [P]).

chan_end(C, {Pd, Id}) when is_atom(Pd) ->
    int(C, "channel id", Id, 0, ?FB_MAX_CHANNELS - 1),
    {Pd, Id};
chan_end(C, E) -> fail(C, "~0P is not {Pd, Id}", [E, 3]).

%% ---- pass 2: names, limits and everything that relates terms ----

link(File, Items) ->
    Pds = [X || {pd, X} <- Items],
    Regions = same_devices([X || {region, X} <- Items]),
    Maps = [X || {map, X} <- Items],
    Links = [X || {K, X} <- Items, K =:= channel orelse K =:= irq],
    limit(pd, Pds, ?FB_MAX_PDS),
    limit(region, Regions, ?FB_MAX_REGIONS),
    limit(map, Maps, ?FB_MAX_MAPS),
    limit(channel, [X || {channel, X} <- Items], ?FB_MAX_CHANNELS_SYS),
    limit(irq, [X || {irq, X} <- Items], ?FB_MAX_IRQS),
    case [X || X = #{rest := true} <- Regions] of
        [_, Second | _] -> fail(Second, "a second region of size rest: at most one takes the rest of RAM", []);
        _ -> ok
    end,
    Pds =/= [] orelse throw({fb_error, io_lib:format("~ts: no pd term: a system needs at least one pd", [File])}),
    PdIx = index(pd, Pds),
    RegIx = index(region, Regions),
    Pds1 = [P#{monitor := monitor_ix(P, PdIx)} || P <- Pds],
    no_monitor_cycle(Pds1),
    Maps1 = maps_(Maps, PdIx, RegIx),
    {Chans, Irqs} = links(Links, PdIx),
    index(channel, [X || X = #{name := N} <- Chans, N =/= {}]),
    Chans1 = queues(Chans, RegIx, Maps1),
    #{pds => Pds1, regions => Regions, maps => Maps1, channels => Chans1, irqs => Irqs}.

%% A device region (paddr) declared again with the same name, size and
%% paddr is the same device window, not a second region: description
%% fragments that each bring a driver of the same bus (beam/shell.config
%% and beam/net.config both map QEMU's virtio-mmio slots) can be joined.
%% Any other repeated name stays, for index/2 to refuse.
same_devices(Regions) ->
    Same = fun(#{device := true, size := S, paddr := P}, #{device := true, size := S, paddr := P}) -> true;
              (_, _) -> false
           end,
    lists:reverse(lists:foldl(
                    fun(R = #{name := N}, Acc) ->
                            case [F || F = #{name := FN} <- Acc, FN =:= N] of
                                [First] -> case Same(First, R) of true -> Acc; false -> [R | Acc] end;
                                _ -> [R | Acc]
                            end
                    end, [], Regions)).

limit(Kind, Xs, Max) when length(Xs) > Max ->
    fail(lists:nth(Max + 1, Xs), "more than ~b ~p terms", [Max, Kind]);
limit(_, _, _) -> ok.

%% Name -> index, refusing a name given twice.
index(Kind, Xs) ->
    {Ix, _} = lists:foldl(
                fun(X = #{name := N}, {M, I}) ->
                        case maps:find(N, M) of
                            {ok, {_, First}} ->
                                fail(X, "duplicate ~p name ~p (first at ~ts)", [Kind, N, at(X, First)]);
                            error -> {M#{N => {I, X}}, I + 1}
                        end
                end, {#{}, 0}, Xs),
    Ix.

lookup(C, Kind, Name, Ix) ->
    case maps:find(Name, Ix) of
        {ok, {I, X}} -> {I, X};
        error -> fail(C, "unknown ~p ~p", [Kind, Name])
    end.

monitor_ix(#{monitor := {}}, _) -> ?FB_NO_PD;
monitor_ix(P = #{monitor := M}, PdIx) -> element(1, lookup(P, pd, M, PdIx)).

no_monitor_cycle(Pds) ->
    T = list_to_tuple([M || #{monitor := M} <- Pds]),
    lists:foldl(fun(P, I) -> walk(P, T, element(I + 1, T), [I]), I + 1 end, 0, Pds).

walk(_, _, ?FB_NO_PD, _) -> ok;
walk(P, T, M, Seen) ->
    lists:member(M, Seen) andalso fail(P, "monitor cycle (pd ~p monitors itself through others)",
                                       [maps:get(name, P)]),
    walk(P, T, element(M + 1, T), [M | Seen]).

maps_(Maps, PdIx, RegIx) ->
    {Out, _} = lists:mapfoldl(
                 fun(M = #{pd := PdN, region := RN, vaddr := V, perms := Perms}, Seen) ->
                         {Pd, _} = lookup(M, pd, PdN, PdIx),
                         {R, #{size := Size, device := Dev}} = lookup(M, region, RN, RegIx),
                         Dev andalso Perms band ?FB_PERM_X =/= 0 andalso
                             fail(M, "device region ~p cannot be mapped rx", [RN]),
                         V + Size =< ?FB_MAP_TOP orelse
                             fail(M, "end ~s runs into the stack reserve at ~s",
                                  [hex(V + Size), hex(?FB_MAP_TOP)]),
                         [fail(M, "overlaps the map of ~p at ~s (~ts)", [ORN, hex(OV), at(M, O)])
                          || O = #{pd := OPd, vaddr := OV, size := OS, region_name := ORN} <- Seen,
                             OPd =:= Pd, V < OV + OS, OV < V + Size],
                         M1 = M#{pd := Pd, region := R, size => Size, region_name => RN},
                         {M1, [M1 | Seen]}
                 end, [], Maps),
    Out.

%% Channels and irqs share each PD's channel ids, so check them in file order.
links(Links, PdIx) ->
    {Out, _} = lists:mapfoldl(
                 fun(X = #{ends := Ends}, {Ids, Irqs}) ->
                         Ends1 = [{element(1, lookup(X, pd, P, PdIx)), Id} || {P, Id} <- Ends],
                         Ids1 = lists:foldl(
                                  fun({{P, Id}, {I, _}}, Acc) ->
                                          case maps:find({I, Id}, Acc) of
                                              {ok, L} -> fail(X, "pd ~p channel id ~b already used (~ts)",
                                                              [P, Id, at(X, L)]);
                                              error -> Acc#{{I, Id} => X}
                                          end
                                  end, Ids, lists:zip(Ends, Ends1)),
                         Irqs1 = case X of
                                     #{irq := N} ->
                                         case maps:find(N, Irqs) of
                                             {ok, L} -> fail(X, "irq ~b already claimed (~ts)", [N, at(X, L)]);
                                             error -> Irqs#{N => X}
                                         end;
                                     _ -> Irqs
                                 end,
                         {X#{ends := Ends1, end_names => Ends}, {Ids1, Irqs1}}
                 end, {#{}, #{}}, Links),
    {[X || X <- Out, not maps:is_key(irq, X)], [X || X <- Out, maps:is_key(irq, X)]}.

%% Each queue: a RAM region no other channel's queue uses, halves big enough
%% for depth and slot, mapped exactly once read-write by each end.  Becomes
%% {RegionIndex, Depth, Slot}.
queues(Chans, RegIx, Maps) ->
    {Out, _} = lists:mapfoldl(
                 fun(X = #{queue := none}, Used) -> {X, Used};
                    (X = #{queue := {RN, D, S}, ends := Ends}, Used) ->
                         {R, #{size := Size, device := Dev}} = lookup(X, region, RN, RegIx),
                         Dev andalso fail(X, "queue region ~p is device memory", [RN]),
                         maps:get(rest, element(2, lookup(X, region, RN, RegIx)), false) andalso
                             fail(X, "queue region ~p has size rest: a queue needs a fixed size", [RN]),
                         case maps:find(R, Used) of
                             {ok, L} -> fail(X, "queue region ~p already carries a queue (~ts)", [RN, at(X, L)]);
                             error -> ok
                         end,
                         Need = ?FB_QUEUE_HEAD_BYTES + D * (?FB_QUEUE_DESC_BYTES + S),
                         Size div 2 >= Need orelse
                             fail(X, "queue region ~p: a half of ~b bytes is less than the ~b that "
                                  "depth ~b and slot ~b need", [RN, Size div 2, Need, D, S]),
                         [queue_map(X, Pd, PdName, R, RN, Maps)
                          || {{Pd, _}, {PdName, _}} <- lists:zip(Ends, maps:get(end_names, X))],
                         {X#{queue := {R, D, S}}, Used#{R => X}}
                 end, #{}, Chans),
    Out.

queue_map(X, Pd, PdName, R, RN, Maps) ->
    case [P || #{pd := MPd, region := MR, perms := P} <- Maps, MPd =:= Pd, MR =:= R] of
        [P] -> P band ?FB_PERM_W =/= 0 orelse
                   fail(X, "pd ~p maps queue region ~p read-only", [PdName, RN]);
        L -> fail(X, "pd ~p maps queue region ~p ~b times, not exactly once", [PdName, RN, length(L)])
    end.

