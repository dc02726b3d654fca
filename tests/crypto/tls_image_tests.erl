%% tls_image_tests - OTP's ssl application inside a freebeam image
%% (tests/suites/crypto.sh runs it next to crypto_image_tests, with
%% `--apps crypto,asn1,public_key,ssl`): a TLS server and a TLS client in
%% the same image, over libos's loopback, verifying each other's
%% certificate chains with the certificates the host's openssl made at
%% test time (crypto_host_data:tls_pem/0: a CA, a server certificate for
%% localhost signed by it, and a second CA that signed nothing of ours).
-module(tls_image_tests).
-include_lib("eunit/include/eunit.hrl").

-define(TIMEOUT, 60000).

%% The host's PEM files, decoded here (public_key on freebeam).
der(Name) ->
    Pem = proplists:get_value(Name, crypto_host_data:tls_pem()),
    [{_Type, Der, not_encrypted}] = public_key:pem_decode(Pem),
    Der.

key() ->
    [{Type, Der, not_encrypted}] = public_key:pem_decode(proplists:get_value(server_key,
                                                                            crypto_host_data:tls_pem())),
    {Type, Der}.

server_opts(Versions) ->
    [binary, {active, false}, {reuseaddr, true}, {versions, Versions},
     {cert, der(server_cert)}, {key, key()}, {cacerts, [der(ca_cert)]}].

client_opts(Versions, CA, Host) ->
    [binary, {active, false}, {versions, Versions}, {verify, verify_peer},
     {cacerts, [der(CA)]}, {server_name_indication, Host},
     {customize_hostname_check, [{match_fun, public_key:pkix_verify_hostname_match_fun(https)}]}].

%% A server that answers one connection: the bytes it reads, reversed.
serve(Versions) ->
    {ok, L} = ssl:listen(0, [{ip, {127, 0, 0, 1}} | server_opts(Versions)]),
    {ok, {_, Port}} = ssl:sockname(L),
    Parent = self(),
    Pid = spawn_link(fun() ->
                             Result = case ssl:transport_accept(L, ?TIMEOUT) of
                                          {ok, T} ->
                                              case ssl:handshake(T, ?TIMEOUT) of
                                                  {ok, S} -> echo(S);
                                                  Err -> Err
                                              end;
                                          Err -> Err
                                      end,
                             Parent ! {self(), Result},
                             ssl:close(L)
                     end),
    {Pid, Port}.

echo(S) ->
    case ssl:recv(S, 0, ?TIMEOUT) of
        {ok, Data} -> ok = ssl:send(S, lists:reverse(binary_to_list(Data))), ssl:close(S), served;
        Err -> Err
    end.

round_trip(Version) ->
    {ok, _} = application:ensure_all_started(ssl),
    {Pid, Port} = serve([Version]),
    {ok, C} = ssl:connect({127, 0, 0, 1}, Port, client_opts([Version], ca_cert, "localhost"), ?TIMEOUT),
    {ok, [{protocol, Proto}]} = ssl:connection_information(C, [protocol]),
    ok = ssl:send(C, <<"hello over tls">>),
    {ok, Back} = ssl:recv(C, 0, ?TIMEOUT),
    ssl:close(C),
    receive {Pid, Served} -> ok after ?TIMEOUT -> Served = timeout end,
    {Proto, Back, Served}.

tls13_test_() ->
    {timeout, 120, fun() ->
        ?assertEqual({'tlsv1.3', <<"slt revo olleh">>, served}, round_trip('tlsv1.3'))
    end}.

tls12_test_() ->
    {timeout, 120, fun() ->
        ?assertEqual({'tlsv1.2', <<"slt revo olleh">>, served}, round_trip('tlsv1.2'))
    end}.

%% A client that trusts another CA, or asked for another host name, refuses
%% the server's certificate with the alert named.
refused(CA, Host) ->
    {ok, _} = application:ensure_all_started(ssl),
    {_Pid, Port} = serve(['tlsv1.3']),
    case ssl:connect({127, 0, 0, 1}, Port, client_opts(['tlsv1.3'], CA, Host), ?TIMEOUT) of
        {error, {tls_alert, {Alert, _}}} -> Alert;
        Other -> Other
    end.

unknown_ca_test_() ->
    {timeout, 120, fun() -> ?assertEqual(unknown_ca, refused(other_ca_cert, "localhost")) end}.

wrong_host_test_() ->
    {timeout, 120, fun() -> ?assertEqual(handshake_failure, refused(ca_cert, "elsewhere.example")) end}.
