%% ssh_shell_sup - supervises the process that owns the SSH daemon, so a
%% daemon that dies is started again.
-module(ssh_shell_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Daemon = #{id => ssh_shell_daemon, start => {ssh_shell_daemon, start_link, []}},
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, [Daemon]}}.
