%% freebeam_dev - what freebeam_channel and freebeam_pd share: the device
%% path of a name (/dev/chan/NAME, /dev/pd/NAME; include/freebeam/fbdev.h)
%% and the NIF's constants, read once.
-module(freebeam_dev).
-export([open/3, const/1, name_of/2]).

%% open(chan | pd, Name, Flags) -> {ok, Fd} | {error, badname | Posix}.
%% A name is a plain atom of letters, digits and _ (as in a system
%% description), so it can never leave the device's directory.
open(Kind, Name, Flags) when is_atom(Name) ->
    S = atom_to_list(Name),
    case S =/= "" andalso lists:all(fun plain_char/1, S) of
        true -> freebeam_nif:fd_open([dir(Kind), S], Flags);
        false -> {error, badname}
    end;
open(_Kind, _Name, _Flags) ->
    {error, badname}.

dir(chan) -> "/dev/chan/";
dir(pd) -> "/dev/pd/".

plain_char(C) -> (C >= $a andalso C =< $z) orelse (C >= $A andalso C =< $Z)
                     orelse (C >= $0 andalso C =< $9) orelse C =:= $_.

%% A constant of fbdev.h/kapi.h by name (freebeam_nif:constants/0).
const(Key) ->
    Map = case persistent_term:get(?MODULE, undefined) of
              undefined ->
                  M = freebeam_nif:constants(),
                  persistent_term:put(?MODULE, M),
                  M;
              M -> M
          end,
    maps:get(Key, Map).

%% The atom of the first {Atom, Key} whose constant is N, or undefined.
name_of(N, Pairs) ->
    case [A || {A, K} <- Pairs, const(K) =:= N] of
        [A | _] -> A;
        [] -> undefined
    end.
