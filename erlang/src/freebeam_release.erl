%% freebeam_release - release updates with rollback, from Erlang
%% (docs/storage.md, "Release updates").  An update is a whole OTP root under
%% /data/releases/VSN; /data/releases/boot says which one boots
%% (`permanent VSN`) and which one to try once (`try VSN`).  libos reads it
%% before erts starts (libos/release_boot.c) and tells this module through
%% the environment which release runs and how.
%%
%% The OTP notions map so: install/1 is release_handler's install (the
%% next boot runs the release, on trial); confirm/0 is make_permanent.  A
%% trial that does not confirm within FREEBEAM_CONFIRM_S seconds (the
%% image's description sets it; 120 by default) halts the VM, and whatever
%% ends a trial (that, a crash, a power cut) leads the next boot back to the
%% previous permanent release: libos removed the `try` line before the trial.
-module(freebeam_release).
-export([current/0, confirm/0, install/1, watch/0]).

-define(DIR, "/data/releases").
-define(STATE, ?DIR ++ "/boot").
-define(WATCH, freebeam_release_watch).
-define(DEFAULT_CONFIRM_S, 120).

-type vsn() :: string().

%% Which release runs: the image's own, or one from /data, permanent or on
%% trial (then with the release the next boot falls back to).
-spec current() -> factory | {permanent, vsn()} | {trial, vsn(), Previous :: factory | vsn()}.
current() ->
    case {os:getenv("FREEBEAM_RELEASE"), os:getenv("FREEBEAM_RELEASE_MODE")} of
        {false, _} -> factory;
        {V, "permanent"} -> {permanent, V};
        {V, "trial"} ->
            case os:getenv("FREEBEAM_RELEASE_PREVIOUS", "factory") of
                "factory" -> {trial, V, factory};
                P -> {trial, V, P}
            end
    end.

%% The release on trial becomes the permanent one (release_handler's
%% make_permanent): the state file says so, synced, before this returns.
%% Already permanent: ok.  The image's own release: {error, factory}.
-spec confirm() -> ok | {error, term()}.
confirm() ->
    case current() of
        {trial, V, _} ->
            case write_state("permanent " ++ V ++ "\n") of
                ok ->
                    catch ?WATCH ! confirmed,
                    logger:notice("freebeam: release ~s confirmed: it is permanent", [V]),
                    ok;
                Error ->
                    Error
            end;
        {permanent, _} -> ok;
        factory -> {error, factory}
    end.

%% The next boot tries Vsn (already under /data/releases/Vsn, with its boot
%% script releases/Vsn/start.boot), once; the permanent release stays.
-spec install(vsn()) -> ok | {error, term()}.
install(Vsn) ->
    Script = filename:join([?DIR, Vsn, "releases", Vsn, "start.boot"]),
    case filelib:is_regular(Script) of
        false -> {error, {no_boot_script, Script}};
        true ->
            Permanent = case current() of
                            {permanent, P} -> ["permanent ", P, "\n"];
                            {trial, V, _} -> ["permanent ", V, "\n"];   % confirming is the caller's
                            factory -> []
                        end,
            write_state([Permanent, "try ", Vsn, "\n"])
    end.

%% Called by every image's boot scripts (beam/mkroot.sh) once the
%% application controller runs: on trial, a process that halts the VM when
%% the release has not confirmed in time.
-spec watch() -> ok.
watch() ->
    case current() of
        {trial, V, Previous} ->
            S = confirm_seconds(),
            Pid = spawn(fun() -> watcher(V, Previous, S) end),
            register(?WATCH, Pid),
            logger:notice("freebeam: release ~s on trial: it must confirm within ~p s", [V, S]),
            ok;
        _ ->
            ok
    end.

watcher(V, Previous, S) ->
    receive
        confirmed -> ok
    after S * 1000 ->
        logger:error("freebeam: release ~s did not confirm within ~p s; halting, the next boot runs ~s",
                     [V, S, case Previous of factory -> "the image's release"; P -> P end]),
        timer:sleep(200),               % the logger's line out first
        erlang:halt(1)
    end.

confirm_seconds() ->
    case string:to_integer(os:getenv("FREEBEAM_CONFIRM_S", "")) of
        {N, ""} when N > 0 -> N;
        _ -> ?DEFAULT_CONFIRM_S
    end.

%% The state file replaced whole: a new file, synced, renamed over it, and
%% synced again so that the rename is on the disk (on /data an fsync writes
%% all the file system's metadata; on Linux's ext4 it commits the journal
%% transaction that holds the rename) before confirm/0 or install/1 returns.
write_state(Text) ->
    New = ?STATE ++ ".new",
    case file:open(New, [write, binary]) of
        {ok, F} ->
            R = case file:write(F, Text) of
                    ok -> file:sync(F);
                    E -> E
                end,
            ok = file:close(F),
            case R of
                ok -> case file:rename(New, ?STATE) of
                          ok -> sync(?STATE);
                          E2 -> E2
                      end;
                _ -> R
            end;
        Error ->
            Error
    end.

sync(File) ->
    case file:open(File, [read]) of
        {ok, F} ->
            R = file:sync(F),
            ok = file:close(F),
            R;
        Error ->
            Error
    end.
