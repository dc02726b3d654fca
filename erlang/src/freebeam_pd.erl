%% freebeam_pd - native protection domains seen from Erlang, by their names
%% in the system description, through /dev/pd/NAME (include/freebeam/fbdev.h).
%% Only PDs whose monitor is the BEAM PD, with the pd_control right, can be
%% stopped or restarted; anything else is {error, Reason}, never a crash.
%%
%%   monitor(Name) -> Ref; later {'DOWN', Ref, freebeam_pd, Name, Reason} with
%%   Reason {fault, Kind, Address, PC} or {exit, Status} (or {error, Posix}
%%   at once when the PD cannot be watched).  A helper process per monitor
%%   waits through enif_select.  demonitor/1 from the monitoring process.
%%
%%   child_spec(Name) / start_link(Name): a native PD in an ordinary
%%   supervisor (freebeam_pd_guard: a gen_server that exits with the PD's
%%   failure, so the supervisor restarts it, and with it the PD).
-module(freebeam_pd).
-export([status/1, stop/1, restart/1, monitor/1, demonitor/1, child_spec/1, start_link/1]).

-type status() :: running | stopped | faulted | exited.
-type down_reason() :: {fault, atom(), non_neg_integer(), non_neg_integer()}
                     | {exit, integer()} | {error, term()}.
-export_type([status/0, down_reason/0]).

-spec status(atom()) -> status() | {error, term()}.
status(Name) ->
    case control(Name, pd_status) of
        {ok, N} -> status_name(N);
        Error -> Error
    end.

-spec stop(atom()) -> ok | {error, term()}.
stop(Name) -> ok_result(control(Name, pd_stop)).

-spec restart(atom()) -> ok | {error, term()}.
restart(Name) -> ok_result(control(Name, pd_restart)).

ok_result({ok, _}) -> ok;
ok_result(Error) -> Error.

%% One ioctl on /dev/pd/NAME: {ok, Result} | {error, Reason}.
control(Name, Request) ->
    case freebeam_dev:open(pd, Name, [read]) of
        {ok, Fd} ->
            R = freebeam_nif:fd_ioctl(Fd, freebeam_dev:const(Request), <<>>),
            _ = freebeam_nif:fd_close(Fd),
            case R of
                {ok, Result, _} -> {ok, Result};
                Error -> Error
            end;
        Error -> Error
    end.

status_name(N) ->
    case freebeam_dev:name_of(N, [{running, pd_running}, {stopped, pd_stopped},
                                  {faulted, pd_faulted}, {exited, pd_exited}]) of
        undefined -> {error, {bad_status, N}};
        S -> S
    end.

%% ---- monitors ----

-spec monitor(atom()) -> reference().
monitor(Name) ->
    Ref = make_ref(),
    Caller = self(),
    %% Opened here, before returning: events after this call are seen.
    case freebeam_dev:open(pd, Name, [read]) of
        {ok, Fd} ->
            Pid = spawn(fun() -> watch_init(Caller, Ref, Name, Fd) end),
            put({?MODULE, Ref}, Pid);
        {error, Reason} ->
            Caller ! {'DOWN', Ref, ?MODULE, Name, {error, Reason}}
    end,
    Ref.

%% Stops watching; no 'DOWN' for Ref arrives afterwards.
-spec demonitor(reference()) -> true.
demonitor(Ref) when is_reference(Ref) ->
    case erase({?MODULE, Ref}) of
        undefined -> ok;
        Pid ->
            MRef = erlang:monitor(process, Pid),
            Pid ! {stop, Ref},
            receive {'DOWN', MRef, process, Pid, _} -> ok end
    end,
    receive {'DOWN', Ref, ?MODULE, _, _} -> ok after 0 -> ok end,
    true.

watch_init(Caller, Ref, Name, Fd) ->
    CallerRef = erlang:monitor(process, Caller),
    watch(Caller, CallerRef, Ref, Name, Fd).

watch(Caller, CallerRef, Ref, Name, Fd) ->
    case freebeam_nif:select_read(Fd) of
        {ok, _} ->
            receive
                {select, Fd, _, ready_input} ->
                    case read_event(Fd) of
                        none -> watch(Caller, CallerRef, Ref, Name, Fd);
                        Reason -> watch_done(Caller, Ref, Name, Fd, Reason)
                    end;
                {stop, Ref} -> freebeam_nif:fd_close(Fd);
                {'DOWN', CallerRef, process, Caller, _} -> freebeam_nif:fd_close(Fd)
            end;
        {error, Reason} -> watch_done(Caller, Ref, Name, Fd, {error, Reason})
    end.

watch_done(Caller, Ref, Name, Fd, Reason) ->
    _ = freebeam_nif:fd_close(Fd),
    Caller ! {'DOWN', Ref, ?MODULE, Name, Reason}.

%% One struct fbdev_pd_event as a 'DOWN' reason, or none (EAGAIN).
read_event(Fd) ->
    Size = freebeam_dev:const(pd_event_size),
    case freebeam_nif:fd_read(Fd, Size) of
        {ok, <<_Seq:32/native, Kind:32/native, _Tid:32/native, Addr:32/native, PC:32/native,
               Status:32/native-signed>>} ->
            case Kind =:= freebeam_dev:const(fault_exited) of
                true -> {exit, Status};
                false -> {fault, fault_name(Kind), Addr, PC}
            end;
        {ok, Short} -> {error, {bad_event, Short}};
        {error, eagain} -> none;
        eof -> {error, eof};
        {error, _} = Error -> Error
    end.

%% kapi.h's FB_FAULT_* as atoms (a kind this release does not know stays a number).
fault_name(Kind) ->
    case freebeam_dev:name_of(Kind, [{data_abort, fault_data_abort}, {prefetch_abort, fault_prefetch_abort},
                                      {undefined, fault_undefined}, {alignment, fault_alignment},
                                      {bad_syscall, fault_bad_syscall}]) of
        undefined -> Kind;
        N -> N
    end.

%% ---- supervision ----

-spec child_spec(atom()) -> supervisor:child_spec().
child_spec(Name) ->
    #{id => {?MODULE, Name},
      start => {?MODULE, start_link, [Name]},
      restart => permanent,
      shutdown => 5000,
      type => worker,
      modules => [freebeam_pd_guard]}.

-spec start_link(atom()) -> {ok, pid()} | {error, term()}.
start_link(Name) ->
    freebeam_pd_guard:start_link(Name).
