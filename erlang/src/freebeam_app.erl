%% freebeam_app - the application callback of freebeam: starts the top
%% supervisor.  Not started by the plain shell image; start it with
%% application:ensure_all_started(freebeam) or from a release.
-module(freebeam_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) ->
    freebeam_sup:start_link().

stop(_State) ->
    ok.
