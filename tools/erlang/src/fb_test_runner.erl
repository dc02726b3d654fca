%% fb_test_runner - runs EUnit modules and Common Test suites inside a
%% freebeam image (tools/freebeam test-image) and powers the machine off
%% with the verdict.
%%
%% The plan is a file of terms, one per test module, in the order given on
%% the command line:
%%     {eunit, foo_tests}.
%%     {ct, bar_SUITE}.
%%     {ct, bar_SUITE, [grp, case3]}.  (only these entries of its all():
%%                                      a group's name, or a case's)
%%     {exunit, 'Elixir.BazTest'}.     (an ExUnit module, from a *_test.exs)
%% Each module's start is printed (`fb_test: eunit MOD`) and its result as
%% it ends (`fb_test: MOD: N passed, N failed, N skipped`): test-image reads
%% them to tell which module was running when a module took the VM down, and
%% boots again with main(Plan, First) to run the modules after it.  Then the
%% end of the run (`fb_test: N module(s) in T ms`) and the totals as the last
%% line before the halt:
%%     N passed, N failed, N skipped
%% (a run that starts at module First > 1 counts only part of the plan: its
%% totals say so, `fb_test: modules First..N: ...`, and test-image prints the
%% totals of the whole plan).  The status is 0 only if nothing failed (1
%% otherwise; 2 if the plan could not be read or the runner itself crashed).
%% halt/1 powers freebeam off with that status, which `tools/freebeam run`
%% returns.
%%
%% Counting, EUnit: this module is also an eunit_listener.  A test that ends
%% ok passes, one that ends in an error fails, one skipped is skipped; a
%% test cancelled (a timeout) and a group cancelled for a reason of its own
%% (a setup that crashed) count one failure each, so that a broken fixture
%% can never look green.  Common Test: ct:run_test/1's own counts; the
%% automatically skipped cases (init_per_* failed) count as failures.
%% ExUnit: ExUnit.run/1's stats for the module (a test invalidated by a
%% setup_all that failed is among its failures; skipped and excluded tests
%% count as skipped), its own formatter printing each failure.
%%
%% This module is also the Common Test hook of the suites it runs: it prints
%% each case's start and end with its time (`fb_test: case SUITE GROUP TC
%% start`, `fb_test: case SUITE GROUP TC ok|failed|skipped in T ms`), so that
%% a suite that runs out of time says which case was running and which took
%% the time.
-module(fb_test_runner).
-behaviour(eunit_listener).

-include_lib("kernel/include/file.hrl").

-export([main/1, main/2]).
-export([start/1, init/1, handle_begin/3, handle_end/3, handle_cancel/3, terminate/2]).
-export([init/2, pre_init_per_testcase/4, post_end_per_testcase/5]).

%% Common Test's logs: /tmp/ct_logs (tmpfs in the image) unless FB_CT_LOGDIR
%% names another directory (the host side of `make otp-suites`).
ct_logdir() ->
    os:getenv("FB_CT_LOGDIR", "/tmp/ct_logs").

main(PlanFile) ->
    main(PlanFile, 1).

%% Runs the plan's modules from the First-th (1-based) on.
main(PlanFile, First) ->
    Status = try run_plan(PlanFile, First)
             catch C:R:St ->
                 io:format("fb_test: runner crashed: ~p:~p~n  ~p~n", [C, R, St]),
                 2
             end,
    halt(Status).

run_plan(PlanFile, First) ->
    case file:consult(PlanFile) of
        {ok, Plan} when First >= 1, First =< length(Plan) ->
            T0 = erlang:monotonic_time(millisecond),
            Run = lists:nthtail(First - 1, Plan),
            Counts = [run_item(Item) || Item <- Run],
            {P, F, S} = lists:foldl(fun({P1, F1, S1}, {P0, F0, S0}) -> {P0 + P1, F0 + F1, S0 + S1} end,
                                    {0, 0, 0}, Counts),
            Ms = erlang:monotonic_time(millisecond) - T0,
            io:format("fb_test: ~w module(s) in ~w ms~n", [length(Run), Ms]),
            case First of
                1 -> io:format("~w passed, ~w failed, ~w skipped~n", [P, F, S]);
                _ -> io:format("fb_test: modules ~w..~w: ~w passed, ~w failed, ~w skipped~n",
                               [First, length(Plan), P, F, S])
            end,
            case F of 0 -> 0; _ -> 1 end;
        {ok, Plan} ->
            io:format("fb_test: no module ~w in a plan of ~w~n", [First, length(Plan)]),
            2;
        {error, Reason} ->
            io:format("fb_test: cannot read the plan ~s: ~p~n", [PlanFile, Reason]),
            2
    end.

%% Module names are printed plain (Elixir.FooTest, not quoted): test-image
%% matches them.
run_item(Item) ->
    Mod = element(2, Item),
    io:format("fb_test: ~s ~s~n", [element(1, Item), Mod]),
    {P, F, S} = Counts = try run(Item)
                         catch C:R:St ->
                             io:format("fb_test: ~s crashed the runner: ~p:~p~n  ~p~n", [Mod, C, R, St]),
                             {0, 1, 0}
                         end,
    io:format("fb_test: ~s: ~w passed, ~w failed, ~w skipped~n", [Mod, P, F, S]),
    Counts.

run({eunit, Mod}) ->
    Ref = make_ref(),
    Res = eunit:test(eunit_tests(Mod), [{report, {?MODULE, [{owner, self()}, {ref, Ref}]}}]),
    receive
        {Ref, {P, F, S}} ->
            %% eunit said error but no test failed: a module that does not
            %% load, a generator that crashes...
            F1 = case {Res, F} of {error, 0} -> 1; _ -> F end,
            {P, F1, S}
    after 10000 ->
        io:format("fb_test: ~w: no counts from EUnit (result ~p)~n", [Mod, Res]),
        {0, 1, 0}
    end;
run({ct, Suite}) ->
    ct_counts(Suite, fun(Dir, _LogDir, Opts) -> ct:run_test([{suite, Suite}, {dir, Dir} | Opts]) end);
run({ct, Suite, Names}) ->
    case selection(Suite, Names) of
        {ok, Tests} ->
            %% A test specification of one term per entry: Common Test runs
            %% them as one run of the suite (init_per_suite once), in this order.
            ct_counts(Suite, fun(Dir, LogDir, Opts) ->
                                     Spec = filename:join(LogDir, atom_to_list(Suite) ++ ".spec"),
                                     Terms = [case T of
                                                  {group, G} -> {groups, Dir, Suite, [G]};
                                                  C -> {cases, Dir, Suite, [C]}
                                              end || T <- Tests],
                                     ok = file:write_file(Spec, [io_lib:format("~p.~n", [T]) || T <- Terms]),
                                     ct:run_test([{spec, Spec} | Opts])
                             end);
        {error, Missing} ->
            io:format("fb_test: ~s has no case or group ~s in its all()~n",
                      [Suite, lists:join(", ", [atom_to_list(M) || M <- Missing])]),
            {0, 1, 0}
    end;
run({exunit, Mod}) ->
    %% Started once (a second start is a no-op), never run at halt.
    ok = 'Elixir.ExUnit':start([{autorun, false}]),
    case 'Elixir.ExUnit':run([Mod]) of
        #{total := T, failures := F, skipped := S, excluded := E} ->
            {T - F - S - E, F, S + E};
        Other ->
            io:format("fb_test: ExUnit.run([~s]): ~p~n", [Mod, Other]),
            {0, 1, 0}
    end.

%% ct_counts(Suite, Run) -> the counts of Run(Dir, LogDir, Opts), a
%% ct:run_test/1 of the suite from its writable directory with our options.
ct_counts(Suite, Run) ->
    LogDir = ct_logdir(),
    ok = filelib:ensure_dir(filename:join(LogDir, "x")),
    Dir = writable_suite_dir(Suite),
    Opts = [{auto_compile, false}, {logdir, LogDir}, {verbosity, 0},
            {multiply_timetraps, timetrap_factor()}, {ct_hooks, [?MODULE]}],
    case Run(Dir, LogDir, Opts) of
        {Ok, Failed, {UserSkipped, AutoSkipped}} ->
            {Ok, Failed + AutoSkipped, UserSkipped};
        Other ->
            io:format("fb_test: ct:run_test(~p): ~p~n", [Suite, Other]),
            {0, 1, 0}
    end.

%% selection(Suite, Names) -> {ok, Tests} | {error, Missing}: the entries of
%% Suite:all() that Names name ({group, G} for a group, the atom for a case),
%% in all()'s order (the order a whole run has), so that a suite too long for
%% one run can be run in parts.  Every name must be one of all()'s entries.
selection(Suite, Names) ->
    All = [entry(T) || T <- Suite:all()],
    case [N || N <- Names, not lists:member(N, [entry_name(E) || E <- All])] of
        [] -> {ok, [E || E <- All, lists:member(entry_name(E), Names)]};
        Missing -> {error, Missing}
    end.

%% An entry of all(), its properties dropped.
entry({group, G}) -> {group, G};
entry({group, G, _}) -> {group, G};
entry({group, G, _, _}) -> {group, G};
entry({testcase, C, _}) -> C;
entry(C) -> C.

entry_name({group, G}) -> G;
entry_name(C) -> C.

%% The Common Test hook: a case's start time rides in its Config (the hook's
%% own state is shared by the cases of a parallel group).
init(_Id, _Opts) ->
    {ok, none}.

pre_init_per_testcase(Suite, TC, Config, St) ->
    io:format(user, "fb_test: case ~w ~w ~w start~n", [Suite, case_group(Config), TC]),
    {[{fb_case_t0, erlang:monotonic_time(millisecond)} | Config], St}.

post_end_per_testcase(Suite, TC, Config, Return, St) ->
    Ms = case proplists:get_value(fb_case_t0, Config) of
             T0 when is_integer(T0) -> erlang:monotonic_time(millisecond) - T0;
             _ -> unknown
         end,
    io:format(user, "fb_test: case ~w ~w ~w ~s in ~w ms~n",
              [Suite, case_group(Config), TC, case_verdict(Return), Ms]),
    {Return, St}.

case_group(Config) ->
    proplists:get_value(name, proplists:get_value(tc_group_properties, Config, []), none).

case_verdict({skip, _}) -> "skipped";
case_verdict({skipped, _}) -> "skipped";
case_verdict({auto_skip, _}) -> "skipped";
case_verdict({fail, R}) -> io_lib:format("failed ~0P", [R, 8]);
case_verdict({failed, R}) -> io_lib:format("failed ~0P", [R, 8]);
case_verdict({error, R}) -> io_lib:format("failed ~0P", [R, 8]);
case_verdict({timetrap_timeout, T}) -> io_lib:format("failed timetrap_timeout ~w", [T]);
case_verdict({'EXIT', R}) -> io_lib:format("failed ~0P", [R, 8]);
case_verdict(_) -> "ok".

%% Common Test's timetraps multiplied by FB_CT_TIMETRAP_FACTOR (a positive
%% integer, default 1): under QEMU's emulation a case takes several times
%% the wall time it takes on the host, which OTP's suites' timetraps, sized
%% for the host, do not allow.
timetrap_factor() ->
    case string:to_integer(os:getenv("FB_CT_TIMETRAP_FACTOR", "1")) of
        {N, []} when N >= 1 -> N;
        _ -> 1
    end.

%% The directory the suite runs from, where Common Test finds its data
%% directory (Suite_data next to its .beam).  In the image that is the
%% read-only archive, where a case that writes into its data directory (as
%% OTP's own suites do, and as they may on Linux) gets erofs; so a suite
%% whose directory is read-only is copied, .beam and data directory, to
%% tmpfs and loaded from there.  A writable directory (the host side of
%% `make otp-suites`) is used as it is.
writable_suite_dir(Suite) ->
    Beam = code:which(Suite),
    Dir = filename:dirname(Beam),
    case file:read_file_info(Dir) of
        {ok, #file_info{access = read_write}} -> Dir;
        _ -> copy_suite(Suite, Beam, filename:join([tmp_dir(), "fb_test", Suite]))
    end.

tmp_dir() ->
    filename:dirname(ct_logdir()).

copy_suite(Suite, Beam, To) ->
    ok = filelib:ensure_dir(filename:join(To, "x")),
    Data = atom_to_list(Suite) ++ "_data",
    From = filename:join(filename:dirname(Beam), Data),
    case filelib:is_dir(From) of
        true -> ok = copy_tree(From, filename:join(To, Data));
        false -> ok
    end,
    Copy = filename:join(To, filename:basename(Beam)),
    {ok, _} = file:copy(Beam, Copy),
    code:purge(Suite),
    {module, Suite} = code:load_abs(filename:rootname(Copy)),
    To.

%% Copies a directory tree, keeping each file's mode (a script in a data
%% directory stays executable).
copy_tree(From, To) ->
    ok = filelib:ensure_dir(filename:join(To, "x")),
    {ok, Names} = file:list_dir(From),
    lists:foreach(fun(Name) ->
                          F = filename:join(From, Name),
                          T = filename:join(To, Name),
                          case filelib:is_dir(F) of
                              true -> ok = copy_tree(F, T);
                              false ->
                                  {ok, _} = file:copy(F, T),
                                  {ok, #file_info{mode = Mode}} = file:read_file_info(F),
                                  ok = file:change_mode(T, Mode)
                          end
                  end, Names).

%% The module's tests as EUnit finds them (exported, arity 0: `*_test` a
%% test, `*_test_` a generator), each simple test with a timeout of 300 s
%% instead of EUnit's 5 s: that is wall time, and under QEMU's emulation a
%% busy host stretches a heavy test past it.  A `{timeout, ...}` given
%% inside a generator is kept.  (EUnit's own timeout around a group does
%% not reach the tests in it.)  test-image's --timeout still bounds the run.
eunit_tests(Mod) ->
    Tests = [case lists:suffix("_test_", atom_to_list(F)) of
                 true -> {generator, Mod, F};
                 false -> {timeout, 300, {Mod, F}}
             end || {F, 0} <- Mod:module_info(exports),
                    lists:suffix("_test", atom_to_list(F)) orelse lists:suffix("_test_", atom_to_list(F))],
    {"module '" ++ atom_to_list(Mod) ++ "'", Tests}.

%% ---- eunit_listener ----

start(Opts) ->
    eunit_listener:start(?MODULE, Opts).

init(Opts) ->
    #{owner => proplists:get_value(owner, Opts), ref => proplists:get_value(ref, Opts),
      pass => 0, fail => 0, skip => 0}.

handle_begin(_Kind, _Data, St) ->
    St.

handle_end(test, Data, St) ->
    case proplists:get_value(status, Data) of
        ok -> bump(pass, St);
        {skipped, _} -> bump(skip, St);
        _ -> bump(fail, St)
    end;
handle_end(_Group, _Data, St) ->
    St.

handle_cancel(test, _Data, St) ->
    bump(fail, St);
handle_cancel(group, Data, St) ->
    case proplists:get_value(reason, Data) of
        undefined -> St;                        % cancelled with its parent
        _ -> bump(fail, St)
    end.

terminate(_Result, #{owner := Owner, ref := Ref, pass := P, fail := F, skip := S}) ->
    Owner ! {Ref, {P, F, S}},
    ok.

bump(Key, St) ->
    maps:update_with(Key, fun(N) -> N + 1 end, St).
