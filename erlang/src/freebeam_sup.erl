%% freebeam_sup - the freebeam application's top supervisor.  It supervises
%% the native PDs named in the application's environment key `supervise`
%% (default []): the images whose console is the serial driver PD start the
%% BEAM with `-freebeam supervise [serial]`, so a crashed console driver is
%% restarted here.  A user's own native PDs go into the user's supervisors
%% with freebeam_pd:child_spec/1 (one supervisor per PD: never name a PD
%% both here and there).
-module(freebeam_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Names = application:get_env(freebeam, supervise, []),
    true = is_list(Names) andalso lists:all(fun is_atom/1, Names),
    {ok, {#{strategy => one_for_one, intensity => 10, period => 10},
          [freebeam_pd:child_spec(N) || N <- Names]}}.
