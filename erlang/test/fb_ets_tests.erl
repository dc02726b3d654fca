%% ETS on freebeam: set, ordered_set, bag; 100k rows; match specs.
-module(fb_ets_tests).
-include_lib("eunit/include/eunit.hrl").
-include_lib("stdlib/include/ms_transform.hrl").

-define(ROWS, 100000).

basic_test() ->
    T = ets:new(fb_basic, [set]),
    true = ets:insert(T, {a, 1}),
    true = ets:insert(T, [{b, 2}, {c, 3}]),
    ?assertEqual([{b, 2}], ets:lookup(T, b)),
    ?assertEqual([], ets:lookup(T, zz)),
    ?assertEqual(false, ets:insert_new(T, {a, 9})),
    ?assertEqual(4, ets:update_counter(T, c, 1)),
    true = ets:delete(T, a),
    ?assertEqual(2, ets:info(T, size)),
    true = ets:delete(T).

rows_100k_test_() ->
    {timeout, 120, fun() ->
        T = ets:new(fb_big, [set, public]),
        T0 = erlang:monotonic_time(millisecond),
        [ets:insert(T, {I, I * I, integer_to_binary(I)}) || I <- lists:seq(1, ?ROWS)],
        ?assertEqual(?ROWS, ets:info(T, size)),
        ?assert(ets:info(T, memory) > ?ROWS),
        %% every row is there
        ?assertEqual(?ROWS, length([J || J <- lists:seq(1, ?ROWS), [{K, _, _}] <- [ets:lookup(T, J)], K =:= J])),
        ?assertEqual([{77777, 77777 * 77777, <<"77777">>}], ets:lookup(T, 77777)),
        %% select with a match spec from ets:fun2ms (the parse transform)
        MS = ets:fun2ms(fun({K, _, _}) when K rem 1000 =:= 0 -> K end),
        ?assertEqual(lists:seq(1000, ?ROWS, 1000), lists:sort(ets:select(T, MS))),
        ?assertEqual(?ROWS div 2, ets:select_count(T, [{{'$1', '_', '_'}, [{'=:=', {'rem', '$1', 2}, 0}], [true]}])),
        %% continuation-based select goes through the whole table
        ?assertEqual(?ROWS, select_all(ets:select(T, [{{'$1', '_', '_'}, [], ['$1']}], 5000), 0)),
        %% deleting by match spec
        ?assertEqual(?ROWS div 2, ets:select_delete(T, [{{'$1', '_', '_'}, [{'>', '$1', ?ROWS div 2}], [true]}])),
        ?assertEqual(?ROWS div 2, ets:info(T, size)),
        T1 = erlang:monotonic_time(millisecond),
        io:format(user, "fb_ets_tests: ~w rows in, looked up, selected in ~w ms~n", [?ROWS, T1 - T0]),
        ets:delete(T)
    end}.

select_all('$end_of_table', N) -> N;
select_all({Keys, Cont}, N) -> select_all(ets:select(Cont), N + length(Keys)).

ordered_set_test() ->
    T = ets:new(fb_ord, [ordered_set]),
    [ets:insert(T, {K}) || K <- [5, 3, 9, 1, 7]],
    ?assertEqual(1, ets:first(T)),
    ?assertEqual(9, ets:last(T)),
    ?assertEqual(5, ets:next(T, 3)),
    ?assertEqual([{1}, {3}, {5}, {7}, {9}], ets:tab2list(T)),
    ets:delete(T).

bag_test() ->
    T = ets:new(fb_bag, [bag]),
    ets:insert(T, [{k, 1}, {k, 2}, {k, 1}]),
    ?assertEqual([{k, 1}, {k, 2}], lists:sort(ets:lookup(T, k))),
    ets:delete(T).

%% A named public table used from other processes; the table dies with
%% its owner.
owner_test() ->
    Self = self(),
    Owner = spawn(fun() ->
                          ets:new(fb_named, [named_table, public]),
                          Self ! made,
                          receive stop -> ok end
                  end),
    receive made -> ok end,
    Writers = [spawn_monitor(fun() -> ets:insert(fb_named, {I, self()}) end) || I <- lists:seq(1, 50)],
    [receive {'DOWN', R, process, P, normal} -> ok end || {P, R} <- Writers],
    ?assertEqual(50, ets:info(fb_named, size)),
    M = monitor(process, Owner),
    Owner ! stop,
    receive {'DOWN', M, _, _, _} -> ok end,
    ?assertEqual(undefined, ets:info(fb_named)).
