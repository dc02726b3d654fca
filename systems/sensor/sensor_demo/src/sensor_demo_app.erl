%% sensor_demo_app: starts the demo's supervisor.
-module(sensor_demo_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) -> sensor_demo_sup:start_link().

stop(_State) -> ok.
