%% sensor_demo_server: consumes the sensor PD's readings from the queue pair
%% `readings`, checks that they arrive in order with no gap and no repeat,
%% acknowledges them (cumulatively: the last number handled), and counts the
%% sensor's restarts (each one is a reset of the channel).  Once it has seen
%% min_readings readings and min_restarts restarts it prints
%%     readings=R restarts=S lost=L duplicated=D
%% and powers the machine off: status 0 only if nothing was lost or
%% duplicated.  A run that takes longer than timeout_s seconds fails.
-module(sensor_demo_server).
-behaviour(gen_server).
-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-record(st, {ch, next = 1, readings = 0, restarts = 0, lost = 0, dup = 0, bad = 0,
             unacked = 0, min_readings, min_restarts}).

start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, Ch} = freebeam_channel:open(readings),
    {ok, Timeout} = application:get_env(sensor_demo, timeout_s),
    erlang:send_after(Timeout * 1000, self(), timeout),
    {ok, MinR} = application:get_env(sensor_demo, min_readings),
    {ok, MinS} = application:get_env(sensor_demo, min_restarts),
    {ok, #st{ch = Ch, min_readings = MinR, min_restarts = MinS}}.

handle_call(_Req, _From, St) -> {reply, {error, unknown_call}, St}.

handle_cast(_Msg, St) -> {noreply, St}.

handle_info({freebeam_channel, Ch, <<N:32/little, V:32/little>>}, #st{ch = Ch} = St) ->
    St1 = check(N, V, St),
    {noreply, finish_if_done(ack(St1))};
handle_info({freebeam_channel, Ch, Other}, #st{ch = Ch, bad = B} = St) ->
    logger:error("sensor_demo: malformed reading ~p", [Other]),
    {noreply, St#st{bad = B + 1}};
handle_info({freebeam_reset, Ch}, #st{ch = Ch, restarts = S} = St) ->
    {noreply, finish_if_done(St#st{restarts = S + 1})};
handle_info(timeout, St) ->
    report(St),
    io:format("sensor_demo: FAIL timed out~n"),
    erlang:halt(1);
handle_info(_Other, St) ->
    {noreply, St}.

check(N, V, #st{next = Next, readings = R} = St) ->
    Valid = V =:= (N * 2654435761) band 16#ffffffff bsr 16,
    if not Valid ->
           logger:error("sensor_demo: reading ~b has a wrong value ~b", [N, V]),
           St#st{bad = St#st.bad + 1};
       N =:= Next -> St#st{next = N + 1, readings = R + 1, unacked = St#st.unacked + 1};
       N > Next -> St#st{next = N + 1, readings = R + 1, lost = St#st.lost + (N - Next)};
       true -> St#st{dup = St#st.dup + 1}
    end.

%% An acknowledgement every 16 readings; a full queue only delays it (the
%% next one covers this one).
ack(#st{unacked = U} = St) when U < 16 -> St;
ack(#st{ch = Ch, next = Next} = St) ->
    case freebeam_channel:send(Ch, <<(Next - 1):32/little>>) of
        ok -> St#st{unacked = 0};
        {error, _} -> St
    end.

finish_if_done(#st{readings = R, restarts = S, min_readings = MinR, min_restarts = MinS} = St)
  when R >= MinR, S >= MinS ->
    report(St),
    Ok = St#st.lost =:= 0 andalso St#st.dup =:= 0 andalso St#st.bad =:= 0,
    erlang:halt(case Ok of true -> 0; false -> 1 end);
finish_if_done(St) ->
    St.

report(#st{readings = R, restarts = S, lost = L, dup = D, bad = B}) ->
    io:format("readings=~b restarts=~b lost=~b duplicated=~b malformed=~b~n", [R, S, L, D, B]).
