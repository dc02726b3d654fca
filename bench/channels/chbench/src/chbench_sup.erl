%% chbench_sup: the meter PD (bench/channels/chmeter.c) as the child of an
%% ordinary supervisor: fault_to_restarted_insns times this supervisor's
%% restart of it.
-module(chbench_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Flags = #{strategy => one_for_one, intensity => 5, period => 10},
    {ok, {Flags, [freebeam_pd:child_spec(chmeter)]}}.
