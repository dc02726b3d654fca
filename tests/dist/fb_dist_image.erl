%% fb_dist_image - the image's side of tests/suites/dist.sh: distributed
%% Erlang between a freebeam image and its peer (a node on the host, or
%% another image), without epmd (docs/networking.md, "Distributed Erlang").
%%
%% The image boots with -name, -setcookie, -erl_epmd_port PORT,
%% `-fb_dist_peer NODE`, `-fb_dist_role follower|lead` and
%% `-eval 'fb_dist_image:main().'`.  main/0:
%%   1. registers the global name {fb_dist, node()} for its keeper process;
%%   2. pings NODE until it answers (the image dials the peer: eth0 may
%%      not have its address yet, and the peer may not be up yet);
%%   3. rpc:call on the peer (its system architecture);
%%   4. waits until it sees the peer's global name {fb_dist, NODE};
%%   5. sends {fb_dist_checked, node()} to that name.
%% A lead (two images, a cluster) then waits for its peer's
%% fb_dist_checked, links to a process on the peer that dies (the link
%% fires here), links to another one, asks the peer to halt (the link fires
%% with noconnection, monitor_node sees nodedown) and halts with 0 if every
%% step worked, 1 if not.  Each step prints one `dist: ...` line
%% (`dist: FAIL ...` when it fails).  The keeper stays up and answers the
%% peer (keeper/0).
-module(fb_dist_image).
-export([main/0, keeper/0, checks/2, victim/0]).

-define(WAIT_MS, 60000).

main() ->
    {ok, [[Peer]]} = init:get_argument(fb_dist_peer),
    {ok, [[Role]]} = init:get_argument(fb_dist_role),
    %% Registered before the global name: the keeper passes the peer's
    %% fb_dist_checked on to it as soon as the peer can find that name.
    register(fb_dist_checks, spawn(?MODULE, checks, [list_to_atom(Peer), list_to_atom(Role)])),
    yes = global:register_name({fb_dist, node()}, spawn(?MODULE, keeper, [])),
    ok.

checks(Peer, Role) ->
    End = erlang:monotonic_time(millisecond) + ?WAIT_MS,
    Ok = check_peer(Peer, End),
    case Role of
        follower -> ok;
        lead -> halt(case Ok andalso lead(Peer, End) of true -> 0; false -> 1 end)
    end.

check_peer(Peer, End) ->
    T0 = erlang:monotonic_time(millisecond),
    case ping_until(Peer, End) of
        pong ->
            say("~s reached ~s: pong after ~b ms", [node(), Peer, erlang:monotonic_time(millisecond) - T0]),
            Arch = rpc:call(Peer, erlang, system_info, [system_architecture]),
            say("rpc:call on ~s: its system_architecture is ~p", [Peer, Arch]),
            case global_until({fb_dist, Peer}, End) of
                undefined ->
                    say("FAIL the global name ~p never appeared", [{fb_dist, Peer}]), false;
                Pid ->
                    say("global name ~p is ~p on ~s", [{fb_dist, Peer}, Pid, node(Pid)]),
                    global:send({fb_dist, Peer}, {fb_dist_checked, node()}),
                    is_list(Arch)
            end;
        pang ->
            say("FAIL ~s never answered a ping", [Peer]), false
    end.

%% The cluster's checks that need both nodes up, then the peer's power-off.
lead(Peer, End) ->
    process_flag(trap_exit, true),
    wait({fb_dist_checked, Peer}, End, "~s says its checks passed", [Peer])
        andalso begin
                    Victim = spawn_link(Peer, ?MODULE, victim, []),
                    Victim ! die,
                    wait({'EXIT', Victim, {died_on, Peer}}, End,
                         "link: ~p on ~s died with {died_on,~s}; the link fired on ~s",
                         [Victim, node(Victim), Peer, node()])
                end
        andalso begin
                    Holder = spawn_link(Peer, ?MODULE, victim, []),
                    true = erlang:monitor_node(Peer, true),
                    T0 = erlang:monotonic_time(millisecond),
                    true = rpc:cast(Peer, erlang, halt, [0]),
                    say("asked ~s to halt", [Peer]),
                    wait({'EXIT', Holder, noconnection}, End,
                         "link: ~p on ~s is gone with its node: noconnection", [Holder, Peer])
                        andalso wait({nodedown, Peer}, End, "monitor_node: nodedown from ~s", [Peer])
                        andalso begin
                                    say("~s was down ~b ms after it was asked to halt",
                                        [Peer, erlang:monotonic_time(millisecond) - T0]),
                                    true
                                end
                end
        andalso begin say("cluster checks passed", []), true end.

%% A process for the peer to link to: dies when told to.
victim() ->
    receive die -> exit({died_on, node()}) end.

ping_until(Peer, End) ->
    case net_adm:ping(Peer) of
        pong -> pong;
        pang ->
            case erlang:monotonic_time(millisecond) < End of
                true -> timer:sleep(200), ping_until(Peer, End);
                false -> pang
            end
    end.

global_until(Name, End) ->
    global:sync(),
    case global:whereis_name(Name) of
        undefined ->
            case erlang:monotonic_time(millisecond) < End of
                true -> timer:sleep(200), global_until(Name, End);
                false -> undefined
            end;
        Pid -> Pid
    end.

wait(Msg, End, Format, Args) ->
    receive
        Msg -> say(Format, Args), true
    after max(0, End - erlang:monotonic_time(millisecond)) ->
            say("FAIL waiting for ~p", [Msg]), false
    end.

%% The process behind {fb_dist, node()}: answers {From, Ref, ping} with
%% {Ref, pong, node()}; passes {fb_dist_checked, Node} on to the checks.
keeper() ->
    receive
        {From, Ref, ping} ->
            From ! {Ref, pong, node()};
        {fb_dist_checked, _} = Checked ->
            catch fb_dist_checks ! Checked;
        Other ->
            say("keeper: unexpected ~p", [Other])
    end,
    keeper().

say(Format, Args) ->
    io:format("dist: " ++ Format ++ "~n", Args).
