%% netb_host: the host's side of bench/net (README.md there), run by the
%% host's erl as a distributed node without epmd.  It drives the guest
%% (netb on freebeam or on the Linux+BEAM peer) through QEMU's port
%% forwards and reads the guest's counter (netb:mark/0, by rpc:call)
%% around each workload:
%%   tcp   one gen_tcp connection to the guest's echo port: 1 MiB sent in
%%         16 KiB writes while a second process reads the echo back;
%%   http  N HTTP/1.1 GETs of the small page, one connection each (as N
%%         curl runs would make), from ?HTTP_CLIENTS clients at once;
%%   dist  N rpc:call(Guest, erlang, node, []) round trips, from
%%         ?RPC_CLIENTS processes at once over the one connection.
%% Several clients at once keep the guest busy: under --det (QEMU's
%% -icount sleep=off) an idle guest's clock jumps to its next timer at once,
%% so one client waiting for each answer would let TCP's retransmission and
%% delayed-ACK timers fire in every wait (README.md, "Idle time").
%% Every workload runs once unmeasured first (module loading, first
%% connections), then ?REPEAT times measured; the least window counts.
%% The least of ?REPEAT empty windows (mark then mark) is what the two
%% marks themselves cost inside a window and is subtracted from each
%% workload's.  Prints one `NETB ...` line per
%% figure and `NETBW ...` lines with the raw windows, then asks the guest
%% to halt.  Exits 0 only if every workload checked out.
%%
%% erl -run netb_host main GUEST ECHO_PORT HTTP_PORT HTTP_N RPC_N TIMEOUT_S PHASES
%% (PHASES: some of tcp,http,dist, comma-separated)
-module(netb_host).
-export([main/1]).

-define(MIB, 1048576).
-define(CHUNK, 16384).
-define(HTTP_CLIENTS, 4).
-define(RPC_CLIENTS, 16).
-define(REPEAT, 5).

main([GuestS, EchoS, HttpS, HttpNS, RpcNS, TimeoutS, PhasesS]) ->
    Guest = list_to_atom(GuestS),
    [Echo, Http, HttpN, RpcN, Timeout] = [list_to_integer(X) || X <- [EchoS, HttpS, HttpNS, RpcNS, TimeoutS]],
    Phases = [list_to_existing_atom(P) || P <- string:lexemes(PhasesS, ",")],
    Status =
        try
            H0 = erlang:monotonic_time(millisecond),
            wait_guest(Guest, H0 + Timeout * 1000),
            io:format("NETBW guest_up ~s after host_ms=~b~n", [Guest, erlang:monotonic_time(millisecond) - H0]),
            %% Warm-up: each workload once, unmeasured.
            ok = tcp_echo(Echo, 65536),
            ok = http_gets(Http, 5),
            ok = rpcs(Guest, 20),
            _ = [window(Guest, "warm", fun() -> ok end) || _ <- [1, 2]],
            Base = least(Guest, "empty", fun() -> ok end),
            [figure(P, Guest, Echo, Http, HttpN, RpcN, Base) || P <- Phases],
            0
        catch
            C:R:St ->
                io:format("NETB FAIL ~p:~p ~p~n", [C, R, St]),
                1
        end,
    rpc:cast(Guest, erlang, halt, [0]),
    timer:sleep(500),
    halt(Status).

wait_guest(Guest, Deadline) ->
    case net_kernel:connect_node(Guest) andalso is_pid(rpc:call(Guest, erlang, whereis, [netb])) of
        true -> ok;
        false ->
            erlang:monotonic_time(millisecond) < Deadline orelse error({guest_not_up, Guest}),
            timer:sleep(200),
            wait_guest(Guest, Deadline)
    end.

%% One workload's figure: its least window less the empty one, per unit.
figure(tcp, Guest, Echo, _Http, _HttpN, _RpcN, Base) ->
    W = least(Guest, "tcp", fun() -> tcp_echo(Echo, ?MIB) end),
    io:format("NETB tcp_echo_insns_per_kb ~b~n", [round((W - Base) / 1024)]);
figure(http, Guest, _Echo, Http, HttpN, _RpcN, Base) ->
    W = least(Guest, "http", fun() -> at_once(?HTTP_CLIENTS, fun() -> http_gets(Http, HttpN div ?HTTP_CLIENTS) end) end),
    io:format("NETB http_insns_per_request ~b~n", [round((W - Base) / HttpN)]);
figure(dist, Guest, _Echo, _Http, _HttpN, RpcN, Base) ->
    W = least(Guest, "dist", fun() -> at_once(?RPC_CLIENTS, fun() -> rpcs(Guest, RpcN div ?RPC_CLIENTS) end) end),
    io:format("NETB dist_rpc_insns ~b~n", [round((W - Base) / RpcN)]).

%% The least of ?REPEAT windows around Fun: what else runs in a window
%% (timers that fire while the guest waits for the host) only adds.
least(Guest, What, Fun) ->
    Ws = [window(Guest, What, Fun) || _ <- lists:seq(1, ?REPEAT)],
    io:format("NETBW ~s windows=~w least=~b~n", [What, Ws, lists:min(Ws)]),
    lists:min(Ws).

%% The guest's count from one mark to the next around Fun; a NETBW line
%% with it, the guest time and the host's time of the window.
window(Guest, What, Fun) ->
    H0 = erlang:monotonic_time(microsecond),
    {Kind, A, T0} = rpc:call(Guest, netb, mark, []),
    ok = Fun(),
    {Kind, B, T1} = rpc:call(Guest, netb, mark, []),
    Insns = case Kind of
                freebeam -> (B - A) band 16#ffffffff;
                linux -> B - A
            end,
    io:format("NETBW window ~s insns=~b guest_ns=~b host_us=~b~n",
              [What, Insns, T1 - T0, erlang:monotonic_time(microsecond) - H0]),
    Insns.

%% Fun in K processes at once; ok when each returned ok.
at_once(K, Fun) ->
    Ps = [spawn_monitor(fun() -> exit(Fun()) end) || _ <- lists:seq(1, K)],
    [receive {'DOWN', Ref, process, Pid, R} -> ok = R end || {Pid, Ref} <- Ps],
    ok.

%% Bytes to the echo port; the echo read back in full.
tcp_echo(Port, Bytes) ->
    {ok, S} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, false}, {nodelay, true}]),
    Chunk = binary:copy(<<"0123456789abcdef">>, ?CHUNK div 16),
    Sender = spawn_link(fun() -> send_n(S, Chunk, Bytes div ?CHUNK), ok = gen_tcp:shutdown(S, write) end),
    Got = recv_all(S, 0),
    ok = gen_tcp:close(S),
    unlink(Sender),
    Got =:= Bytes orelse error({echoed, Got, of_, Bytes}),
    ok.

send_n(_S, _Chunk, 0) -> ok;
send_n(S, Chunk, N) -> ok = gen_tcp:send(S, Chunk), send_n(S, Chunk, N - 1).

recv_all(S, Got) ->
    case gen_tcp:recv(S, 0, 60000) of
        {ok, B} -> recv_all(S, Got + byte_size(B));
        {error, closed} -> Got
    end.

%% N GETs of /index.html, a new connection each, each answer checked.
http_gets(_Port, 0) -> ok;
http_gets(Port, N) ->
    {ok, S} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, false}]),
    ok = gen_tcp:send(S, <<"GET /index.html HTTP/1.1\r\nHost: netb\r\nConnection: close\r\n\r\n">>),
    Answer = recv_bin(S, <<>>),
    ok = gen_tcp:close(S),
    case Answer of
        <<"HTTP/1.1 200 OK\r\n", _/binary>> ->
            binary:match(Answer, <<"bench/net: a small page">>) =/= nomatch orelse error({http_body, Answer});
        _ -> error({http_answer, Answer})
    end,
    http_gets(Port, N - 1).

recv_bin(S, Acc) ->
    case gen_tcp:recv(S, 0, 60000) of
        {ok, B} -> recv_bin(S, <<Acc/binary, B/binary>>);
        {error, closed} -> Acc
    end.

rpcs(_Guest, 0) -> ok;
rpcs(Guest, N) ->
    Guest = rpc:call(Guest, erlang, node, []),
    rpcs(Guest, N - 1).
