%% ssh_shell_daemon - owns OTP's SSH daemon: starts it with the keys in
%% priv/ (public-key login only), says on the console where it listens,
%% and stops it when stopped.  A client gets the Erlang shell, or the value
%% of the expression it asks to exec (`ssh HOST 'node().'`).
-module(ssh_shell_daemon).
-behaviour(gen_server).
-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    process_flag(trap_exit, true),
    {ok, Port} = application:get_env(ssh_shell, port),
    Priv = code:priv_dir(ssh_shell),
    Opts = [{system_dir, filename:join(Priv, "system")},
            {user_dir, filename:join(Priv, "user")},
            {auth_methods, "publickey"}],
    case ssh:daemon(Port, Opts) of
        {ok, Daemon} ->
            io:format("ssh_shell: SSH daemon listening on port ~b~n", [Port]),
            erlang:monitor(process, Daemon),
            {ok, Daemon};
        {error, Reason} ->
            io:format("ssh_shell: cannot start the SSH daemon on port ~b: ~p~n", [Port, Reason]),
            {stop, Reason}
    end.

handle_call(_Request, _From, Daemon) ->
    {reply, {error, unknown_call}, Daemon}.

handle_cast(_Msg, Daemon) ->
    {noreply, Daemon}.

%% The daemon went down: stop too, and the supervisor starts both again.
handle_info({'DOWN', _, process, Daemon, Reason}, Daemon) ->
    {stop, {daemon_down, Reason}, Daemon};
handle_info(_Msg, Daemon) ->
    {noreply, Daemon}.

terminate(_Reason, Daemon) ->
    ssh:stop_daemon(Daemon).
