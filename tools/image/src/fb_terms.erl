%% fb_terms - read a file of Erlang terms like file:consult/1, but keep the
%% line each term starts on, so the checker can point at the offending line.
-module(fb_terms).
-export([read/1]).

%% read(File) -> {ok, [{Term, Line}]} | {error, Message}
read(File) ->
    case file:read_file(File) of
        {ok, Bin} ->
            case unicode:characters_to_list(Bin) of
                Text when is_list(Text) -> scan(File, Text, 1, []);
                _ -> {error, io_lib:format("~ts: not valid UTF-8 text", [File])}
            end;
        {error, Why} ->
            {error, io_lib:format("~ts: cannot read: ~ts", [File, file:format_error(Why)])}
    end.

scan(File, Text, Line, Acc) ->
    case erl_scan:tokens([], Text, Line) of
        {done, {ok, Tokens, EndLine}, Rest} ->
            case erl_parse:parse_term(Tokens) of
                {ok, Term} ->
                    scan(File, Rest, EndLine, [{Term, first_line(Tokens)} | Acc]);
                {error, {Loc, Mod, Desc}} ->
                    syntax(File, Loc, Mod, Desc)
            end;
        {done, {error, {Loc, Mod, Desc}, _}, _} ->
            syntax(File, Loc, Mod, Desc);
        {done, {eof, _}, _} ->
            {ok, lists:reverse(Acc)};
        {more, _} ->
            case only_blank(Text) of
                true -> {ok, lists:reverse(Acc)};
                false ->
                    {error, io_lib:format("~ts:~b: syntax error: term not ended by a full stop",
                                          [File, Line])}
            end
    end.

first_line([Tok | _]) -> erl_anno:line(element(2, Tok)).

syntax(File, Loc, Mod, Desc) ->
    L = case Loc of {Ln, _Col} -> Ln; Ln when is_integer(Ln) -> Ln; _ -> erl_anno:line(Loc) end,
    {error, io_lib:format("~ts:~b: syntax error: ~ts", [File, L, Mod:format_error(Desc)])}.

%% The scanner asks for more input when only comments or blanks remain.
only_blank(Text) ->
    case erl_scan:string(Text) of
        {ok, [], _} -> true;
        _ -> false
    end.
