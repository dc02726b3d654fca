%% ssh_image_tests - OTP's ssh application inside a freebeam image
%% (tests/suites/crypto.sh runs it next to crypto_image_tests, with
%% `--apps crypto,asn1,public_key,ssh`): an SSH daemon and an SSH client in
%% the same image, over libos's loopback, with the keys the host's
%% ssh-keygen made at test time (crypto_host_data:ssh_keys/0: the daemon's
%% host key, a user key pair whose public half the daemon authorises, and
%% a second user key it does not).  Public-key login only; exec of an
%% Erlang expression, as the host's `ssh HOST 'EXPR.'` does.
-module(ssh_image_tests).
-include_lib("eunit/include/eunit.hrl").

-define(TIMEOUT, 60000).

key(Name) -> proplists:get_value(Name, crypto_host_data:ssh_keys()).

%% Folders under /tmp (the image's tmpfs) in the layout ssh_file reads.
dirs() ->
    Base = "/tmp/ssh_image_tests",
    Sys = filename:join(Base, "system"), User = filename:join(Base, "user"),
    Stranger = filename:join(Base, "stranger"),
    [ok = filelib:ensure_dir(filename:join(D, "x")) || D <- [Sys, User, Stranger]],
    ok = file:write_file(filename:join(Sys, "ssh_host_ecdsa_key"), key(host_key)),
    ok = file:write_file(filename:join(Sys, "ssh_host_ecdsa_key.pub"), key(host_pub)),
    ok = file:write_file(filename:join(User, "authorized_keys"), key(user_pub)),
    ok = file:write_file(filename:join(User, "id_ecdsa"), key(user_key)),
    ok = file:write_file(filename:join(User, "id_ecdsa.pub"), key(user_pub)),
    ok = file:write_file(filename:join(Stranger, "id_ecdsa"), key(stranger_key)),
    ok = file:write_file(filename:join(Stranger, "id_ecdsa.pub"), key(stranger_pub)),
    {Sys, User, Stranger}.

daemon() ->
    {ok, _} = application:ensure_all_started(ssh),
    {Sys, User, Stranger} = dirs(),
    {ok, D} = ssh:daemon({127, 0, 0, 1}, 0, [{system_dir, Sys}, {user_dir, User},
                                             {auth_methods, "publickey"}]),
    {ok, Info} = ssh:daemon_info(D),
    {D, proplists:get_value(port, Info), User, Stranger}.

connect(Port, UserDir) ->
    ssh:connect({127, 0, 0, 1}, Port, [{user_dir, UserDir}, {user, "freebeam"},
                                       {silently_accept_hosts, true}, {user_interaction, false},
                                       {auth_methods, "publickey"}, {save_accepted_host, false}],
                ?TIMEOUT).

%% Collect a channel's output until it closes.
output(C, Ch, Acc) ->
    receive
        {ssh_cm, C, {data, Ch, 0, Data}} -> output(C, Ch, [Acc, Data]);
        {ssh_cm, C, {closed, Ch}} -> iolist_to_binary(Acc);
        {ssh_cm, C, _} -> output(C, Ch, Acc)
    after ?TIMEOUT -> {timeout, iolist_to_binary(Acc)}
    end.

exec_test_() ->
    {timeout, 180, fun() ->
        {D, Port, User, _} = daemon(),
        {ok, C} = connect(Port, User),
        {ok, Ch} = ssh_connection:session_channel(C, ?TIMEOUT),
        success = ssh_connection:exec(C, Ch, "lists:sum([1, 2, 3]) * 7.", ?TIMEOUT),
        Out = output(C, Ch, []),
        ok = ssh:close(C),
        ok = ssh:stop_daemon(D),
        ?assertEqual(<<"42">>, string:trim(Out))
    end}.

%% A key the daemon does not know: no login.
refused_key_test_() ->
    {timeout, 180, fun() ->
        {D, Port, _, Stranger} = daemon(),
        R = connect(Port, Stranger),
        ok = ssh:stop_daemon(D),
        ?assertMatch({error, _}, R)
    end}.
