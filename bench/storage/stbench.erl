%% stbench: the Erlang side of bench/storage (README.md there), the same
%% module on freebeam and on the Linux+BEAM peer.  It works on /data (ext4
%% on a virtio-blk disk on both) and prints one line per measurement, then
%% halts (status 0 only if every step worked and read back what it wrote):
%%   STB meter=pmu|busy overhead_insns=N
%%   STB fsync_write_4k n=64 insns=I ns=T
%%   STB seq_write bytes=16777216 insns=I ns=T
%%   STB seq_read bytes=16777216 insns=I ns=T cache=dropped|none
%%   STB dets_insert n=1000 insns=I insert_insns=I1 sync_insns=I2 ns=T
%% Instructions are those of the whole machine in the window (kernel, every
%% PD or thread, driver work), less the cost of one meter read:
%%   freebeam: PMU counter 0, read by the meter PD of bench/channels
%%             (chmeter.c) over the channel `meter`;
%%   Linux:    busy time of cpu 0 from /proc/timer_list, now - idle_sleeptime
%%             - iowait_sleeptime: under -icount shift=0 a busy ns is one
%%             instruction, and the time the CPU waits idle is left out.
%% ns is guest time (os:perf_counter), which includes waits for the disk.
%% On freebeam the application's start (start/2) runs main/0; on Linux
%% `erl -s stbench main`.
-module(stbench).
-behaviour(application).
-export([main/0, start/2, stop/1]).

-define(DIR, "/data").
-define(FSYNC_N, 64).
-define(SEQ_BYTES, 16 * 1024 * 1024).
-define(PIECE, 65536).
-define(DETS_N, 1000).

%% The application's process runs main/0 once the boot has ended.
start(_Type, _Args) ->
    {ok, spawn(fun() -> started(), main() end)}.

stop(_State) -> ok.

main() ->
    try
        M = meter(),
        io:format("STB meter=~s overhead_insns=~b~n", [meter_kind(M), overhead(M)]),
        fsync_write(M),
        seq_write(M),
        seq_read(M),
        dets_insert(M),
        io:format("STB done~n"),
        halt(0)
    catch
        Class:Reason:Stack ->
            io:format("STB FAIL ~p:~p ~p~n", [Class, Reason, Stack]),
            halt(1)
    end.

%% ---- the measurements ----

%% 4 KiB appended, then file:sync (fsync), ?FSYNC_N times (after 4 unmeasured).
fsync_write(M) ->
    {ok, Fd} = file:open(?DIR ++ "/fsync.dat", [raw, binary, write]),
    Block = pattern(4096),
    Step = fun(0, _) -> ok; (N, Self) -> ok = file:write(Fd, Block), ok = file:sync(Fd), Self(N - 1, Self) end,
    Step(4, Step),
    {I, Ns, ok} = window(M, fun() -> Step(?FSYNC_N, Step) end),
    ok = file:close(Fd),
    Size = (4 + ?FSYNC_N) * 4096,
    {ok, Size} = file_size(?DIR ++ "/fsync.dat"),
    io:format("STB fsync_write_4k n=~b insns=~b ns=~b~n", [?FSYNC_N, I, Ns]).

%% Open (new file), ?SEQ_BYTES in pieces of 64 KiB, file:sync, close.
seq_write(M) ->
    Piece = pattern(?PIECE),
    {I, Ns, ok} = window(M, fun() ->
        {ok, Fd} = file:open(?DIR ++ "/seq.dat", [raw, binary, write]),
        ok = write_pieces(Fd, Piece, ?SEQ_BYTES div ?PIECE),
        ok = file:sync(Fd),
        file:close(Fd)
    end),
    io:format("STB seq_write bytes=~b insns=~b ns=~b~n", [?SEQ_BYTES, I, Ns]).

%% The file of seq_write/1 read back in pieces of 64 KiB after a fresh open,
%% and checked.  On Linux the page cache still holds the file just written:
%% it is dropped first (/proc/sys/vm/drop_caches, before the window), so
%% that both systems read from the disk.  freebeam has no page cache.
seq_read(M) ->
    Cache = drop_caches(),
    {I, Ns, {Bytes, Crc}} = window(M, fun() ->
        {ok, Fd} = file:open(?DIR ++ "/seq.dat", [raw, binary, read]),
        R = read_pieces(Fd, 0, erlang:crc32(<<>>)),
        ok = file:close(Fd),
        R
    end),
    Piece = pattern(?PIECE),
    Want = lists:foldl(fun(_, C) -> erlang:crc32(C, Piece) end, erlang:crc32(<<>>),
                       lists:seq(1, ?SEQ_BYTES div ?PIECE)),
    {?SEQ_BYTES, Want} = {Bytes, Crc},
    io:format("STB seq_read bytes=~b insns=~b ns=~b cache=~s~n", [Bytes, I, Ns, Cache]).

%% ?DETS_N inserts of {Key, 100-byte binary} into a new set table, then
%% dets:sync/1 (DETS keeps inserts in its own cache until then), all in one
%% window; a meter read between the two gives the split.
dets_insert(M) ->
    File = ?DIR ++ "/stb.dets",
    {ok, T} = dets:open_file(stb, [{file, File}, {type, set}]),
    Val = pattern(100),
    O = overhead(M),
    A = read_meter(M), T0 = os:perf_counter(nanosecond),
    lists:foreach(fun(K) -> ok = dets:insert(T, {K, Val}) end, lists:seq(1, ?DETS_N)),
    B = read_meter(M),
    ok = dets:sync(T),
    T1 = os:perf_counter(nanosecond), C = read_meter(M),
    ?DETS_N = dets:info(T, size),
    [{7, Val}] = dets:lookup(T, 7),
    ok = dets:close(T),
    Ins = insns(M, A, B) - O, Sync = insns(M, B, C) - O,
    io:format("STB dets_insert n=~b insns=~b insert_insns=~b sync_insns=~b ns=~b~n",
              [?DETS_N, Ins + Sync, Ins, Sync, T1 - T0]).

started() ->
    case init:get_status() of
        {started, _} -> ok;
        _ -> timer:sleep(10), started()
    end.

write_pieces(_Fd, _Piece, 0) -> ok;
write_pieces(Fd, Piece, N) -> ok = file:write(Fd, Piece), write_pieces(Fd, Piece, N - 1).

read_pieces(Fd, Bytes, Crc) ->
    case file:read(Fd, ?PIECE) of
        {ok, Bin} -> read_pieces(Fd, Bytes + byte_size(Bin), erlang:crc32(Crc, Bin));
        eof -> {Bytes, Crc}
    end.

pattern(N) -> << <<(X * 7 + 3):8>> || X <- lists:seq(1, N) >>.

file_size(F) ->
    case file:read_file_info(F) of
        {ok, Info} -> {ok, element(2, Info)};
        E -> E
    end.

drop_caches() ->
    case file:write_file("/proc/sys/vm/drop_caches", <<"3\n">>) of
        ok -> "dropped";
        {error, enoent} -> "none"
    end.

%% ---- the meter ----

%% {Instructions less one meter read, guest ns, Fun's result}.  On Linux
%% also the disk's request counts in the window, from /sys/block/vda/stat
%% (read outside it), as a line `STB linux_vda ...`.
window(M, Fun) ->
    O = overhead(M),
    D0 = vda_stat(),
    A = read_meter(M), T0 = os:perf_counter(nanosecond),
    R = Fun(),
    T1 = os:perf_counter(nanosecond), B = read_meter(M),
    vda_delta(D0, vda_stat()),
    {insns(M, A, B) - O, T1 - T0, R}.

vda_stat() ->
    case file:read_file("/sys/block/vda/stat") of
        {ok, Bin} -> [binary_to_integer(F) || F <- string:lexemes(Bin, " \n")];
        {error, _} -> none
    end.

%% Fields 1, 3, 5, 7 and 16 of the stat file: read requests, sectors read,
%% write requests, sectors written, flushes.
vda_delta(none, _) -> ok;
vda_delta(A, B) ->
    D = fun(I) -> lists:nth(I, B) - lists:nth(I, A) end,
    io:format("STB linux_vda reads=~b read_sectors=~b writes=~b write_sectors=~b flushes=~b~n",
              [D(1), D(3), D(5), D(7), D(16)]).

meter() ->
    case filelib:is_regular("/proc/timer_list") of
        true -> busy;
        false -> {ok, Ch} = freebeam_channel:open(meter), {pmu, Ch}
    end.

meter_kind(busy) -> "busy";
meter_kind({pmu, _}) -> "pmu".

%% What one read costs: two reads back to back (the lowest of 5 tries).
overhead(M) ->
    lists:min([begin A = read_meter(M), B = read_meter(M), insns(M, A, B) end || _ <- lists:seq(1, 5)]).

%% A raw reading; insns/3 turns two of them into a count.  The Linux file
%% is parsed only then, so the parse is outside the window.
read_meter(busy) ->
    {ok, Bin} = file:read_file("/proc/timer_list"),
    Bin;
read_meter({pmu, Ch}) ->
    ok = freebeam_channel:send(Ch, <<"pmu">>),
    receive {freebeam_channel, Ch, <<V:32/little>>} -> V
    after 5000 -> error(no_pmu_reply)
    end.

insns({pmu, _}, A, B) -> (B - A) band 16#ffffffff;
insns(busy, A, B) -> busy_ns(B) - busy_ns(A).

busy_ns(Bin) ->
    [Now] = field(Bin, "now at ([0-9]+) nsecs"),
    [Idle] = field(Bin, "idle_sleeptime\\s*:\\s*([0-9]+) nsecs"),
    [IoWait] = field(Bin, "iowait_sleeptime\\s*:\\s*([0-9]+) nsecs"),
    Now - Idle - IoWait.

field(Bin, Re) ->
    {match, L} = re:run(Bin, Re, [{capture, all_but_first, list}]),
    [list_to_integer(X) || X <- L].
