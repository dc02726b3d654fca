%% freebeam_api_tests: the freebeam application's API against real native
%% PDs (erlang/test/native/qecho.config: the echo PD systems/qecho, monitored
%% by the BEAM PD, and `stray`, which is not), run inside freebeam by
%% tests/suites/native.sh:
%%   tools/freebeam test-image --system erlang/test/native/qecho.config \
%%     --search build/pds/qecho erlang/test/native/freebeam_api_tests.erl
%% Messages, back-pressure, resets, errors, monitors and supervision.
-module(freebeam_api_tests).
-include_lib("eunit/include/eunit.hrl").

-define(WAIT, 5000).

recv(Ch) ->
    receive {freebeam_channel, Ch, Bin} -> Bin after ?WAIT -> timeout end.

no_message() ->
    receive M -> {unexpected, M} after 200 -> none end.

open_echo() ->
    {ok, Ch} = freebeam_channel:open(echo),
    Ch.

echo_round_trip_test() ->
    Ch = open_echo(),
    ?assertEqual(ok, freebeam_channel:send(Ch, <<"hello">>)),
    ?assertEqual(<<"hello">>, recv(Ch)),
    ?assertEqual(ok, freebeam_channel:send(Ch, [<<"io">>, "list"])),
    ?assertEqual(<<"iolist">>, recv(Ch)),
    ?assertEqual(ok, freebeam_channel:close(Ch)).

info_test() ->
    Ch = open_echo(),
    {ok, Info} = freebeam_channel:info(Ch),
    ?assertMatch(#{queue := 1, depth := 4, slot := 64}, Info),
    freebeam_channel:close(Ch).

order_and_whole_messages_test() ->
    Ch = open_echo(),
    Msgs = [<<I:32, (binary:copy(<<I>>, I))/binary>> || I <- lists:seq(1, 40)],
    [begin ok = send_retry(Ch, M), ok end || M <- Msgs],
    ?assertEqual(Msgs, [recv(Ch) || _ <- Msgs]),
    freebeam_channel:close(Ch).

%% A full queue is {error, full}: wait for the echoes to drain it.
send_retry(Ch, M) ->
    case freebeam_channel:send(Ch, M) of
        {error, full} -> timer:sleep(5), send_retry(Ch, M);
        Other -> Other
    end.

%% Other processes may send on the owner's channel: every echo reaches the
%% owner, each sender's in its order, whether send/2 delivered it (the echo
%% PD had answered before the write returned) or the relay did.
senders_test() ->
    Ch = open_echo(),
    Self = self(),
    Senders = lists:seq(1, 3),
    [spawn_link(fun() -> [ok = send_retry(Ch, <<S, I>>) || I <- lists:seq(1, 20)], Self ! {sent, S} end)
     || S <- Senders],
    [receive {sent, S} -> ok after ?WAIT -> ?assert(false) end || S <- Senders],
    Got = [recv(Ch) || _ <- lists:seq(1, 60)],
    [?assertEqual([<<S, I>> || I <- lists:seq(1, 20)], [B || <<S2, _>> = B <- Got, S2 =:= S]) || S <- Senders],
    ?assertEqual(none, no_message()),
    freebeam_channel:close(Ch).

errors_test() ->
    ?assertEqual({error, enoent}, freebeam_channel:open(nosuch)),
    ?assertEqual({error, badname}, freebeam_channel:open('no such')),
    Ch = open_echo(),
    ?assertEqual({error, emsgsize}, freebeam_channel:send(Ch, binary:copy(<<0>>, 65))),
    ?assertEqual(ok, freebeam_channel:send(Ch, binary:copy(<<1>>, 64))),
    ?assertEqual(binary:copy(<<1>>, 64), recv(Ch)),
    ?assertEqual({error, enoent}, freebeam_pd:status(nosuch)),
    ?assertEqual({error, enoent}, freebeam_pd:restart(nosuch)),
    freebeam_channel:close(Ch).

not_monitored_test() ->
    %% stray runs, but the BEAM PD is not its monitor: no control, no status.
    ?assertEqual({error, eperm}, freebeam_pd:status(stray)),
    ?assertEqual({error, eperm}, freebeam_pd:stop(stray)),
    ?assertEqual({error, eperm}, freebeam_pd:restart(stray)),
    %% ... yet its channel works.
    {ok, Ch} = freebeam_channel:open(stray_echo),
    ok = freebeam_channel:send(Ch, <<"stray">>),
    ?assertEqual(<<"stray">>, recv(Ch)),
    freebeam_channel:close(Ch).

bare_channel_test() ->
    {ok, Ping} = freebeam_channel:open(ping),
    ?assertEqual({error, bare_channel}, freebeam_channel:send(Ping, <<"x">>)),
    ?assertEqual(ok, freebeam_channel:notify(Ping)),
    receive {freebeam_notify, Ping} -> ok after ?WAIT -> ?assert(false) end,
    freebeam_channel:close(Ping).

stopped_pd_and_full_queue_test() ->
    Ch = open_echo(),
    ?assertEqual(running, freebeam_pd:status(qecho)),
    ?assertEqual(ok, freebeam_pd:stop(qecho)),
    ?assertEqual(stopped, freebeam_pd:status(qecho)),
    %% Sent to a stopped PD: the queue takes 4, then pushes back.
    [?assertEqual(ok, freebeam_channel:send(Ch, <<I>>)) || I <- lists:seq(1, 4)],
    ?assertEqual({error, full}, freebeam_channel:send(Ch, <<5>>)),
    ?assertEqual(none, no_message()),
    ?assertEqual(ok, freebeam_pd:restart(qecho)),
    ?assertEqual(running, freebeam_pd:status(qecho)),
    receive {freebeam_reset, Ch} -> ok after ?WAIT -> ?assert(false) end,
    %% Nothing sent before the restart was lost.
    ?assertEqual([<<1>>, <<2>>, <<3>>, <<4>>], [recv(Ch) || _ <- lists:seq(1, 4)]),
    freebeam_channel:close(Ch).

monitor_fault_and_exit_test() ->
    Ch = open_echo(),
    Ref = freebeam_pd:monitor(qecho),
    ok = freebeam_channel:send(Ch, <<"crash">>),
    receive
        {'DOWN', Ref, freebeam_pd, qecho, Why} ->
            ?assertMatch({fault, data_abort, 0, _Pc}, Why)
    after ?WAIT -> ?assert(false)
    end,
    ?assertEqual(faulted, freebeam_pd:status(qecho)),
    ?assertEqual(ok, freebeam_pd:restart(qecho)),
    Ref2 = freebeam_pd:monitor(qecho),
    ok = freebeam_channel:send(Ch, <<"exit">>),
    receive
        {'DOWN', Ref2, freebeam_pd, qecho, Why2} -> ?assertEqual({exit, 5}, Why2)
    after ?WAIT -> ?assert(false)
    end,
    ?assertEqual(exited, freebeam_pd:status(qecho)),
    ?assertEqual(ok, freebeam_pd:restart(qecho)),
    Ref3 = freebeam_pd:monitor(qecho),
    ?assert(freebeam_pd:demonitor(Ref3)),
    freebeam_channel:close(Ch),
    ?assertEqual(none, flush_resets()).

flush_resets() ->
    receive {freebeam_reset, _} -> flush_resets(); M -> {unexpected, M} after 200 -> none end.

supervised_test() ->
    %% An ordinary supervisor restarts the PD when it faults.
    {ok, Sup} = supervisor:start_link(sup_cb, []),
    unlink(Sup),
    Ch = open_echo(),
    [{_, Guard, worker, _}] = supervisor:which_children(Sup),
    GRef = erlang:monitor(process, Guard),
    ok = freebeam_channel:send(Ch, <<"crash">>),
    receive {'DOWN', GRef, process, Guard, Reason} -> ?assertMatch({fault, data_abort, 0, _}, Reason)
    after ?WAIT -> ?assert(false)
    end,
    receive {freebeam_reset, Ch} -> ok after ?WAIT -> ?assert(false) end,
    ?assertEqual(running, freebeam_pd:status(qecho)),
    [{_, Guard2, worker, _}] = supervisor:which_children(Sup),
    ?assert(is_pid(Guard2) andalso Guard2 =/= Guard),
    ok = freebeam_channel:send(Ch, <<"after">>),
    ?assertEqual(<<"after">>, recv(Ch)),
    exit(Sup, shutdown),
    freebeam_channel:close(Ch).
