%% storage_check - Erlang's file module and DETS on /data (libos's ext4 on the
%% virtio-blk disk), booted twice on one disk by tests/suites/storage.sh.
%% First boot (no /data/erl/boot1 yet): writes files with file:write_file,
%% appends through file:open([append]), pwrite/pread/position/truncate,
%% rename over an existing file, make_dir, list_dir, delete, a 1 MiB file
%% a DETS table, a halt and a wrap disk_log, a mnesia disc_copies table
%% (its dir set by the image's sys.config); checks each.  Second boot: reads
%% all of it back, and finds the setting of /data/sys.config (which the test
%% wrote onto the disk between the boots) over the image's.  Third boot (a
%% malformed /data/sys.config): the image's setting holds.  Prints `storage: phase N`, one line per failure and `storage: N passed,
%% N failed`, then halts with 0 only if none failed.
-module(storage_check).
-behaviour(application).
-export([start/2, stop/1, main/0]).

start(_Type, _Args) -> {ok, spawn(fun main/0)}.
stop(_State) -> ok.

-define(D, "/data/erl").

big() -> binary:copy(<<"0123456789abcdef">>, 65536).

%% Every term of a disk_log, from its start.
dl_all(Log) -> dl_all(Log, start, []).
dl_all(Log, Cont, Acc) ->
    case disk_log:chunk(Log, Cont) of
        eof -> lists:append(lists:reverse(Acc));
        {Cont2, Terms} -> dl_all(Log, Cont2, [Terms | Acc])
    end.

dl_open(halt) -> disk_log:open([{name, hl}, {file, ?D ++ "/halt.LOG"}, {type, halt}]);
dl_open(wrap) -> disk_log:open([{name, wl}, {file, ?D ++ "/wrap.LOG"}, {type, wrap}, {size, {4096, 3}}]).

%% The wrap log keeps the newest terms only: they must be a run ending at 2000.
wrap_ok(Terms) ->
    length(Terms) > 100 andalso Terms =:= lists:seq(2001 - length(Terms), 2000).

-record(kv, {k, v}).

mnesia_up() ->
    ok = mnesia:start(),
    ok = mnesia:wait_for_tables([kv], 30000).

kv_sum() ->
    {atomic, S} = mnesia:transaction(fun() -> mnesia:foldl(fun(#kv{v = V}, A) -> A + V end, 0, kv) end),
    S.

main() ->
    Phase = case {file:read_file(?D ++ "/boot1"), file:read_file(?D ++ "/boot2")} of
                {{ok, _}, {ok, _}} -> 3;
                {{ok, _}, _} -> 2;
                _ -> 1
            end,
    io:format("storage: phase ~p~n", [Phase]),
    Checks = case Phase of 1 -> phase1(); 2 -> phase2(); 3 -> phase3() end,
    Failed = [Name || {Name, false} <- Checks],
    [io:format("storage: FAIL ~s~n", [N]) || N <- Failed],
    io:format("storage: ~p passed, ~p failed~n", [length(Checks) - length(Failed), length(Failed)]),
    halt(case Failed of [] -> 0; _ -> 1 end).

%% Each check: {Name, Fun}; a crash counts as a failure (and is printed).
run(Checks) ->
    [{Name, try F() =:= true
            catch C:E -> io:format("storage: ~s crashed: ~p:~p~n", [Name, C, E]), false
            end} || {Name, F} <- Checks].

phase1() ->
    run([{"make_dir", fun() -> file:make_dir(?D) =:= ok end},
         {"make_dir again: eexist", fun() -> file:make_dir(?D) =:= {error, eexist} end},
         {"write_file + read_file", fun() ->
              ok = file:write_file(?D ++ "/a.txt", <<"written by erlang\n">>),
              file:read_file(?D ++ "/a.txt") =:= {ok, <<"written by erlang\n">>} end},
         {"open append, write, sync, close (twice)", fun() ->
              {ok, F1} = file:open(?D ++ "/log", [append, binary]),
              ok = file:write(F1, <<"line 1\n">>), ok = file:write(F1, "line 2\n"),
              ok = file:sync(F1), ok = file:close(F1),
              {ok, F2} = file:open(?D ++ "/log", [append]),
              ok = file:write(F2, "line 3\n"), ok = file:close(F2),
              file:read_file(?D ++ "/log") =:= {ok, <<"line 1\nline 2\nline 3\n">>} end},
         {"pwrite, pread, position, truncate", fun() ->
              {ok, F} = file:open(?D ++ "/rw", [read, write, binary]),
              ok = file:pwrite(F, 100, <<"xyz">>),
              {ok, <<"xyz">>} = file:pread(F, 100, 3),
              {ok, 103} = file:position(F, eof),
              {ok, 50} = file:position(F, 50), ok = file:truncate(F),
              ok = file:close(F),
              {ok, I} = file:read_file_info(?D ++ "/rw"),
              element(2, I) =:= 50 end},
         {"rename over an existing file", fun() ->
              ok = file:write_file(?D ++ "/final", <<"old">>),
              ok = file:write_file(?D ++ "/tmp", <<"new">>),
              ok = file:rename(?D ++ "/tmp", ?D ++ "/final"),
              {file:read_file(?D ++ "/final"), file:read_file(?D ++ "/tmp")} =:=
                  {{ok, <<"new">>}, {error, enoent}} end},
         {"delete", fun() ->
              ok = file:write_file(?D ++ "/gone", <<"x">>), ok = file:delete(?D ++ "/gone"),
              file:read_file(?D ++ "/gone") =:= {error, enoent} end},
         {"a 1 MiB file", fun() ->
              ok = file:write_file(?D ++ "/big", big()),
              file:read_file(?D ++ "/big") =:= {ok, big()} end},
         {"list_dir", fun() ->
              {ok, L} = file:list_dir(?D), lists:sort(L) =:= ["a.txt", "big", "final", "log", "rw"] end},
         {"filelib:is_dir, is_regular", fun() ->
              filelib:is_dir(?D) andalso filelib:is_regular(?D ++ "/a.txt") end},
         {"dets: 1000 objects", fun() ->
              {ok, t} = dets:open_file(t, [{file, ?D ++ "/t.dets"}]),
              ok = dets:insert(t, [{N, N * N} || N <- lists:seq(1, 1000)]),
              ok = dets:close(t), true end},
         {"the image's sys.config: greeting", fun() ->
              application:get_env(storage_check, greeting) =:= {ok, image} end},
         {"disk_log halt: 500 terms logged and synced", fun() ->
              {ok, hl} = dl_open(halt),
              [ok = disk_log:log(hl, {term, N}) || N <- lists:seq(1, 500)],
              ok = disk_log:sync(hl), Back = dl_all(hl), ok = disk_log:close(hl),
              Back =:= [{term, N} || N <- lists:seq(1, 500)] end},
         {"disk_log wrap: 2000 terms over 3 files of 4 KB", fun() ->
              {ok, wl} = dl_open(wrap),
              ok = disk_log:log_terms(wl, lists:seq(1, 2000)),
              ok = disk_log:sync(wl), Back = dl_all(wl), ok = disk_log:close(wl),
              wrap_ok(Back) end},
         {"mnesia: schema on /data (dir from the image's sys.config)", fun() ->
              application:get_env(mnesia, dir) =:= {ok, ?D ++ "/mnesia"} andalso
                  mnesia:create_schema([node()]) =:= ok end},
         {"mnesia: a disc_copies table and 200 transactions", fun() ->
              ok = mnesia:start(),
              {atomic, ok} = mnesia:create_table(kv, [{disc_copies, [node()]},
                                                      {attributes, record_info(fields, kv)}]),
              [{atomic, ok} = mnesia:transaction(fun() -> mnesia:write(#kv{k = N, v = N}) end)
               || N <- lists:seq(1, 200)],
              S = kv_sum(), stopped = mnesia:stop(),
              S =:= 200 * 201 div 2 end},
         {"boot1 marker", fun() -> file:write_file(?D ++ "/boot1", <<"1">>) =:= ok end}]).

phase2() ->
    run([{"read_file", fun() -> file:read_file(?D ++ "/a.txt") =:= {ok, <<"written by erlang\n">>} end},
         {"the appended log", fun() ->
              file:read_file(?D ++ "/log") =:= {ok, <<"line 1\nline 2\nline 3\n">>} end},
         {"the truncated file", fun() -> filelib:file_size(?D ++ "/rw") =:= 50 end},
         {"the renamed file", fun() -> file:read_file(?D ++ "/final") =:= {ok, <<"new">>} end},
         {"the 1 MiB file", fun() -> file:read_file(?D ++ "/big") =:= {ok, big()} end},
         {"list_dir", fun() ->
              {ok, L} = file:list_dir(?D),
              lists:sort(L) =:= ["a.txt", "big", "boot1", "final", "halt.LOG", "log", "mnesia", "rw",
                                 "t.dets", "wrap.LOG.1", "wrap.LOG.2", "wrap.LOG.3", "wrap.LOG.idx",
                                 "wrap.LOG.siz"] end},
         {"dets: the 1000 objects", fun() ->
              {ok, t} = dets:open_file(t, [{file, ?D ++ "/t.dets"}]),
              Size = dets:info(t, size), Obj = dets:lookup(t, 777), ok = dets:close(t),
              {Size, Obj} =:= {1000, [{777, 777 * 777}]} end},
         {"/data/sys.config overrides the image's greeting", fun() ->
              application:get_env(storage_check, greeting) =:= {ok, data} end},
         {"disk_log halt: the 500 terms, then 10 more", fun() ->
              {ok, hl} = dl_open(halt),
              Back = dl_all(hl),
              ok = disk_log:log_terms(hl, [{term, N} || N <- lists:seq(501, 510)]),
              ok = disk_log:close(hl),
              Back =:= [{term, N} || N <- lists:seq(1, 500)] end},
         {"disk_log wrap: the newest terms", fun() ->
              {ok, wl} = dl_open(wrap), Back = dl_all(wl), ok = disk_log:close(wl),
              wrap_ok(Back) end},
         {"mnesia: the 200 records, then one more transaction", fun() ->
              mnesia_up(),
              S = kv_sum(),
              {atomic, ok} = mnesia:transaction(fun() -> mnesia:write(#kv{k = 201, v = 201}) end),
              stopped = mnesia:stop(),
              S =:= 200 * 201 div 2 end},
         {"boot2 marker", fun() -> file:write_file(?D ++ "/boot2", <<"2">>) =:= ok end}]).

%% A malformed /data/sys.config: the image's setting holds; what boot 2 added is there.
phase3() ->
    run([{"the image's greeting holds", fun() ->
              application:get_env(storage_check, greeting) =:= {ok, image} end},
         {"disk_log halt: the 510 terms", fun() ->
              {ok, hl} = dl_open(halt), Back = dl_all(hl), ok = disk_log:close(hl),
              Back =:= [{term, N} || N <- lists:seq(1, 510)] end},
         {"mnesia: the 201 records", fun() ->
              mnesia_up(), S = kv_sum(), stopped = mnesia:stop(),
              S =:= 201 * 202 div 2 end}]).
