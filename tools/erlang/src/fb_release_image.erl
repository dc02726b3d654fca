%% fb_release_image - `tools/freebeam image --app DIR...` and
%% `tools/freebeam image --release DIR`: an image that boots the user's own
%% OTP applications (docs/releases.md).  tools/release/release.sh runs it as
%% `fb_main release-image ROOT ARGS...` (ROOT: the checkout).
%%
%%   image (--app DIR... | --release DIR) -o OUT.img [--start APP]... [--name NAME]
%%         [--vsn VSN] [--sys-config FILE] [--shell] [--heap MB] [--env KEY=VALUE]...
%%         [--arg ARG]... [--kernel KERNEL.elf] [--workdir DIR]
%%         [--system FILE]... [--search DIR]... [--no-compress]
%%
%% Steps: fb_release reads the applications (or the release), follows their
%% dependencies into the host's OTP and makes the .rel and the boot script
%% with systools (--app), or checks the release's boot script (--release),
%% and writes WORK/plan; beam/mkroot.sh makes the OTP root archive (kernel,
%% stdlib, compiler, freebeam, the host applications needed, the user's,
%% stripped; the boot script under /otp/releases/VSN/); a system description
%% that includes the SDK's beam.config (and serial.config with --shell)
%% boots erts with `-boot /otp/releases/VSN/NAME`; `tools/freebeam image
%% --compress` builds the image (PD segments and the archive deflated,
%% inflated by the kernel at boot; --no-compress: as they are).
%% Exit status: 0 built, 1 refused (a reason on stderr, no image written),
%% 2 bad usage; else that of `tools/freebeam image`.
-module(fb_release_image).
-export([main/2]).
-export([parse/1, plan/1, fields/1, description/1, env_list/3]).
-import(fb_cli, [match/2, set/3, abspath/1, estr/1, heap/1]).

-define(ME, "freebeam image").
-define(USAGE,
        "usage: freebeam image --app DIR... -o OUT.img [--start APP]... [--name NAME] [--vsn VSN] [OPTIONS]\n"
        "       freebeam image --release DIR -o OUT.img [OPTIONS]\n"
        "options: --sys-config FILE  --shell  --heap MB  --env KEY=VALUE  --arg ARG\n"
        "         --kernel KERNEL.elf  --workdir DIR  --system FILE  --search DIR  --no-compress\n"
        "         (docs/releases.md)\n").
-define(VALUE_OPTS, ["--app", "--release", "-o", "--start", "--name", "--vsn", "--sys-config", "--heap",
                     "--env", "--arg", "--kernel", "--workdir", "--system", "--search"]).

%% main(Root, Args) -> ExitStatus.
main(Root, Args) ->
    try
        O = parse(Args),
        check_files(O),
        build(Root, O)
    catch
        throw:{usage, Msg} -> io:put_chars(standard_error, [?ME, ": ", Msg, $\n, ?USAGE]), 2;
        throw:{refuse, Msg} -> io:put_chars(standard_error, [?ME, ": ", Msg, $\n]), 1;
        throw:{exit, Status} -> Status
    end.

%% ---- the command line ----

%% parse(Args) -> Options; throws {usage, Message}.
parse(Args) ->
    O = opts(Args, #{apps => [], starts => [], envs => [], args => [], systems => [], searches => [],
                     shell => false, compress => true}),
    maps:is_key(out, O) orelse usage("need -o OUT.img"),
    case O of
        #{release := _, apps := [_ | _]} -> usage("--app and --release cannot be combined");
        #{release := _} ->
            maps:get(starts, O) =:= [] andalso not maps:is_key(name, O) andalso not maps:is_key(vsn, O)
                orelse usage("--start, --name and --vsn are for --app (a release says them itself)");
        #{apps := []} -> usage("need --app DIR or --release DIR");
        _ -> ok
    end,
    case O of
        #{heap := H} ->
            match(H, "^[0-9]+$") andalso list_to_integer(H) >= 32 andalso list_to_integer(H) =< 879
                orelse usage("--heap needs a number of MB from 32 to 879 (without it: all the RAM left)");
        _ -> ok
    end,
    %% NAME and VSN become file names under /otp/releases/.
    match(maps:get(name, O, ""), "^([A-Za-z0-9_][A-Za-z0-9_.-]*)?$")
        orelse usage("--name: letters, digits, _ . - only"),
    match(maps:get(vsn, O, ""), "^([A-Za-z0-9_][A-Za-z0-9_.+-]*)?$")
        orelse usage("--vsn: letters, digits, _ . + - only"),
    [match(S, "^[a-z][A-Za-z0-9_]*$") orelse usage("--start " ++ S ++ ": not an application name")
     || S <- maps:get(starts, O)],
    O.

opts([], O) -> O;
opts([Opt], _) when Opt =/= "--shell", Opt =/= "--no-compress" ->
    lists:member(Opt, ?VALUE_OPTS) andalso usage(Opt ++ " needs a value"),
    opt1(Opt);
opts(["--shell" | T], O) -> opts(T, O#{shell := true});
opts(["--no-compress" | T], O) -> opts(T, O#{compress := false});
opts([Opt, V | T], O) ->
    case Opt of
        "--app" -> opts(T, add(apps, V, O));
        "--release" -> maps:is_key(release, O) andalso usage("--release given twice"),
                       opts(T, set(release, V, O));
        "-o" -> opts(T, set(out, V, O));
        "--start" -> opts(T, add(starts, V, O));
        "--name" -> opts(T, set(name, V, O));
        "--vsn" -> opts(T, set(vsn, V, O));
        "--sys-config" -> opts(T, set(sysconfig, V, O));
        "--heap" -> opts(T, set(heap, V, O));
        "--env" -> match(V, "^[A-Za-z_][A-Za-z0-9_]*=") orelse usage("--env needs KEY=VALUE"),
                   opts(T, add(envs, V, O));
        "--arg" -> V =/= "" orelse usage("--arg needs a non-empty argument"),
                   opts(T, add(args, V, O));
        "--kernel" -> opts(T, set(kernel, V, O));
        "--workdir" -> opts(T, set(workdir, V, O));
        "--system" -> opts(T, add(systems, V, O));
        "--search" -> opts(T, add(searches, V, O));
        _ -> opt1(Opt)
    end.

%% An argument that is no option taking a value.
opt1("-" ++ _ = Opt) -> usage("unknown option " ++ Opt);
opt1(A) -> usage("unexpected argument " ++ A ++ " (a system description cannot be combined with --app or --release)").

add(K, V, O) -> O#{K := maps:get(K, O) ++ [V]}.

usage(Msg) -> throw({usage, Msg}).
refuse(Fmt, Args) -> throw({refuse, io_lib:format(Fmt, Args)}).

%% The files and folders named exist (refusals, status 1).
check_files(O) ->
    case O of
        #{sysconfig := F} -> filelib:is_regular(F) orelse refuse("--sys-config ~ts: no such file", [F]);
        _ -> ok
    end,
    [filelib:is_regular(F) orelse refuse("--system ~ts: no such file", [F]) || F <- maps:get(systems, O)],
    [filelib:is_dir(D) orelse refuse("--search ~ts: no such directory", [D]) || D <- maps:get(searches, O)],
    ok.

%% ---- the steps ----

build(Root, O) ->
    %% What the image is built from: the SDK's kernel, erts, serial driver,
    %% descriptions, freebeam application and release helper (in this
    %% checkout's SDK, brought up to date first: docs/sdk.md).
    fb_sdk:make(Root, "sdk") =:= ok orelse refuse("building the SDK failed (make -C ~ts sdk)", [Root]),
    Sdk = fb_sdk:dir(),
    Desc = filename:join(Sdk, "systems"),
    Kernel = maps:get(kernel, O, filename:join(Sdk, "kernel/kernel.elf")),
    filelib:is_regular(Kernel) orelse begin
        _ = fb_sdk:has(Sdk, [Kernel]),
        refuse("--kernel ~ts: no such file", [Kernel])
    end,
    App = filename:join(Sdk, "erlang/freebeam-" ++ fb_sdk:app_vsn(Root)),
    has(Sdk, [filename:join(Sdk, "erts/beam.smp"), filename:join(Desc, "beam.config"),
              filename:join(App, "ebin/freebeam.app"), filename:join(Sdk, "tools/ebin/fb_release.beam")]),
    maps:get(shell, O) andalso
        has(Sdk, [filename:join(Sdk, "pds/drivers/serial.elf"), filename:join(Desc, "serial.config")]),
    {Work, Temporary} = workdir(O),
    try
        in_work(Root, O, Sdk, Kernel, App, Work)
    after
        Temporary andalso file:del_dir_r(Work)
    end.

has(Sdk, Files) ->
    fb_sdk:has(Sdk, Files) =:= ok orelse throw({exit, 1}).

workdir(#{workdir := D}) ->
    filelib:is_file(D) andalso not (filelib:is_dir(D) andalso file:list_dir(D) =:= {ok, []})
        andalso refuse("--workdir ~ts: exists and is not an empty directory", [D]),
    filelib:ensure_path(D) =:= ok orelse refuse("--workdir ~ts: cannot create it", [D]),
    {abspath(D), false};
workdir(_) ->
    {fb_cli:tempdir("freebeam-image"), true}.

in_work(Root, O, Sdk, Kernel, App, Work) ->
    Otp = case os:getenv("OTP_ROOT") of false -> "/usr/lib/erlang"; R -> R end,
    SysConfig = case O of #{sysconfig := S} -> abspath(S); _ -> "" end,
    Helper = case O of
                 #{release := Rel} -> ["release", Work, Otp, absdir(Rel), SysConfig];
                 _ -> ["apps", Work, Otp, maps:get(name, O, "@"), maps:get(vsn, O, "@"), SysConfig,
                       lists:join(",", maps:get(starts, O)) | [absdir(D) || D <- maps:get(apps, O)]]
             end,
    %% fb_release finds freebeam's .app there; beam/mkroot.sh takes it from there.
    true = os:putenv("FREEBEAM_APP", App),
    fb_release:main([lists:flatten(A) || A <- Helper]) =:= 0 orelse throw({exit, 1}),
    {ok, PlanText} = file:read_file(filename:join(Work, "plan")),
    P = plan(string:split(unicode:characters_to_list(PlanText), "\n", all)),
    AppDirs = [copy_app(Work, NV, Src) || {NV, Src} <- maps:get(apps, P)],
    (maps:is_key(boot, P) andalso maps:is_key(release, P)) orelse refuse("internal error: no boot script planned", []),
    %% A release with the crypto application (the host's, or its own copy)
    %% boots the crypto flavour of erts (its NIF and OpenSSL's libcrypto
    %% linked in; same file name, found first by --search); any other keeps
    %% the plain one (docs/crypto.md).
    Crypto = [A || A <- maps:get(host, P) ++ [filename:basename(D) || D <- AppDirs],
                   A =:= "crypto" orelse lists:prefix("crypto-", A)],
    ErtsDir = case Crypto of
                  [] -> filename:join(Sdk, "erts");
                  _ -> CryptoDir = filename:join(Sdk, "erts/crypto"),
                       has(Sdk, [filename:join(CryptoDir, "beam.smp")]),
                       CryptoDir
              end,
    MkRoot = lists:append([["--app", D] || D <- AppDirs])
        ++ ["--tree", Work ++ "/releases:releases", filename:join(Work, "root.cpio") | maps:get(host, P)],
    fb_cmd:run(filename:join(Root, "beam/mkroot.sh"), MkRoot, [quiet]) =:= 0
        orelse refuse("cannot build the root archive", []),
    Systems = [{F, abspath(F)} || F <- maps:get(systems, O)],
    ok = file:write_file(filename:join(Work, "system.config"),
                         unicode:characters_to_binary(description(P#{opts => O, desc => filename:join(Sdk, "systems"),
                                                                     systems => Systems}))),
    {Name, Vsn} = maps:get(release, P),
    io:format("release: ~ts ~ts (boot ~ts.boot~ts)~n",
              [Name, Vsn, maps:get(boot, P), case P of #{config := C} -> [", config ", C, ".config"]; _ -> "" end]),
    Image = [filename:join(Work, "system.config"), "-o", maps:get(out, O), "--kernel", Kernel]
        ++ [A || maps:get(compress, O), A <- ["--compress"]]
        ++ ["--search", ErtsDir, "--search", filename:join(Sdk, "pds/drivers"), "--search", Work]
        ++ lists:append([["--search", abspath(D)] || D <- maps:get(searches, O)]),
    fb_cmd:run(filename:join(Root, "tools/freebeam"), ["image" | Image], []).

%% The user's application directory Src, copied to WORK/lib/APP-VSN (-L:
%% the archive holds files, not links to the host's file system).
copy_app(Work, NV, Src) ->
    Dst = filename:join([Work, "lib", NV]),
    filelib:ensure_path(Dst) =:= ok orelse refuse("cannot create ~ts", [Dst]),
    [fb_cmd:run("cp", ["-rL", S, Dst ++ "/"], []) =:= 0 orelse refuse("cannot copy ~ts", [S])
     || Sub <- ["ebin", "priv", "include"], S <- [filename:join(Src, Sub)], filelib:is_dir(S)],
    Dst.

%% A folder's absolute path; anything else as given (fb_release names it).
absdir(P) ->
    case filelib:is_dir(P) of
        true -> abspath(P);
        false -> P
    end.

%% ---- the plan (fb_release's WORK/plan) ----

%% plan(Lines) -> #{host, apps, boot, config, envs, args, release}.
plan(Lines) ->
    lists:foldl(fun(L, P) -> plan_line(fields(L), P) end,
                #{host => [], apps => [], envs => [], args => []}, Lines).

plan_line({"host", A, _}, P) -> add(host, A, P);
plan_line({"app", A, B}, P) -> add(apps, {A, B}, P);       % B: the folder, may hold spaces
plan_line({"boot", A, _}, P) -> P#{boot => A};
plan_line({"config", A, _}, P) -> P#{config => A};
plan_line({"env", A, _}, P) -> add(envs, A, P);            % the release's (a mix release's RELEASE_ROOT...)
plan_line({"arg", A, ""}, P) -> add(args, A, P);           % from its vm.args
plan_line({"arg", A, B}, P) -> add(args, A ++ " " ++ B, P);
plan_line({"release", A, B}, P) -> P#{release => {A, B}};
plan_line(_, P) -> P.

%% fields(Line) -> {Kind, A, B}: the line split as `read -r kind a b` does:
%% two words, then the rest, without the blanks around them.
fields(Line) ->
    {Kind, R1} = word(Line),
    {A, R2} = word(R1),
    {Kind, A, string:trim(R2, both, " \t")}.

word(S) ->
    lists:splitwith(fun(C) -> C =/= $\s andalso C =/= $\t end, string:trim(S, leading, " \t")).

%% ---- the system description ----

%% description(Plan#{opts, desc, systems}) -> the text of WORK/system.config.
description(P = #{opts := O, desc := Desc, systems := Systems, release := {Name, Vsn}}) ->
    Shell = maps:get(shell, O),
    ErlArgs = ["\"-boot\", ", estr(maps:get(boot, P)),
               case P of #{config := C} -> [", \"-config\", ", estr(C)]; _ -> [] end,
               %% With the serial console, the freebeam application starts at
               %% boot and supervises the serial driver PD (docs/native-components.md).
               case Shell of
                   true -> ", \"-s\", \"freebeam\", \"-freebeam\", \"supervise\", \"[serial]\"";
                   false -> ", \"-noshell\""
               end,
               [[", ", estr(A)] || A <- maps:get(args, P) ++ maps:get(args, O)]],
    Env = env_list(maps:get(envs, O), maps:get(envs, P), Shell),
    ["%% Generated by tools/freebeam image for the release ", Name, " ", Vsn, " (docs/releases.md).\n",
     case Shell of
         true -> ["%% As beam/shell.config: the serial driver PD, the BEAM PD with the shell on the console.\n",
                  "{include, ", estr(filename:join(Desc, "serial.config")),
                  ", [{client, beam}, {options, [{monitor, beam}]}]}.\n"];
         false -> "%% As beam/hello.config: the BEAM PD alone, -noshell.\n"
     end,
     "{include, ", estr(filename:join(Desc, "beam.config")), ", [{erl_args, [\"--\", ", ErlArgs,
     "]}, {env, [", lists:join(", ", [estr(E) || E <- Env]), "]}, {heap, ", heap(maps:get(heap, O, "")), "}]}.\n",
     [["%% From --system ", F, ": more PDs, regions, maps and channels.\n{include, ", estr(Abs), "}.\n"]
      || {F, Abs} <- Systems]].

%% env_list(Given, FromPlan, Shell) -> the environment: every --env, then
%% the release's and the defaults whose KEY no --env gave (never twice:
%% erts and libc disagree on which of two wins).
env_list(Given, FromPlan, Shell) ->
    fb_cli:env(Given, FromPlan, [E || Shell, E <- ["FREEBEAM_CONSOLE_CH=0"]]).
