%% rogue_demo_server: the BEAM side of the isolation demo.  The rogue PD
%% (systems/rogue/rogue.c) sends good messages <<N:32/little, 16#600DF00D:32/little>>
%% numbered 1, 2, ... through the queue pair `junk`, breaks the queue three
%% ways, and finally writes into the BEAM PD's memory.  This server checks:
%%   - every message that reaches it as data is a good one, in order;
%%   - each break arrives as {freebeam_error, Ch, Reason}, never as data
%%     (it answers with a message, so the rogue repairs and goes on);
%%   - the write faults the rogue: a 'DOWN' {fault, data_abort, Addr, PC};
%%   - the BEAM keeps running: it prints its verdict and powers off, with
%%     status 0 only if all of the above held.
%% It is the application callback too (the demo has no supervisor: the
%% rogue is not restarted).
-module(rogue_demo_server).
-behaviour(application).
-behaviour(gen_server).
-export([start/2, stop/1, start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-define(GOOD, 16#600DF00D).
%% errors: the breaks seen (an error right after another one, with no good
%% message between, is the same break reported again: the device may say
%% it twice when a notification crosses the read that found it).
-record(st, {ch, mon, next = 1, good = 0, garbage = 0, errors = 0, fault, since_error = 1}).

start(_Type, _Args) ->
    {ok, Pid} = start_link(),
    {ok, Pid}.

stop(_State) -> ok.

start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, Ch} = freebeam_channel:open(junk),
    Mon = freebeam_pd:monitor(rogue),
    {ok, T} = application:get_env(rogue_demo, timeout_s),
    erlang:send_after(T * 1000, self(), timeout),
    {ok, #st{ch = Ch, mon = Mon}}.

handle_call(_Req, _From, St) -> {reply, {error, unknown_call}, St}.

handle_cast(_Msg, St) -> {noreply, St}.

handle_info({freebeam_channel, Ch, <<N:32/little, ?GOOD:32/little>>}, #st{ch = Ch, next = N} = St) ->
    {noreply, St#st{next = N + 1, good = St#st.good + 1, since_error = St#st.since_error + 1}};
handle_info({freebeam_channel, Ch, Data}, #st{ch = Ch} = St) ->
    io:format("rogue_demo: FAIL garbage reached Erlang as data: ~p~n", [Data]),
    {noreply, St#st{garbage = St#st.garbage + 1}};
handle_info({freebeam_error, Ch, Reason}, #st{ch = Ch, errors = E, since_error = G} = St) ->
    io:format("rogue_demo: the queue is broken (~p): rejected, the rogue is told~n", [Reason]),
    ok = freebeam_channel:send(Ch, <<E:32/little>>),
    {noreply, St#st{errors = case G of 0 -> E; _ -> E + 1 end, since_error = 0}};
handle_info({'DOWN', Mon, freebeam_pd, rogue, Why}, #st{mon = Mon} = St) ->
    io:format("rogue_demo: the rogue PD is down: ~p~n", [Why]),
    %% Let any message sent before the fault arrive first.
    erlang:send_after(200, self(), verdict),
    {noreply, St#st{fault = Why}};
handle_info(verdict, St) ->
    verdict(St);
handle_info(timeout, St) ->
    io:format("rogue_demo: FAIL timed out~n"),
    verdict(St#st{fault = timeout});
handle_info(_Other, St) ->
    {noreply, St}.

verdict(#st{good = G, garbage = X, errors = E, fault = F}) ->
    Faulted = case F of {fault, data_abort, 16#08000000, _Pc} -> true; _ -> false end,
    io:format("rogue: good=~b garbage_as_data=~b breaks_rejected=~b rogue_faulted=~p beam_alive=true~n",
              [G, X, E, Faulted]),
    Ok = X =:= 0 andalso E =:= 3 andalso Faulted andalso G >= 20,
    erlang:halt(case Ok of true -> 0; false -> 1 end).
