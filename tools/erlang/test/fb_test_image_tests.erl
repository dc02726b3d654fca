%% fb_test_image_tests - the logic of `tools/freebeam test-image`
%% (fb_test_image) without booting anything: the command line and its
%% errors, the plan made of the files given, the description of each boot,
%% and the reading of a console after a boot (finished, which module
%% crashed the VM and why, the totals).  tests/suites/erlang.sh boots the
%% images, crashed modules included.
-module(fb_test_image_tests).
-include("fb_assert.hrl").

error_of(Fun) ->
    try Fun() of
        R -> {returned, R}
    catch
        throw:E -> E
    end.
parse_error(Args) -> error_of(fun() -> fb_test_image:parse(Args) end).

%% Files in a scratch folder, by name.
files(Names) ->
    Dir = fb_test_lib:scratch(),
    [ok = file:write_file(filename:join(Dir, N), <<>>) || N <- Names],
    Dir.

%% ---- the command line ----

parse_test() ->
    Dir = files([]),
    O = fb_test_image:parse(["--timeout", "2.5", "--mem", "512", "--heap", "64", "--env", "A=1",
                             "--erl-arg", "-x", "--apps", "crypto,ssl", "--apps", "ssh", "--search", Dir,
                             "--net", "--hostfwd", "tcp:1-:2", "a.erl", "--keep", "k.img", "--", "--b.erl"]),
    ?assertEqual(["a.erl", "--b.erl"], maps:get(files, O)),
    ?assertEqual({"2.5", "512", "64", "k.img"}, {maps:get(timeout, O), maps:get(mem, O), maps:get(heap, O),
                                                 maps:get(keep, O)}),
    ?assertEqual(["crypto", "ssl", "ssh"], maps:get(apps, O)),
    ?assertEqual(["--search", Dir], maps:get(searches, O)),
    ?assertEqual(["--net", "--hostfwd", "tcp:1-:2"], maps:get(net, O)),
    ?assertEqual({["A=1"], ["-x"]}, {maps:get(envs, O), maps:get(erl_args, O)}),
    ?assertEqual("300", maps:get(timeout, fb_test_image:parse(["a.erl"]))).

parse_errors_test() ->
    [?assertEqual(Want, parse_error(Args)) || {Want, Args} <-
        [{usage, []},
         {usage, ["--timeout", "5"]},
         {usage, ["a.erl", "--env"]},
         {{usage, "unknown option --bogus"}, ["--bogus", "a.erl"]},
         {{die, "--env needs KEY=VALUE"}, ["--env", "=x", "a.erl"]},
         {{die, "--apps needs APP,... (application names)"}, ["--apps", "Crypto", "a.erl"]},
         {{die, "--apps needs APP,... (application names)"}, ["--apps", "a,", "a.erl"]},
         {{die, "--system /no/such.config: no such file"}, ["--system", "/no/such.config", "a.erl"]},
         {{die, "--search /no/such: no such directory"}, ["--search", "/no/such", "a.erl"]},
         {{die, "--timeout needs a number of seconds"}, ["--timeout", "5s", "a.erl"]},
         {{die, "--mem needs a number of MB"}, ["--mem", "1G", "a.erl"]},
         {{die, "--cases needs NAME,... (the names of cases or groups)"}, ["--cases", "a,,b", "a_SUITE.erl"]},
         {{die, "--cases needs NAME,... (the names of cases or groups)"}, ["--cases", "Big", "a_SUITE.erl"]},
         {usage, ["a_SUITE.erl", "--cases"]},
         {{die, "--heap needs a number of MB from 32 to 879 (without it: all the RAM left)"},
          ["--heap", "16", "a.erl"]}]].

%% ---- the modules ----

modules_test() ->
    D = files(["a_tests.erl", "b_SUITE.erl", "c.beam", "h.erl", "x_test.exs"]),
    F = fun(N) -> filename:join(D, N) end,
    {Plan, M} = fb_test_image:modules([F("a_tests.erl"), F("x_test.exs"), F("b_SUITE.erl"), F("c.beam")],
                                      [F("h.erl")]),
    ?assertEqual(["{eunit, a_tests}.", {exs, F("x_test.exs")}, "{ct, b_SUITE}.", "{eunit, c}."], Plan),
    ?assertEqual([F("a_tests.erl"), F("b_SUITE.erl"), F("h.erl")], maps:get(srcs, M)),
    ?assertEqual({[F("c.beam")], [F("x_test.exs")], true}, {maps:get(beams, M), maps:get(exs, M), maps:get(ct, M)}),
    ?assertEqual([], maps:get(files, M)).

%% --cases: each suite's entry names the entries of its all() to run; the
%% EUnit and ExUnit entries are left as they are.
select_test() ->
    Plan = ["{eunit, a}.", "{ct, b_SUITE}.", {exs, "x_test.exs"}, "{ct, c_SUITE}."],
    ?assertEqual(Plan, fb_test_image:select(Plan, [])),
    ?assertEqual(["{eunit, a}.", "{ct, b_SUITE, [heavy, t1]}.", {exs, "x_test.exs"}, "{ct, c_SUITE, [heavy, t1]}."],
                 fb_test_image:select(Plan, ["heavy", "t1"])),
    ?assertEqual({die, "--cases needs a Common Test suite (a *_SUITE file) to select from"},
                 error_of(fun() -> fb_test_image:select(["{eunit, a}."], ["t1"]) end)),
    ?assertEqual(["heavy", "t1", "t2"], maps:get(cases, fb_test_image:parse(["--cases", "heavy,t1", "--cases", "t2",
                                                                              "a_SUITE.erl"]))).

%% A helper that is not a module is a file put beside the modules, once.
modules_files_test() ->
    D = files(["a_tests.erl", "t.table"]),
    D2 = files(["t.table"]),
    F = fun(N) -> filename:join(D, N) end,
    {Plan, M} = fb_test_image:modules([F("a_tests.erl")], [F("t.table")]),
    ?assertEqual(["{eunit, a_tests}."], Plan),
    ?assertEqual({[F("a_tests.erl")], [F("t.table")]}, {maps:get(srcs, M), maps:get(files, M)}),
    ?assertEqual({die, filename:join(D2, "t.table") ++ ": a helper file t.table given twice"},
                 error_of(fun() -> fb_test_image:modules([F("a_tests.erl")],
                                                         [F("t.table"), filename:join(D2, "t.table")]) end)),
    %% A test file must still be a module.
    ?assertEqual({die, F("t.table") ++ ": not an Erlang source (.erl), module (.beam) or ExUnit file (_test.exs)"},
                 error_of(fun() -> fb_test_image:modules([F("t.table")], []) end)).

modules_errors_test() ->
    D = files(["a.erl", "B.erl", "a.txt", "fb_test_runner.erl", "h_test.exs"]),
    F = fun(N) -> filename:join(D, N) end,
    Err = fun(Files, Helpers) -> error_of(fun() -> fb_test_image:modules(Files, Helpers) end) end,
    ?assertEqual({die, F("none.erl") ++ ": no such file"}, Err([F("none.erl")], [])),
    ?assertEqual({die, F("a.txt") ++ ": not an Erlang source (.erl), module (.beam) or ExUnit file (_test.exs)"},
                 Err([F("a.txt")], [])),
    ?assertEqual({die, F("B.erl") ++ ": B is not a plain module name"}, Err([F("B.erl")], [])),
    ?assertEqual({die, F("a.erl") ++ ": module a given twice"}, Err([F("a.erl")], [F("a.erl")])),
    ?assertEqual({die, F("fb_test_runner.erl") ++ ": fb_test_runner is the runner's own name"},
                 Err([F("fb_test_runner.erl")], [])),
    %% An ExUnit file is a test file, never a helper.
    ?assertEqual({die, F("h_test.exs") ++ ": not an Erlang source (.erl), module (.beam) or ExUnit file (_test.exs)"},
                 Err([F("a.erl")], [F("h_test.exs")])).

%% ---- the description ----

config_test() ->
    O = fb_test_image:parse(["--env", "HOME=/h", "--erl-arg", "-enable-feature", "--erl-arg", "maybe_expr", "a.erl"]),
    Text = lists:flatten(io_lib:format("~ts", [fb_test_image:config("/sdk/systems/beam.config", O,
                                                                    ["/abs/net.config"], "16#4000000", 3)])),
    Want = "%% Generated by tools/freebeam test-image: erts boots from root.cpio, runs\n"
        "%% fb_test_runner on /otp/test/plan.eterm from module 3 on and powers off\n"
        "%% with its verdict: the BEAM PD of beam/beam.config.\n"
        "{include, \"/sdk/systems/beam.config\",\n"
        " [{erl_args, [\"--\", \"-enable-feature\", \"maybe_expr\", \"-noshell\", \"-pa\", \"/otp/test/ebin\",\n"
        "              \"-eval\", \"fb_test_runner:main(\\\"/otp/test/plan.eterm\\\", 3).\"]},\n"
        "  {env, [\"HOME=/h\", \"TERM=vt100\", \"LANG=C.UTF-8\", \"FREEBEAM_NODENAME=freebeam.local\", "
        "\"ERL_INETRC=/otp/etc/inetrc\", \"ROOTDIR=/otp\", \"BINDIR=/otp/bin\", \"EMU=beam\", \"PROGNAME=erl\", "
        "\"ERL_CRASH_DUMP=/tmp/erl_crash.dump\"]}, {heap, 16#4000000}]}.\n"
        "%% From --system /abs/net.config\n"
        "{include, \"/abs/net.config\"}.\n",
    ?assertEqual(Want, Text),
    {ok, Toks, _} = erl_scan:string(Text),
    ?assertEqual(2, length([T || T = {dot, _} <- Toks])).

%% ---- reading a console ----

-define(CRASHED, ["boot...", "fb_test: eunit a_tests", "fb_test: a_tests: 3 passed, 0 failed, 0 skipped",
                  "fb_test: ct b_SUITE", "some output", "", "Slogan: eheap_alloc: Cannot allocate",
                  "Crash dump is being written to: /tmp/erl_crash.dump...done", "   "]).

finished_test() ->
    ?assert(fb_test_image:finished(["x", "fb_test: 2 module(s) in 130 ms"])),
    ?assertNot(fb_test_image:finished(["fb_test: 2 module(s) in 130 ms, more"])),
    ?assertNot(fb_test_image:finished(?CRASHED)).

crashed_module_test() ->
    ?assertEqual("b_SUITE", fb_test_image:crashed_module(?CRASHED)),
    ?assertEqual(none, fb_test_image:crashed_module(lists:sublist(?CRASHED, 3))),
    ?assertEqual(none, fb_test_image:crashed_module(["nothing at all"])),
    ?assertEqual("Elixir.FooTest", fb_test_image:crashed_module(["fb_test: exunit Elixir.FooTest"])).

last_words_test() ->
    ?assertEqual("Slogan: eheap_alloc: Cannot allocate", fb_test_image:last_words("b_SUITE", ?CRASHED)),
    %% No crash dump notice: the last line that is not blank.
    ?assertEqual("halting", fb_test_image:last_words("m", ["fb_test: eunit m", "halting", " "])),
    ?assertEqual("", fb_test_image:last_words("m", ["fb_test: eunit m"])),
    %% Lines before the module started do not count.
    ?assertEqual("", fb_test_image:last_words("m", ["earlier", "fb_test: eunit m", ""])).

plan_index_test() ->
    Plan = ["{eunit, a}.", "{ct, b_SUITE}.", "{exunit, 'Elixir.FooTest'}.", "{ct, d_SUITE, [g, c1]}."],
    ?assertEqual(2, fb_test_image:plan_index("b_SUITE", Plan)),
    ?assertEqual(3, fb_test_image:plan_index("Elixir.FooTest", Plan)),
    ?assertEqual(4, fb_test_image:plan_index("d_SUITE", Plan)),
    ?assertEqual(0, fb_test_image:plan_index("c", Plan)),
    ?assertEqual(0, fb_test_image:plan_index("b", Plan)),
    ?assertEqual(0, fb_test_image:plan_index("d", Plan)).

totals_test() ->
    ?assertEqual({5, 1, 2}, fb_test_image:totals(["fb_test: a: 3 passed, 0 failed, 2 skipped", "noise",
                                                   "fb_test: Elixir.B: 2 passed, 1 failed, 0 skipped",
                                                   "fb_test: c: 1 passed, 0 failed, 0 skipped and more"])),
    ?assertEqual({0, 0, 0}, fb_test_image:totals([])).
