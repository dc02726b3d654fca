%% freebeam - the front door of the freebeam application for erl's command
%% line: `-s freebeam` starts it (and what it needs) at boot.
-module(freebeam).
-export([start/0]).

-spec start() -> ok.
start() ->
    {ok, _} = application:ensure_all_started(freebeam),
    ok.
