%% sup_cb: a plain supervisor with the echo PD as its only child, for
%% freebeam_api_tests:supervised_test/0.
-module(sup_cb).
-behaviour(supervisor).
-export([init/1]).

init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
          [freebeam_pd:child_spec(qecho)]}}.
