%% Files on freebeam: the read-only OTP archive and the tmpfs at /tmp.
-module(fb_file_tests).
-include_lib("eunit/include/eunit.hrl").
-include_lib("kernel/include/file.hrl").

-define(DIR, "/tmp/fb_file_tests").

%% A .beam file of kernel, read from the archive the image boots from.
%% beam/mkroot.sh strips them with beam_lib, which gzips them: the loader
%% takes both forms.
archive_read_test() ->
    Beam = code:which(application),
    ?assertMatch("/otp/lib/kernel-" ++ _, Beam),
    {ok, Bin} = file:read_file(Beam),
    <<"FOR1", Size:32, "BEAM", _/binary>> = Plain = maybe_gunzip(Bin),
    ?assertEqual(byte_size(Plain), Size + 8),
    {ok, {application, [{exports, Exports}]}} = beam_lib:chunks(Bin, [exports]),
    ?assert(lists:member({start, 1}, Exports)),
    {ok, #file_info{type = regular, size = FSize}} = file:read_file_info(Beam),
    ?assertEqual(byte_size(Bin), FSize),
    %% the directory listing has every module of the application
    {ok, Names} = file:list_dir(filename:dirname(Beam)),
    ?assert(lists:member("application.beam", Names)),
    ?assert(lists:member("kernel.app", Names)),
    {ok, [{application, kernel, Props}]} = file:consult(filename:join(filename:dirname(Beam), "kernel.app")),
    ?assertEqual(proplists:get_value(vsn, Props), element(3, lists:keyfind(kernel, 1, application:loaded_applications()))).

%% The licence notices of what the image holds (tools/notices.sh), for the
%% user to read: each component by name, and the Apache License text.
notices_test() ->
    {ok, Text} = file:read_file("/otp/NOTICES"),
    [?assertMatch({_, _}, binary:match(Text, Name), Name)
     || Name <- [<<"freebeam (the kernel, libos">>, <<"Erlang/OTP 25.2.3">>, <<"musl 1.2.3">>,
                 <<"Upstream-Name: musl">>, <<"erts/emulator/zlib">>,
                 <<"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION">>]].

archive_is_read_only_test() ->
    ?assertMatch({error, _}, file:write_file("/otp/fb_should_not_exist", <<"x">>)),
    ?assertEqual({error, enoent}, file:read_file("/otp/lib/no_such_file")).

maybe_gunzip(<<31, 139, _/binary>> = Gz) -> zlib:gunzip(Gz);
maybe_gunzip(Bin) -> Bin.

%% Positioned reads on an open archive file agree with the whole file.
archive_pread_test() ->
    File = code:which(lists),
    {ok, Bin} = file:read_file(File),
    {ok, Fd} = file:open(File, [read, binary, raw]),
    ?assertEqual({ok, binary:part(Bin, 0, 4)}, file:pread(Fd, 0, 4)),
    ?assertEqual({ok, binary:part(Bin, 1000, 64)}, file:pread(Fd, 1000, 64)),
    ?assertEqual(eof, file:pread(Fd, byte_size(Bin), 4)),
    {ok, Last} = file:pread(Fd, byte_size(Bin) - 2, 100),
    ?assertEqual(binary:part(Bin, byte_size(Bin) - 2, 2), Last),
    ok = file:close(Fd).

tmpfs_test_() ->
    {setup, fun() -> ok = filelib:ensure_dir(?DIR ++ "/"), ?DIR end,
     fun(D) -> [file:delete(filename:join(D, F)) || {ok, Fs} <- [file:list_dir(D)], F <- Fs],
               file:del_dir(D) end,
     fun(D) -> [?_test(write_read(D)), ?_test(rename_delete(D)), ?_test(open_append(D)),
                ?_test(big_file(D))] end}.

write_read(D) ->
    F = filename:join(D, "a.txt"),
    ok = file:write_file(F, <<"hello freebeam\n">>),
    ?assertEqual({ok, <<"hello freebeam\n">>}, file:read_file(F)),
    {ok, #file_info{size = 15, type = regular}} = file:read_file_info(F),
    ?assert(lists:member("a.txt", element(2, file:list_dir(D)))),
    ok = file:write_file(F, <<"shorter">>),
    ?assertEqual({ok, <<"shorter">>}, file:read_file(F)).

rename_delete(D) ->
    A = filename:join(D, "r1"), B = filename:join(D, "r2"),
    ok = file:write_file(A, <<"data">>),
    ok = file:rename(A, B),
    ?assertEqual({error, enoent}, file:read_file(A)),
    ?assertEqual({ok, <<"data">>}, file:read_file(B)),
    ok = file:delete(B),
    ?assertEqual({error, enoent}, file:read_file(B)),
    ?assertNot(lists:member("r2", element(2, file:list_dir(D)))),
    %% directories
    Sub = filename:join(D, "sub"),
    ok = file:make_dir(Sub),
    ?assert(filelib:is_dir(Sub)),
    ok = file:del_dir(Sub),
    ?assertNot(filelib:is_dir(Sub)).

open_append(D) ->
    F = filename:join(D, "log"),
    {ok, Fd} = file:open(F, [write, binary]),
    ok = file:write(Fd, <<"one\n">>),
    ok = file:close(Fd),
    {ok, Fd2} = file:open(F, [append, binary]),
    ok = io:format(Fd2, "~s~n", ["two"]),
    ok = file:close(Fd2),
    {ok, Fd3} = file:open(F, [read, binary]),
    ?assertEqual({ok, <<"one\n">>}, file:read_line(Fd3)),
    ?assertEqual({ok, <<"two\n">>}, file:read_line(Fd3)),
    ?assertEqual(eof, file:read_line(Fd3)),
    {ok, 2} = file:position(Fd3, 2),
    ?assertEqual({ok, <<"e\ntw">>}, file:read(Fd3, 4)),
    ok = file:close(Fd3).

%% 4 MB written in pieces and read back whole.
big_file(D) ->
    F = filename:join(D, "big"),
    Chunk = binary:copy(<<"0123456789abcdef">>, 4096),
    {ok, Fd} = file:open(F, [write, raw, binary]),
    [ok = file:write(Fd, Chunk) || _ <- lists:seq(1, 64)],
    ok = file:close(Fd),
    {ok, Bin} = file:read_file(F),
    ?assertEqual(64 * byte_size(Chunk), byte_size(Bin)),
    ?assertEqual(erlang:crc32(binary:copy(Chunk, 64)), erlang:crc32(Bin)),
    ok = file:delete(F).
