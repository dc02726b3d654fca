%% fb_test_image - `tools/freebeam test-image`: run EUnit test modules and
%% Common Test suites inside a freebeam image (docs/erlang-tests.md).
%% tools/testimage/test-image.sh runs it as `fb_main test-image ROOT ARGS...`
%% (ROOT: the checkout).
%%
%%   test-image [--timeout S] [--keep IMG] [--mem MB] [--heap MB] [--env K=V]... [--erl-arg ARG]...
%%              [--helper FILE]... [--apps APP,...]... [--system FILE]... [--search DIR]... [--net]
%%              [--hostfwd RULE]... [--cases NAME,...]... MODULE_OR_SUITE...
%%
%% Each argument is an Erlang source file (or an already compiled .beam): a
%% name ending in _SUITE is a Common Test suite, anything else an EUnit
%% module; or an ExUnit file (foo_test.exs: compiled on the host by
%% tools/testimage/compile_exs.exs; each test module it defines runs, and
%% the image holds Elixir's elixir and ex_unit applications).  On the host:
%% compile them with erlc (the host's OTP is the image's OTP), build an OTP
%% root archive (beam/mkroot.sh: kernel, stdlib, compiler, the freebeam
%% application, eunit, and common_test when a suite is given) with the
%% compiled modules and the runner (fb_test_runner) in /otp/test/ebin, write
%% a description that includes the SDK's beam.config and whose -eval runs the
%% runner, build the image and boot it.  The runner prints `N passed, N
%% failed, N skipped` and halts with 0 only if nothing failed; that status is
%% ours.  A module that takes the VM down (out of memory, an abort, a halt)
%% is reported as crashed with erts's last words and counted as one failure,
%% and the image boots again for the modules after it; then the totals are
%% ours (1 as status; 124 when the run's --timeout ran out).
%% --erl-arg ARG: one more argument of erl's command line, before the
%% runner's -eval.  --helper FILE: a module the tests use, compiled, not run;
%% a file that is not a module (.erl, .beam, .exs) is put beside them as it is
%% (e.g. a table a helper module reads from its own folder).
%% --apps APP,...: more of the host's OTP applications (not started); with
%% crypto the image boots the crypto flavour of erts (docs/crypto.md).
%% --system FILE adds description terms (native PDs...; the BEAM PD is
%% `beam`, with the pd_control right), --search DIR a folder for their ELF
%% files.  --net and --hostfwd RULE go to `run` (docs/networking.md).
%% --cases NAME,...: of each Common Test suite, only these entries of its
%% all() (a case, or a group by its name), in all()'s order: a suite too long
%% for one run can be run in parts.
%% Everything goes to a temporary folder (under $TMPDIR or /tmp), removed at
%% the end (--keep IMG copies the image out first).
-module(fb_test_image).
-export([main/2]).
-export([parse/1, modules/2, select/2, config/5, crashed_module/1, last_words/2, totals/1,
         plan_index/2, finished/1]).
-import(fb_cli, [match/2, set/3, abspath/1, estr/1]).

-define(ME, "freebeam test-image").
-define(USAGE,
        "usage: freebeam test-image [--timeout S] [--keep IMG] [--mem MB] [--heap MB] [--env K=V]... [--erl-arg ARG]...\n"
        "                             [--helper FILE]... [--apps APP,...]... [--system FILE]... [--search DIR]... [--net] [--hostfwd RULE]...\n"
        "                             [--cases NAME,...]... MODULE_OR_SUITE...\n").

%% main(Root, Args) -> ExitStatus.
main(Root, Args) ->
    try
        O = parse(Args),
        {Plan, Mods} = modules(maps:get(files, O), maps:get(helpers, O)),
        run(Root, O, select(Plan, maps:get(cases, O)), Mods)
    catch
        throw:usage -> io:put_chars(standard_error, ?USAGE), 2;
        throw:{usage, Msg} -> io:put_chars(standard_error, [?ME, ": ", Msg, $\n, ?USAGE]), 2;
        throw:{die, Msg} -> io:put_chars(standard_error, [?ME, ": ", Msg, $\n]), 2;
        throw:{fail, Msg} -> io:put_chars(standard_error, [?ME, ": ", Msg, $\n]), 1;
        throw:{exit, Status} -> Status
    end.

%% ---- the command line ----

%% parse(Args) -> Options; throws usage, {usage, Msg} or {die, Msg} (status 2).
parse(Args) ->
    O = opts(Args, #{timeout => "300", files => [], envs => [], helpers => [], systems => [], searches => [],
                     apps => [], net => [], erl_args => [], cases => []}),
    maps:get(files, O) =/= [] orelse throw(usage),
    match(maps:get(timeout, O), "^[0-9]+([.][0-9]+)?$") orelse die("--timeout needs a number of seconds"),
    match(maps:get(mem, O, ""), "^([0-9]+)?$") orelse die("--mem needs a number of MB"),
    %% Without --heap the heap region is the rest of RAM, sized by the
    %% kernel at boot; --heap MB caps it (879 MiB at most: docs/kernel.md).
    case O of
        #{heap := H} ->
            match(H, "^[0-9]+$") andalso list_to_integer(H) >= 32 andalso list_to_integer(H) =< 879
                orelse die("--heap needs a number of MB from 32 to 879 (without it: all the RAM left)");
        _ -> ok
    end,
    O.

opts([], O) -> O;
opts(["--net" | T], O) -> opts(T, add(net, ["--net"], O));
opts(["--" | T], O) -> O#{files := maps:get(files, O) ++ T};
opts([Opt], _) when Opt =:= "--timeout"; Opt =:= "--keep"; Opt =:= "--mem"; Opt =:= "--heap";
                    Opt =:= "--env"; Opt =:= "--erl-arg"; Opt =:= "--helper"; Opt =:= "--apps";
                    Opt =:= "--system"; Opt =:= "--search"; Opt =:= "--hostfwd"; Opt =:= "--cases" ->
    throw(usage);
opts(["--timeout", V | T], O) -> opts(T, O#{timeout := V});
opts(["--keep", V | T], O) -> opts(T, set(keep, V, O));
opts(["--mem", V | T], O) -> opts(T, set(mem, V, O));
opts(["--heap", V | T], O) -> opts(T, set(heap, V, O));
opts(["--env", V | T], O) ->
    match(V, "^[A-Za-z_][A-Za-z0-9_]*=") orelse die("--env needs KEY=VALUE"),
    opts(T, add(envs, [V], O));
opts(["--erl-arg", V | T], O) -> opts(T, add(erl_args, [V], O));
opts(["--helper", V | T], O) -> opts(T, add(helpers, [V], O));
opts(["--apps", V | T], O) ->
    match(V, "^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$") orelse die("--apps needs APP,... (application names)"),
    opts(T, add(apps, string:split(V, ",", all), O));
opts(["--system", V | T], O) ->
    filelib:is_regular(V) orelse die("--system " ++ V ++ ": no such file"),
    opts(T, add(systems, [abspath(V)], O));
opts(["--search", V | T], O) ->
    filelib:is_dir(V) orelse die("--search " ++ V ++ ": no such directory"),
    opts(T, add(searches, ["--search", abspath(V)], O));
opts(["--hostfwd", V | T], O) -> opts(T, add(net, ["--hostfwd", V], O));
opts(["--cases", V | T], O) ->
    match(V, "^[a-z][a-zA-Z0-9_]*(,[a-z][a-zA-Z0-9_]*)*$")
        orelse die("--cases needs NAME,... (the names of cases or groups)"),
    opts(T, add(cases, string:lexemes(V, ","), O));
opts(["-" ++ _ = Opt | _], _) -> throw({usage, "unknown option " ++ Opt});
opts([F | T], O) -> opts(T, add(files, [F], O)).

add(K, Vs, O) -> O#{K := maps:get(K, O) ++ Vs}.

die(Msg) -> throw({die, Msg}).
fail(Msg) -> throw({fail, Msg}).

%% ---- the modules ----

%% modules(Files, Helpers) -> {Plan, #{srcs, beams, exs, ct}}: the plan's
%% entries in order ({exs, File} stands for the test modules of an ExUnit
%% file, known once compiled), and what to compile or copy.  A helper is
%% compiled, never run; a helper that is not a module is a file copied beside
%% the modules.  Throws {die, Msg}.
modules(Files, Helpers) ->
    All = [{F, run} || F <- Files] ++ [{F, helper} || F <- Helpers],
    {Plan, M, _} = lists:foldl(fun module/2, {[], #{srcs => [], beams => [], exs => [], files => [],
                                                    ct => false}, #{}}, All),
    {lists:reverse(Plan), M}.

module({F, Role}, {Plan, M, Seen}) ->
    filelib:is_regular(F) orelse die(F ++ ": no such file"),
    DataFile = not lists:member(filename:extension(F), [".erl", ".beam", ".exs"]),
    case lists:suffix("_test.exs", F) andalso Role =:= run of
        true -> {[{exs, F} | Plan], M#{exs := maps:get(exs, M) ++ [F]}, Seen};
        false when Role =:= helper, DataFile ->
            Name = filename:basename(F),
            maps:is_key({file, Name}, Seen) andalso die(F ++ ": a helper file " ++ Name ++ " given twice"),
            {Plan, M#{files := maps:get(files, M) ++ [F]}, Seen#{{file, Name} => true}};
        false ->
            {Mod, Kind} = case filename:extension(F) of
                              ".erl" -> {filename:basename(F, ".erl"), srcs};
                              ".beam" -> {filename:basename(F, ".beam"), beams};
                              _ -> die(F ++ ": not an Erlang source (.erl), module (.beam) or ExUnit file (_test.exs)")
                          end,
            match(Mod, "^[a-z][a-zA-Z0-9_]*$") orelse die(F ++ ": " ++ Mod ++ " is not a plain module name"),
            maps:is_key(Mod, Seen) andalso die(F ++ ": module " ++ Mod ++ " given twice"),
            Mod =:= "fb_test_runner" andalso die(F ++ ": fb_test_runner is the runner's own name"),
            M1 = M#{Kind := maps:get(Kind, M) ++ [F]},
            Seen1 = Seen#{Mod => true},
            case Role of
                helper -> {Plan, M1, Seen1};
                run ->
                    case lists:suffix("_SUITE", Mod) of
                        true -> {["{ct, " ++ Mod ++ "}." | Plan], M1#{ct := true}, Seen1};
                        false -> {["{eunit, " ++ Mod ++ "}." | Plan], M1, Seen1}
                    end
            end
    end.

%% select(Plan, Names): with --cases, each Common Test suite's entry runs
%% only those entries of its all() (the runner checks that they are there).
%% Throws {die, Msg} when the plan has no suite to select from.
select(Plan, []) -> Plan;
select(Plan, Names) ->
    lists:any(fun(P) -> is_list(P) andalso lists:prefix("{ct, ", P) end, Plan)
        orelse die("--cases needs a Common Test suite (a *_SUITE file) to select from"),
    Sel = lists:flatten([", [", lists:join(", ", Names), "]}."]),
    [case is_list(P) andalso lists:prefix("{ct, ", P) of
         true -> lists:sublist(P, length(P) - 2) ++ Sel;
         false -> P
     end || P <- Plan].

%% ---- building ----

run(Root, O, Plan0, Mods) ->
    %% What the image is built from: the SDK (docs/sdk.md; in this
    %% checkout's, brought up to date first).
    fb_sdk:make(Root, "sdk") =:= ok orelse fail("building the SDK failed (make -C " ++ Root ++ " sdk)"),
    Sdk = fb_sdk:dir(),
    %% The crypto application needs its NIF, which only the crypto flavour
    %% of erts has (erts/crypto/beam.smp, same name: found first by --search).
    ErtsDir = case lists:member("crypto", maps:get(apps, O)) of
                  true -> filename:join(Sdk, "erts/crypto");
                  false -> filename:join(Sdk, "erts")
              end,
    Kernel = filename:join(Sdk, "kernel/kernel.elf"),
    Runner = filename:join(Sdk, "tools/ebin/fb_test_runner.beam"),
    App = filename:join(Sdk, "erlang/freebeam-" ++ fb_sdk:app_vsn(Root)),
    fb_sdk:has(Sdk, [Kernel, filename:join(ErtsDir, "beam.smp"), filename:join(Sdk, "systems/beam.config"),
                     Runner, filename:join(App, "ebin/freebeam.app")]) =:= ok orelse throw({exit, 1}),
    Work = fb_cli:tempdir("freebeam-test"),
    try
        Ebin = filename:join(Work, "test/ebin"),
        ok = filelib:ensure_path(Ebin),
        element(1, file:copy(Runner, filename:join(Ebin, "fb_test_runner.beam"))) =:= ok
            orelse fail("cannot copy the runner"),
        compile(Root, Work, Ebin, Mods),
        Plan = expand_exs(Work, Plan0),
        ok = file:write_file(filename:join(Work, "test/plan.eterm"), [[P, $\n] || P <- Plan]),
        %% A plain ct:run_test/1 loads modules of common_test, kernel and
        %% stdlib only (measured in the image); cover, ct_telnet & co would need more.
        Apps = ["eunit" | maps:get(apps, O)] ++ [A || maps:get(ct, Mods), A <- ["common_test"]]
            ++ [A || maps:get(exs, Mods) =/= [], A <- ["elixir", "ex_unit"]],
        fb_cmd:run(filename:join(Root, "beam/mkroot.sh"),
                   ["--tree", Work ++ "/test:test", filename:join(Work, "root.cpio") | Apps],
                   [quiet, {env, [{"FREEBEAM_APP", App}]}]) =:= 0 orelse fail("cannot build the root archive"),
        Image = fun(First) -> image(Root, O, Sdk, Kernel, ErtsDir, Work, First) end,
        Image(1),
        case O of
            #{keep := Keep} ->
                (filelib:ensure_dir(Keep) =:= ok andalso
                 element(1, file:copy(filename:join(Work, "test.img"), Keep)) =:= ok)
                    orelse fail("cannot copy the image to " ++ Keep),
                io:put_chars(standard_error, [?ME, ": image kept as ", Keep, $\n]);
            _ -> ok
        end,
        boot(Root, O, Work, Plan, Image)
    after
        file:del_dir_r(Work)
    end.

compile(Root, Work, Ebin, #{srcs := Srcs, beams := Beams, exs := Exs, files := Files}) ->
    [begin
         Abs = filename:absname(F),
         D = filename:dirname(Abs),
         %% The usual rebar-like layout: headers next to the source or in
         %% ../include.  erlc runs in the source's folder: OTP 25's compiler
         %% shortens a source path that merely starts with the characters of
         %% its working folder's (/w/a-out/m.erl run from /w/a) into a wrong
         %% relative one, and the file is then not found.
         fb_cmd:run("erlc", ["-o", filename:absname(Ebin), "-I", D, "-I", D ++ "/../include", "-DFREEBEAM", Abs],
                    [{cd, D}]) =:= 0
             orelse fail(F ++ ": does not compile")
     end || F <- Srcs],
    [element(1, file:copy(F, filename:join(Ebin, filename:basename(F)))) =:= ok
         orelse fail("cannot copy " ++ F)
     || F <- Beams ++ Files],
    Exs =:= [] orelse begin
        os:find_executable("elixir") =/= false
            orelse fail("ExUnit files need Elixir on the host (make setup installs elixir)"),
        ok = file:write_file(filename:join(Work, "exs.plan"), <<>>),
        fb_cmd:run("elixir", [filename:join(Root, "tools/testimage/compile_exs.exs"), Ebin,
                              filename:join(Work, "exs.plan") | Exs], []) =:= 0
            orelse fail("cannot compile the ExUnit files")
    end,
    %% A suite's data directory (foo_SUITE_data/ next to its source) goes
    %% next to its .beam, where Common Test looks for ?config(data_dir).
    [fb_cmd:run("cp", ["-rL", Data, Ebin ++ "/"], []) =:= 0 orelse throw({exit, 1})
     || F <- Srcs ++ Beams, lists:suffix("_SUITE", filename:rootname(F)),
        Data <- [filename:rootname(F) ++ "_data"], filelib:is_dir(Data)],
    ok.

%% The plan with each ExUnit file's entry replaced by its test modules
%% (compile_exs.exs's lines FILE<TAB>TERM).
expand_exs(Work, Plan) ->
    Lines = case file:read_file(filename:join(Work, "exs.plan")) of
                {ok, B} -> [string:split(L, "\t") || L <- string:split(unicode:characters_to_list(B), "\n", all)];
                _ -> []
            end,
    lists:append([case P of
                      {exs, F} -> [string:trim(T) || [File, T] <- Lines, File =:= F];
                      _ -> [P]
                  end || P <- Plan]).

%% config(BeamConfig, Options, Systems, Heap, First) -> the description of
%% the image that runs the plan from its First-th module on.
config(BeamConfig, O, Systems, Heap, First) ->
    Extra = [[estr(A), ", "] || A <- maps:get(erl_args, O)],
    N = integer_to_list(First),
    ["%% Generated by tools/freebeam test-image: erts boots from root.cpio, runs\n"
     "%% fb_test_runner on /otp/test/plan.eterm from module ", N, " on and powers off\n"
     "%% with its verdict: the BEAM PD of beam/beam.config.\n"
     "{include, ", estr(BeamConfig), ",\n"
     " [{erl_args, [\"--\", ", Extra, "\"-noshell\", \"-pa\", \"/otp/test/ebin\",\n"
     "              \"-eval\", \"fb_test_runner:main(\\\"/otp/test/plan.eterm\\\", ", N, ").\"]},\n"
     "  {env, [", lists:join(", ", [estr(E) || E <- fb_cli:env(maps:get(envs, O), [], [])]), "]}, {heap, ", Heap, "}]}.\n",
     [["%% From --system ", F, "\n{include, ", estr(F), "}.\n"] || F <- Systems]].

image(Root, O, Sdk, Kernel, ErtsDir, Work, First) ->
    Heap = fb_cli:heap(maps:get(heap, O, "")),
    Text = config(filename:join(Sdk, "systems/beam.config"), O, maps:get(systems, O), Heap, First),
    ok = file:write_file(filename:join(Work, "test.config"), unicode:characters_to_binary(Text)),
    fb_cmd:run(filename:join(Root, "tools/freebeam"),
               ["image", filename:join(Work, "test.config"), "-o", filename:join(Work, "test.img"),
                "--kernel", Kernel, "--search", ErtsDir, "--search", Work | maps:get(searches, O)],
               [quiet]) =:= 0 orelse fail("cannot build the image").

%% ---- booting, and booting again after a module that took the VM down ----

%% The runner prints `fb_test: KIND MOD` as a module starts and `fb_test:
%% MOD: N passed, N failed, N skipped` as it ends.  A boot that stops
%% without `fb_test: N module(s) in T ms` stopped inside the last module
%% that started and did not end: that module crashed the VM.  It counts one
%% failure, with the console line that says why, and the next boot starts
%% after it.  The whole run shares one --timeout: a boot that runs out of
%% time ends the run.  The totals sum the per-module lines of every boot.
boot(Root, O, Work, Plan, Image) ->
    Timeout = maps:get(timeout, O),
    End = now_s() + list_to_integer(hd(string:split(Timeout, "."))),
    RunArgs = maps:get(net, O) ++ case O of #{mem := M} -> ["--mem", M]; _ -> [] end,
    boot(Root, Work, Plan, Image, RunArgs, {Timeout, End}, 1, 0, []).

boot(Root, Work, Plan, Image, RunArgs, {Timeout, End} = T, First, Crashed, Logs) ->
    Left = case First of
               1 -> Timeout;
               _ -> integer_to_list(max(1, End - now_s()))
           end,
    {Rc, Out} = fb_cmd:run(filename:join(Root, "tools/freebeam"),
                           ["run", filename:join(Work, "test.img"), "--timeout", Left | RunArgs],
                           [capture, no_input]),
    Lines = string:split(binary_to_list(binary:replace(Out, <<"\r">>, <<>>, [global])), "\n", all),
    All = Logs ++ Lines,
    case finished(Lines) of
        true -> verdict(Rc, Crashed, All);
        false ->
            case crashed_module(Lines) of
                none ->
                    io:put_chars(standard_error, io_lib:format("~s: the image printed no result line (exit status ~b)~n",
                                                               [?ME, Rc])),
                    throw({exit, case Rc of 0 -> 1; _ -> Rc end});
                Mod ->
                    Why = case last_words(Mod, Lines) of "" -> "(nothing on the console)"; W -> W end,
                    case Rc of
                        124 ->
                            io:format("fb_test: ~s did not end before the run's timeout: ~s~n", [Mod, Why]),
                            verdict(Rc, Crashed + 1, All);
                        _ ->
                            io:format("fb_test: ~s crashed the VM (exit status ~b): ~s~n", [Mod, Rc, Why]),
                            Idx = plan_index(Mod, Plan),
                            Idx >= 1 orelse fail(Mod ++ " is not in the plan"),
                            N = length(Plan),
                            case Idx < N of
                                false -> verdict(Rc, Crashed + 1, All);
                                true ->
                                    io:format("fb_test: booting again for modules ~b..~b~n", [Idx + 1, N]),
                                    Image(Idx + 1),
                                    boot(Root, Work, Plan, Image, RunArgs, T, Idx + 1, Crashed + 1, All)
                            end
                    end
            end
    end.

now_s() -> erlang:system_time(second).

%% The status of the run: the runner's when no module crashed; else the
%% totals of the whole plan (each crashed module one failure) and 1, or
%% 124 when the time ran out.
verdict(Rc, 0, _) -> Rc;
verdict(Rc, Crashed, All) ->
    {P, F, S} = totals(All),
    io:format("~b passed, ~b failed, ~b skipped~n", [P, F + Crashed, S]),
    case Rc of 124 -> 124; _ -> 1 end.

%% finished(Lines): the runner's closing line is there.
finished(Lines) ->
    lists:any(fun(L) -> match(L, "^fb_test: [0-9]+ module\\(s\\) in [0-9]+ ms$") end, Lines).

%% crashed_module(Lines) -> the module that started last and did not end, or none.
crashed_module(Lines) ->
    R = lists:foldl(fun(L, {M, Done}) ->
                            case re:run(L, "^fb_test: (eunit|ct|exunit) ([a-zA-Z0-9_.]+)$",
                                        [{capture, [2], list}]) of
                                {match, [M1]} -> {M1, false};
                                nomatch when M =/= "" ->
                                    {M, Done orelse match(L, "^fb_test: " ++ M ++ ": [0-9]+ passed, ")};
                                nomatch -> {M, Done}
                            end
                    end, {"", false}, Lines),
    case R of
        {M, false} when M =/= "" -> M;
        _ -> none
    end.

%% last_words(Mod, Lines): why the VM stopped inside Mod: the line before
%% erts's crash dump notice (its slogan), else the last line after Mod began.
last_words(Mod, Lines) ->
    Starts = ["fb_test: eunit " ++ Mod, "fb_test: ct " ++ Mod, "fb_test: exunit " ++ Mod],
    {_, Prev, Slogan} =
        lists:foldl(fun(L, {On, Prev, Slogan}) ->
                            case lists:member(L, Starts) of
                                true -> {true, Prev, Slogan};
                                false when On ->
                                    Slogan1 = case lists:prefix("Crash dump is being written to:", L) andalso Prev =/= "" of
                                                  true -> Prev;
                                                  false -> Slogan
                                              end,
                                    {On, case string:lexemes(L, " \t") of [] -> Prev; _ -> L end, Slogan1};
                                false -> {On, Prev, Slogan}
                            end
                    end, {false, "", ""}, Lines),
    case Slogan of "" -> Prev; _ -> Slogan end.

%% plan_index(Mod, Plan) -> the 1-based place of Mod's entry (the last if
%% several), 0 if none.  An entry is {Kind, Mod} or {ct, Mod, [Name...]}.
plan_index(Mod, Plan) ->
    lists:foldl(fun({I, P}, Acc) ->
                        {ok, Toks, _} = erl_scan:string(P),
                        {ok, Entry} = erl_parse:parse_term(Toks),
                        case atom_to_list(element(2, Entry)) of
                            Mod -> I;
                            _ -> Acc
                        end
                end, 0, lists:zip(lists:seq(1, length(Plan)), Plan)).

%% totals(Lines) -> {Passed, Failed, Skipped} of the per-module lines.
totals(Lines) ->
    lists:foldl(fun(L, {P, F, S} = Acc) ->
                        case re:run(L, "^fb_test: [a-zA-Z0-9_.]+: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$",
                                    [{capture, all_but_first, list}]) of
                            {match, [P1, F1, S1]} ->
                                {P + list_to_integer(P1), F + list_to_integer(F1), S + list_to_integer(S1)};
                            nomatch -> Acc
                        end
                end, {0, 0, 0}, Lines).
