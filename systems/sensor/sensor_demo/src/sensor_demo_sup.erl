%% sensor_demo_sup: the native sensor PD and its Erlang consumer under one
%% ordinary supervisor.  The sensor crashes on purpose every N readings; the
%% supervisor restarts it (freebeam_pd:child_spec/2) within its own
%% intensity and period, as it would restart an Erlang worker.
-module(sensor_demo_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Flags = #{strategy => one_for_one, intensity => 50, period => 10},
    Children = [freebeam_pd:child_spec(sensor),
                #{id => sensor_demo_server, start => {sensor_demo_server, start_link, []}}],
    {ok, {Flags, Children}}.
