%% chport: the Linux side of bench/channels (README.md there), run by the
%% peer's /init (bench/channels/peer-init.sh): the round trip of a 64-byte
%% binary through an Erlang port ({packet, 2}) to /bench/portecho, the
%% counterpart of chbench's round trip to the native echo PD.  Guest time
%% is instructions under the peer's det mode while the CPU never idles:
%% /proc/uptime's idle seconds are read around the loop to show it did not.
-module(chport).
-export([main/0]).

-define(WARMUP, 200).
-define(N, 2000).

main() ->
    Port = open_port({spawn_executable, "/bench/portecho"}, [binary, {packet, 2}, exit_status]),
    Bin = binary:copy(<<"x">>, 64),
    loop(Port, Bin, ?WARMUP),
    I0 = idle_s(),
    T0 = erlang:monotonic_time(nanosecond),
    loop(Port, Bin, ?N),
    T1 = erlang:monotonic_time(nanosecond),
    I1 = idle_s(),
    io:format("idle_check port idle_s_during_loop=~.2f loop_ns=~b~n", [I1 - I0, T1 - T0]),
    io:format("erlang_port_rtt_linux_insns=~b~n", [round((T1 - T0) / ?N)]),
    port_close(Port),
    halt(0).

loop(_Port, _Bin, 0) -> ok;
loop(Port, Bin, N) ->
    Port ! {self(), {command, Bin}},
    receive {Port, {data, Bin}} -> loop(Port, Bin, N - 1)
    after 5000 -> io:format("chport: FAIL no echo~n"), halt(1)
    end.

idle_s() ->
    {ok, B} = file:read_file("/proc/uptime"),
    [_, Idle | _] = string:lexemes(binary_to_list(B), " \n"),
    list_to_float(Idle).
