%% fb_main - the one entry point of the tools' Erlang application
%% (freebeam_tools, tools/erlang; tools/freebeam and its scripts run it as
%% `erl -s fb_main main -extra COMMAND ARGS...`):
%%   image ARGS...         the `tools/freebeam image` command line: parse the
%%                         arguments, check the description and the ELF files,
%%                         build the image and write it atomically (a
%%                         temporary file renamed only on success), or with
%%                         --expand print the expanded description.  Exit
%%                         status: 0 built, 1 refused (a reason on stderr), 2
%%                         bad usage.
%%   release-plan ARGS...  the plan and boot script of `image --app` and
%%                         `--release` (fb_release)
%%   release-image ROOT ARGS...  the whole of `tools/freebeam image --app` and
%%                         `--release` (fb_release_image; tools/release/release.sh
%%                         is its front door, ROOT the checkout)
%%   test-image ROOT ARGS...  the whole of `tools/freebeam test-image`
%%                         (fb_test_image; tools/testimage/test-image.sh)
%% The test runner (fb_test_runner) is the application's too, but runs inside
%% a test-image image, not here.
-module(fb_main).
-export([main/0, run/1]).

-define(USAGE, "usage: freebeam image SYSTEM.config -o OUT.img [--kernel KERNEL.elf] [--search DIR]... [--compress]\n"
                "       freebeam image SYSTEM.config --expand [--search DIR]...").

%% Entry point for `erl -s fb_main main -extra COMMAND ARGS...` (after
%% -extra, erl leaves every argument alone, even ones starting with a dash).
main() ->
    erlang:halt(command(init:get_plain_arguments())).

command(["image" | Args]) ->
    {Code, Text} = run(Args),
    case Code of
        0 -> io:put_chars(Text);
        _ -> io:put_chars(standard_error, Text)
    end,
    Code;
command(["release-plan" | Args]) ->
    fb_release:main(Args);
command(["release-image", Root | Args]) ->
    fb_release_image:main(Root, Args);
command(["test-image", Root | Args]) ->
    fb_test_image:main(Root, Args);
command(_) ->
    io:put_chars(standard_error, "usage: fb_main image ARGS... | release-plan ARGS... | release-image ROOT ARGS... | test-image ROOT ARGS...\n"),
    2.

%% run(Args) -> {ExitStatus, TextWithNewline}; never halts (the tests use it).
run(Args) ->
    try
        O = args(Args, #{search => []}),
        Config = maps:get(config, O, undefined),
        Out = maps:get(out, O, undefined),
        Search = lists:reverse(maps:get(search, O)),
        case O of
            #{expand := true} ->
                Config =/= undefined andalso Out =:= undefined orelse
                    throw({usage, "--expand needs SYSTEM.config and no -o"}),
                expand(Config, Search);
            _ ->
                Config =/= undefined andalso Out =/= undefined orelse
                    throw({usage, "need SYSTEM.config and -o OUT"}),
                build(Config, Out, kernel(O), Search, maps:get(compress, O, false))
        end
    catch
        throw:{usage, Why} -> {2, io_lib:format("freebeam image: ~ts~n~s~n", [Why, ?USAGE])};
        throw:{fb_error, Msg} -> {1, [Msg, $\n]}
    end.

args([], O) -> O;
args(["-o", F | T], O) -> args(T, O#{out => F});
args(["--kernel", F | T], O) -> args(T, O#{kernel => F});
args(["--search", D | T], O = #{search := S}) -> args(T, O#{search := [D | S]});
args(["--compress" | T], O) -> args(T, O#{compress => true});
args(["--expand" | T], O) -> args(T, O#{expand => true});
args(["-" ++ _ = A | _], _) -> throw({usage, "unknown or incomplete option " ++ A});
args([F | T], O) when not is_map_key(config, O) -> args(T, O#{config => F});
args([A | _], _) -> throw({usage, "unexpected argument " ++ A}).

kernel(#{kernel := K}) -> K;
kernel(_) ->
    case os:getenv("FREEBEAM_SDK") of
        false -> filename:join(os:getenv("FREEBEAM_BUILD", "build"), "sdk/kernel/kernel.elf");
        Sdk -> filename:join(Sdk, "kernel/kernel.elf")
    end.

%% The description with its includes expanded and its parameters replaced:
%% one term a line, itself a description without includes.
expand(Config, Search) ->
    Terms = ok(fb_include:expand(Config, Search)),
    {0, [[io_lib:print(T, 1, 1 bsl 20, -1), ".\n"] || {T, _} <- Terms]}.

build(Config, Out, KernelPath, Search, Compress) ->
    Terms = ok(fb_include:expand(Config, Search)),
    Sys = fb_pdfiles:load(Config, Search,
                         ok(fb_sysdesc:check(Config, Terms, fb_pdfiles:reader(Config, Search)))),
    Blob = fb_blob:encode(case Compress of
                              true -> fb_compress:system(Sys);
                              false -> Sys
                          end),
    Kernel = case file:read_file(KernelPath) of
                 {ok, K} -> K;
                 {error, Why} -> fail("~ts: cannot read the kernel: ~ts", [KernelPath, file:format_error(Why)])
             end,
    Image = case fb_image:build(Kernel, Blob) of
                {ok, I, _At} -> I;
                {error, Why2} -> fail("~ts (kernel) ~ts", [KernelPath, Why2])
            end,
    write(Out, Image),
    {0, [io_lib:format("image: ~ts (~b bytes, ~b PDs)~n", [Out, byte_size(Image), length(maps:get(pds, Sys))]),
         openssl_line(Out, Sys)]}.

%% A PD with OpenSSL's libcrypto (erts' crypto flavour) names the variable
%% OPENSSL_armcap, which nothing else in an image does: said on a line of
%% its own, for tools/freebeam to add OpenSSL's notice to OUT.notices (the
%% image's bytes may be compressed, so they cannot be searched).
openssl_line(Out, #{pds := Pds}) ->
    case [P || P = #{elf_bin := B} <- Pds, binary:match(B, <<"OPENSSL_armcap">>) =/= nomatch] of
        [] -> [];
        _ -> io_lib:format("image: ~ts holds OpenSSL's libcrypto~n", [Out])
    end.

write(Out, Image) ->
    Tmp = Out ++ ".tmp." ++ os:getpid(),
    R = case filelib:ensure_dir(Out) of
            ok -> case file:write_file(Tmp, Image) of
                      ok -> file:rename(Tmp, Out);
                      E -> E
                  end;
            E -> E
        end,
    case R of
        ok -> ok;
        {error, Why} ->
            _ = file:delete(Tmp),
            fail("~ts: cannot write: ~ts", [Out, file:format_error(Why)])
    end.

ok({ok, X}) -> X;
ok({error, Msg}) -> throw({fb_error, Msg}).

fail(Fmt, Args) -> throw({fb_error, io_lib:format(Fmt, Args)}).
