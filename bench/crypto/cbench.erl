%% cbench - the Erlang side of bench/crypto (README.md there), the same
%% .beam on freebeam and on the Linux+BEAM peer.  run/0 prints, then halts:
%%   CRYPTO_LIB <crypto:info_lib()>
%%   SHA256 bytes=B ns=T          crypto:hash_update over B bytes in 64 KiB chunks
%%   AES128GCM bytes=B ns=T       crypto:crypto_one_time_aead, one call per 64 KiB chunk
%%   TLS13 n=N ns=T runtime_ms=R busy_ns=U slow=S
%%                                N TLS 1.3 handshakes over loopback, server and
%%                                client both in this VM; T guest time, R erts's
%%                                statistics(runtime) (this OS process's CPU time),
%%                                U the whole machine's busy time from
%%                                /proc/timer_list (Linux; -1 where there is none),
%%                                less what reading that file costs; S how many
%%                                handshakes took over a second of guest time
%% Times are os:perf_counter(nanosecond): guest time, which under the
%% deterministic flags is the machine's instruction count plus idle time.
%% Each figure follows a warm-up (code loading, the ssl application's start).
%% The certificates (ECDSA P-256: a root CA and a server certificate for
%% localhost, valid 2019-2049 since the guests' clocks say 2020) come from
%% cbench_certs, which run.sh writes once with the host's public_key.
-module(cbench).
-export([run/0]).

-define(CHUNK, 65536).
-define(BYTES, 16777216).
-define(HANDSHAKES, 40).
-define(TIMEOUT, 120000).

run() ->
    io:format("CRYPTO_LIB ~p~n", [crypto:info_lib()]),
    Chunk = binary:copy(<<"0123456789abcdef">>, ?CHUNK div 16),
    Chunks = ?BYTES div ?CHUNK,
    sha256(Chunk, 4),
    io:format("SHA256 bytes=~b ns=~b~n", [?BYTES, timed(fun() -> sha256(Chunk, Chunks) end)]),
    aes(Chunk, 4),
    io:format("AES128GCM bytes=~b ns=~b~n", [?BYTES, timed(fun() -> aes(Chunk, Chunks) end)]),
    tls(),
    io:format("CBENCH_DONE~n"),
    halt(0).

timed(Fun) ->
    T0 = os:perf_counter(nanosecond),
    Fun(),
    os:perf_counter(nanosecond) - T0.

sha256(Chunk, N) ->
    <<_:256>> = crypto:hash_final(lists:foldl(fun(_, S) -> crypto:hash_update(S, Chunk) end,
                                              crypto:hash_init(sha256), lists:seq(1, N))).

aes(Chunk, N) ->
    Key = binary:copy(<<7>>, 16),
    lists:foreach(fun(I) ->
                          {C, <<_:128>>} = crypto:crypto_one_time_aead(aes_128_gcm, Key, <<I:96>>, Chunk,
                                                                       <<>>, true),
                          ?CHUNK = byte_size(C)
                  end, lists:seq(1, N)).

%% ---- TLS 1.3 handshakes ----

tls() ->
    {ok, _} = application:ensure_all_started(ssl),
    ServerOpts = [binary, {active, false}, {reuseaddr, true}, {nodelay, true}, {versions, ['tlsv1.3']}
                  | cbench_certs:server()],
    ClientOpts = [binary, {active, false}, {nodelay, true}, {versions, ['tlsv1.3']},
                  {verify, verify_peer}, {cacerts, cbench_certs:client_cacerts()},
                  {server_name_indication, "localhost"}],
    {ok, L} = ssl:listen(0, [{ip, {127, 0, 0, 1}} | ServerOpts]),
    {ok, {_, Port}} = ssl:sockname(L),
    Parent = self(),
    Warm = 2,
    Server = spawn_link(fun() -> serve(L, Parent, Warm + ?HANDSHAKES) end),
    handshakes(Server, Port, ClientOpts, Warm),
    %% Two reads back to back (what a read costs), the handshakes, a third.
    TL0 = busy_read(),
    TL1 = busy_read(),
    R0 = runtime(),
    T0 = os:perf_counter(nanosecond),
    Slow = handshakes(Server, Port, ClientOpts, ?HANDSHAKES),
    T = os:perf_counter(nanosecond) - T0,
    R1 = runtime(),
    TL2 = busy_read(),
    Busy = case TL0 of
               none -> -1;
               _ -> (busy_ns(TL2) - busy_ns(TL1)) - (busy_ns(TL1) - busy_ns(TL0))
           end,
    io:format("TLS13 n=~b ns=~b runtime_ms=~b busy_ns=~b slow=~b~n", [?HANDSHAKES, T, R1 - R0, Busy, Slow]),
    ssl:close(L).

runtime() ->
    {Ms, _} = erlang:statistics(runtime),
    Ms.

%% The server: accept, handshake, close; tell the client's side each time,
%% so that the next connection starts only after this one is done.
serve(_L, _Parent, 0) ->
    ok;
serve(L, Parent, K) ->
    {ok, T} = ssl:transport_accept(L, ?TIMEOUT),
    {ok, S} = ssl:handshake(T, ?TIMEOUT),
    ok = ssl:close(S),
    Parent ! {self(), served},
    serve(L, Parent, K - 1).

%% Returns how many of the N took more than a second of guest time (a
%% handshake takes about 20 ms): idle waits, not work (README.md).
handshakes(Server, Port, ClientOpts, N) ->
    length([slow || _ <- lists:seq(1, N),
                    timed(fun() ->
                                  {ok, C} = ssl:connect({127, 0, 0, 1}, Port, ClientOpts, ?TIMEOUT),
                                  ok = ssl:close(C),
                                  receive {Server, served} -> ok after ?TIMEOUT -> exit(server_timeout) end
                          end) > 1000000000]).

%% /proc/timer_list's raw bytes (Linux), parsed after the measurement.
busy_read() ->
    case file:read_file("/proc/timer_list") of
        {ok, B} -> B;
        {error, _} -> none
    end.

%% Busy ns since boot: now less cpu 0's idle_sleeptime (one CPU).
busy_ns(Bin) ->
    {match, [Now]} = re:run(Bin, "now at ([0-9]+) nsecs", [{capture, all_but_first, list}]),
    {match, [Idle]} = re:run(Bin, "idle_sleeptime\\s*:\\s*([0-9]+) nsecs", [{capture, all_but_first, list}]),
    list_to_integer(Now) - list_to_integer(Idle).
