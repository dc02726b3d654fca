%% pcerl - the Erlang workload of the power-cut harness (tests/storage/
%% powercut-erlang.sh): a disk_log and a mnesia disc_copies table on /data,
%% written round after round while the host kills QEMU at random moments.
%%
%% First boot (no /data/pc/ready): makes the mnesia schema and table, then
%% halts (never cut: a half-made schema is not what the test is about).
%% Every later boot first says what survived:
%%     pcerl: recovered log L txn T ok       (or BAD: not 1..L, 1..T)
%% L: the halt log holds exactly the terms 1..L; T: the table holds exactly
%% the keys 1..T.  Then rounds R = T+1, T+2, ...: R logged and synced
%% (unless the log has it already), a transaction writes R, mnesia's log is
%% synced, and only then `pcerl: acked R`.  So after a cut at any moment,
%% L and T must both be at least the last acked R.
-module(pcerl).
-behaviour(application).
-export([start/2, stop/1]).

-define(D, "/data/pc").

start(_Type, _Args) -> {ok, spawn(fun main/0)}.
stop(_State) -> ok.

main() ->
    case file:read_file_info(?D ++ "/ready") of
        {ok, _} -> run();
        _ -> setup()
    end.

setup() ->
    ok = filelib:ensure_dir(?D ++ "/"),
    ok = mnesia:create_schema([node()]),
    ok = mnesia:start(),
    {atomic, ok} = mnesia:create_table(kv, [{disc_copies, [node()]}]),
    stopped = mnesia:stop(),
    ok = file:write_file(?D ++ "/ready", <<"1">>),
    io:format("pcerl: set up~n"),
    halt(0).

run() ->
    {ok, dl} = case disk_log:open([{name, dl}, {file, ?D ++ "/log"}, {type, halt}]) of
                   {ok, _} = Ok -> Ok;
                   {repaired, dl, _, _} -> {ok, dl}
               end,
    Logged = all(dl, start, []),
    ok = mnesia:start(),
    ok = mnesia:wait_for_tables([kv], 60000),
    Keys = lists:sort(mnesia:dirty_all_keys(kv)),
    L = length(Logged), T = length(Keys),
    Whole = Logged =:= lists:seq(1, L) andalso Keys =:= lists:seq(1, T),
    io:format("pcerl: recovered log ~p txn ~p ~s~n", [L, T, case Whole of true -> "ok"; false -> "BAD" end]),
    loop(T + 1, L).

loop(R, L) ->
    R > L andalso begin ok = disk_log:log(dl, R), ok = disk_log:sync(dl) end,
    {atomic, ok} = mnesia:transaction(fun() -> mnesia:write({kv, R, R}) end),
    ok = mnesia:sync_log(),
    io:format("pcerl: acked ~p~n", [R]),
    loop(R + 1, L).

all(Log, Cont, Acc) ->
    case disk_log:chunk(Log, Cont) of
        eof -> lists:append(lists:reverse(Acc));
        {error, _} -> lists:append(lists:reverse(Acc));
        {Cont2, Terms} -> all(Log, Cont2, [Terms | Acc]);
        {Cont2, Terms, _Bad} -> all(Log, Cont2, [Terms | Acc])
    end.
