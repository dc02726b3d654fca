%% fb_eth_tests: gen_tcp and gen_udp on eth0 (libos/net_eth.c, the net
%% driver PD through beam/net.config) with real peers on the host:
%% tests/suites/eth.sh runs tests/lib/eth_peer.py next to
%% `tools/freebeam test-image --system beam/net.config --hostfwd
%% tcp:P-:7000 --hostfwd udp:Q-:7001`.  The same protocol as
%% tests/posix/eth.c, in order:
%%   lease: eth0 gets its address from DHCP (a datagram to 10.0.2.2 is
%%     routed) within 20 s;
%%   getifaddrs: inet:getifaddrs() lists lo and eth0 (libos's netlink
%%     socket), with their addresses, flags and eth0's MAC;
%%   listener: gen_tcp listens on 7000; the host connects, gets "ready\n",
%%     sends "ports TCP UDP\n" and 1 MiB, which comes back whole;
%%   client: gen_tcp:connect to the host's echo server at 10.0.2.2:TCP,
%%     1 MiB out and back, every byte checked;
%%   udp out: a datagram to the host's UDP echo server, answered;
%%   names: with ERL_INETRC=/otp/etc/inetrc-net, lookups go through
%%     [file, dns]: localhost from /etc/hosts, printer.freebeam.test from
%%     the host's DNS server (inet_res, and inet:getaddr once the server is
%%     one of inet_db's), an unknown name is nxdomain;
%%   udp in: the host's datagram on 7001, answered.
%% Also: the host name is fully qualified and inet:gethostname works.
-module(fb_eth_tests).
-include_lib("eunit/include/eunit.hrl").

-define(SIZE, 1048576).

pattern() ->
    << <<(((I * 31) bxor (I bsr 9)) band 255)>> || I <- lists:seq(0, ?SIZE - 1) >>.

eth_test_() ->
    {inorder,
     [{"eth0 gets an address (DHCP)", {timeout, 30, fun lease/0}},
      {"inet:getifaddrs() lists lo and eth0", fun getifaddrs/0},
      {"the host's 1 MiB through our listener comes back whole", {timeout, 90, fun listener/0}},
      {"1 MiB to the host's TCP echo server and back", {timeout, 90, fun client/0}},
      {"a datagram to the host's UDP echo server, answered", {timeout, 30, fun udp_out/0}},
      {"names: /etc/hosts, then DNS from the host's server", {timeout, 30, fun names/0}},
      {"the host's datagram on UDP 7001, answered", {timeout, 30, fun udp_in/0}}]}.

host_name_test() ->
    {ok, Name} = inet:gethostname(),
    ?assertEqual("freebeam", Name),
    ?assertEqual("local", inet_db:res_option(domain)).

%% Until the lease, a datagram off the host cannot be routed.
lease() ->
    {ok, S} = gen_udp:open(0, [binary]),
    Deadline = erlang:monotonic_time(millisecond) + 20000,
    ?assertEqual(ok, probe(S, Deadline)),
    gen_udp:close(S).

probe(S, Deadline) ->
    case gen_udp:send(S, {10, 0, 2, 2}, 9, <<"x">>) of
        {error, enetunreach} ->
            case erlang:monotonic_time(millisecond) < Deadline of
                true -> timer:sleep(50), probe(S, Deadline);
                false -> {error, enetunreach}
            end;
        Other -> Other
    end.

getifaddrs() ->
    {ok, Ifs} = inet:getifaddrs(),
    [io:format(user, "eth: inet:getifaddrs(): ~s addr ~w netmask ~w~n",
               [Name, proplists:get_value(addr, Opts), proplists:get_value(netmask, Opts)]) || {Name, Opts} <- Ifs],
    ?assertEqual(["eth0", "lo"], lists:sort([Name || {Name, _} <- Ifs])),
    Lo = proplists:get_value("lo", Ifs),
    Eth = proplists:get_value("eth0", Ifs),
    ?assertEqual({127, 0, 0, 1}, proplists:get_value(addr, Lo)),
    ?assertEqual({255, 0, 0, 0}, proplists:get_value(netmask, Lo)),
    ?assert(lists:member(loopback, proplists:get_value(flags, Lo))),
    ?assertEqual({10, 0, 2, 15}, proplists:get_value(addr, Eth)),
    ?assertEqual({255, 255, 255, 0}, proplists:get_value(netmask, Eth)),
    ?assertEqual({10, 0, 2, 255}, proplists:get_value(broadaddr, Eth)),
    ?assertEqual([16#52, 16#54, 0, 16#12, 16#34, 16#56], proplists:get_value(hwaddr, Eth)),
    ?assert(lists:member(up, proplists:get_value(flags, Eth))).

listener() ->
    %% exit_on_close false: the host half-closes after its 1 MiB; the
    %% socket must stay open until our echo of it is all sent.
    {ok, L} = gen_tcp:listen(7000, [binary, {active, false}, {reuseaddr, true}, {exit_on_close, false}]),
    {ok, S} = gen_tcp:accept(L, 60000),
    ok = gen_tcp:send(S, <<"ready\n">>),
    ok = inet:setopts(S, [{packet, line}]),
    {ok, Line} = gen_tcp:recv(S, 0, 20000),
    {match, [T, U, D]} = re:run(Line, <<"^ports ([0-9]+) ([0-9]+) ([0-9]+)\n$">>, [{capture, all_but_first, list}]),
    persistent_term:put(fb_eth_ports, {list_to_integer(T), list_to_integer(U), list_to_integer(D)}),
    ok = inet:setopts(S, [{packet, raw}]),
    N = echo(S, 0),
    gen_tcp:close(S),
    gen_tcp:close(L),
    io:format(user, "eth: echoed ~b bytes to the host~n", [N]),
    ?assertEqual(?SIZE, N).

echo(S, N) ->
    case gen_tcp:recv(S, 0, 20000) of
        {ok, Data} -> ok = gen_tcp:send(S, Data), echo(S, N + byte_size(Data));
        {error, closed} -> N
    end.

client() ->
    {Port, _, _} = persistent_term:get(fb_eth_ports),
    Data = pattern(),
    {ok, S} = gen_tcp:connect({10, 0, 2, 2}, Port, [binary, {active, false}], 20000),
    Self = self(),
    spawn_link(fun() -> ok = gen_tcp:send(S, Data), ok = gen_tcp:shutdown(S, write), Self ! sent end),
    Back = recv_all(S, []),
    receive sent -> ok after 20000 -> ?assert(false) end,
    gen_tcp:close(S),
    io:format(user, "eth: sent ~b bytes to 10.0.2.2:~b, ~b came back~n", [?SIZE, Port, byte_size(Back)]),
    ?assertEqual(?SIZE, byte_size(Back)),
    ?assert(Back =:= Data).

recv_all(S, Acc) ->
    case gen_tcp:recv(S, 0, 20000) of
        {ok, D} -> recv_all(S, [D | Acc]);
        {error, closed} -> iolist_to_binary(lists:reverse(Acc))
    end.

udp_out() ->
    {_, Port, _} = persistent_term:get(fb_eth_ports),
    {ok, S} = gen_udp:open(0, [binary, {active, false}]),
    Answer = udp_ask(S, Port, 5),
    gen_udp:close(S),
    io:format(user, "eth: udp: the host answered ~p~n", [Answer]),
    ?assertEqual(<<"pong ping from the guest">>, Answer).

udp_ask(_, _, 0) -> none;
udp_ask(S, Port, Tries) ->
    ok = gen_udp:send(S, {10, 0, 2, 2}, Port, <<"ping from the guest">>),
    case gen_udp:recv(S, 0, 1000) of
        {ok, {_, _, Data}} -> Data;
        {error, timeout} -> udp_ask(S, Port, Tries - 1)
    end.

names() ->
    {_, _, Dns} = persistent_term:get(fb_eth_ports),
    Server = {{10, 0, 2, 2}, Dns},
    ?assertEqual([file, dns], inet_db:res_option(lookup)),
    ?assertEqual([{{10, 0, 2, 3}, 53}], inet_db:res_option(nameservers)),   % /etc/resolv.conf
    ?assertEqual({ok, {127, 0, 0, 1}}, inet:getaddr("localhost", inet)),    % /etc/hosts
    {ok, Msg} = inet_res:resolve("printer.freebeam.test", in, a, [{nameservers, [Server]}]),
    ?assertEqual([{192, 0, 2, 7}], [inet_dns:rr(RR, data) || RR <- inet_dns:msg(Msg, anlist)]),
    ?assertEqual({error, nxdomain}, inet_res:resolve("nothing.freebeam.test", in, a, [{nameservers, [Server]}])),
    %% The [file, dns] path of every lookup, with the host's server only
    %% (10.0.2.3 would forward to the real world).
    ok = inet_db:res_option(nameservers, [Server]),
    ?assertEqual({ok, {192, 0, 2, 7}}, inet:getaddr("printer.freebeam.test", inet)),
    ?assertEqual({error, nxdomain}, inet:getaddr("nothing.freebeam.test", inet)),
    io:format(user, "eth: names: printer.freebeam.test is 192.0.2.7 through [file, dns]~n", []).

%% The host sends until an answer reaches it: answer every datagram for a
%% second after the first.
udp_in() ->
    {ok, S} = gen_udp:open(7001, [binary, {active, false}]),
    {ok, {Ip, P, Data}} = gen_udp:recv(S, 0, 20000),
    io:format(user, "eth: udp: from the host ~p~n", [Data]),
    ok = gen_udp:send(S, Ip, P, <<"pong ", Data/binary>>),
    answer_more(S, erlang:monotonic_time(millisecond) + 1000),
    gen_udp:close(S),
    ?assertEqual(<<"hello from the host">>, Data).

answer_more(S, Until) ->
    Left = Until - erlang:monotonic_time(millisecond),
    case Left > 0 andalso gen_udp:recv(S, 0, Left) of
        {ok, {Ip, P, D}} -> gen_udp:send(S, Ip, P, <<"pong ", D/binary>>), answer_more(S, Until);
        _ -> ok
    end.
