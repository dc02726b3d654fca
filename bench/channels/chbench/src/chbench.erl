%% chbench: the figures of bench/channels (README.md there), measured from
%% Erlang over freebeam_channel, printed one per line as NAME=VALUE, then
%% the machine halts (status 0 only if every figure was measured).
%% Instruction counts come from the meter PD (PMU counter 0, the whole
%% machine); each loop is timed with erlang:monotonic_time too: under
%% --det a nanosecond is an instruction while nothing idles, so the two
%% agree when the loop never idled (printed as idle_check lines).
-module(chbench).
-export([run/0]).

-define(WARMUP, 200).
-define(RTT_N, 2000).
-define(TP_N, 4000).

run() ->
    try
        {ok, Echo} = freebeam_channel:open(echo),
        {ok, Meter} = freebeam_channel:open(meter),
        Small = binary:copy(<<"x">>, 64),
        _ = rtt_loop(Echo, Small, ?WARMUP),
        {Rtt, _} = measure(Meter, "rtt", fun() -> rtt_loop(Echo, Small, ?RTT_N) end),
        out("erlang_native_rtt_insns", round(Rtt / ?RTT_N)),
        tp(Echo, Meter, 64, "msgs_per_s_64b"),
        tp(Echo, Meter, 1024, "msgs_per_s_1k"),
        out("fault_to_restarted_insns", fault(Meter)),
        ok = freebeam_channel:close(Echo),
        direct(Meter, Small),
        io:format("chbench: done~n"),
        erlang:halt(0)
    catch
        Class:Reason:Stack ->
            io:format("chbench: FAIL ~p:~p ~p~n", [Class, Reason, Stack]),
            erlang:halt(1)
    end.

out(Name, Value) -> io:format("~s=~b~n", [Name, Value]).

%% Instructions of Fun (PMU reads around it; one meter round trip of
%% overhead), checked against the guest time it took.
measure(Meter, What, Fun) ->
    P0 = pmu(Meter),
    T0 = erlang:monotonic_time(nanosecond),
    R = Fun(),
    T1 = erlang:monotonic_time(nanosecond),
    P1 = pmu(Meter),
    Insns = (P1 - P0) band 16#ffffffff,
    Ns = T1 - T0,
    io:format("idle_check ~s insns=~b ns=~b ns/insns=~.3f~n", [What, Insns, Ns, Ns / Insns]),
    {Insns, R}.

pmu(Meter) ->
    ok = freebeam_channel:send(Meter, <<"pmu">>),
    receive {freebeam_channel, Meter, <<V:32/little>>} -> V
    after 5000 -> error(no_pmu_reply)
    end.

%% N round trips of Bin: send, wait for the echo.
rtt_loop(_Echo, _Bin, 0) -> ok;
rtt_loop(Echo, Bin, N) ->
    ok = freebeam_channel:send(Echo, Bin),
    receive {freebeam_channel, Echo, Bin} -> rtt_loop(Echo, Bin, N - 1)
    after 5000 -> error({no_echo, N})
    end.

%% Throughput: ?TP_N messages of Size bytes through the echo queue pair,
%% as many in flight as the queue takes (a full queue: wait for an echo).
%% Each message crosses twice (to the echo PD and back); one is counted.
tp(Echo, Meter, Size, Name) ->
    Bin = binary:copy(<<"y">>, Size),
    _ = pipeline(Echo, Bin, 200, 0),
    {Insns, _} = measure(Meter, Name, fun() -> pipeline(Echo, Bin, ?TP_N, 0) end),
    out(Name, round(?TP_N * 1.0e9 / Insns)).

pipeline(_Echo, _Bin, 0, 0) -> ok;
pipeline(Echo, Bin, ToSend, InFlight) when ToSend > 0 ->
    case freebeam_channel:send(Echo, Bin) of
        ok -> pipeline(Echo, Bin, ToSend - 1, InFlight + 1);
        {error, full} -> pipeline(Echo, Bin, ToSend, take_echo(Echo, Bin, InFlight))
    end;
pipeline(Echo, Bin, 0, InFlight) ->
    pipeline(Echo, Bin, 0, take_echo(Echo, Bin, InFlight)).

take_echo(Echo, Bin, InFlight) ->
    receive {freebeam_channel, Echo, Bin} -> InFlight - 1
    after 5000 -> error({no_echo, InFlight})
    end.

%% The meter PD faults; its supervisor restarts it; its first message says
%% how many instructions that took (chmeter.c).
fault(Meter) ->
    ok = freebeam_channel:send(Meter, <<"crash">>),
    wait_up(Meter).

wait_up(Meter) ->
    receive
        {freebeam_channel, Meter, <<"up", 0, 0, F:32/little, N:32/little>>} ->
            (N - F) band 16#ffffffff;
        {freebeam_reset, Meter} -> wait_up(Meter)
    after 10000 -> error(no_restart)
    end.

%% Not a figure: the same round trip without freebeam_channel's relay
%% process (this process selects and reads the device itself), to show
%% what the relay's extra hop costs.
direct(Meter, Bin) ->
    {ok, Fd} = freebeam_dev:open(chan, echo, [read, write]),
    _ = direct_loop(Fd, Bin, ?WARMUP),
    {Insns, _} = measure(Meter, "direct", fun() -> direct_loop(Fd, Bin, ?RTT_N) end),
    io:format("note relay_free_rtt_insns=~b~n", [round(Insns / ?RTT_N)]),
    _ = select_loop(Fd, Bin, ?WARMUP),
    {SInsns, _} = measure(Meter, "select", fun() -> select_loop(Fd, Bin, ?RTT_N) end),
    io:format("note select_rtt_insns=~b~n", [round(SInsns / ?RTT_N)]),
    freebeam_nif:fd_close(Fd).

%% As direct_loop, but always through a select message before the read.
select_loop(_Fd, _Bin, 0) -> ok;
select_loop(Fd, Bin, N) ->
    {ok, _} = freebeam_nif:fd_write(Fd, Bin),
    {ok, _} = freebeam_nif:select_read(Fd),
    receive {select, Fd, _, ready_input} -> ok
    after 5000 -> error(no_select)
    end,
    {ok, Bin} = freebeam_nif:fd_read(Fd, 1024),
    select_loop(Fd, Bin, N - 1).

direct_loop(_Fd, _Bin, 0) -> ok;
direct_loop(Fd, Bin, N) ->
    {ok, _} = freebeam_nif:fd_write(Fd, Bin),
    Bin = direct_read(Fd, byte_size(Bin)),
    direct_loop(Fd, Bin, N - 1).

direct_read(Fd, Size) ->
    case freebeam_nif:fd_read(Fd, 1024) of
        {ok, Data} -> Data;
        {error, eagain} ->
            {ok, _} = freebeam_nif:select_read(Fd),
            receive {select, Fd, _, ready_input} -> direct_read(Fd, Size)
            after 5000 -> error(no_direct_echo)
            end
    end.
