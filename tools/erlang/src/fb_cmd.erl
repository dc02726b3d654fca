%% fb_cmd - running a host program from the tools (beam/mkroot.sh, cp, erlc,
%% `tools/freebeam image` and `run`, tools/sdk.sh) as a shell script would:
%% its standard error goes where ours goes, its standard output to ours (or
%% nowhere), and its exit status comes back.
-module(fb_cmd).
-export([run/3]).

%% run(Program, Args, Opts) -> ExitStatus, or {ExitStatus, Output} with
%% capture.  Program is a path or a name looked up in PATH.  Opts:
%%   {env, [{Name, Value}]}  added to our environment
%%   quiet                   its standard output dropped (`>/dev/null`)
%%   capture                 its standard output kept (and shown unless quiet)
%%   no_input                its standard input is /dev/null, not a pipe
%%                           that never ends (QEMU reads it)
%%   {cd, Dir}               run in Dir (relative arguments then name
%%                           paths from there)
run(Program, Args, Opts) ->
    Capture = lists:member(capture, Opts),
    case find(Program) of
        false ->
            io:put_chars(standard_error, [Program, ": command not found\n"]),
            result(Capture, 127, []);
        Exe0 ->
            Exe = filename:absname(Exe0),
            {Exe1, Args1} = case lists:member(no_input, Opts) of
                                true -> {"/bin/sh", ["-c", "exec \"$0\" \"$@\" </dev/null", Exe | Args]};
                                false -> {Exe, Args}
                            end,
            Cd = [{cd, D} || {cd, D} <- Opts],
            Port = open_port({spawn_executable, Exe1},
                             [{args, Args1}, {env, proplists:get_value(env, Opts, [])},
                              exit_status, binary, stream | Cd]),
            {Status, Out} = relay(Port, lists:member(quiet, Opts), Capture, []),
            result(Capture, Status, Out)
    end.

result(true, Status, Out) -> {Status, iolist_to_binary(lists:reverse(Out))};
result(false, Status, _) -> Status.

find(Program) ->
    case lists:member($/, Program) of
        true -> filelib:is_regular(Program) andalso Program;
        false -> os:find_executable(Program)
    end.

relay(Port, Quiet, Capture, Acc) ->
    receive
        {Port, {data, Bytes}} ->
            Quiet orelse file:write(standard_io, Bytes),     % bytes as they are
            relay(Port, Quiet, Capture, case Capture of true -> [Bytes | Acc]; false -> Acc end);
        {Port, {exit_status, Status}} ->
            {Status, Acc}
    end.
