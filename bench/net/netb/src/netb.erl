%% netb: the guest side of bench/net (README.md there), the same code on
%% freebeam and on the Linux+BEAM peer.  main/0 starts
%%   - a gen_tcp echo listener on port 7000 (passive sockets, each
%%     connection echoed until the client closes it),
%%   - inets httpd on port 8080 serving priv/www (a small static page),
%%   - the counter: on freebeam the meter PD's PMU reading (instructions the
%%     whole machine executed), on Linux the busy time of cpu 0 from
%%     /proc/timer_list (now - idle_sleeptime: under icount one busy ns is
%%     one instruction),
%% then registers `netb` and waits.  The host's node (netb_host) reaches
%% this node by distribution (no epmd: -erl_epmd_port) and calls mark/0
%% around each workload.
-module(netb).
-export([main/0, mark/0]).

-define(ECHO_PORT, 7000).
-define(HTTP_PORT, 8080).

main() ->
    Counter = start_counter(),
    Self = self(),
    Keeper = spawn(fun() -> keeper(Self) end),
    receive {Keeper, listening} -> ok end,
    case inets:start() of
        ok -> ok;
        {error, {already_started, inets}} -> ok
    end,
    Priv = code:priv_dir(netb),
    {ok, _} = inets:start(httpd, [{port, ?HTTP_PORT}, {server_name, "netb"}, {server_root, Priv},
                                  {document_root, filename:join(Priv, "www")}, {bind_address, any},
                                  {modules, [mod_alias, mod_get]}]),
    register(netb, Keeper),
    io:format("NETB_UP counter=~s node=~s~n", [Counter, node()]).

%% Owns the echo listener for the node's lifetime.
keeper(Parent) ->
    {ok, L} = gen_tcp:listen(?ECHO_PORT, [binary, {active, false}, {reuseaddr, true}, {backlog, 8}]),
    Parent ! {self(), listening},
    accept(L).

accept(L) ->
    {ok, S} = gen_tcp:accept(L),
    Pid = spawn(fun() -> receive go -> echo(S) end end),
    ok = gen_tcp:controlling_process(S, Pid),
    Pid ! go,
    accept(L).

echo(S) ->
    case gen_tcp:recv(S, 0) of
        {ok, Data} -> ok = gen_tcp:send(S, Data), echo(S);
        {error, closed} -> gen_tcp:close(S)
    end.

%% linux: /proc/timer_list exists; freebeam: a process owns the meter
%% PD's channel and answers reads.
start_counter() ->
    case filelib:is_regular("/proc/timer_list") of
        true ->
            persistent_term:put(netb_counter, linux),
            linux;
        false ->
            Self = self(),
            Pid = spawn(fun() -> {ok, M} = freebeam_channel:open(meter), Self ! {self(), open}, meter(M) end),
            receive {Pid, open} -> ok end,
            register(netb_meter, Pid),
            persistent_term:put(netb_counter, freebeam),
            freebeam
    end.

meter(M) ->
    receive
        {read, From} ->
            ok = freebeam_channel:send(M, <<"pmu">>),
            receive {freebeam_channel, M, <<V:32/little>>} -> From ! {netb_meter, V} end,
            meter(M)
    end.

%% {Kind, Count, GuestNs}: freebeam's count is the PMU's 32-bit count (it
%% wraps), Linux's cpu 0's busy ns; GuestNs is the guest's monotonic clock
%% (instructions plus skipped idle time under --det).  The read comes
%% first; parsing costs the window after it.
mark() ->
    case persistent_term:get(netb_counter) of
        freebeam ->
            netb_meter ! {read, self()},
            receive
                {netb_meter, V} -> {freebeam, V, erlang:monotonic_time(nanosecond)}
            after 5000 -> error(no_meter_reply)
            end;
        linux ->
            {ok, B} = file:read_file("/proc/timer_list"),
            Ns = erlang:monotonic_time(nanosecond),
            {match, [Now]} = re:run(B, "now at ([0-9]+) nsecs", [{capture, all_but_first, binary}]),
            {match, [Idle]} = re:run(B, "idle_sleeptime\\s*:\\s*([0-9]+) nsecs", [{capture, all_but_first, binary}]),
            {linux, binary_to_integer(Now) - binary_to_integer(Idle), Ns}
    end.
