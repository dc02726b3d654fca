%% freebeam_nif - the Erlang face of erlang/c_src/freebeam_nif.c, which is
%% linked into beam.smp as a static NIF (erts finds it by this module's
%% name; the path given to erlang:load_nif/2 is not used).  A resource
%% wraps a non-blocking file descriptor of a libos device (/dev/chan/NAME,
%% /dev/pd/NAME; include/freebeam/fbdev.h); select_read/1 and select_write/1
%% arrange one {select, Res, Ref, ready_input | ready_output} message each
%% through enif_select.  freebeam_channel and freebeam_pd are built on these.
%% Errors are {error, Posix} (file:posix() atoms, or {errno, N}), or
%% {error, closed} on a closed resource; a bad argument raises badarg.
-module(freebeam_nif).
-export([info/0, constants/0, fd_open/2, fd_read/2, fd_write/2, fd_ioctl/3, fd_close/1,
         fd_bind/5, fd_deliver/2, fd_send/3,
         select_read/1, select_write/1, pipe/0, fault_for_test/1]).
-on_load(init/0).

-type fd() :: reference().
-type posix() :: atom() | {errno, integer()}.
-type delivery() :: drained | more | eof | {error, posix() | closed}.
-export_type([fd/0, posix/0, delivery/0]).

init() ->
    erlang:load_nif("freebeam_nif", 0).

%% #{static => true, version => "0.1.0"}: the NIF is there and which.
-spec info() -> #{static := true, version := string()}.
info() -> erlang:nif_error(not_loaded).

%% The numbers of fbdev.h and kapi.h (ioctl requests, record sizes, PD
%% states, fault kinds) by name: chan_info, pd_status, pd_event_size, ...
-spec constants() -> #{atom() => non_neg_integer()}.
constants() -> erlang:nif_error(not_loaded).

%% Opens Path non-blocking; Flags: a non-empty list of read and write.
-spec fd_open(iodata(), [read | write]) -> {ok, fd()} | {error, posix()}.
fd_open(_Path, _Flags) -> erlang:nif_error(not_loaded).

%% One read() of at most Max (1..65536) bytes.
-spec fd_read(fd(), pos_integer()) -> {ok, binary()} | eof | {error, posix() | closed}.
fd_read(_Fd, _Max) -> erlang:nif_error(not_loaded).

%% One write(): how many bytes it took.
-spec fd_write(fd(), iodata()) -> {ok, non_neg_integer()} | {error, posix() | closed}.
fd_write(_Fd, _Data) -> erlang:nif_error(not_loaded).

%% ioctl(Request) with Arg padded to the size the request encodes (at most
%% 256 bytes); returns ioctl's result and the argument buffer afterwards.
-spec fd_ioctl(fd(), non_neg_integer(), binary()) ->
          {ok, integer(), binary()} | {error, posix() | closed}.
fd_ioctl(_Fd, _Request, _Arg) -> erlang:nif_error(not_loaded).

%% Stops any select and closes the descriptor (through the stop callback).
-spec fd_close(fd()) -> ok | {error, closed}.
fd_close(_Fd) -> erlang:nif_error(not_loaded).

%% Binds Fd to its owner: fd_deliver/2 and fd_send/3 send each message they
%% read to Owner as {freebeam_channel, Ch, Binary} (queue) or
%% {freebeam_notify, Ch} (bare), a reset of the peer as {freebeam_reset, Ch};
%% each read takes at most ReadSize (1..65536) bytes.
-spec fd_bind(fd(), pid(), term(), queue | bare, pos_integer()) -> ok | {error, posix() | closed}.
fd_bind(_Fd, _Owner, _Ch, _Kind, _ReadSize) -> erlang:nif_error(not_loaded).

%% Reads at most Max messages of a bound Fd and sends them to its owner:
%% drained (nothing more now), more (Max were read), eof, or an error
%% ({error, eproto}: the peer broke the queue; nothing of it was sent).
-spec fd_deliver(fd(), pos_integer()) -> delivery().
fd_deliver(_Fd, _Max) -> erlang:nif_error(not_loaded).

%% fd_write/2, then (if Fd is bound) fd_deliver/2 of at most Max messages:
%% a peer that answered at once is answered without a poll.
-spec fd_send(fd(), iodata(), pos_integer()) ->
          {ok, non_neg_integer(), delivery() | unbound} | {error, posix() | closed}.
fd_send(_Fd, _Data, _Max) -> erlang:nif_error(not_loaded).

%% One {select, Fd, Ref, ready_input} to the caller when Fd is readable.
-spec select_read(fd()) -> {ok, reference()} | {error, posix() | closed}.
select_read(_Fd) -> erlang:nif_error(not_loaded).

%% One {select, Fd, Ref, ready_output} to the caller when Fd is writable.
-spec select_write(fd()) -> {ok, reference()} | {error, posix() | closed}.
select_write(_Fd) -> erlang:nif_error(not_loaded).

%% A pipe (read end, write end): for tests of the select machinery.
-spec pipe() -> {ok, fd(), fd()} | {error, posix()}.
pipe() -> erlang:nif_error(not_loaded).

%% For tests of the BEAM PD's supervision: fault_for_test(null_write) writes
%% through a NULL pointer in the NIF, as a buggy NIF would; the BEAM PD
%% faults and its root monitor restarts it (docs/native-components.md).
-spec fault_for_test(null_write) -> no_return().
fault_for_test(_What) -> erlang:nif_error(not_loaded).
