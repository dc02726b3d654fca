%% fb_cli_tests - what the image commands share (fb_cli): paths made
%% absolute like `cd DIR && pwd`, empty option values, the BEAM PD's
%% environment, description strings and heap sizes.
-module(fb_cli_tests).
-include("fb_assert.hrl").

abspath_test() ->
    ?assertEqual("/a/c", fb_cli:abspath("/a/b/../c/.")),
    ?assertEqual("/", fb_cli:abspath("/..")),
    {ok, Cwd} = file:get_cwd(),
    ?assertEqual(filename:join(Cwd, "x"), fb_cli:abspath("x")).

set_test() ->
    ?assertEqual(#{a => "1"}, fb_cli:set(a, "1", #{})),
    ?assertEqual(#{}, fb_cli:set(a, "", #{a => "1"})).

env_test() ->
    E = fb_cli:env(["TERM=xterm", "NEW=1"], ["B=1"], ["A=1", "TERM=x"]),
    ?assertEqual(["TERM=xterm", "NEW=1", "B=1", "HOME=/"], lists:sublist(E, 4)),
    ?assertEqual("A=1", lists:last(E)),
    ?assertEqual(1, length([T || "TERM=" ++ _ = T <- E])).

estr_heap_test() ->
    ?assertEqual("\"a\\\"b\\\\c\"", lists:flatten(fb_cli:estr("a\"b\\c"))),
    ?assertEqual({"rest", "16#20000000"}, {fb_cli:heap(""), fb_cli:heap("512")}).
