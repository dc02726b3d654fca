%% ssh_shell_app - the application callback: starts the top supervisor.
-module(ssh_shell_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) ->
    ssh_shell_sup:start_link().

stop(_State) ->
    ok.
