%% freebeam_boot - what the boot scripts of an image call in place of
%% c:erlangrc/0 (beam/mkroot.sh rewrites them): the same `.erlang` files
%% are evaluated, but the c module and erl_eval (55 KB of code, about 6% of
%% the boot to the first Erlang line, docs/profiling.md) are loaded only when
%% there is such a file to evaluate.  Without one, c:erlangrc/0 would load
%% them only to find nothing.
-module(freebeam_boot).
-export([erlangrc/0]).

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
