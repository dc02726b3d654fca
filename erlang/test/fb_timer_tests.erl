%% Timers on freebeam against the kernel clock: receive-after, send_after,
%% timer:sleep, cancel_timer, and the monotonic and system clocks agreeing.
-module(fb_timer_tests).
-include_lib("eunit/include/eunit.hrl").

-define(LATE_MS, 200).   % a 50 ms timer must fire in [50, 200) ms

ms() -> erlang:monotonic_time(microsecond) / 1000.

receive_after_test() ->
    [begin
         T0 = ms(),
         receive never_sent -> error(impossible) after 50 -> ok end,
         D = ms() - T0,
         ?assert(D >= 50),
         ?assert(D < ?LATE_MS)
     end || _ <- lists:seq(1, 3)].

receive_after_0_test() ->
    self() ! here,
    ?assertEqual(here, receive here -> here after 0 -> none end),
    ?assertEqual(none, receive here -> here after 0 -> none end).

send_after_test() ->
    T0 = ms(),
    Ref = erlang:send_after(50, self(), fb_tick),
    Left = erlang:read_timer(Ref),
    ?assert(is_integer(Left) andalso Left > 0 andalso Left =< 50),
    receive fb_tick -> ok after 2000 -> error(no_tick) end,
    D = ms() - T0,
    ?assert(D >= 50),
    ?assert(D < ?LATE_MS).

%% Several timers at once fire in order of their times, not of creation.
timer_order_test() ->
    [erlang:send_after(T, self(), {t, T}) || T <- [120, 30, 90, 60]],
    ?assertEqual([30, 60, 90, 120], [receive {t, T} -> T after 2000 -> timeout end || _ <- [1, 2, 3, 4]]).

start_timer_cancel_test() ->
    Ref = erlang:start_timer(1000, self(), fb_never),
    timer:sleep(10),
    Left = erlang:cancel_timer(Ref),
    ?assert(is_integer(Left)),
    ?assert(Left > 800 andalso Left =< 1000),
    ?assertEqual(false, erlang:cancel_timer(Ref)),
    ?assertEqual(none, receive {timeout, Ref, _} -> got after 50 -> none end).

timer_sleep_test() ->
    T0 = ms(),
    ok = timer:sleep(100),
    D = ms() - T0,
    ?assert(D >= 100),
    ?assert(D < 100 + ?LATE_MS).

%% The timer server (timer:apply_after, send_interval) works too.
timer_module_test() ->
    {ok, TRef} = timer:send_interval(20, fb_interval),
    [receive fb_interval -> ok after 1000 -> error(no_interval) end || _ <- [1, 2, 3]],
    {ok, cancel} = timer:cancel(TRef),
    {ok, _} = timer:apply_after(10, erlang, send, [self(), fb_applied]),
    receive fb_applied -> ok after 1000 -> error(not_applied) end.

%% Erlang monotonic time and OS system time advance alike over 300 ms.
clocks_agree_test() ->
    M0 = erlang:monotonic_time(millisecond), S0 = os:system_time(millisecond),
    timer:sleep(300),
    M1 = erlang:monotonic_time(millisecond), S1 = os:system_time(millisecond),
    ?assert(M1 - M0 >= 300),
    ?assert(abs((S1 - S0) - (M1 - M0)) < 50),
    %% a plausible calendar date (the RTC, not 1970)
    {{Y, _, _}, _} = calendar:universal_time(),
    ?assert(Y >= 2020).
