%% fb_release - the release planner of `tools/freebeam image --app DIR...`
%% and `tools/freebeam image --release DIR` (fb_release_image, docs/releases.md).
%%
%% It decides what goes into the OTP root archive and makes the boot script;
%% fb_release_image then copies files, runs beam/mkroot.sh and `freebeam image`.
%%
%%   fb_main release-plan apps WORK OTP NAME VSN SYSCONFIG STARTS DIR...
%%       the user's application directories: reads each DIR/ebin/APP.app,
%%       checks it, follows `applications` and `included_applications` into
%%       the host's OTP (OTP/lib), writes WORK/releases/VSN/NAME.rel and makes
%%       NAME.script and NAME.boot there with systools.  STARTS is a
%%       comma-separated list of the applications to start ("" = every DIR).
%%   fb_main release-plan release WORK OTP DIR SYSCONFIG
%%       a release made with systools (or relx, or `mix release`):
%%       DIR/releases/VSN/NAME.boot and DIR/lib/APP-VSN/ebin.  Checks that its
%%       boot script's code paths are all $ROOT/lib/APP-VSN/ebin, with kernel
%%       and stdlib those of the host (the image's erts is the host's OTP
%%       version), and copies the boot script (and sys.config) to
%%       WORK/releases/VSN/.  A mix release's paths ($RELEASE_LIB/APP-VSN/ebin
%%       and $RELEASE_LIB/../releases/VSN/consolidated, the protocols mix
%%       consolidated) are rewritten to /otp's ($ROOT/lib/..., $ROOT/releases/
%%       VSN/consolidated) in the copied boot script, the consolidated
%%       protocols and config/runtime.exs (releases/VSN/runtime.exs) go along,
%%       and the environment Elixir's Config.Provider reads (RELEASE_ROOT=/otp
%%       ...) is planned.  Applications the release's .rel marks `none` (mix's
%%       default for iex) stay out.  The `-` flags of releases/VSN/vm.args are passed to
%%       erts' init; its emulator flags (`+...`) are not used (a warning).
%% SYSCONFIG is "" or a sys.config file to use (in `release` mode the
%% release's own releases/VSN/sys.config is the default).
%%
%% Both write WORK/plan, one line each, for fb_release_image:
%%   host APP          an application of the host's OTP (mkroot.sh's APP)
%%   app APP-VSN SRC   the user's application directory SRC (the rest of the
%%                     line), to be copied to /otp/lib/APP-VSN (mkroot.sh --app)
%%   boot PATH         the erl -boot argument (/otp/releases/VSN/NAME)
%%   config PATH       the erl -config argument, when there is a sys.config
%%   env KEY=VALUE     an environment variable the release needs (--release)
%%   arg ARG           an erl argument the release asks for (vm.args)
%%   release NAME VSN  what was built
%% Warnings go to stderr; a refusal prints `freebeam image: reason` on stderr
%% and halts with status 1.
-module(fb_release).
-export([main/1]).

-define(ALWAYS, [kernel, stdlib, compiler]).   % beam/mkroot.sh adds these from the host
%% beam/mkroot.sh also adds the freebeam application (erlang/ of this tree)
%% from $FREEBEAM_APP (fb_release_image sets it): found there, never copied.
-define(IN_ROOT, [freebeam | ?ALWAYS]).

%% main(Args) -> ExitStatus: `fb_main release-plan ARGS...` (fb_main halts),
%% or called by fb_release_image in the same VM.
main(Args) ->
    try run(Args) of
        ok -> 0
    catch
        throw:{refuse, Msg} ->
            io:put_chars(standard_error, ["freebeam image: ", Msg, $\n]),
            1
    end.

run(["apps", Work, Otp, Name, Vsn, SysConfig, Starts | Dirs]) when Dirs =/= [] ->
    apps(Work, Otp, Name, Vsn, SysConfig, [S || S <- string:lexemes(Starts, ","), S =/= ""], Dirs);
run(["release", Work, Otp, Dir, SysConfig]) ->
    release(Work, Otp, Dir, SysConfig);
run(Args) ->
    refuse("fb_release: bad arguments ~p", [Args]).

%% ---- application directories ----

-record(app, {name, vsn, dir, src, deps = [], optional = [], user = false}).

apps(Work, Otp, Name, Vsn, SysConfig, Starts, Dirs) ->
    Users = lists:foldl(fun(Dir, Acc) ->
                                A = read_user_app(Dir),
                                case lists:keyfind(A#app.name, #app.name, Acc) of
                                    false -> Acc ++ [A];
                                    Other -> refuse("~ts: application ~s is also given as ~ts",
                                                    [Dir, A#app.name, Other#app.src])
                                end
                        end, [], Dirs),
    UserNames = [A#app.name || A <- Users],
    [First | _] = Users,
    RelName = case Name of "@" -> atom_to_list(First#app.name); _ -> Name end,
    RelVsn = case Vsn of "@" -> First#app.vsn; _ -> Vsn end,
    (lists:member(RelVsn, [".", ".."]) orelse lists:member($/, RelVsn)) andalso
        refuse("~s's version ~tp cannot name a directory: give --vsn", [First#app.name, RelVsn]),
    StartNames = case Starts of
                     [] -> UserNames;
                     _ -> [start_name(S, UserNames) || S <- Starts]
                 end,
    %% Every application the release holds: kernel, stdlib, the user's and
    %% everything they need, resolved among the user's, then the host's.
    All = closure([kernel, stdlib | UserNames], Users, Otp, #{}),
    Started = started(StartNames ++ [kernel, stdlib], All, #{}),
    [check_native(A) || A <- maps:values(All)],
    RelDir = filename:join([Work, "releases", RelVsn]),
    ok = filelib:ensure_path(RelDir),
    Order = [kernel, stdlib] ++ lists:sort(maps:keys(All) -- ([kernel, stdlib] ++ UserNames)) ++ UserNames,
    Entries = [rel_entry(maps:get(N, All), maps:is_key(N, Started)) || N <- Order],
    Erts = erlang:system_info(version),
    Rel = {release, {RelName, RelVsn}, {erts, Erts}, Entries},
    RelBase = filename:join(RelDir, RelName),
    write_term(RelBase ++ ".rel", Rel),
    Path = [filename:join(A#app.dir, "ebin") || N <- Order, A <- [maps:get(N, All)]],
    case systools:make_script(RelBase, [{path, Path}, {outdir, RelDir}, silent, no_warn_sasl]) of
        {ok, _, []} -> ok;
        {ok, Mod, Warnings} ->
            io:put_chars(standard_error, ["freebeam image: warning: ", Mod:format_warning(Warnings)]);
        {error, Mod, Error} ->
            refuse("systools cannot make the boot script: ~ts", [string:trim(Mod:format_error(Error))]);
        Other ->
            refuse("systools cannot make the boot script: ~p", [Other])
    end,
    Config = sys_config(SysConfig, RelDir),
    Plan = [["host ", atom_to_list(N)] || N <- Order, not (maps:get(N, All))#app.user,
                                           not lists:member(N, ?IN_ROOT)]
        ++ [["app ", name_vsn(A), " ", A#app.src] || A <- Users]
        ++ [["boot /otp/releases/", RelVsn, "/", RelName]]
        ++ config_line(Config, RelVsn)
        ++ [["release ", RelName, " ", RelVsn]],
    write_plan(Work, Plan).

start_name(S, UserNames) ->
    N = list_to_atom(S),
    lists:member(N, UserNames) orelse
        refuse("--start ~ts: not one of the applications given with --app (~ts)",
               [S, lists:join(", ", [atom_to_list(U) || U <- UserNames])]),
    N.

read_user_app(Dir) ->
    Ebin = filename:join(Dir, "ebin"),
    filelib:is_dir(Dir) orelse refuse("--app ~ts: no such directory", [Dir]),
    filelib:is_dir(Ebin) orelse
        refuse("--app ~ts: no ebin/ directory: an application directory holds ebin/APP.app "
               "and the compiled modules (ebin/*.beam), and optionally priv/", [Dir]),
    AppFile = case filelib:wildcard("*.app", Ebin) of
                  [F] -> F;
                  [] -> refuse("--app ~ts: no ebin/*.app file: not an OTP application "
                               "(write ebin/APP.app, e.g. from src/APP.app.src, next to the .beam files)",
                               [Dir]);
                  Many -> refuse("--app ~ts: several .app files in ebin/ (~ts): give one application "
                                 "per directory", [Dir, lists:join(", ", Many)])
              end,
    A = read_app_file(filename:join(Ebin, AppFile)),
    lists:member(A#app.name, [erts | ?ALWAYS]) andalso
        refuse("--app ~ts: ~s always comes from the host's OTP (the version the image's erts runs)",
               [Dir, A#app.name]),
    A#app.name =:= freebeam andalso
        refuse("--app ~ts: freebeam is always in the image (the one built with its erts)", [Dir]),
    check_modules(Dir, Ebin, A, AppFile),
    A#app{src = Dir, user = true}.

read_app_file(File) ->
    Name = list_to_atom(filename:basename(File, ".app")),
    Props = case file:consult(File) of
                {ok, [{application, Name, P}]} when is_list(P) -> P;
                {ok, _} -> refuse("~ts: not of the form {application, ~s, [...]}.", [File, Name]);
                {error, Why} -> refuse("~ts: cannot read: ~ts", [File, file:format_error(Why)])
            end,
    Vsn = proplists:get_value(vsn, Props),
    io_lib:printable_unicode_list(Vsn) andalso Vsn =/= "" orelse
        refuse("~ts: no {vsn, \"...\"} string", [File]),
    Apps = atoms(File, applications, Props),
    Incl = atoms(File, included_applications, Props),
    Opt = atoms(File, optional_applications, Props),
    #app{name = Name, vsn = Vsn, dir = filename:dirname(filename:dirname(File)),
         deps = Apps ++ Incl, optional = Opt}.

atoms(File, Key, Props) ->
    case proplists:get_value(Key, Props, []) of
        L when is_list(L) ->
            lists:all(fun is_atom/1, L) orelse refuse("~ts: ~s is not a list of atoms", [File, Key]),
            L;
        _ -> refuse("~ts: ~s is not a list of atoms", [File, Key])
    end.

%% In interactive mode the boot script does not load an application's
%% modules, so a missing one would only show when first called: check now.
check_modules(Dir, Ebin, _A, AppFile) ->
    File = filename:join(Ebin, AppFile),
    {ok, [{application, _, Props}]} = file:consult(File),
    Mods = case proplists:get_value(modules, Props, []) of
               L when is_list(L) -> L;
               _ -> refuse("~ts: modules is not a list of atoms", [File])
           end,
    CbMods = case proplists:get_value(mod, Props) of
                 {M, _} when is_atom(M) -> [M];
                 undefined -> [];
                 _ -> refuse("~ts: mod is not {Module, StartArgs}", [File])
             end,
    [filelib:is_regular(filename:join(Ebin, atom_to_list(M) ++ ".beam")) orelse
         refuse("--app ~ts: module ~s (named in ebin/~ts) has no ebin/~s.beam", [Dir, M, AppFile, M])
     || M <- lists:usort(Mods ++ CbMods), is_atom(M) orelse refuse("~ts: modules is not a list of atoms", [File])],
    ok.

%% Name -> #app{} for Names and all they need, transitively.
closure([], _Users, _Otp, Acc) -> Acc;
closure([N | T], Users, Otp, Acc) when is_map_key(N, Acc) -> closure(T, Users, Otp, Acc);
closure([N | T], Users, Otp, Acc) ->
    A = case lists:keyfind(N, #app.name, Users) of
            false -> host_app(N, Otp);
            U -> U
        end,
    Needed = [D || D <- A#app.deps, not lists:member(D, A#app.optional) orelse available(D, Users, Otp)],
    [refuse("application ~s needs ~s, which is neither given with --app nor installed in the host's "
            "OTP (~ts/lib; Debian packages it as erlang-~ts, probably)",
            [N, D, Otp, string:replace(atom_to_list(D), "_", "-", all)])
     || D <- Needed, not available(D, Users, Otp)],
    closure(Needed ++ T, Users, Otp, Acc#{N => A}).

available(N, Users, Otp) ->
    lists:keymember(N, #app.name, Users) orelse host_app_file(N, Otp) =/= none.

host_app_file(freebeam, _Otp) ->
    F = filename:join([os:getenv("FREEBEAM_APP", "/nonexistent"), "ebin", "freebeam.app"]),
    case filelib:is_regular(F) of
        true -> F;
        false -> none
    end;
host_app_file(N, Otp) ->
    S = atom_to_list(N),
    case lists:reverse(lists:sort(filelib:wildcard(filename:join([Otp, "lib", S ++ "-*", "ebin", S ++ ".app"])))) of
        [F | _] -> F;
        [] -> none
    end.

host_app(N, Otp) ->
    case host_app_file(N, Otp) of
        none -> refuse("application ~s is not installed in the host's OTP (~ts/lib)", [N, Otp]);
        F -> read_app_file(F)
    end.

%% The applications the boot script starts: those named and all they need.
started([], _All, Acc) -> Acc;
started([N | T], All, Acc) when is_map_key(N, Acc) -> started(T, All, Acc);
started([N | T], All, Acc) ->
    A = maps:get(N, All),
    started([D || D <- A#app.deps, maps:is_key(D, All)] ++ T, All, Acc#{N => true}).

rel_entry(#app{name = N, vsn = V}, true) -> {N, V};
rel_entry(#app{name = N, vsn = V}, false) -> {N, V, load}.

name_vsn(#app{name = N, vsn = V}) -> atom_to_list(N) ++ "-" ++ V.

%% erts here has no dynamic loading: NIFs and drivers in shared objects
%% cannot load.  Say so rather than fail at run time without a clue.
%% crypto's and asn1's NIFs are the exception: linked into the crypto
%% flavour of erts, which an image holding crypto boots (docs/crypto.md).
check_native(#app{name = N, dir = Dir}) ->
    Static = lists:member(hd(string:split(atom_to_list(N), "-")), ["crypto", "asn1"]),
    case Static orelse filelib:wildcard("priv/**/*.so", Dir) of
        true -> ok;
        [] -> ok;
        Sos -> warn("~s has native code (~ts): freebeam's erts cannot load shared objects, "
                    "so its NIFs or drivers will not load", [N, lists:join(", ", Sos)])
    end.

%% ---- a release directory ----

release(Work, Otp, Dir, SysConfig) ->
    Rels = filename:join(Dir, "releases"),
    filelib:is_dir(Dir) orelse refuse("--release ~ts: no such directory", [Dir]),
    filelib:is_dir(Rels) orelse
        refuse("--release ~ts: no releases/ directory: not an OTP release "
               "(releases/VSN/NAME.boot and lib/APP-VSN/ebin, as systools:make_tar/2 lays them out)", [Dir]),
    RelVsn = release_vsn(Dir, Rels),
    VsnDir = filename:join(Rels, RelVsn),
    BootFile = boot_file(Dir, Rels, VsnDir, RelVsn),
    BootName = filename:basename(BootFile, ".boot"),
    Script = case file:read_file(BootFile) of
                 {ok, Bin} ->
                     try binary_to_term(Bin) of
                         {script, {_, _}, I} = S when is_list(I) -> S;
                         _ -> refuse("~ts: not a boot script", [BootFile])
                     catch error:badarg -> refuse("~ts: not a boot script", [BootFile])
                     end;
                 {error, Why} -> refuse("~ts: cannot read: ~ts", [BootFile, file:format_error(Why)])
             end,
    {script, {RelName, ScriptVsn}, Instrs0} = Script,
    Unused = unused_apps(VsnDir, RelName),
    Instrs = [case I of
                  {path, P} -> {path, [X || X0 <- P, X <- [otp_path(X0, RelVsn)], not unused_path(X, Unused)]};
                  _ -> I
              end || I <- Instrs0],
    Paths = lists:usort(lists:append([P || {path, P} <- Instrs])),
    Consolidated = consolidated_path(RelVsn),
    LibDirs = [lib_dir(BootFile, P) || P <- Paths, P =/= Consolidated],
    Mix = lists:any(fun(P) -> lists:prefix("$RELEASE_LIB/", P) end,
                    lists:append([P || {path, P} <- Instrs0])),
    Host = #{kernel => host_vsn(kernel, Otp), stdlib => host_vsn(stdlib, Otp), compiler => host_vsn(compiler, Otp),
             freebeam => host_vsn(freebeam, Otp)},
    Plan = lists:append([lib_plan(BootFile, Dir, Otp, Host, L) || L <- lists:usort(LibDirs)]),
    [begin
         Src = filename:join([Dir, "lib", NV]),
         check_native(#app{name = list_to_atom(NV), dir = Src})
     end || {app, _, NV} <- Plan],
    OutDir = filename:join([Work, "releases", RelVsn]),
    ok = filelib:ensure_path(OutDir),
    ok = file:write_file(filename:join(OutDir, BootName ++ ".boot"),
                         term_to_binary({script, {RelName, ScriptVsn}, Instrs})),
    lists:member(Consolidated, Paths) andalso copy_dir(filename:join(VsnDir, "consolidated"),
                                                        filename:join(OutDir, "consolidated")),
    Runtime = filename:join(VsnDir, "runtime.exs"),
    filelib:is_regular(Runtime) andalso copy_file(Runtime, filename:join(OutDir, "runtime.exs")),
    [{ok, _} = file:copy(R, filename:join(OutDir, filename:basename(R)))
     || R <- filelib:wildcard(filename:join(VsnDir, "*.rel"))],
    Config = case SysConfig of
                 "" ->
                     Own = filename:join(VsnDir, "sys.config"),
                     case filelib:is_regular(Own) of
                         true -> sys_config(Own, OutDir);
                         false -> none
                     end;
                 _ -> sys_config(SysConfig, OutDir)
             end,
    Config =/= none andalso Mix andalso providers(filename:join(OutDir, "sys.config")),
    VmArgs = vm_args(Dir, RelVsn, filename:join(VsnDir, "vm.args")),
    %% What a mix release's start script would set, as far as Elixir reads
    %% it: Config.Provider finds runtime.exs under $RELEASE_ROOT, and wants
    %% $RELEASE_SYS_CONFIG (where it would write the config it computed, if
    %% the release asked to reboot after it: it is applied in place instead).
    Env = case Mix of
              true -> [["env RELEASE_ROOT=/otp"], ["env RELEASE_NAME=", plain(RelName)],
                       ["env RELEASE_VSN=", RelVsn],
                       ["env RELEASE_SYS_CONFIG=/otp/releases/", RelVsn, "/sys"]];
              false -> []
          end,
    Lines = [case P of
                 {host, N} -> ["host ", atom_to_list(N)];
                 {app, Src, NV} -> ["app ", NV, " ", Src]
             end || P <- Plan]
        ++ [["boot /otp/releases/", RelVsn, "/", BootName]]
        ++ config_line(Config, RelVsn)
        ++ Env
        ++ [["arg ", A] || A <- VmArgs]
        ++ [["release ", plain(RelName), " ", plain(ScriptVsn)]],
    write_plan(Work, Lines).

%% A mix release's code paths, as /otp lays them out: its lib/ is /otp/lib,
%% its releases/ /otp/releases.
otp_path("$RELEASE_LIB/../releases/" ++ Rest, _RelVsn) -> "$ROOT/releases/" ++ Rest;
otp_path("$RELEASE_LIB/" ++ Rest, _RelVsn) -> "$ROOT/lib/" ++ Rest;
otp_path(P, _RelVsn) -> P.

%% The applications the release's NAME.rel says are neither loaded nor
%% started (mode `none`: mix's `applications: [iex: :none]`): they stay out
%% of the image, their code paths out of its boot script.
unused_apps(VsnDir, RelName) ->
    File = filename:join(VsnDir, plain(RelName) ++ ".rel"),
    case file:consult(File) of
        {ok, [{release, _, _, Apps}]} when is_list(Apps) ->
            [atom_to_list(N) || {N, _, none} <- Apps] ++ [atom_to_list(N) || {N, _, none, _} <- Apps];
        _ -> []
    end.

unused_path(P, Unused) ->
    case filename:split(P) of
        ["$ROOT", "lib", NV, "ebin"] -> lists:member(hd(string:split(NV, "-")), Unused);
        _ -> false
    end.

consolidated_path(RelVsn) -> "$ROOT/releases/" ++ RelVsn ++ "/consolidated".

copy_dir(From, To) ->
    filelib:is_dir(From) orelse refuse("~ts: no such directory (the boot script's code path)", [From]),
    ok = filelib:ensure_path(To),
    [copy_file(filename:join(From, F), filename:join(To, F)) || F <- filelib:wildcard("*.beam", From)],
    true.

copy_file(From, To) ->
    case file:copy(From, To) of
        {ok, _} -> true;
        {error, Why} -> refuse("~ts: cannot copy: ~ts", [From, file:format_error(Why)])
    end.

%% A mix release's config providers, as the image runs them:
%% - one made with `reboot_system_after_config: true` would have
%%   Config.Provider write the computed config to $RELEASE_SYS_CONFIG and
%%   restart: the archive is read-only, so the config is applied in place
%%   instead (as with `false`, mix's default), before the applications start;
%% - freebeam_data_runtime comes last, so that a /data/config/runtime.exs
%%   on the device's disk wins over the image's settings (docs/storage.md),
%%   evaluated with the options (env, target) of the release's own
%%   runtime.exs.  A release without providers (no config/runtime.exs) has
%%   no Config.Provider step in its boot script: said, and left as it is.
-define(DATA_RUNTIME, "/data/config/runtime.exs").
providers(File) ->
    {ok, [Terms]} = file:consult(File),
    Env = case lists:keyfind(elixir, 1, Terms) of
              {elixir, E} when is_list(E) -> E;
              _ -> []
          end,
    case lists:keyfind(config_provider_init, 1, Env) of
        {_, #{providers := Ps} = P0} when is_list(Ps) ->
            P1 = case P0 of
                     #{reboot_system_after_config := true} ->
                         warn("the release reboots after its runtime config: applied without a reboot instead", []),
                         P0#{reboot_system_after_config := false};
                     _ -> P0
                 end,
            Opts = case [O || {'Elixir.Config.Reader', {_, O}} <- Ps, is_list(O)] of
                       [O | _] -> O;
                       [] -> [{env, prod}, {target, host}, {imports, disabled}]
                   end,
            P = P1#{providers := Ps ++ [{freebeam_data_runtime, {?DATA_RUNTIME, Opts}}]},
            Env1 = lists:keystore(config_provider_init, 1, Env, {config_provider_init, P}),
            ok = file:write_file(File, io_lib:format("~tp.~n", [lists:keystore(elixir, 1, Terms, {elixir, Env1})]));
        _ ->
            warn("the release has no config provider (no config/runtime.exs): a " ?DATA_RUNTIME
                 " on the device's disk will not be read", [])
    end,
    true.

%% vm.args: one flag and its values per line, `#` comments.  Flags for
%% init (`-name`, `-kernel K V`, ...) become erl arguments, one word each;
%% emulator flags (`+S 4`) cannot be given here: erts' flags come from the
%% system description.
vm_args(Dir, RelVsn, File) ->
    case file:read_file(File) of
        {error, enoent} -> [];
        {error, Why} -> refuse("~ts: cannot read: ~ts", [File, file:format_error(Why)]);
        {ok, Bin} ->
            Lines = [string:trim(hd(string:split(L, "#"))) || L <- string:split(unicode:characters_to_list(Bin), "\n", all)],
            {Emu, Flags} = lists:partition(fun(L) -> hd(L) =:= $+ end, [L || L <- Lines, L =/= ""]),
            [warn("--release ~ts: releases/~ts/vm.args: emulator flags (~ts) are not used: erts' flags "
                  "come from the system description", [Dir, RelVsn, lists:join(", ", Emu)]) || Emu =/= []],
            Init = lists:append([string:lexemes(L, " \t") || L <- Flags]),
            [refuse("~ts: ~ts is not an erl argument freebeam can pass", [File, W])
             || W <- Init, not io_lib:printable_unicode_list(W) orelse lists:member(W, ["-args_file", "-extra", "--"])],
            Init
    end.

%% The release's name and version as one word each, for the plan's line.
plain(S) ->
    case io_lib:printable_unicode_list(S) of
        true -> [case C of $\s -> $_; $\n -> $_; _ -> C end || C <- S];
        false -> "?"
    end.

%% releases/start_erl.data ("ERTS_VSN REL_VSN") names the release to boot;
%% without it there must be exactly one releases/VSN/ with a boot script.
release_vsn(Dir, Rels) ->
    case file:read_file(filename:join(Rels, "start_erl.data")) of
        {ok, Data} ->
            case string:lexemes(unicode:characters_to_list(Data), " \t\r\n") of
                [_Erts, V] -> V;
                _ -> refuse("--release ~ts: releases/start_erl.data is not \"ERTS_VSN REL_VSN\"", [Dir])
            end;
        {error, _} ->
            Vsns = [V || V <- filelib:wildcard("*", Rels),
                         filelib:is_dir(filename:join(Rels, V)),
                         filelib:wildcard("*.boot", filename:join(Rels, V)) =/= []],
            case Vsns of
                [V] -> V;
                [] -> refuse("--release ~ts: no releases/VSN/NAME.boot: not an OTP release "
                             "(make the boot script with systools:make_script/2)", [Dir]);
                _ -> refuse("--release ~ts: several releases (~ts) and no releases/start_erl.data "
                            "to choose one", [Dir, lists:join(", ", Vsns)])
            end
    end.

%% NAME.boot next to NAME.rel if there is one, else the only boot script
%% besides OTP's own start_clean and no_dot_erlang, else start.boot (what
%% systools:make_tar/2 calls the release's boot script).
boot_file(Dir, Rels, VsnDir, RelVsn) ->
    Boots = filelib:wildcard("*.boot", VsnDir),
    RelNames = [filename:basename(R, ".rel")
                || R <- filelib:wildcard("*.rel", VsnDir) ++ filelib:wildcard("*.rel", Rels)],
    Named = [B || B <- Boots, lists:member(filename:basename(B, ".boot"), RelNames)],
    Own = Boots -- ["start.boot", "start_clean.boot", "no_dot_erlang.boot"],
    Pick = case {Named, Own, lists:member("start.boot", Boots)} of
               {[B], _, _} -> B;
               {_, [B], _} -> B;
               {_, [], true} -> "start.boot";
               {_, [], false} -> refuse("--release ~ts: no boot script in releases/~ts", [Dir, RelVsn]);
               {_, _, _} -> refuse("--release ~ts: several boot scripts in releases/~ts (~ts) and no "
                                   ".rel to choose one", [Dir, RelVsn, lists:join(", ", Boots)])
           end,
    filename:join(VsnDir, Pick).

lib_dir(BootFile, P) ->
    case filename:split(P) of
        ["$ROOT", "lib", NV, "ebin"] -> NV;
        _ -> refuse("~ts: code path ~ts is not $ROOT/lib/APP-VSN/ebin: make the boot script "
                    "without systools' `local` option (and without path variables)", [BootFile, P])
    end.

lib_plan(BootFile, Dir, Otp, Host, NV) ->
    [Name | _] = string:split(NV, "-"),
    Atom = list_to_atom(Name),
    HostNV = case maps:find(Atom, Host) of
                 {ok, V} -> Name ++ "-" ++ V;
                 error -> none
             end,
    if
        NV =:= HostNV -> [];                        % beam/mkroot.sh adds it
        Atom =:= freebeam ->
            refuse("~ts: the release holds ~ts, but this image's erts is linked with ~ts's NIF: "
                   "make the release with this tree's freebeam", [BootFile, NV, HostNV]);
        HostNV =/= none, Atom =/= compiler ->
            refuse("~ts: the release is made for ~ts, but freebeam's erts runs the host's OTP ~s "
                   "(~ts): make the release with the host's Erlang",
                   [BootFile, NV, erlang:system_info(otp_release), HostNV]);
        true ->
            Src = filename:join([Dir, "lib", NV]),
            HostDir = filename:join([Otp, "lib", NV]),
            case {filelib:is_dir(filename:join(Src, "ebin")), filelib:is_dir(filename:join(HostDir, "ebin"))} of
                {true, _} -> [{app, Src, NV}];
                {false, true} -> [{host, Atom}];
                {false, false} ->
                    refuse("~ts needs lib/~ts/ebin, which is neither in ~ts/lib nor in the host's OTP (~ts/lib)",
                           [BootFile, NV, Dir, Otp])
            end
    end.

host_vsn(N, Otp) ->
    case host_app_file(N, Otp) of
        none -> refuse("~s is not installed in the host's OTP (~ts/lib)", [N, Otp]);
        F -> (read_app_file(F))#app.vsn
    end.

%% ---- shared ----

sys_config("", _OutDir) -> none;
sys_config(none, _OutDir) -> none;
sys_config(File, OutDir) ->
    case file:consult(File) of
        {ok, [L]} when is_list(L) -> ok;
        {ok, _} -> refuse("~ts: a sys.config holds one list, [{App, [{Key, Value}]}].", [File]);
        {error, Why} -> refuse("~ts: cannot read: ~ts", [File, file:format_error(Why)])
    end,
    {ok, _} = file:copy(File, filename:join(OutDir, "sys.config")),
    sys.

config_line(none, _) -> [];
config_line(sys, RelVsn) -> [["config /otp/releases/", RelVsn, "/sys"]].

write_term(File, Term) ->
    ok = file:write_file(File, io_lib:format("%% Made by tools/freebeam image.~n~tp.~n", [Term])).

write_plan(Work, Lines) ->
    ok = file:write_file(filename:join(Work, "plan"), [[L, $\n] || L <- Lines]).

warn(Fmt, Args) ->
    io:put_chars(standard_error, ["freebeam image: warning: ", io_lib:format(Fmt, Args), $\n]).

refuse(Fmt, Args) -> throw({refuse, io_lib:format(Fmt, Args)}).
