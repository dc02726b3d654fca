%% fb_cli - what the commands that build images of the user's code share
%% (fb_release_image: `image --app`/`--release`, fb_test_image: `test-image`):
%% reading their command lines the way their shell scripts did, the BEAM
%% PD's default environment, strings written into descriptions, and their
%% temporary folders.
-module(fb_cli).
-export([match/2, set/3, abspath/1, estr/1, heap/1, env/3, tempdir/1]).

%% What erl's start script would set; an --env KEY=... replaces its KEY.
-define(BEAM_ENV, ["HOME=/", "TERM=vt100", "LANG=C.UTF-8", "FREEBEAM_NODENAME=freebeam.local",
                   "ERL_INETRC=/otp/etc/inetrc", "ROOTDIR=/otp", "BINDIR=/otp/bin",
                   "EMU=beam", "PROGNAME=erl", "ERL_CRASH_DUMP=/tmp/erl_crash.dump"]).

match(S, Re) -> re:run(S, Re, [{capture, none}]) =:= match.

%% An option's value in the map; an empty value is no value (as the shell
%% scripts' [ -n "$x" ] had it).
set(K, "", O) -> maps:remove(K, O);
set(K, V, O) -> O#{K => V}.

%% An absolute path with no . or .. in it, as `cd DIR && pwd` gives.
abspath(P) ->
    filename:join(lists:reverse(lists:foldl(fun(".", Acc) -> Acc;
                                               ("..", [_, _ | _] = Acc) -> tl(Acc);
                                               ("..", Acc) -> Acc;
                                               (C, Acc) -> [C | Acc]
                                            end, [], filename:split(filename:absname(P))))).

%% S as an Erlang string in a description.
estr(S) -> [$", string:replace(string:replace(S, "\\", "\\\\", all), "\"", "\\\"", all), $"].

%% The heap region's size for beam.config: without --heap the rest of RAM,
%% sized by the kernel at boot; --heap MB caps it (docs/kernel.md).
heap("") -> "rest";
heap(MB) -> "16#" ++ integer_to_list(list_to_integer(MB) * 1024 * 1024, 16).

%% env(Given, Before, After) -> the BEAM PD's environment: every --env,
%% then Before, the defaults and After, each only if no --env gave its KEY
%% (never twice: erts and libc disagree on which of two wins).
env(Given, Before, After) ->
    Keys = [key(E) || E <- Given],
    Given ++ [E || E <- Before ++ ?BEAM_ENV ++ After, not lists:member(key(E), Keys)].

key(E) -> hd(string:split(E, "=")).

%% tempdir(Prefix) -> a new folder $TMPDIR/Prefix.N (or under /tmp).
tempdir(Prefix) ->
    Tmp = case os:getenv("TMPDIR") of
              V when V =:= false; V =:= "" -> "/tmp";
              V -> V
          end,
    Dir = filename:join(Tmp, Prefix ++ "." ++ os:getpid() ++ "." ++ integer_to_list(erlang:unique_integer([positive]))),
    ok = file:make_dir(Dir),
    Dir.
