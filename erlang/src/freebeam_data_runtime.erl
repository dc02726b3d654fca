%% freebeam_data_runtime - an Elixir config provider for the device's own
%% config/runtime.exs on /data (docs/storage.md, "A device's settings").
%%
%% A mix release evaluates its config/runtime.exs at boot through Elixir's
%% Config.Provider, before its applications start.  `tools/freebeam image
%% --release` appends this provider after the release's own, so that a
%% /data/config/runtime.exs, written on the device or on its disk image,
%% overrides both the image's compile-time settings and its runtime.exs, as
%% /data/sys.config does for Erlang releases (freebeam_boot:data_config/0).
%%
%% No file: nothing changes.  A file that cannot be evaluated (a syntax
%% error, a raise, not `import Config` style) is reported and left alone:
%% the image's settings hold and the device boots, so that a bad write to
%% /data never bricks it.  Written in Erlang so that the freebeam
%% application needs no Elixir to build; it calls Elixir's Config.Reader,
%% which a mix release always has.
-module(freebeam_data_runtime).
-export([init/1, load/2]).

%% Config.Provider's callbacks: init/1 runs when a release is assembled (the
%% image builder writes the state itself), load/2 at boot.
-spec init({file:filename(), list()}) -> {file:filename(), list()}.
init({Path, Opts}) when is_list(Path), is_list(Opts) -> {Path, Opts}.

-spec load(list(), {file:filename(), list()}) -> list().
load(Config, {Path, Opts}) ->
    case file:read_file_info(Path) of
        {ok, _} ->
            try 'Elixir.Config.Reader':'read!'(unicode:characters_to_binary(Path), Opts) of
                New ->
                    logger:notice("freebeam: ~ts overrides the settings of ~w", [Path, [A || {A, _} <- New]]),
                    'Elixir.Config.Reader':merge(Config, New)
            catch
                Class:Reason ->
                    logger:error("freebeam: ~ts not used (the image's settings hold): ~ts",
                                 [Path, why(Class, Reason)]),
                    Config
            end;
        {error, enoent} ->
            Config;
        {error, Why} ->
            logger:error("freebeam: ~ts not used (the image's settings hold): ~ts",
                         [Path, file:format_error(Why)]),
            Config
    end.

%% An Elixir exception by its message, anything else as a term.
why(error, #{'__exception__' := true} = E) ->
    try 'Elixir.Exception':message(E)
    catch _:_ -> io_lib:format("~0tp", [E])
    end;
why(Class, Reason) ->
    io_lib:format("~w: ~0tp", [Class, Reason]).
