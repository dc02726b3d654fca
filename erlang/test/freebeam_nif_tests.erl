%% The freebeam application in the image: its static NIF (freebeam_nif,
%% linked into beam.smp), the enif_select machinery on a pipe (what
%% /dev/chan and /dev/pd will use), bad arguments (badarg, never a crash),
%% a channel's relay over a pipe, the errors of names libos does not serve
%% (yet), and application:ensure_all_started(freebeam).
-module(freebeam_nif_tests).
-include_lib("eunit/include/eunit.hrl").

info_test() ->
    ?assertEqual(#{static => true, version => "0.1.0"}, freebeam_nif:info()),
    case application:load(freebeam) of
        ok -> ok;
        {error, {already_loaded, freebeam}} -> ok
    end,
    {ok, Vsn} = application:get_key(freebeam, vsn),
    ?assertEqual(maps:get(version, freebeam_nif:info()), Vsn).

code_path_test() ->
    ?assertEqual("/otp/lib/freebeam-0.1.0/ebin/freebeam_channel.beam", code:which(freebeam_channel)),
    ?assertEqual(true, erlang:function_exported(freebeam_nif, info, 0)).

constants_test() ->
    C = freebeam_nif:constants(),
    ?assertEqual(24, maps:get(pd_event_size, C)),
    ?assertEqual(16, maps:get(chan_info_size, C)),
    ?assertEqual(8, maps:get(notify_size, C)),
    %% _IOR(0xFB, 1, 16): direction read (2) << 30 | 16 << 16 | 0xFB << 8 | 1
    ?assertEqual((2 bsl 30) bor (16 bsl 16) bor 16#FB01, maps:get(chan_info, C)),
    ?assertEqual(6, maps:get(fault_exited, C)).

select_round_trip_test() ->
    {ok, R, W} = freebeam_nif:pipe(),
    ?assertEqual({error, eagain}, freebeam_nif:fd_read(R, 16)),
    {ok, Ref} = freebeam_nif:select_read(R),
    receive {select, R, Ref, _} = Early -> ?assert(Early =:= not_yet) after 50 -> ok end,
    ?assertEqual({ok, 5}, freebeam_nif:fd_write(W, [<<"he">>, "llo"])),
    receive {select, R, Ref, ready_input} -> ok after 5000 -> ?assert(no_select_message) end,
    ?assertEqual({ok, <<"hello">>}, freebeam_nif:fd_read(R, 16)),
    %% Again, with the descriptor already in erts's poll set.
    {ok, Ref2} = freebeam_nif:select_read(R),
    {ok, 1} = freebeam_nif:fd_write(W, <<"x">>),
    receive {select, R, Ref2, ready_input} -> ok after 5000 -> ?assert(no_second_select) end,
    ?assertEqual({ok, <<"x">>}, freebeam_nif:fd_read(R, 16)),
    {ok, WRef} = freebeam_nif:select_write(W),
    receive {select, W, WRef, ready_output} -> ok after 5000 -> ?assert(no_write_select) end,
    %% W was selected: erts may run its stop callback (the close) a little
    %% later, and then R becomes readable with end of file.
    ?assertEqual(ok, freebeam_nif:fd_close(W)),
    {ok, Ref3} = freebeam_nif:select_read(R),
    receive {select, R, Ref3, ready_input} -> ok after 5000 -> ?assert(no_eof_select) end,
    ?assertEqual(eof, freebeam_nif:fd_read(R, 16)),
    ?assertEqual(ok, freebeam_nif:fd_close(R)),
    ?assertEqual({error, closed}, freebeam_nif:fd_close(R)),
    ?assertEqual({error, closed}, freebeam_nif:fd_read(R, 16)),
    ?assertEqual({error, closed}, freebeam_nif:select_read(R)),
    ?assertEqual({error, closed}, freebeam_nif:fd_write(W, <<"x">>)).

%% A selected descriptor closed while its select is pending: no message after.
close_while_selected_test() ->
    {ok, R, W} = freebeam_nif:pipe(),
    {ok, Ref} = freebeam_nif:select_read(R),
    ok = freebeam_nif:fd_close(R),
    %% The stop callback may run later (erts polls the pipe): EPIPE or not yet.
    ?assert(lists:member(freebeam_nif:fd_write(W, <<"x">>), [{ok, 1}, {error, epipe}])),
    receive {select, R, Ref, ready_input} -> ?assert(select_after_close) after 100 -> ok end,
    ok = freebeam_nif:fd_close(W).

many_descriptors_are_closed_test() ->
    %% 600 selected pipes (1200 descriptors) opened and closed: close would
    %% run out of descriptors (libos allows 1024) if it leaked them.  A pause
    %% after each 200 lets the stop callbacks that erts deferred run.
    [begin
         [begin
              {ok, R, W} = freebeam_nif:pipe(),
              {ok, _} = freebeam_nif:select_read(R),
              ok = freebeam_nif:fd_close(R),
              ok = freebeam_nif:fd_close(W)
          end || _ <- lists:seq(1, 200)],
         timer:sleep(20)
     end || _ <- lists:seq(1, 3)],
    ok.

fd_open_test() ->
    ?assertEqual({error, enoent}, freebeam_nif:fd_open("/no/such/file", [read])),
    {ok, F} = freebeam_nif:fd_open(<<"/otp/lib/freebeam-0.1.0/ebin/freebeam.app">>, [read]),
    {ok, <<"%%", _/binary>>} = freebeam_nif:fd_read(F, 100),
    ?assertEqual({error, enotty}, freebeam_nif:fd_ioctl(F, maps:get(pd_status, freebeam_nif:constants()), <<>>)),
    ok = freebeam_nif:fd_close(F).

bad_arguments_test_() ->
    {ok, R, W} = freebeam_nif:pipe(),
    [?_assertError(badarg, freebeam_nif:fd_open(42, [read])),
     ?_assertError(badarg, freebeam_nif:fd_open("", [read])),
     ?_assertError(badarg, freebeam_nif:fd_open("/tmp/x", [])),
     ?_assertError(badarg, freebeam_nif:fd_open("/tmp/x", [append])),
     ?_assertError(badarg, freebeam_nif:fd_open("/tmp/x", read)),
     ?_assertError(badarg, freebeam_nif:fd_open([$/, 0, $x], [read])),
     ?_assertError(badarg, freebeam_nif:fd_open(lists:duplicate(300, $a), [read])),
     ?_assertError(badarg, freebeam_nif:fd_read(make_ref(), 10)),
     ?_assertError(badarg, freebeam_nif:fd_read(R, 0)),
     ?_assertError(badarg, freebeam_nif:fd_read(R, 1 bsl 20)),
     ?_assertError(badarg, freebeam_nif:fd_read(R, -1)),
     ?_assertError(badarg, freebeam_nif:fd_write(W, atom)),
     ?_assertError(badarg, freebeam_nif:fd_write(self(), <<"x">>)),
     ?_assertError(badarg, freebeam_nif:fd_ioctl(R, -1, <<>>)),
     ?_assertError(badarg, freebeam_nif:fd_ioctl(R, 0, <<0:(257*8)>>)),
     ?_assertError(badarg, freebeam_nif:fd_ioctl(R, 0, "list")),
     ?_assertError(badarg, freebeam_nif:select_read(not_a_resource)),
     ?_assertError(badarg, freebeam_nif:fd_close({R})),
     ?_assertEqual({error, enotty}, freebeam_nif:fd_ioctl(R, 16#FB02, <<>>))].

%% The channel's relay over a pipe: a queue channel's messages and a bare
%% channel's notifications reach the owner, idle otherwise.
channel_relay_test() ->
    {ok, R, W} = freebeam_nif:pipe(),
    {ok, Ch} = freebeam_channel:open_fd(pipe_chan, R, #{queue => 1, slot => 64}),
    receive Unexpected -> ?assertEqual(nothing, Unexpected) after 50 -> ok end,
    {ok, 3} = freebeam_nif:fd_write(W, <<"one">>),
    receive {freebeam_channel, Ch, Data} -> ?assertEqual(<<"one">>, Data)
    after 5000 -> ?assert(no_channel_message) end,
    {ok, 3} = freebeam_nif:fd_write(W, <<"two">>),
    receive {freebeam_channel, Ch, Data2} -> ?assertEqual(<<"two">>, Data2)
    after 5000 -> ?assert(no_second_message) end,
    %% The read end cannot be written: send reports the device's error.
    ?assertMatch({error, _}, freebeam_channel:send(Ch, <<"x">>)),
    ?assertEqual(ok, freebeam_channel:close(Ch)),
    ?assertEqual({error, closed}, freebeam_nif:fd_read(R, 1)),
    ok = freebeam_nif:fd_close(W).

bare_channel_relay_test() ->
    {ok, R, W} = freebeam_nif:pipe(),
    {ok, Ch} = freebeam_channel:open_fd(pipe_bare, R, #{queue => 0}),
    {ok, 8} = freebeam_nif:fd_write(W, <<3:64/native>>),
    receive {freebeam_notify, Ch} -> ok after 5000 -> ?assert(no_notify) end,
    ?assertEqual({error, bare_channel}, freebeam_channel:send(Ch, <<"x">>)),
    %% The peer going away (end of file) closes the channel for the owner.
    ok = freebeam_nif:fd_close(W),
    receive {freebeam_closed, Ch, eof} -> ok after 5000 -> ?assert(no_closed) end.

%% Until libos serves /dev/chan and /dev/pd: clear errors, never a crash.
unknown_names_test_() ->
    [?_assertMatch({error, _}, freebeam_channel:open(no_such_channel)),
     ?_assertEqual({error, badname}, freebeam_channel:open('../etc')),
     ?_assertEqual({error, badname}, freebeam_channel:open("serial")),
     ?_assertMatch({error, _}, freebeam_pd:status(no_such_pd)),
     ?_assertMatch({error, _}, freebeam_pd:stop(no_such_pd)),
     ?_assertMatch({error, _}, freebeam_pd:restart(no_such_pd)),
     ?_assertEqual({error, badname}, freebeam_pd:status('a/b')),
     ?_test(begin
                Ref = freebeam_pd:monitor(no_such_pd),
                receive {'DOWN', Ref, freebeam_pd, no_such_pd, {error, _}} -> ok
                after 1000 -> ?assert(no_down) end,
                ?assertEqual(true, freebeam_pd:demonitor(Ref))
            end),
     ?_test(begin
                Trap = process_flag(trap_exit, true),
                ?assertMatch({error, {freebeam_pd, no_such_pd, _}}, freebeam_pd:start_link(no_such_pd)),
                receive {'EXIT', _, {freebeam_pd, no_such_pd, _}} -> ok after 1000 -> ok end,
                process_flag(trap_exit, Trap)
            end),
     ?_assertMatch(#{id := {freebeam_pd, serial}, start := {freebeam_pd, start_link, [serial]}},
                   freebeam_pd:child_spec(serial))].

application_test() ->
    ?assertEqual(undefined, whereis(freebeam_sup)),
    {ok, Started} = application:ensure_all_started(freebeam),
    ?assert(lists:member(freebeam, Started)),
    ?assert(is_pid(whereis(freebeam_sup))),
    ?assertEqual([], supervisor:which_children(freebeam_sup)),
    ?assertEqual(ok, application:stop(freebeam)),
    ?assertEqual(undefined, whereis(freebeam_sup)).
