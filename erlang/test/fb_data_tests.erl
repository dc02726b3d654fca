%% Data on freebeam: binaries, bignums, floats (the VFP), zlib, re.
-module(fb_data_tests).
-include_lib("eunit/include/eunit.hrl").

%% ---- binaries ----

bit_syntax_test() ->
    B = <<1:1, 2:3, 300:16/little, -1:8/signed, 3.5/float, "abc">>,
    <<A:1, C:3, D:16/little, E:8/signed, F/float, Rest/binary>> = B,
    ?assertEqual({1, 2, 300, -1, 3.5, <<"abc">>}, {A, C, D, E, F, Rest}),
    ?assertEqual(<<16#12, 16#34, 16#56, 16#78>>, <<16#12345678:32/big>>),
    ?assertEqual(<<16#78, 16#56, 16#34, 16#12>>, <<16#12345678:32/little>>),
    <<X:64/big>> = <<(id(16#0102030405060708)):64>>,
    ?assertEqual(16#0102030405060708, X).

big_binaries_test() ->
    %% refc binaries (> 64 bytes), sub binaries, binary module
    Big = binary:copy(<<"0123456789">>, 100000),
    ?assertEqual(1000000, byte_size(Big)),
    <<_:500000/binary, Mid:10/binary, _/binary>> = Big,
    ?assertEqual(<<"0123456789">>, Mid),
    ?assertEqual(100000, length(binary:matches(Big, <<"789">>))),
    [H | _] = binary:split(Big, <<"5">>),
    ?assertEqual(<<"01234">>, H),
    ?assertEqual(crc(Big), erlang:crc32(Big)),
    %% term_to_binary round trips, plain and compressed
    Term = {self(), make_ref(), [1.5, -7, 1 bsl 100, <<"bin">>, "str", #{k => v}]},
    ?assertEqual(Term, binary_to_term(term_to_binary(Term))),
    BigTerm = lists:duplicate(10000, Term),
    Z = term_to_binary(BigTerm, [compressed]),
    ?assert(byte_size(Z) < byte_size(term_to_binary(BigTerm)) div 10),
    ?assertEqual(BigTerm, binary_to_term(Z)).

crc(Bin) -> erlang:crc32(0, Bin).

unicode_test() ->
    S = "héllo wörld ✓",
    B = unicode:characters_to_binary(S),
    ?assertEqual(S, unicode:characters_to_list(B)),
    ?assertEqual(<<"✓"/utf8>>, binary:part(B, byte_size(B) - 3, 3)),
    ?assertEqual("HÉLLO WÖRLD ✓", string:uppercase(S)).

%% ---- bignums ----

bignum_test() ->
    F1000 = fact(1000),
    ?assertEqual(2568, length(integer_to_list(F1000))),
    ?assertEqual(F1000, fact(999) * 1000),
    ?assertEqual(fact(999), F1000 div 1000),
    ?assertEqual(0, F1000 rem fact(500)),
    P = 1 bsl 521 - 1,                                   % a Mersenne prime
    ?assertEqual(1, powmod(3, P - 1, P)),                % Fermat
    ?assertEqual("1267650600228229401496703205376", integer_to_list(1 bsl 100)),
    ?assertEqual(1 bsl 100, list_to_integer("1267650600228229401496703205376")),
    ?assertEqual(-(1 bsl 70), (-1) bsl 70),
    ?assertEqual(16#FFFFFFFFFFFFFFFF, (1 bsl 64) - 1),
    ?assertEqual(1 bsl 64, 16#FFFFFFFF * 16#FFFFFFFF + 2 * 16#FFFFFFFF + 1),
    ?assertEqual(12345678901234567890, binary_to_integer(<<"12345678901234567890">>)),
    %% small/big boundary on 32 bits: 28-bit smalls
    ?assertEqual(1 bsl 27, id(1 bsl 27 - 1) + 1),
    ?assertEqual(-(1 bsl 27) - 1, id(-(1 bsl 27)) - 1).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

powmod(_, 0, _) -> 1;
powmod(B, E, M) when E rem 2 =:= 0 -> X = powmod(B, E div 2, M), X * X rem M;
powmod(B, E, M) -> B * powmod(B, E - 1, M) rem M.

%% ---- floats ----

float_test() ->
    ?assert(abs(math:sqrt(2) * math:sqrt(2) - 2.0) < 1.0e-15),
    ?assertEqual(0.30000000000000004, 0.1 + 0.2),
    ?assertEqual("3.1415926536", float_to_list(math:pi(), [{decimals, 10}])),
    ?assertEqual(<<"1.0e300">>, float_to_binary(1.0e300, [short])),
    ?assertEqual(2.5e-10, list_to_float("2.5e-10")),
    ?assertEqual(1.0, math:sin(math:pi() / 2)),
    ?assert(abs(math:exp(math:log(10.0)) - 10.0) < 1.0e-12),
    ?assertEqual(1024.0, math:pow(2, 10)),
    ?assertEqual(3, round(2.5)),
    ?assertEqual(-3, trunc(-3.9)),
    ?assertEqual(9007199254740993, trunc(9007199254740992.0) + 1),
    ?assertEqual(1.0e15, float(1000000000000000)).

%% The VM checks every float result: overflow and NaN raise badarith
%% instead of producing inf.
float_errors_test() ->
    Big = list_to_float("1.0e308"),
    ?assertError(badarith, Big * id(10.0)),
    ?assertError(badarith, 1.0 / id(0.0)),
    ?assertError(badarith, math:log(id(-1.0))),
    ?assertError(badarith, math:exp(id(1000.0))).

%% Hides a value from the compiler's constant folding.
id(X) -> X.

%% ---- zlib ----

zlib_test() ->
    Data = iolist_to_binary([integer_to_list(I) || I <- lists:seq(1, 100000)]),
    C = zlib:compress(Data),
    ?assert(byte_size(C) < byte_size(Data) div 2),
    ?assertEqual(Data, zlib:uncompress(C)),
    ?assertEqual(Data, zlib:gunzip(zlib:gzip(Data))),
    ?assertEqual(Data, zlib:unzip(zlib:zip(Data))),
    %% the streaming API in pieces
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, best_compression),
    Parts = [zlib:deflate(Z, P) || P <- chunks(Data, 4096)],
    Last = zlib:deflate(Z, <<>>, finish),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z),
    Out = zlib:inflate(Z, [Parts, Last]),
    ok = zlib:inflateEnd(Z),
    zlib:close(Z),
    ?assertEqual(Data, iolist_to_binary(Out)).

chunks(<<P:4096/binary, Rest/binary>>, N) -> [P | chunks(Rest, N)];
chunks(Rest, _) -> [Rest].

%% ---- re ----

re_test() ->
    ?assertEqual({match, [<<"2024">>, <<"06">>]},
                 re:run(<<"date: 2024-06-01">>, "(\\d{4})-(\\d\\d)", [{capture, all_but_first, binary}])),
    ?assertEqual(<<"a_b_c">>, re:replace("a b  c", "\\s+", "_", [global, {return, binary}])),
    ?assertEqual([<<"x">>, <<"y">>, <<"z">>], re:split("x,y;z", "[,;]", [{return, binary}])),
    {ok, MP} = re:compile("^(\\w+)@(\\w+)\\.org$", [caseless]),
    ?assertEqual({match, ["ERLANG", "otp"]}, re:run("ERLANG@otp.org", MP, [{capture, all_but_first, list}])),
    ?assertEqual(nomatch, re:run("nobody", MP)),
    ?assertEqual({match, [{0, 3}]}, re:run(<<"✓ok"/utf8>>, <<"✓"/utf8>>, [unicode])),
    %% a long subject: re:run yields and resumes
    Long = binary:copy(<<"abcdefghij">>, 200000),
    {match, Ms} = re:run(<<Long/binary, "NEEDLE">>, "N(E+)DLE", [{capture, all, index}]),
    ?assertEqual([{2000000, 6}, {2000001, 2}], Ms),
    ?assertEqual(200000, length(element(2, re:run(Long, "j", [global])))).
