%% hello_server - a gen_server that greets on the console when it starts,
%% counts calls, and (if the application's env says so) halts the node once
%% the whole system has booted.
-module(hello_server).
-behaviour(gen_server).
-export([start_link/0, count/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% The number of calls served so far (try it at the shell).
count() ->
    gen_server:call(?MODULE, count).

init([]) ->
    {ok, Greeting} = application:get_env(hello_app, greeting),
    io:format("hello_app: ~ts (~ts, ~s)~n",
              [Greeting, erlang:system_info(system_architecture), erlang:system_info(otp_release)]),
    case application:get_env(hello_app, halt_after_boot) of
        {ok, Status} when is_integer(Status), Status >= 0 ->
            self() ! {halt_after_boot, Status};
        _ ->
            ok
    end,
    {ok, 0}.

handle_call(count, _From, N) ->
    {reply, N + 1, N + 1}.

handle_cast(_Msg, N) ->
    {noreply, N}.

%% init:get_status/0 says `started` once the boot script has run to its end,
%% i.e. after this application (and every other one) has started.
handle_info({halt_after_boot, Status} = Msg, N) ->
    case init:get_status() of
        {started, _} ->
            Apps = [A || {A, _, _} <- application:which_applications()],
            io:format("hello_app: booted, running ~p; halting with status ~b~n", [Apps, Status]),
            erlang:halt(Status);
        _ ->
            erlang:send_after(10, self(), Msg),
            {noreply, N}
    end;
handle_info(_Msg, N) ->
    {noreply, N}.
