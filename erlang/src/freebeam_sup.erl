%% freebeam_sup - the freebeam application's top supervisor.  No children
%% yet: the services that watch native components (the console driver, ...)
%% will sit here.  Native PDs of the user's own go into the user's
%% supervisors with freebeam_pd:child_spec/1.
-module(freebeam_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, []}}.
