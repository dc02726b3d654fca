%% fb_sdk - the SDK for the commands that build on it (docs/sdk.md): its
%% folder (FREEBEAM_SDK, which tools/sdk.sh sets before any command runs),
%% bringing this checkout's own SDK up to date (tools/sdk.sh's sdk_make, so
%% that there is one rule for when and how), and the check that files are
%% there, with sdk.sh's sdk_has message.
-module(fb_sdk).
-export([dir/0, make/2, has/2, missing_message/2, app_vsn/1]).

dir() -> os:getenv("FREEBEAM_SDK").

%% make(Root, Target) -> ok | error: `sdk_make TARGET` of Root/tools/sdk.sh.
make(Root, Target) ->
    Script = "ROOT=$1; . \"$ROOT/tools/sdk.sh\" && sdk_make \"$2\"",
    case fb_cmd:run("bash", ["-c", Script, "sdk_make", Root, Target], []) of
        0 -> ok;
        _ -> error
    end.

%% has(Sdk, Files) -> ok | error: each file exists, else the first missing
%% one is named on stderr.
has(_Sdk, []) -> ok;
has(Sdk, [F | Fs]) ->
    case filelib:is_file(F) of
        true -> has(Sdk, Fs);
        false -> io:put_chars(standard_error, missing_message(Sdk, F)), error
    end.

missing_message(Sdk, F) ->
    Rel = case string:prefix(F, Sdk ++ "/") of
              nomatch -> F;
              R -> R
          end,
    io_lib:format("freebeam: ~ts has no ~ts (FREEBEAM_SDK; make sdk: docs/sdk.md)~n", [Sdk, Rel]).

%% The freebeam application's version (erlang/src/freebeam.app.src, as
%% erlang/app-vsn.sh reads it): its folder in the SDK is erlang/freebeam-VSN.
app_vsn(Root) ->
    {ok, Src} = file:read_file(filename:join(Root, "erlang/src/freebeam.app.src")),
    case re:run(Src, "^ *{vsn, *\"([^\"]*)\"}", [multiline, {capture, all_but_first, list}]) of
        {match, [Vsn]} -> Vsn;
        nomatch -> ""
    end.
