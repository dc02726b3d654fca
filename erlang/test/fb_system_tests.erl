%% The VM as a whole on freebeam: memory accounting, CPU time, logger output
%% and crash reports on the console, ports that cannot spawn, dirty schedulers.
-module(fb_system_tests).
-include_lib("eunit/include/eunit.hrl").

%% logger handler callback (a handler that forwards events to a process)
-export([log/2]).

memory_test() ->
    M = erlang:memory(),
    [?assert(is_integer(proplists:get_value(K, M)) andalso proplists:get_value(K, M) > 0)
     || K <- [total, processes, processes_used, system, atom, atom_used, binary, code, ets]],
    ?assertEqual(proplists:get_value(total, M), proplists:get_value(processes, M) + proplists:get_value(system, M)),
    %% a 16 MB binary shows in `binary` while it lives
    Big = binary:copy(<<7>>, 16 * 1024 * 1024),
    ?assert(erlang:memory(binary) >= 16 * 1024 * 1024),
    ?assertEqual(16 * 1024 * 1024, byte_size(Big)),
    %% system_info agrees that this is a 32-bit VM on freebeam's libos
    ?assertEqual(4, erlang:system_info(wordsize)),
    ?assertEqual({unix, linux}, os:type()).

%% statistics(runtime): the VM's CPU time (getrusage), which grows with
%% work and hardly at all while every scheduler sleeps.
runtime_test() ->
    {Before, _} = statistics(runtime),
    Start = erlang:monotonic_time(millisecond),
    Spins = spin_until(Start + 300, 0),
    {Busy, _} = statistics(runtime),
    ?assert(Spins > 0),
    ?assert(Busy - Before >= 150),
    timer:sleep(300),
    {Slept, SinceLast} = statistics(runtime),
    ?assert(is_integer(SinceLast) andalso SinceLast >= 0),
    ?assert(Slept - Busy < 150),
    {Later, _} = statistics(runtime),
    ?assert(Later >= Slept).

spin_until(End, N) ->
    _ = lists:sum(lists:seq(1, 1000)),
    case erlang:monotonic_time(millisecond) >= End of
        true -> N;
        false -> spin_until(End, N + 1)
    end.

%% A process that fills its heap to a few MB and frees it again: garbage
%% collection gives the memory back.
gc_test() ->
    {P, R} = spawn_monitor(fun() ->
                                   L = lists:seq(1, 500000),
                                   500000 = length(L),
                                   exit({heap, element(2, process_info(self(), total_heap_size))})
                           end),
    receive {'DOWN', R, process, P, {heap, Words}} -> ?assert(Words > 500000 * 2) end,
    true = erlang:garbage_collect().

%% logger: an event reaches the handlers, and the default handler (the
%% console) prints it; tests/suites/erlang.sh looks for the marker there.
logger_test() ->
    ok = logger:add_handler(fb_capture, ?MODULE, #{config => #{pid => self()}}),
    try
        logger:error("FB_LOGGER_MARK ~s", ["error level"]),
        logger:notice("FB_LOGGER_MARK ~s", ["notice level"]),
        ?assertMatch({error, {"FB_LOGGER_MARK ~s", ["error level"]}}, wait_event(fun(_) -> true end)),
        ?assertMatch({notice, _}, wait_event(fun(_) -> true end)),
        {ok, #{module := logger_std_h}} = logger:get_handler_config(default)
    after
        logger:remove_handler(fb_capture)
    end.

%% A spawned process that crashes produces an error report (plain spawn)
%% or a crash report (proc_lib) on the console; the VM lives on.
crash_report_test() ->
    ok = logger:add_handler(fb_capture, ?MODULE, #{config => #{pid => self()}}),
    try
        {P, R} = spawn_monitor(fun() -> erlang:error(fb_deliberate_crash) end),
        receive {'DOWN', R, process, P, {fb_deliberate_crash, _}} -> ok after 2000 -> error(no_down) end,
        {error, {Fmt, Args}} = wait_event(fun(_) -> true end),
        ?assertMatch("Error in process " ++ _, lists:flatten(Fmt)),
        ?assert(lists:member(P, Args)),
        P2 = proc_lib:spawn(fun() -> exit(fb_deliberate_proc_lib_crash) end),
        {error, Report} = wait_event(fun({_, {report, #{label := {proc_lib, crash}}}}) -> true;
                                        (_) -> false end),
        ?assertMatch({report, #{label := {proc_lib, crash}, report := [_ | _]}}, Report),
        {report, #{report := [Info | _]}} = Report,
        ?assertEqual({pid, P2}, lists:keyfind(pid, 1, Info))
    after
        logger:remove_handler(fb_capture)
    end.

log(#{level := Level, msg := Msg}, #{config := #{pid := Pid}}) ->
    Pid ! {fb_log, Level, Msg}.

wait_event(Pred) ->
    receive
        {fb_log, L, M} ->
            case Pred({L, M}) of true -> {L, M}; false -> wait_event(Pred) end
    after 3000 -> timeout
    end.

%% freebeam has no processes to spawn: a port program fails with an error
%% (the patched forker answers ENOSYS) and the VM goes on.
spawn_port_test() ->
    R1 = (catch open_port({spawn, "echo hello"}, [exit_status])),
    io:format(user, "fb_system_tests: open_port({spawn, ...}) -> ~p~n", [R1]),
    ?assertMatch({'EXIT', _}, R1),
    R2 = (catch open_port({spawn_executable, "/otp/bin/no_such_program"}, [exit_status])),
    ?assertMatch({'EXIT', _}, R2),
    R3 = (catch os:cmd("echo hello")),
    io:format(user, "fb_system_tests: os:cmd(\"echo hello\") -> ~p~n", [R3]),
    ?assertNotEqual("hello\n", R3),
    %% the VM goes on: ports that need no process still work
    [Port | _] = erlang:ports(),
    ?assertMatch([_ | _], erlang:port_info(Port)).

%% Dirty CPU schedulers exist and run work: a major garbage collection of a
%% large heap is done on one, which scheduler_wall_time shows.
dirty_schedulers_test_() ->
    {timeout, 60, fun() ->
        ?assert(erlang:system_info(dirty_cpu_schedulers) > 0),
        ?assert(erlang:system_info(dirty_cpu_schedulers_online) > 0),
        ?assert(erlang:system_info(dirty_io_schedulers) > 0),
        erlang:system_flag(scheduler_wall_time, true),
        W0 = dirty_cpu_active(),
        Big = lists:seq(1, 1000000),
        [erlang:garbage_collect() || _ <- lists:seq(1, 5)],
        1000000 = length(Big),
        %% binary_to_term of a big term also works (it yields)
        T = lists:duplicate(100000, {a, 1.5, <<"x">>}),
        T = binary_to_term(term_to_binary(T)),
        W1 = dirty_cpu_active(),
        erlang:system_flag(scheduler_wall_time, false),
        io:format(user, "fb_system_tests: dirty CPU scheduler active ~w -> ~w~n", [W0, W1]),
        ?assert(W1 > W0)
    end}.

dirty_cpu_active() ->
    N = erlang:system_info(schedulers),
    lists:sum([A || {Id, A, _} <- erlang:statistics(scheduler_wall_time_all),
                    Id > N, Id =< N + erlang:system_info(dirty_cpu_schedulers)]).
