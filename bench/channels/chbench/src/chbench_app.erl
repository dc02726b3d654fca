%% chbench_app: starts the benchmark's supervisor (the meter PD) and the
%% benchmark run itself (chbench:run/0, which halts the machine).
-module(chbench_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) ->
    {ok, Sup} = chbench_sup:start_link(),
    spawn(chbench, run, []),
    {ok, Sup}.

stop(_State) -> ok.
