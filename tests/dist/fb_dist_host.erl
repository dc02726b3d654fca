%% fb_dist_host - the host's side of tests/suites/dist.sh: a real Erlang
%% node on the host (the host's erl, no epmd) talking to an image node
%% (tests/dist/fb_dist_image.erl; docs/networking.md, "Distributed Erlang").
%%
%%   erl ... -s fb_dist_host main connect IMAGE_NODE SECONDS
%%     registers the global name {fb_dist, node()}, waits until the image
%%     dials in (nodeup) and says its own checks passed (a message to that
%%     global name), then: rpc:call on the image, the image's global name
%%     seen here, and after erlang:disconnect_node/1 the host dials the
%%     image itself (net_adm:ping) and calls it again;
%%   erl ... -s fb_dist_host main halt IMAGE_NODE SECONDS
%%     connects, monitor_node/2 on the image, asks it to halt (the image
%%     powers off) and waits for nodedown.
%% Each step prints one `host: ...` line (`host: FAIL ...` when it fails);
%% the node halts with 0 only if every step worked.
-module(fb_dist_host).
-export([main/1]).

main([Step, Image, Seconds]) ->
    End = erlang:monotonic_time(millisecond) + list_to_integer(atom_to_list(Seconds)) * 1000,
    Ok = try step(Step, Image, End)
         catch Class:Reason:Stack ->
                 say("FAIL ~p:~p ~p", [Class, Reason, Stack]), false
         end,
    halt(case Ok of true -> 0; false -> 1 end).

step(connect, Image, End) ->
    yes = global:register_name({fb_dist, node()}, self()),
    ok = net_kernel:monitor_nodes(true),
    say("~s waits for ~s (global name ~p registered)", [node(), Image, {fb_dist, node()}]),
    %% The image may have connected while this node booted.
    lists:member(Image, nodes()) andalso (self() ! {nodeup, Image}),
    wait({nodeup, Image}, End, "the image connected to the host (it dialed)")
        andalso wait({fb_dist_checked, Image}, End,
                     "the image found the host's global name and sent to it")
        andalso calls(Image)
        andalso begin
                    true = erlang:disconnect_node(Image),
                    wait({nodedown, Image}, End, "erlang:disconnect_node/1: the image is down")
                end
        andalso ping(Image, End)
        andalso calls(Image);
step(halt, Image, End) ->
    ping(Image, End)
        andalso begin
                    true = erlang:monitor_node(Image, true),
                    T0 = erlang:monotonic_time(millisecond),
                    true = rpc:cast(Image, erlang, halt, [0]),
                    say("asked ~s to halt", [Image]),
                    receive
                        {nodedown, Image} ->
                            say("monitor_node: nodedown from ~s ~b ms after it was asked to halt",
                                [Image, erlang:monotonic_time(millisecond) - T0]),
                            true
                    after max(0, End - T0) ->
                            say("FAIL monitor_node: no nodedown from ~s", [Image]), false
                    end
                end.

%% rpc:call on the image, and its global name seen from here.
calls(Image) ->
    Arch = rpc:call(Image, erlang, system_info, [system_architecture]),
    Sum = rpc:call(Image, lists, sum, [lists:seq(1, 100)]),
    say("rpc:call on ~s: system_architecture ~p, lists:sum(1..100) ~p", [Image, Arch, Sum]),
    global:sync(),
    Pid = global:whereis_name({fb_dist, Image}),
    Ref = make_ref(),
    is_pid(Pid) andalso (Pid ! {self(), Ref, ping}),
    Answer = receive {Ref, pong, From} -> From after 5000 -> none end,
    say("global name ~p is ~p on ~p, which answered from ~p",
        [{fb_dist, Image}, Pid, is_pid(Pid) andalso node(Pid), Answer]),
    is_list(Arch) andalso Sum =:= 5050 andalso Answer =:= Image.

%% The host dials the image: pings until pong or End.
ping(Image, End) ->
    case net_adm:ping(Image) of
        pong ->
            say("~s reached ~s: pong", [node(), Image]), true;
        pang ->
            case erlang:monotonic_time(millisecond) < End of
                true -> timer:sleep(200), ping(Image, End);
                false -> say("FAIL ~s never answered a ping", [Image]), false
            end
    end.

wait(Msg, End, What) ->
    receive
        Msg -> say("~s", [What]), true
    after max(0, End - erlang:monotonic_time(millisecond)) ->
            say("FAIL waiting for ~p: ~s", [Msg, What]), false
    end.

say(Format, Args) ->
    io:format("host: " ++ Format ++ "~n", Args).
