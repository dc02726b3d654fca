%% freebeam_boot - what the boot scripts of an image call besides OTP's
%% own steps (beam/mkroot.sh rewrites them):
%%
%% data_config/0, once the application controller runs and before any
%% application is loaded or started: the settings of /data/sys.config, if
%% the device's disk has one, override the image's (docs/storage.md).  A
%% device's configuration then lives on its writable disk while the image
%% stays read-only and shared by every device.
%%
%% erlangrc/0, in place of c:erlangrc/0: the same `.erlang` files are
%% evaluated, but the c module and erl_eval (55 KB of code, about 6% of
%% the boot to the first Erlang line, docs/profiling.md) are loaded only when
%% there is such a file to evaluate.  Without one, c:erlangrc/0 would load
%% them only to find nothing.
-module(freebeam_boot).
-export([data_config/0, erlangrc/0]).

-define(DATA_CONFIG, "/data/sys.config").

%% The file is read as application_controller reads a sys.config (through
%% erl_prim_loader: the file server does not run yet), must be one list of
%% {App, [{Key, Value}]}, and is applied with application:set_env/2 as
%% persistent, so the loads that follow keep it.  A file that cannot be
%% used is reported and left alone: the image's own settings then hold, and
%% the device still boots, so that a bad write to /data never bricks it.
-spec data_config() -> ok.
data_config() ->
    case erl_prim_loader:get_file(?DATA_CONFIG) of
        error ->
            ok;                         % no disk, or no file on it
        {ok, Bin, _} ->
            case apply_config(Bin) of
                {ok, Apps} ->
                    logger:notice("freebeam: ~s overrides the settings of ~w", [?DATA_CONFIG, Apps]);
                {error, Why} ->
                    logger:error("freebeam: ~s not used (the image's settings hold): ~ts", [?DATA_CONFIG, Why])
            end
    end.

apply_config(Bin) ->
    case parse(Bin) of
        {ok, Config} when is_list(Config) ->
            case [E || E <- Config, not is_app_env(E)] of
                [] ->
                    try application:set_env(Config, [{persistent, true}]) of
                        ok -> {ok, [App || {App, _} <- Config]}
                    catch error:Reason ->
                        {error, io_lib:format("~p", [Reason])}
                    end;
                [Bad | _] ->
                    {error, io_lib:format("not {Application, [{Key, Value}]}: ~P", [Bad, 8])}
            end;
        {ok, _} ->
            {error, "not a list"};
        {error, _} = E ->
            E
    end.

is_app_env({App, Env}) when is_atom(App), is_list(Env) ->
    lists:all(fun({K, _}) -> is_atom(K); (_) -> false end, Env);
is_app_env(_) ->
    false.

parse(Bin) ->
    case unicode:characters_to_list(Bin) of
        Text when is_list(Text) ->
            case erl_scan:string(Text) of
                {ok, Tokens, _} ->
                    case erl_parse:parse_term(Tokens) of
                        {ok, Term} -> {ok, Term};
                        {error, {Line, Mod, Why}} ->
                            {error, io_lib:format("line ~p: ~ts", [Line, Mod:format_error(Why)])}
                    end;
                {error, {Line, Mod, Why}, _} ->
                    {error, io_lib:format("line ~p: ~ts", [Line, Mod:format_error(Why)])}
            end;
        _ ->
            {error, "not UTF-8"}
    end.

-spec erlangrc() -> {ok, file:filename()} | {error, term()}.
erlangrc() ->
    case init:get_argument(home) of
        {ok, [[Home]]} ->
            %% The folders c:erlangrc/0 looks in, in its order.
            Dirs = [Home, filename:basedir(user_config, "erlang")],
            case lists:any(fun has_erlang_file/1, Dirs) of
                true -> c:erlangrc();
                false -> {error, enoent}
            end;
        _ ->
            {error, enoent}
    end.

%% Anything but "no such file" counts (a .erlang that cannot be read too):
%% c:erlangrc/0 then says what is wrong with it, as it would have anyway.
has_erlang_file(Dir) ->
    case file:read_file_info(filename:join(Dir, ".erlang")) of
        {error, enoent} -> false;
        {error, enotdir} -> false;
        _ -> true
    end.
