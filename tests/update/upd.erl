%% upd - the application of tests/suites/update.sh: each version of it says
%% which release runs (freebeam_release:current/0), then does what its
%% `action` setting says: halt, confirm (then halt), wait (for the
%% confirmation timer to halt the VM) or crash (erts aborts).
-module(upd).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) ->
    {ok, Vsn} = application:get_key(upd, vsn),
    {ok, Action} = application:get_env(upd, action),
    io:format("upd: vsn ~s release ~p action ~p~n", [Vsn, freebeam_release:current(), Action]),
    Pid = spawn(fun() -> act(Action) end),
    {ok, Pid}.

stop(_State) -> ok.

act(halt) -> halt(0);
act(confirm) ->
    io:format("upd: confirm ~p~n", [freebeam_release:confirm()]),
    halt(0);
act(wait) -> timer:sleep(infinity);
act(crash) -> erlang:halt(abort).
