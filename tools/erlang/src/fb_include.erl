%% fb_include - the include mechanism of system descriptions: a file may
%% take the terms of another with {include, File} or {include, File,
%% [{Param, Value}]}, and a file that is meant to be included (a template:
%% the BEAM PD, a driver's wiring) declares what it takes with {params,
%% [Name | {Name, Default}]} and uses it as {param, Name} (the value, anywhere
%% in a term) or {splice, Name} (the elements of a list value, inside a
%% list).  This module reads a description and every file it includes and
%% returns the flat list of terms the checker sees, each with the file and
%% line it came from and the include chain that brought it
%% (docs/system-description.md, "Includes and parameters").
-module(fb_include).
-export([expand/2]).

-define(MAX_DEPTH, 16).

%% expand(File, SearchDirs) -> {ok, [{Term, Ctx}]} | {error, Message}
%% Ctx = #{file, line, via}: via is the include chain, innermost first, as
%% [{File, Line}].  A relative include is looked for in the directory of the
%% file that names it, then in each SearchDir in order.
expand(File, Search) ->
    try
        {ok, file_terms(File, [], #{}, {top, File}, Search)}
    catch
        throw:{fb_error, Msg} -> {error, Msg}
    end.

%% The terms of File with Bindings applied; Via: the chain of includes to it;
%% From: {top, File} or the include term's context (for a missing parameter).
file_terms(File, Via, Bindings, From, Search) ->
    Terms = case fb_terms:read(File) of
                {ok, Ts} -> Ts;
                {error, Msg} -> throw({fb_error, Msg})
            end,
    Ctxs = [{T, #{file => File, line => L, via => Via, term => T}} || {T, L} <- Terms],
    Params = params(File, [X || X = {{params, _}, _} <- Ctxs]),
    Values = values(Params, Bindings, From),
    lists:append([term(subst(C, T, Values), C, Search)
                  || {T, C} <- Ctxs, not is_params(T)]).

is_params({params, _}) -> true;
is_params(_) -> false.

%% One term, its parameters replaced: an include is expanded in place.
term({include, Name}, C, Search) ->
    include(C, Name, #{}, Search);
term({include, Name, Bindings}, C, Search) ->
    include(C, Name, bindings(C, Bindings), Search);
term(T, C, _) when is_tuple(T), tuple_size(T) > 0, element(1, T) =:= include ->
    fail(C, "expected {include, File} or {include, File, [{Param, Value}]}", []);
term(T, C, _) ->
    [{T, maps:remove(term, C)}].

include(C = #{file := From, line := Line, via := Via}, Name, Bindings, Search) ->
    is_list(Name) andalso Name =/= [] andalso io_lib:printable_unicode_list(Name)
        orelse fail(C, "the file to include must be a non-empty string", []),
    length(Via) < ?MAX_DEPTH orelse fail(C, "includes nested deeper than ~b", [?MAX_DEPTH]),
    Path = fb_pdfiles:find(C, include, Name, [filename:dirname(From) | Search]),
    Chain = [From | [F || {F, _} <- Via]],
    Abs = fun(F) -> filename:absname(F) end,
    lists:member(Abs(Path), [Abs(F) || F <- Chain]) andalso
        fail(C, "include cycle: ~ts", [lists:join(" -> ", lists:reverse([Path | Chain]))]),
    file_terms(Path, [{From, Line} | Via], Bindings, C, Search).

%% [{Param, Value}] of an include term: atoms, each once.
bindings(C, Bs) when is_list(Bs) ->
    lists:foldl(fun({K, V}, Acc) when is_atom(K) ->
                        maps:is_key(K, Acc) andalso fail(C, "parameter ~p given twice", [K]),
                        Acc#{K => V};
                   (B, _) -> fail(C, "~0tP is not {Param, Value}", [B, 4])
                end, #{}, Bs);
bindings(C, _) ->
    fail(C, "the parameters must be a list of {Param, Value}", []).

%% The {params, [...]} term of a file (at most one): #{Name => {default, V} | required}.
params(_, []) -> #{};
params(_, [{{params, List}, C} | More]) ->
    More =:= [] orelse fail(element(2, hd(More)), "a second params term (one per file)", []),
    is_list(List) orelse fail(C, "expected {params, [Name | {Name, Default}]}", []),
    lists:foldl(fun(P, Acc) ->
                        {K, D} = case P of
                                     {K0, V} when is_atom(K0) -> {K0, {default, V}};
                                     K0 when is_atom(K0) -> {K0, required};
                                     _ -> fail(C, "~0tP is not a parameter (Name or {Name, Default})", [P, 4])
                                 end,
                        maps:is_key(K, Acc) andalso fail(C, "parameter ~p declared twice", [K]),
                        Acc#{K => D}
                end, #{}, List).

%% Each declared parameter's value: the binding, else the default.
values(Params, Bindings, From) ->
    [fail_from(From, "unknown parameter ~p (~ts)", [K, declared(Params)])
     || K <- lists:sort(maps:keys(Bindings)), not maps:is_key(K, Params)],
    maps:map(fun(K, D) ->
                     case {maps:find(K, Bindings), D} of
                         {{ok, V}, _} -> V;
                         {error, {default, V}} -> V;
                         {error, required} ->
                             fail_from(From, "parameter ~p has no value (give it: {include, File, [{~p, Value}]})",
                                       [K, K])
                     end
             end, Params).

declared(Params) when map_size(Params) =:= 0 -> "the file declares no params";
declared(Params) -> ["it takes: ", lists:join(", ", [atom_to_list(K) || K <- lists:sort(maps:keys(Params))])].

fail_from({top, File}, Fmt, Args) -> throw({fb_error, io_lib:format("~ts: " ++ Fmt, [File | Args])});
fail_from(C, Fmt, Args) -> fail(C, Fmt, Args).

%% T with {param, Name} replaced by its value and {splice, Name} (in a list)
%% by its elements.
subst(C, {param, K}, Vs) -> value(C, K, Vs);
subst(C, {splice, K}, _) when is_atom(K) -> fail(C, "{splice, ~p} outside a list", [K]);
subst(C, T, Vs) when is_tuple(T) -> list_to_tuple([subst(C, E, Vs) || E <- tuple_to_list(T)]);
subst(C, [{splice, K} | T], Vs) when is_atom(K) ->
    case value(C, K, Vs) of
        L when is_list(L) -> L ++ subst(C, T, Vs);
        _ -> fail(C, "{splice, ~p}: the value of ~p is not a list", [K, K])
    end;
subst(C, [H | T], Vs) -> [subst(C, H, Vs) | subst(C, T, Vs)];
subst(_, T, _) -> T.

value(C, K, Vs) ->
    case maps:find(K, Vs) of
        {ok, V} -> V;
        error -> fail(C, "{param, ~0tP}: not a parameter of this file (declare it in a params term)", [K, 3])
    end.

fail(C, Fmt, Args) -> fb_sysdesc:fail(C, Fmt, Args).
