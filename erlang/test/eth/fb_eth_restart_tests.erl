%% fb_eth_restart_tests: eth0 across a restart of the net driver PD by an
%% Erlang supervisor (docs/networking.md, "Restarting the driver").
%% tests/suites/eth.sh runs it through test-image with beam/net.config,
%% the driver's argument fault-udp-port=9999 (a datagram we send to port
%% 9999 crashes it) and tests/lib/eth_restart_peer.py on the host at
%% 10.0.2.2:$ETH_RESTART_PORT.  In order:
%%   the driver runs under a supervisor of ours (freebeam_pd:child_spec);
%%   a connection streams data to the host's sink;
%%   mid-stream the driver faults; the supervisor restarts it;
%%   the streaming socket ends with an error ({error, closed} or
%%     econnreset), within seconds, never a hang;
%%   a datagram to the host gets its answer (DHCP kept the address);
%%   a new connection to the host's echo server carries 256 KiB both ways.
-module(fb_eth_restart_tests).
-behaviour(supervisor).
-include_lib("eunit/include/eunit.hrl").
-export([init/1]).

-define(HOST, {10, 0, 2, 2}).
-define(FAULT_PORT, 9999).
-define(CHUNK, 4096).
-define(ECHO_SIZE, 262144).

%% The supervisor: the net driver PD as its only child.
init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 3, period => 60}, [freebeam_pd:child_spec(net)]}}.

restart_test_() ->
    {timeout, 100, fun restart/0}.

restart() ->
    {ok, Sup} = supervisor:start_link(?MODULE, []),
    ?assertEqual(running, freebeam_pd:status(net)),
    Port = list_to_integer(os:getenv("ETH_RESTART_PORT")),
    [{_, Guard, worker, _}] = supervisor:which_children(Sup),
    %% A stream to the host's sink, from another process (once DHCP's
    %% lease came: until then the connect is enetunreach).
    {ok, S} = connect_retry(Port, erlang:monotonic_time(millisecond) + 20000),
    ok = gen_tcp:send(S, <<"stream\n">>),
    Me = self(),
    Streamer = spawn_link(fun() -> stream(S, Me, 0) end),
    receive {streamed, Streamer, N} when N >= 262144 -> ok after 30000 -> ?assert(false) end,
    %% The driver faults; the supervisor restarts it.
    DRef = freebeam_pd:monitor(net),
    GRef = erlang:monitor(process, Guard),
    T0 = erlang:monotonic_time(millisecond),
    {ok, U} = gen_udp:open(0, [binary, {active, false}]),
    ok = gen_udp:send(U, ?HOST, ?FAULT_PORT, <<"crash">>),
    receive {'DOWN', DRef, freebeam_pd, net, Down} -> ?assertMatch({fault, data_abort, 0, _}, Down)
    after 10000 -> ?assert(false)
    end,
    receive {'DOWN', GRef, process, Guard, _} -> ok after 10000 -> ?assert(false) end,
    %% The open connection ends with an error, not a hang.
    Result = receive {stream_done, Streamer, Total, R} -> {Total, R} after 20000 -> timeout end,
    io:format(user, "eth: restart: the stream ended with ~p after ~p ms~n",
              [Result, erlang:monotonic_time(millisecond) - T0]),
    ?assertMatch({_, {error, E}} when E =:= closed; E =:= econnreset, Result),
    gen_tcp:close(S),
    [{_, Guard2, worker, _}] = supervisor:which_children(Sup),
    ?assert(is_pid(Guard2) andalso Guard2 =/= Guard),
    ?assertEqual(running, freebeam_pd:status(net)),
    %% UDP works, on the address DHCP kept (before the connection: the
    %% host's peer stops once it has echoed).
    ?assertMatch({ok, {?HOST, Port, <<"pong ping after the restart">>}}, udp_ask(U, Port, 3)),
    gen_udp:close(U),
    %% A new connection works.
    {ok, S2} = connect_retry(Port, erlang:monotonic_time(millisecond) + 20000),
    Data = << <<(I band 255)>> || I <- lists:seq(1, ?ECHO_SIZE) >>,
    ok = gen_tcp:send(S2, [<<"echo\n">>, Data]),
    {ok, Back} = gen_tcp:recv(S2, ?ECHO_SIZE, 30000),
    ?assert(Back =:= Data),
    gen_tcp:close(S2),
    io:format(user, "eth: restart: a new connection echoed ~p bytes~n", [byte_size(Back)]),
    {ok, Ifs} = inet:getifaddrs(),
    ?assertEqual({10, 0, 2, 15}, proplists:get_value(addr, proplists:get_value("eth0", Ifs))),
    unlink(Sup),
    exit(Sup, shutdown).

%% Send chunks until the socket fails; tell the parent every 64 KiB.
stream(S, Parent, Sent) ->
    case gen_tcp:send(S, binary:copy(<<"x">>, ?CHUNK)) of
        ok ->
            Now = Sent + ?CHUNK,
            [Parent ! {streamed, self(), Now} || Now rem 65536 =:= 0],
            stream(S, Parent, Now);
        Error ->
            Parent ! {stream_done, self(), Sent, Error}
    end.

%% A datagram to the host's UDP echo, sent up to Tries times (UDP may drop).
udp_ask(U, Port, Tries) ->
    ok = gen_udp:send(U, ?HOST, Port, <<"ping after the restart">>),
    case gen_udp:recv(U, 0, 3000) of
        {error, timeout} when Tries > 1 -> udp_ask(U, Port, Tries - 1);
        Answer -> Answer
    end.

%% Before DHCP's lease, and right after the restart (the link comes back
%% within milliseconds), retry a failed connect until the deadline.
connect_retry(Port, Deadline) ->
    case gen_tcp:connect(?HOST, Port, [binary, {active, false}], 5000) of
        {ok, S} -> {ok, S};
        {error, _} = E ->
            case erlang:monotonic_time(millisecond) < Deadline of
                true -> timer:sleep(100), connect_retry(Port, Deadline);
                false -> E
            end
    end.
