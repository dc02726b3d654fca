#!/usr/bin/env escript
%% check-app.escript APP_SRC NIF_C ERL... - refuses a freebeam.app.src whose
%% `modules` are not exactly the given .erl files, or whose vsn is not the
%% FREEBEAM_APP_VSN of the NIF's source (freebeam_nif:info/0 reports it).
%% Run by erlang/erlang.mk before it copies the file to ebin/freebeam.app.
main([AppSrc, NifC | Erls]) ->
    {ok, [{application, freebeam, Props}]} = file:consult(AppSrc),
    Listed = lists:sort(proplists:get_value(modules, Props)),
    Present = lists:sort([list_to_atom(filename:basename(F, ".erl")) || F <- Erls]),
    Vsn = proplists:get_value(vsn, Props),
    {ok, C} = file:read_file(NifC),
    NifVsn = case re:run(C, "#define FREEBEAM_APP_VSN \"([^\"]*)\"", [{capture, all_but_first, list}]) of
                 {match, [V]} -> V;
                 nomatch -> none
             end,
    Problems = [io_lib:format("modules listed but not in erlang/src: ~p~n", [Listed -- Present])
                || Listed -- Present =/= []]
        ++ [io_lib:format("modules in erlang/src but not listed: ~p~n", [Present -- Listed])
            || Present -- Listed =/= []]
        ++ [io_lib:format("vsn ~p is not the NIF's FREEBEAM_APP_VSN ~p~n", [Vsn, NifVsn])
            || Vsn =/= NifVsn],
    case Problems of
        [] -> ok;
        _ -> io:put_chars(standard_error, [AppSrc, ": " | Problems]), halt(1)
    end.
