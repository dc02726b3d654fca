%% freebeam_channel - a channel (or queue pair) of the system description,
%% by name, as Erlang messages.  open/1 opens /dev/chan/NAME (device
%% semantics: include/freebeam/fbdev.h) and starts a small relay process,
%% linked to the caller, that waits through enif_select (idle stays idle:
%% no polling) and forwards to the owner:
%%   {freebeam_channel, Ch, Binary}   one message of a queue channel
%%   {freebeam_notify, Ch}            notifications of a bare channel (one
%%                                    message per wake-up, however many)
%%   {freebeam_reset, Ch}             the peer PD restarted (ECONNRESET)
%%   {freebeam_error, Ch, eproto}     the peer broke the queue (logged; nothing
%%                                    of it is delivered as data)
%%   {freebeam_closed, Ch, Reason}    the relay gave up (the channel is closed)
%% send/2 and notify/1 write from the calling process.  send/2 never waits:
%% a full queue is {error, full} (the caller retries; never a silent drop).
%% The descriptor is bound to the owner (freebeam_nif:fd_bind/5): whoever
%% reads it, the relay or send/2 right after its write (a native PD of
%% higher priority has answered by then), the NIF sends each message to
%% the owner itself, in queue order.
-module(freebeam_channel).
-export([open/1, send/2, notify/1, close/1, info/1]).
-export([open_fd/3]).   % for tests: a channel over an already open descriptor

-record(freebeam_channel, {name :: atom(), fd :: freebeam_nif:fd(), relay :: pid(),
                           kind :: queue | bare, owner :: pid()}).
-opaque channel() :: #freebeam_channel{}.
-export_type([channel/0]).

-define(DRAIN_MAX, 64).   % messages per wake-up before selecting again (fairness)
-define(SEND_DRAIN_MAX, 16).   % messages send/2 delivers after its write

%% Opens the channel Name; the caller owns it (and gets its messages).
-spec open(atom()) -> {ok, channel()} | {error, term()}.
open(Name) ->
    case freebeam_dev:open(chan, Name, [read, write]) of
        {ok, Fd} ->
            case chan_info(Fd) of
                {ok, Info} -> open_fd(Name, Fd, Info);
                Error -> freebeam_nif:fd_close(Fd), Error
            end;
        Error -> Error
    end.

%% The channel over an open descriptor Fd, with Info as FBDEV_CHAN_INFO
%% gives it (#{queue := 0 | 1, slot := Bytes, ...}).  open/1 uses it; tests
%% give it one end of freebeam_nif:pipe/0.
-spec open_fd(atom(), freebeam_nif:fd(), map()) -> {ok, channel()}.
open_fd(Name, Fd, #{queue := Queue} = Info) ->
    Kind = case Queue of 0 -> bare; _ -> queue end,
    ReadSize = case Kind of
                   bare -> freebeam_dev:const(notify_size);
                   queue -> maps:get(slot, Info)
               end,
    Owner = self(),
    Relay = spawn_link(fun() -> relay_init(Owner) end),
    Ch = #freebeam_channel{name = Name, fd = Fd, relay = Relay, kind = Kind, owner = Owner},
    case freebeam_nif:fd_bind(Fd, Owner, Ch, Kind, ReadSize) of
        ok ->
            Relay ! {start, Ch},
            {ok, Ch};
        Error ->
            unlink(Relay),
            exit(Relay, kill),
            Error
    end.

%% FBDEV_CHAN_INFO as a map.
-spec info(channel()) -> {ok, map()} | {error, term()}.
info(#freebeam_channel{fd = Fd}) -> chan_info(Fd).

chan_info(Fd) ->
    case freebeam_nif:fd_ioctl(Fd, freebeam_dev:const(chan_info), <<>>) of
        {ok, _, <<Queue:32/native, Depth:32/native, Slot:32/native, Peer:32/native>>} ->
            {ok, #{queue => Queue, depth => Depth, slot => Slot, peer_pd => Peer}};
        {ok, _, _} -> {error, bad_chan_info};
        Error -> Error
    end.

%% Sends one message on a queue channel.
-spec send(channel(), iodata()) -> ok | {error, full | emsgsize | closed | bare_channel | term()}.
send(#freebeam_channel{kind = bare}, _Data) ->
    {error, bare_channel};
send(#freebeam_channel{fd = Fd} = Ch, Data) ->
    write_result(Ch, freebeam_nif:fd_send(Fd, Data, ?SEND_DRAIN_MAX)).

%% Notifies the peer once (a bare channel).
-spec notify(channel()) -> ok | {error, term()}.
notify(#freebeam_channel{fd = Fd} = Ch) ->
    write_result(Ch, freebeam_nif:fd_send(Fd, <<1:64/native>>, ?SEND_DRAIN_MAX)).

%% The write's result; what its delivery met is the relay's business,
%% except a broken queue, which the device reports only once.
write_result(Ch, {ok, _, Delivered}) ->
    case Delivered of
        {error, eproto} -> broken(Ch);
        {error, _} -> Ch#freebeam_channel.relay ! check;
        _ -> ok   % drained, more (the relay's select fires), eof (it sees it too)
    end,
    ok;
write_result(_Ch, {error, eagain}) -> {error, full};
write_result(_Ch, {error, _} = Error) -> Error.

%% Closes the channel: the relay stops and the descriptor is closed.
-spec close(channel()) -> ok.
close(#freebeam_channel{relay = Relay}) ->
    MRef = erlang:monitor(process, Relay),
    Relay ! {close, self(), MRef},
    receive
        {MRef, closed} -> erlang:demonitor(MRef, [flush]), ok;
        {'DOWN', MRef, process, Relay, _} -> ok
    end.

%% ---- the relay: owns the select on the descriptor ----

relay_init(Owner) ->
    process_flag(trap_exit, true),
    receive {start, Ch} -> relay_wait(Owner, Ch) end.

relay_wait(Owner, #freebeam_channel{fd = Fd} = Ch) ->
    case freebeam_nif:select_read(Fd) of
        {ok, _} -> relay_loop(Owner, Ch);
        {error, Reason} -> relay_stop(Owner, Ch, Reason)
    end.

relay_loop(Owner, #freebeam_channel{fd = Fd} = Ch) ->
    receive
        {select, Fd, _Ref, ready_input} -> relay_drain(Owner, Ch);
        check -> relay_drain(Owner, Ch);
        {close, From, Tag} ->
            _ = freebeam_nif:fd_close(Fd),
            unlink(Owner),
            From ! {Tag, closed};
        {'EXIT', Owner, _} ->
            _ = freebeam_nif:fd_close(Fd)
    end.

%% Delivers what is pending (at most ?DRAIN_MAX messages: when more are
%% there, the next select fires at once), then selects again.
relay_drain(Owner, #freebeam_channel{fd = Fd} = Ch) ->
    case freebeam_nif:fd_deliver(Fd, ?DRAIN_MAX) of
        drained -> relay_wait(Owner, Ch);
        more -> relay_wait(Owner, Ch);
        {error, eproto} -> broken(Ch), relay_wait(Owner, Ch);
        eof -> relay_stop(Owner, Ch, eof);
        {error, Reason} -> relay_stop(Owner, Ch, Reason)
    end.

%% The peer broke the queue: nothing of it is data.  The device is readable
%% again once the peer notifies (it may repair the queue) or is restarted;
%% until then the select stays quiet.
broken(#freebeam_channel{name = Name, owner = Owner} = Ch) ->
    logger:error("freebeam_channel ~p: the peer PD broke the queue (eproto); its contents "
                 "are not delivered", [Name]),
    Owner ! {freebeam_error, Ch, eproto},
    ok.

relay_stop(Owner, #freebeam_channel{fd = Fd} = Ch, Reason) ->
    _ = freebeam_nif:fd_close(Fd),
    Owner ! {freebeam_closed, Ch, Reason},
    unlink(Owner).
