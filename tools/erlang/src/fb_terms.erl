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
                                          [File, Line + blank_lines(Text)])}
            end
    end.

first_line([Tok | _]) -> erl_anno:line(element(2, Tok)).

syntax(File, Loc, Mod, Desc) ->
    L = case Loc of {Ln, _Col} -> Ln; Ln when is_integer(Ln) -> Ln; _ -> erl_anno:line(Loc) end,
    Why = lists:flatten(io_lib:format("~ts", [Mod:format_error(Desc)])),
    Prefix = case string:find(Why, "syntax error") of nomatch -> "syntax error: "; _ -> "" end,
    {error, io_lib:format("~ts:~b: ~ts~ts", [File, L, Prefix, Why])}.

%% Newlines before the first token of Text (blanks and comment lines).
blank_lines([$\n | T]) -> 1 + blank_lines(T);
blank_lines([C | T]) when C =:= $\s; C =:= $\t; C =:= $\r -> blank_lines(T);
blank_lines([$% | T]) -> blank_lines(lists:dropwhile(fun(C) -> C =/= $\n end, T));
blank_lines(_) -> 0.

%% The scanner asks for more input when only comments or blanks remain.
only_blank(Text) ->
    case erl_scan:string(Text) of
        {ok, [], _} -> true;
        _ -> false
    end.
