%% Loading code at run time on freebeam: a module compiled in the image with
%% compile:forms/2 and loaded with code:load_binary/3, then a second version
%% replacing it while a process still runs the first (hot code loading).
-module(fb_code_tests).
-include_lib("eunit/include/eunit.hrl").

-define(MOD, fb_hot_mod).

%% The module's source for version V: version/0 says V; loop/0 serves
%% requests with local calls (it stays in the code it runs) until told to
%% upgrade, which it does with a fully qualified call.
source(V) ->
    "-module(" ++ atom_to_list(?MOD) ++ ").\n"
    "-export([version/0, loop/0]).\n"
    "version() -> " ++ integer_to_list(V) ++ ".\n"
    "loop() ->\n"
    "    receive\n"
    "        {version, From} -> From ! {self(), version()}, loop();\n"
    "        upgrade -> " ++ atom_to_list(?MOD) ++ ":loop();\n"
    "        stop -> ok\n"
    "    end.\n".

forms(Src) ->
    {ok, Toks, _} = erl_scan:string(Src),
    [begin {ok, F} = erl_parse:parse_form(T), F end || T <- split_forms(Toks, [])].

split_forms([], []) -> [];
split_forms([{dot, _} = D | Rest], Acc) -> [lists:reverse([D | Acc]) | split_forms(Rest, [])];
split_forms([T | Rest], Acc) -> split_forms(Rest, [T | Acc]).

load(V) ->
    {ok, ?MOD, Bin} = compile:forms(forms(source(V)), [binary, return_errors]),
    {module, ?MOD} = code:load_binary(?MOD, "fb_hot_mod.erl", Bin),
    ok.

ask(P) ->
    P ! {version, self()},
    receive {P, V} -> V after 2000 -> timeout end.

hot_code_loading_test() ->
    code:purge(?MOD), code:delete(?MOD), code:purge(?MOD),
    ok = load(1),
    ?assertEqual(1, ?MOD:version()),
    P = spawn(?MOD, loop, []),
    ?assertEqual(1, ask(P)),
    %% version 2 becomes current; P still runs (and calls locally) version 1
    ok = load(2),
    ?assertEqual(2, ?MOD:version()),
    ?assertEqual(1, ask(P)),
    ?assert(erlang:check_process_code(P, ?MOD)),
    ?assertEqual(false, code:soft_purge(?MOD)),      % old code still in use
    %% a fully qualified call moves P to the current code
    P ! upgrade,
    ?assertEqual(2, ask(P)),
    ?assertNot(erlang:check_process_code(P, ?MOD)),
    ?assert(code:soft_purge(?MOD)),
    %% a third version: loading while old code is still there kills the
    %% processes that run the old code when it is purged
    ok = load(3),
    M = monitor(process, P),
    ok = load(4),                                    % purges version 2, P runs it
    ?assertEqual(killed, receive {'DOWN', M, process, P, R} -> R after 2000 -> timeout end),
    ?assertEqual(4, ?MOD:version()),
    code:purge(?MOD), code:delete(?MOD), code:purge(?MOD).

%% A module loaded from the archive on first use (interactive mode) and
%% the code path.
code_path_test() ->
    ?assert(lists:member("/otp/test/ebin", code:get_path())),
    code:ensure_loaded(dict),
    ?assertEqual({file, code:which(dict)}, code:is_loaded(dict)),
    ?assertMatch("/otp/lib/stdlib-" ++ _, code:which(dict)),
    ?assertEqual("/otp", code:root_dir()).

%% A module compiled from a file written to /tmp, loaded with c-like steps.
compile_file_test() ->
    Dir = "/tmp/fb_code_tests",
    ok = filelib:ensure_dir(Dir ++ "/"),
    Src = filename:join(Dir, "fb_tmp_mod.erl"),
    ok = file:write_file(Src, "-module(fb_tmp_mod).\n-export([sq/1]).\nsq(X) -> X * X.\n"),
    {ok, fb_tmp_mod} = compile:file(Src, [{outdir, Dir}, report]),
    {module, fb_tmp_mod} = code:load_abs(filename:join(Dir, "fb_tmp_mod")),
    ?assertEqual(144, fb_tmp_mod:sq(12)),
    code:purge(fb_tmp_mod), code:delete(fb_tmp_mod), code:purge(fb_tmp_mod),
    [file:delete(filename:join(Dir, F)) || F <- ["fb_tmp_mod.erl", "fb_tmp_mod.beam"]],
    ok = file:del_dir(Dir).

%% A module's checksum (module_info(md5), also part of each fun's identity).
%% beam/mkroot.sh gives every module of the archive its beam_lib:md5/1 in a
%% chunk "FbM5", and erts (patch 0006) takes that instead of hashing the
%% module at load; a module without the chunk is hashed as before.
md5_of_archive_modules_test() ->
    [begin
         code:ensure_loaded(M),
         {ok, {M, Md5}} = beam_lib:md5(code:which(M)),
         ?assertMatch({ok, {M, [{"FbM5", Md5}]}}, beam_lib:chunks(code:which(M), ["FbM5"])),
         ?assertEqual(Md5, M:module_info(md5))
     end || M <- [lists, gen_server, dict]].

md5_chunk_taken_test() ->
    code:purge(?MOD), code:delete(?MOD), code:purge(?MOD),
    {ok, ?MOD, Bin} = compile:forms(forms(source(5)), [binary, return_errors]),
    {ok, {?MOD, Md5}} = beam_lib:md5(Bin),
    %% without the chunk: erts hashes the module
    {module, ?MOD} = code:load_binary(?MOD, "fb_hot_mod.erl", Bin),
    ?assertEqual(Md5, ?MOD:module_info(md5)),
    code:purge(?MOD), code:delete(?MOD), code:purge(?MOD),
    %% with one: erts takes the chunk as it is (here a made-up sum)
    Given = list_to_binary(lists:seq(1, 16)),
    {ok, _, Chunks} = beam_lib:all_chunks(Bin),
    {ok, WithChunk} = beam_lib:build_module(Chunks ++ [{"FbM5", Given}]),
    {module, ?MOD} = code:load_binary(?MOD, "fb_hot_mod.erl", WithChunk),
    ?assertEqual(Given, ?MOD:module_info(md5)),
    ?assertEqual(5, ?MOD:version()),
    code:purge(?MOD), code:delete(?MOD), code:purge(?MOD).
