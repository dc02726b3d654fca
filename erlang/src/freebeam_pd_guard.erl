%% freebeam_pd_guard - one native PD as a child of an ordinary supervisor
%% (freebeam_pd:child_spec/1).  init/1 monitors the PD and restarts it if it
%% is not running; when the PD faults or exits the guard stops with that
%% reason ({fault, Kind, Address, PC} or {exit, Status}; {exit, 0} is a
%% normal stop), so the supervisor restarts the guard, and with it the PD,
%% under its own intensity and period.  Stopping the guard leaves the PD as
%% it is.
-module(freebeam_pd_guard).
-behaviour(gen_server).
-export([start_link/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link(Name) when is_atom(Name) ->
    gen_server:start_link(?MODULE, Name, []).

init(Name) ->
    Ref = freebeam_pd:monitor(Name),   % first: a failure from now on is seen
    case ensure_running(Name) of
        ok -> {ok, #{name => Name, ref => Ref}};
        {error, Reason} ->
            freebeam_pd:demonitor(Ref),
            {stop, {freebeam_pd, Name, Reason}}
    end.

ensure_running(Name) ->
    case freebeam_pd:status(Name) of
        running -> ok;
        {error, _} = Error -> Error;
        _Stopped -> freebeam_pd:restart(Name)
    end.

handle_info({'DOWN', Ref, freebeam_pd, Name, Reason}, #{ref := Ref, name := Name} = State) ->
    case Reason of
        {exit, 0} -> {stop, normal, State};
        _ -> {stop, Reason, State}
    end;
handle_info(_Other, State) ->
    {noreply, State}.

handle_call(_Request, _From, State) ->
    {reply, {error, unknown_call}, State}.

handle_cast(_Request, State) ->
    {noreply, State}.
