%% fb_release_image_tests - the logic of `tools/freebeam image --app` and
%% `--release` (fb_release_image) without building anything: the command
%% line and each of its usage errors, the plan lines of fb_release as read,
%% the environment and erl arguments of the description, and the whole
%% description text.  tests/suites/release.sh and elixir.sh build and boot
%% the images.
-module(fb_release_image_tests).
-include("fb_assert.hrl").

usage_of(Args) ->
    try fb_release_image:parse(Args) of
        O -> {parsed, O}
    catch
        throw:{usage, Msg} -> Msg
    end.

%% ---- the command line ----

parse_apps_test() ->
    O = fb_release_image:parse(["--app", "a", "--app", "b", "-o", "x.img", "--start", "a", "--name", "n",
                                "--vsn", "1.0+x", "--shell", "--heap", "64", "--env", "K=V", "--arg", "-x",
                                "--system", "s.config", "--search", "d", "--no-compress"]),
    ?assertEqual(["a", "b"], maps:get(apps, O)),
    ?assertEqual("x.img", maps:get(out, O)),
    ?assertEqual(["a"], maps:get(starts, O)),
    ?assertEqual({"n", "1.0+x", "64"}, {maps:get(name, O), maps:get(vsn, O), maps:get(heap, O)}),
    ?assertEqual({true, false}, {maps:get(shell, O), maps:get(compress, O)}),
    ?assertEqual({["K=V"], ["-x"]}, {maps:get(envs, O), maps:get(args, O)}),
    ?assertEqual({["s.config"], ["d"]}, {maps:get(systems, O), maps:get(searches, O)}).

parse_release_test() ->
    O = fb_release_image:parse(["--release", "r", "-o", "x.img"]),
    ?assertEqual({"r", [], true}, {maps:get(release, O), maps:get(apps, O), maps:get(compress, O)}),
    ?assertNot(maps:is_key(heap, O)).

%% A value option's value may start with a dash, as in the shell script.
value_may_start_with_dash_test() ->
    ?assertEqual(["-y"], maps:get(args, fb_release_image:parse(["--app", "a", "-o", "o", "--arg", "-y"]))).

usage_errors_test() ->
    A = ["--app", "a", "-o", "o"],
    [?assertEqual(Want, usage_of(Args)) || {Want, Args} <-
        [{"-o needs a value", ["--app", "a", "-o"]},
         {"--app needs a value", ["--app"]},
         {"--release given twice", ["--release", "r", "--release", "s"]},
         {"--env needs KEY=VALUE", A ++ ["--env", "1X=2"]},
         {"--env needs KEY=VALUE", A ++ ["--env", "NOVALUE"]},
         {"--arg needs a non-empty argument", A ++ ["--arg", ""]},
         {"unknown option --bogus", A ++ ["--bogus", "x"]},
         {"unknown option --bogus", A ++ ["--bogus"]},
         {"unexpected argument my.config (a system description cannot be combined with --app or --release)",
          A ++ ["my.config"]},
         {"need -o OUT.img", ["--app", "a"]},
         {"--app and --release cannot be combined", ["--release", "r" | A]},
         {"--start, --name and --vsn are for --app (a release says them itself)",
          ["--release", "r", "-o", "o", "--name", "n"]},
         {"need --app DIR or --release DIR", ["-o", "o"]},
         {"--heap needs a number of MB from 32 to 879 (without it: all the RAM left)", A ++ ["--heap", "31"]},
         {"--heap needs a number of MB from 32 to 879 (without it: all the RAM left)", A ++ ["--heap", "880"]},
         {"--heap needs a number of MB from 32 to 879 (without it: all the RAM left)", A ++ ["--heap", "1e3"]},
         {"--name: letters, digits, _ . - only", A ++ ["--name", "a/b"]},
         {"--name: letters, digits, _ . - only", A ++ ["--name", ".x"]},
         {"--vsn: letters, digits, _ . + - only", A ++ ["--vsn", "1 2"]},
         {"--start Foo: not an application name", A ++ ["--start", "Foo"]}]].

%% An empty value is no value: the defaults hold.
empty_values_test() ->
    O = fb_release_image:parse(["--app", "a", "-o", "o", "--name", "", "--vsn", "", "--heap", "", "--kernel", ""]),
    ?assertEqual([], [K || K <- [name, vsn, heap, kernel], maps:is_key(K, O)]),
    ?assertEqual("need -o OUT.img", usage_of(["--app", "a", "-o", ""])),
    ?assertEqual("need --app DIR or --release DIR", usage_of(["--release", "", "-o", "o"])).

heap_bounds_test() ->
    A = ["--app", "a", "-o", "o", "--heap"],
    ?assertEqual("32", maps:get(heap, fb_release_image:parse(A ++ ["32"]))),
    ?assertEqual("879", maps:get(heap, fb_release_image:parse(A ++ ["879"]))).

%% ---- the plan ----

fields_test() ->
    ?assertEqual({"app", "a-1", "/x/my dir"}, fb_release_image:fields("app a-1 /x/my dir")),
    ?assertEqual({"host", "sasl", ""}, fb_release_image:fields("  host \t sasl  ")),
    ?assertEqual({"", "", ""}, fb_release_image:fields("")).

plan_test() ->
    P = fb_release_image:plan(["host sasl", "host crypto", "app a-1 /x/my dir", "boot /otp/releases/1/a",
                               "config /otp/releases/1/sys", "env RELEASE_ROOT=/otp", "arg -s foo",
                               "arg -x", "release a 1", ""]),
    ?assertEqual(["sasl", "crypto"], maps:get(host, P)),
    ?assertEqual([{"a-1", "/x/my dir"}], maps:get(apps, P)),
    ?assertEqual({"/otp/releases/1/a", "/otp/releases/1/sys"}, {maps:get(boot, P), maps:get(config, P)}),
    ?assertEqual({["RELEASE_ROOT=/otp"], ["-s foo", "-x"]}, {maps:get(envs, P), maps:get(args, P)}),
    ?assertEqual({"a", "1"}, maps:get(release, P)).

%% ---- the description ----

%% --env replaces a default and the release's; the release's and the
%% defaults are kept side by side (as the shell script did).
env_list_test() ->
    E = fb_release_image:env_list(["HOME=/h", "A=1"], ["RELEASE_ROOT=/otp", "HOME=/r"], false),
    ?assertEqual(["HOME=/h", "A=1", "RELEASE_ROOT=/otp"], lists:sublist(E, 3)),
    ?assertNot(lists:member("HOME=/", E)),
    ?assertNot(lists:member("HOME=/r", E)),
    ?assertEqual("ERL_CRASH_DUMP=/tmp/erl_crash.dump", lists:last(E)),
    ?assertEqual("FREEBEAM_CONSOLE_CH=0", lists:last(fb_release_image:env_list([], [], true))),
    ?assert(lists:member("HOME=/r", fb_release_image:env_list([], ["HOME=/r"], false))).

plan_for(Opts) ->
    O = fb_release_image:parse(["--app", "a", "-o", "o" | Opts]),
    (fb_release_image:plan(["boot /otp/releases/1/a", "release a 1", "arg -s x"]))#{
        opts => O, desc => "/sdk/systems", systems => [{"s.config", "/abs/s.config"}]}.

description_test() ->
    Text = lists:flatten(io_lib:format("~ts", [fb_release_image:description(plan_for(["--arg", "-y"]))])),
    Want = "%% Generated by tools/freebeam image for the release a 1 (docs/releases.md).\n"
        "%% As beam/hello.config: the BEAM PD alone, -noshell.\n"
        "{include, \"/sdk/systems/beam.config\", [{erl_args, [\"--\", \"-boot\", \"/otp/releases/1/a\", "
        "\"-noshell\", \"-s x\", \"-y\"]}, {env, [\"HOME=/\", \"TERM=vt100\", \"LANG=C.UTF-8\", "
        "\"FREEBEAM_NODENAME=freebeam.local\", \"ERL_INETRC=/otp/etc/inetrc\", \"ROOTDIR=/otp\", "
        "\"BINDIR=/otp/bin\", \"EMU=beam\", \"PROGNAME=erl\", \"ERL_CRASH_DUMP=/tmp/erl_crash.dump\"]}, "
        "{heap, rest}]}.\n"
        "%% From --system s.config: more PDs, regions, maps and channels.\n"
        "{include, \"/abs/s.config\"}.\n",
    ?assertEqual(Want, Text),
    %% It is a description: the terms parse.
    {ok, Toks, _} = erl_scan:string(Text),
    ?assertEqual(2, length([T || T = {dot, _} <- Toks])).

description_shell_test() ->
    P = plan_for(["--shell", "--heap", "64"]),
    Text = lists:flatten(io_lib:format("~ts", [fb_release_image:description(P#{config => "/otp/releases/1/sys"})])),
    ?assertNotEqual(nomatch, string:find(Text, "{include, \"/sdk/systems/serial.config\", "
                                                "[{client, beam}, {options, [{monitor, beam}]}]}.\n")),
    ?assertNotEqual(nomatch, string:find(Text, "\"-boot\", \"/otp/releases/1/a\", \"-config\", "
                                                "\"/otp/releases/1/sys\", \"-s\", \"freebeam\", \"-freebeam\", "
                                                "\"supervise\", \"[serial]\", \"-s x\"]")),
    ?assertNotEqual(nomatch, string:find(Text, "\"FREEBEAM_CONSOLE_CH=0\"]}, {heap, 16#4000000}]}.\n")),
    ?assertEqual(nomatch, string:find(Text, "-noshell")).
