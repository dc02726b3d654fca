%% storage_check - Erlang's file module and DETS on /data (libos's ext4 on the
%% virtio-blk disk), booted twice on one disk by tests/suites/storage.sh.
%% First boot (no /data/erl/boot1 yet): writes files with file:write_file,
%% appends through file:open([append]), pwrite/pread/position/truncate,
%% rename over an existing file, make_dir, list_dir, delete, a 1 MiB file
%% and a DETS table; checks each.  Second boot: reads all of it back.
%% Prints `storage: phase N`, one line per failure and `storage: N passed,
%% N failed`, then halts with 0 only if none failed.
-module(storage_check).
-behaviour(application).
-export([start/2, stop/1, main/0]).

start(_Type, _Args) -> {ok, spawn(fun main/0)}.
stop(_State) -> ok.

-define(D, "/data/erl").

big() -> binary:copy(<<"0123456789abcdef">>, 65536).

main() ->
    Phase = case file:read_file(?D ++ "/boot1") of {ok, _} -> 2; _ -> 1 end,
    io:format("storage: phase ~p~n", [Phase]),
    Checks = case Phase of 1 -> phase1(); 2 -> phase2() end,
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
              lists:sort(L) =:= ["a.txt", "big", "boot1", "final", "log", "rw", "t.dets"] end},
         {"dets: the 1000 objects", fun() ->
              {ok, t} = dets:open_file(t, [{file, ?D ++ "/t.dets"}]),
              Size = dets:info(t, size), Obj = dets:lookup(t, 777), ok = dets:close(t),
              {Size, Obj} =:= {1000, [{777, 777 * 777}]} end},
         {"boot2 marker", fun() -> file:write_file(?D ++ "/boot2", <<"2">>) =:= ok end}]).
