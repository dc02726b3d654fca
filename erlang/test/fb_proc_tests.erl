%% Processes on freebeam: many of them, links, monitors, exit signals.
-module(fb_proc_tests).
-include_lib("eunit/include/eunit.hrl").

%% 10k processes alive at once, each answers once, then all are gone.
spawn_10k_test_() ->
    {timeout, 60, fun() ->
        N = 10000,
        Self = self(),
        Before = erlang:system_info(process_count),
        T0 = erlang:monotonic_time(microsecond),
        Pids = [spawn(fun() -> receive {ping, I} -> Self ! {pong, I} end end) || _ <- lists:seq(1, N)],
        T1 = erlang:monotonic_time(microsecond),
        ?assert(erlang:system_info(process_count) >= Before + N),
        _ = [P ! {ping, I} || {P, I} <- lists:zip(Pids, lists:seq(1, N))],
        Sum = lists:sum([receive {pong, I} -> I after 10000 -> error({missing, I}) end
                         || I <- lists:seq(1, N)]),
        ?assertEqual(N * (N + 1) div 2, Sum),
        wait_until(fun() -> not lists:any(fun erlang:is_process_alive/1, Pids) end),
        io:format(user, "fb_proc_tests: spawned ~w processes in ~w us~n", [N, T1 - T0])
    end}.

%% A chain of 1000 processes ending here, a token sent through it 20 times:
%% message passing and scheduling with many processes runnable.
chain_test_() ->
    {timeout, 60, fun() ->
        N = 1000, Laps = 20,
        Self = self(),
        First = lists:foldl(fun(_, Next) -> spawn(fun() -> relay(Next) end) end, Self, lists:seq(1, N)),
        [begin First ! {token, L}, ?assertEqual(L, receive {token, X} -> X after 10000 -> timeout end) end
         || L <- lists:seq(1, Laps)],
        First ! stop,
        ?assertEqual(stop, receive stop -> stop after 10000 -> timeout end)
    end}.

relay(Next) ->
    receive
        stop -> Next ! stop;
        M -> Next ! M, relay(Next)
    end.

link_exit_signal_test() ->
    process_flag(trap_exit, true),
    try
        P = spawn_link(fun() -> exit(fb_reason) end),
        ?assertEqual({'EXIT', P, fb_reason}, receive {'EXIT', P, _} = M -> M after 2000 -> timeout end),
        %% a crash carries the error and its stack
        Q = spawn_link(fun() -> erlang:error(fb_boom) end),
        receive {'EXIT', Q, {fb_boom, [_ | _]}} -> ok after 2000 -> error(no_exit) end
    after
        process_flag(trap_exit, false)
    end.

%% A linked process that is not trapping dies with its partner, except on
%% `normal`; `kill` is untrappable and arrives as `killed`.
link_propagation_test() ->
    Self = self(),
    A = spawn(fun() -> receive _ -> ok end end),
    B = spawn(fun() -> link(A), Self ! linked, receive _ -> ok end end),
    receive linked -> ok end,
    MB = monitor(process, B),
    exit(A, normal),                       % ignored: A does not trap exits
    timer:sleep(20),
    ?assert(is_process_alive(A)),
    exit(A, fb_shutdown),
    ?assertEqual(fb_shutdown, receive {'DOWN', MB, process, B, R} -> R after 2000 -> timeout end),
    C = spawn(fun() -> process_flag(trap_exit, true), receive _ -> ok end end),
    MC = monitor(process, C),
    exit(C, kill),
    ?assertEqual(killed, receive {'DOWN', MC, process, C, R2} -> R2 after 2000 -> timeout end).

monitor_test() ->
    P = spawn(fun() -> receive go -> exit(fb_down) end end),
    Ref = monitor(process, P),
    P ! go,
    ?assertEqual(fb_down, receive {'DOWN', Ref, process, P, R} -> R after 2000 -> timeout end),
    %% monitoring a dead process: noproc at once
    Ref2 = monitor(process, P),
    ?assertEqual(noproc, receive {'DOWN', Ref2, process, P, R2} -> R2 after 2000 -> timeout end),
    %% demonitor with flush leaves nothing behind
    Q = spawn(fun() -> ok end),
    Ref3 = monitor(process, Q),
    timer:sleep(10),
    true = demonitor(Ref3, [flush]),
    ?assertEqual(empty, receive {'DOWN', Ref3, _, _, _} -> got after 0 -> empty end).

registered_names_and_order_test() ->
    P = spawn(fun() -> echo() end),
    true = register(fb_echo, P),
    ?assertEqual(P, whereis(fb_echo)),
    [fb_echo ! {self(), I} || I <- lists:seq(1, 100)],
    ?assertEqual(lists:seq(1, 100), [receive {fb_echo, I} -> I after 1000 -> timeout end || _ <- lists:seq(1, 100)]),
    exit(P, kill),
    wait_until(fun() -> whereis(fb_echo) =:= undefined end).

echo() ->
    receive {From, X} -> From ! {fb_echo, X}, echo() end.

process_info_test() ->
    P = spawn(fun() -> receive stop -> ok end end),
    [{status, S}, {message_queue_len, 0}] = process_info(P, [status, message_queue_len]),
    ?assert(lists:member(S, [waiting, runnable, running])),
    {heap_size, H} = process_info(P, heap_size),
    ?assert(H > 0),
    P ! stop.

wait_until(F) -> wait_until(F, 200).
wait_until(F, 0) -> ?assert(F());
wait_until(F, N) ->
    case F() of true -> ok; false -> timer:sleep(10), wait_until(F, N - 1) end.
