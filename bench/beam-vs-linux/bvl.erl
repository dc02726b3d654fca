%% bvl: the Erlang side of bench/beam-vs-linux (README.md there).
%%
%% up/0   the boot figure: the first line Erlang prints, with the guest's
%%        CLOCK_MONOTONIC in ns (os:perf_counter/1: erts reads
%%        clock_gettime(CLOCK_MONOTONIC) for it on both systems), then halt.
%% shell/0 the same line once the Erlang shell asks for its first line of
%%        input (its prompt), in the shell image (beam/shell.config with
%%        -s bvl shell: what a user of `make run` waits for), then halt.
%% ring/0 the workload of ../shared/peer/guest/peer_ring.erl: the same
%%        peer_ring:run/2 and peer_ring:fib/1, the same output lines.  Its
%%        main/0 cannot run on freebeam only because it reads
%%        /proc/timer_list, which freebeam has no need for.
%% idle/0 BEAM_UP, then an idle BEAM: timer:sleep/1 for IDLE_MS (default
%%        30000) ms of guest time, then halt.
%% bin/0  one binary of BVL_BIN_MB million bytes (every byte written), then
%%        BIN_OK and halt; when it does not fit, erts dies instead (run.sh
%%        bisects the size across boots for max_binary_mb).
-module(bvl).
-export([up/0, shell/0, ring/0, idle/0, bin/0]).

up() ->
    %% Both clocks read before anything is printed: the first io:format
    %% loads the formatting modules (some 14 ms of the boot here), which
    %% BEAM_VM_ELAPSED_US used to include and BEAM_UP did not.
    Up = os:perf_counter(nanosecond),
    %% The same split as the peer's BEAM_VM_ELAPSED_US: erts's start_time
    %% (set early in erts's init) to now.
    Elapsed = erlang:convert_time_unit(erlang:monotonic_time() - erlang:system_info(start_time),
                                       native, microsecond),
    io:format("BEAM_UP ~p~n", [Up]),
    io:format("BEAM_VM_ELAPSED_US ~p~n", [Elapsed]),
    halt(0).

%% The shell's reader waits in io:execute_request/3 for the line it asked
%% for; nothing else waits there at boot.  Looked for every millisecond.
shell() ->
    Reading = [P || P <- processes(),
                    process_info(P, current_function) =:= {current_function, {io, execute_request, 3}}],
    case Reading of
        [] -> receive after 1 -> shell() end;
        _ -> up()
    end.

ring() ->
    io:format("BEAM_UP ~p~n", [os:perf_counter(nanosecond)]),
    N = 10000, Hops = 100000,
    [begin
         {TSpawn, TRing} = peer_ring:run(N, Hops),
         io:format("RING iter=~p procs=~p hops=~p spawn_us=~p ring_us=~p~n",
                   [I, N, Hops, TSpawn, TRing])
     end || I <- [1, 2, 3]],
    {TFib, F} = timer:tc(peer_ring, fib, [24]),
    io:format("FIB n=24 result=~p us=~p~n", [F, TFib]),
    io:format("ERLANG_MEMORY_TOTAL ~p~nPROCESS_COUNT ~p~n",
              [erlang:memory(total), erlang:system_info(process_count)]),
    ok.

idle() ->
    io:format("BEAM_UP ~p~n", [os:perf_counter(nanosecond)]),
    Ms = case os:getenv("IDLE_MS") of
             false -> 30000;
             S -> list_to_integer(S)
         end,
    %% On Linux, the window's busy time from /proc/timer_list (README.md):
    %% three raw reads, parsed only after the window.  Two back to back
    %% (what the reads themselves cost), then one after the sleep.
    TL = "/proc/timer_list",
    case filelib:is_regular(TL) of
        true ->
            {ok, A} = file:read_file(TL),
            {ok, B} = file:read_file(TL),
            timer:sleep(Ms),
            {ok, C} = file:read_file(TL),
            [io:format("TIMER_LIST read=~p now_ns=~p idle_sleeptime_ns=~p~n", [I | tl_times(X)])
             || {I, X} <- [{1, A}, {2, B}, {3, C}]];
        false ->
            timer:sleep(Ms)
    end,
    io:format("IDLE_DONE ~p~n", [os:perf_counter(nanosecond)]),
    halt(0).

bin() ->
    Mb = list_to_integer(os:getenv("BVL_BIN_MB")),
    B = binary:copy(<<0>>, Mb * 1000000),
    io:format("BIN_OK ~b ~b~n", [Mb, byte_size(B)]),
    halt(0).

%% [now, idle_sleeptime of cpu 0] in ns from /proc/timer_list.
tl_times(Bin) ->
    {match, [Now]} = re:run(Bin, "now at ([0-9]+) nsecs", [{capture, all_but_first, list}]),
    {match, [Idle]} = re:run(Bin, "idle_sleeptime\\s*:\\s*([0-9]+) nsecs",
                             [{capture, all_but_first, list}]),
    [list_to_integer(Now), list_to_integer(Idle)].
