%% gen_tcp and gen_udp on freebeam over the loopback interface (libos's
%% sockets on lwIP, docs/networking.md): listen on a free port, connect,
%% send and receive both ways, passive and active mode, {packet, 4}, a
%% larger transfer, the peer seeing a close, a half close, the error answers; UDP
%% datagrams both ways; names from the image's inetrc.
-module(fb_net_tests).
-include_lib("eunit/include/eunit.hrl").

-define(LO, {127, 0, 0, 1}).
-define(T, 5000).

%% A listener on a free port of 127.0.0.1 and a connected pair on it.
pair(Opts) ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, ?LO} | Opts]),
    {ok, Port} = inet:port(L),
    ?assert(Port > 0),
    {ok, C} = gen_tcp:connect(?LO, Port, [binary, {active, false} | Opts], ?T),
    {ok, S} = gen_tcp:accept(L, ?T),
    {L, C, S}.

tcp_passive_test() ->
    {L, C, S} = pair([]),
    ok = gen_tcp:send(C, <<"ping">>),
    ?assertEqual({ok, <<"ping">>}, gen_tcp:recv(S, 4, ?T)),
    ok = gen_tcp:send(S, [<<"po">>, "ng"]),
    ?assertEqual({ok, <<"pong">>}, gen_tcp:recv(C, 4, ?T)),
    {ok, {CAddr, CPort}} = inet:sockname(C),
    ?assertEqual({ok, {CAddr, CPort}}, inet:peername(S)),
    ?assertEqual(?LO, CAddr),
    ?assertEqual({error, timeout}, gen_tcp:recv(S, 0, 50)),
    [ok = gen_tcp:close(X) || X <- [C, S, L]].

tcp_active_and_close_test() ->
    {L, C, S} = pair([]),
    ok = inet:setopts(S, [{active, true}]),
    ok = gen_tcp:send(C, <<"one">>),
    ?assertEqual(<<"one">>, receive {tcp, S, D1} -> D1 after ?T -> timeout end),
    ok = inet:setopts(C, [{active, once}]),
    ok = gen_tcp:send(S, <<"two">>),
    ?assertEqual(<<"two">>, receive {tcp, C, D2} -> D2 after ?T -> timeout end),
    ok = gen_tcp:close(C),
    ?assertEqual(closed, receive {tcp_closed, S} -> closed after ?T -> timeout end),
    ok = gen_tcp:close(S),
    ok = gen_tcp:close(L).

tcp_passive_close_test() ->
    {L, C, S} = pair([]),
    ok = gen_tcp:close(S),
    ?assertEqual({error, closed}, gen_tcp:recv(C, 0, ?T)),
    ok = gen_tcp:close(C),
    ok = gen_tcp:close(L).

tcp_packet_and_options_test() ->
    {L, C, S} = pair([{packet, 4}, {nodelay, true}, {keepalive, true}]),
    ?assertEqual({ok, [{nodelay, true}, {keepalive, true}]}, inet:getopts(C, [nodelay, keepalive])),
    ok = gen_tcp:send(C, <<"framed">>),
    ok = gen_tcp:send(C, <<>>),
    ?assertEqual({ok, <<"framed">>}, gen_tcp:recv(S, 0, ?T)),
    ?assertEqual({ok, <<>>}, gen_tcp:recv(S, 0, ?T)),
    {ok, [{sndbuf, Snd}, {recbuf, Rcv}]} = inet:getopts(S, [sndbuf, recbuf]),
    ?assert(Snd > 0 andalso Rcv > 0),
    [ok = gen_tcp:close(X) || X <- [C, S, L]].

%% gen_tcp:shutdown(S, write) with {exit_on_close, false}: the server's
%% socket stays open after both FINs are out (libos then lets go of lwIP's
%% connection, which lwIP keeps in TIME-WAIT and frees on its own:
%% docs/networking.md): it still gives the data the peer sent before its
%% close, then {error, closed}; a send fails; close works; the listener
%% takes the next connection.
tcp_half_close_test() ->
    {L, C, S} = pair([{exit_on_close, false}]),
    ok = gen_tcp:send(C, <<"last words">>),
    ok = gen_tcp:shutdown(S, write),
    ?assertEqual({error, closed}, gen_tcp:recv(C, 0, ?T)),
    ok = gen_tcp:send(C, <<", bye">>),
    ok = gen_tcp:close(C),
    ?assertEqual({ok, <<"last words, bye">>}, gen_tcp:recv(S, 15, ?T)),
    ?assertEqual({error, closed}, gen_tcp:recv(S, 0, ?T)),
    ?assertMatch({error, _}, gen_tcp:send(S, <<"late">>)),
    ok = gen_tcp:close(S),
    {ok, Port} = inet:port(L),
    {ok, C2} = gen_tcp:connect(?LO, Port, [binary, {active, false}], ?T),
    {ok, S2} = gen_tcp:accept(L, ?T),
    ok = gen_tcp:send(C2, <<"again">>),
    ?assertEqual({ok, <<"again">>}, gen_tcp:recv(S2, 5, ?T)),
    [ok = gen_tcp:close(X) || X <- [C2, S2, L]].

%% 1 MiB each way, echoed by a process on the server side.
tcp_transfer_test() ->
    {L, C, S} = pair([]),
    Data = crypto_free_bytes(1024 * 1024),
    Self = self(),
    spawn_link(fun() -> Self ! {echoed, echo(S, byte_size(Data))} end),
    Reader = spawn_link(fun() -> Self ! {back, gen_tcp:recv(C, byte_size(Data), 30000)} end),
    ok = gen_tcp:send(C, Data),
    ?assertEqual(byte_size(Data), receive {echoed, N} -> N after 30000 -> timeout end),
    ?assertEqual({ok, Data}, receive {back, R} -> R after 30000 -> timeout end),
    unlink(Reader),
    [ok = gen_tcp:close(X) || X <- [C, S, L]].

echo(_S, 0) -> 0;
echo(S, Left) ->
    {ok, B} = gen_tcp:recv(S, 0, 30000),
    ok = gen_tcp:send(S, B),
    byte_size(B) + echo(S, Left - byte_size(B)).

crypto_free_bytes(N) ->
    << <<(I * 7 rem 251)>> || I <- lists:seq(1, N) >>.

tcp_errors_test() ->
    {ok, L} = gen_tcp:listen(0, [{ip, ?LO}]),
    {ok, Port} = inet:port(L),
    ?assertEqual({error, eaddrinuse}, gen_tcp:listen(Port, [{ip, ?LO}, {reuseaddr, false}])),
    ok = gen_tcp:close(L),
    ?assertEqual({error, econnrefused}, gen_tcp:connect(?LO, Port, [], ?T)).

udp_test() ->
    {ok, A} = gen_udp:open(0, [binary, {ip, ?LO}, {active, false}]),
    {ok, B} = gen_udp:open(0, [binary, {ip, ?LO}, {active, false}]),
    {ok, PA} = inet:port(A),
    {ok, PB} = inet:port(B),
    ok = gen_udp:send(A, ?LO, PB, <<"hello">>),
    ?assertEqual({ok, {?LO, PA, <<"hello">>}}, gen_udp:recv(B, 0, ?T)),
    ok = gen_udp:send(B, ?LO, PA, <<"back">>),
    ?assertEqual({ok, {?LO, PB, <<"back">>}}, gen_udp:recv(A, 0, ?T)),
    ok = inet:setopts(A, [{active, once}]),
    ok = gen_udp:send(B, ?LO, PA, <<"active">>),
    ?assertEqual(<<"active">>, receive {udp, A, ?LO, PB, D} -> D after ?T -> timeout end),
    ?assertEqual({error, timeout}, gen_udp:recv(B, 0, 50)),
    ok = gen_udp:close(A),
    ok = gen_udp:close(B).

%% Names come from the image's inetrc (ERL_INETRC=/otp/etc/inetrc:
%% {lookup, [file]}): localhost is known, an unknown name is an error, and
%% nothing tries to start the inet_gethost helper (which would halt the VM).
name_lookup_test() ->
    ?assertEqual([file], inet_db:res_option(lookup)),
    ?assertEqual({ok, ?LO}, inet:getaddr("localhost", inet)),
    ?assertMatch({error, _}, inet:getaddr("no-such-host.invalid", inet)),
    {ok, L} = gen_tcp:listen(0, [{ip, ?LO}]),
    {ok, Port} = inet:port(L),
    {ok, C} = gen_tcp:connect("localhost", Port, [], ?T),
    [ok = gen_tcp:close(X) || X <- [C, L]].
