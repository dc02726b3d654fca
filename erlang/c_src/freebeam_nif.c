/* freebeam_nif.c - the NIF of the freebeam OTP application, linked
 * statically into beam.smp (third_party/erlang/build.sh).  It is an ordinary
 * freebeam C program file: it uses POSIX calls (open, read, write, ioctl,
 * close, pipe2) on the devices libos serves (include/freebeam/fbdev.h) and
 * erts's enif_select, never libos internals.
 *
 * One resource type wraps a file descriptor.  enif_select arranges
 * {select, Res, Ref, ready_input | ready_output} messages; closing goes
 * through enif_select(STOP), whose stop callback closes the descriptor once
 * erts has taken it out of its poll set.  freebeam_channel and freebeam_pd
 * (erlang/src/) build the device semantics on these few functions.
 *
 * A channel's descriptor can be bound to its owner (fd_bind): fd_deliver
 * then reads what is pending and sends each message to the owner as
 * {freebeam_channel, Ch, Binary}, and fd_send does the same right after
 * its write.  A native PD of higher priority than the BEAM PD answers
 * before the write returns, so its reply reaches the owner without a trip
 * through erts's poll thread.  Reads and sends happen under the
 * descriptor's lock, so messages reach the owner in queue order whoever
 * delivers them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "erl_nif.h"
#include <freebeam/fbdev.h>
#include <freebeam/kapi.h>

#define FREEBEAM_APP_VSN "0.1.0"
#define MAX_PATH_BYTES 255u   /* /dev/chan/NAME and friends are short */
#define MAX_READ_BYTES 65536u
#define MAX_IOCTL_BYTES 256u  /* larger than any fbdev.h argument */

typedef struct {
  ErlNifMutex *lock; /* everything below: NIF calls may run on several schedulers */
  int fd;            /* -1 once closed */
  bool closing;      /* fd_close ran: no more use, the stop callback closes */
  /* fd_bind: where fd_deliver sends what it reads (ch_env == NULL: unbound) */
  ErlNifEnv *ch_env; /* holds ch (it refers to this resource: freed at close) */
  ERL_NIF_TERM ch;   /* the channel term, as the owner knows it */
  ErlNifPid owner;
  bool bare;         /* a bare channel: each read is {freebeam_notify, Ch} */
  unsigned read_size;
} fb_fd;

static ErlNifResourceType *fd_type;
static ERL_NIF_TERM atom_ok, atom_error, atom_closed, atom_eof, atom_undefined;
static ERL_NIF_TERM atom_read, atom_write, atom_static, atom_version, atom_true;
static ERL_NIF_TERM atom_queue, atom_bare, atom_drained, atom_more, atom_unbound;
static ERL_NIF_TERM atom_freebeam_channel, atom_freebeam_notify, atom_freebeam_reset;

/* errno values as file:posix() atoms (erts's erl_errno_id is a driver
 * function, not part of the NIF interface); others as {errno, N}. */
static ERL_NIF_TERM posix_term(ErlNifEnv *env, int err) {
  static const struct { int err; const char *name; } names[] = {
    {EAGAIN, "eagain"},   {EMSGSIZE, "emsgsize"}, {ECONNRESET, "econnreset"}, {ENOENT, "enoent"},
    {EPERM, "eperm"},     {EACCES, "eacces"},     {EBADF, "ebadf"},           {EINVAL, "einval"},
    {ENOMEM, "enomem"},   {ENOTTY, "enotty"},     {ENOTSUP, "enotsup"},       {EIO, "eio"},
    {EPIPE, "epipe"},     {ENODEV, "enodev"},     {ENXIO, "enxio"},           {EBUSY, "ebusy"},
    {EMFILE, "emfile"},   {ENFILE, "enfile"},     {EEXIST, "eexist"},         {EISDIR, "eisdir"},
    {ENOTDIR, "enotdir"}, {EROFS, "erofs"},       {ENAMETOOLONG, "enametoolong"},
    {EINTR, "eintr"},     {ENOSYS, "enosys"},     {EFAULT, "efault"},         {ESRCH, "esrch"},
    {ENOSPC, "enospc"},   {ECONNREFUSED, "econnrefused"}, {EPROTO, "eproto"},
  };
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].err == err) return enif_make_atom(env, names[i].name);
  return enif_make_tuple2(env, enif_make_atom(env, "errno"), enif_make_int(env, err));
}

static ERL_NIF_TERM error_tuple(ErlNifEnv *env, int err) {
  return enif_make_tuple2(env, atom_error, posix_term(env, err));
}

static ERL_NIF_TERM closed_error(ErlNifEnv *env) {
  return enif_make_tuple2(env, atom_error, atom_closed);
}

/* Forgets the owner (its lock held): the channel term refers to the
 * resource itself, so it must go before the resource can. */
static void unbind(fb_fd *f) {
  if (f->ch_env != NULL) enif_free_env(f->ch_env);
  f->ch_env = NULL;
}

/* The stop callback: erts no longer polls the descriptor.  Called from
 * inside enif_select (is_direct_call, our lock already held by fd_close)
 * or later by erts (then we take the lock). */
static void fd_stop(ErlNifEnv *env, void *obj, ErlNifEvent event, int is_direct_call) {
  (void)env;
  fb_fd *f = obj;
  if (!is_direct_call) enif_mutex_lock(f->lock);
  if (f->fd == (int)event) {
    close(f->fd);
    f->fd = -1;
  }
  if (!is_direct_call) enif_mutex_unlock(f->lock);
}

/* The last reference went away.  A selected descriptor keeps its resource
 * alive in erts until stopped, so an open fd here was never selected. */
static void fd_dtor(ErlNifEnv *env, void *obj) {
  (void)env;
  fb_fd *f = obj;
  if (f->fd >= 0) close(f->fd);
  unbind(f);
  enif_mutex_destroy(f->lock);
}

/* A new resource owning fd (closed here on failure). */
static ERL_NIF_TERM make_fd_resource(ErlNifEnv *env, int fd, ERL_NIF_TERM *out) {
  fb_fd *f = enif_alloc_resource(fd_type, sizeof *f);
  if (f == NULL) {
    close(fd);
    return error_tuple(env, ENOMEM);
  }
  f->lock = enif_mutex_create("freebeam_fd");
  f->fd = fd;
  f->closing = false;
  f->ch_env = NULL;
  if (f->lock == NULL) {
    f->fd = -1;
    close(fd);
    enif_release_resource(f);
    return error_tuple(env, ENOMEM);
  }
  *out = enif_make_resource(env, f);
  enif_release_resource(f);
  return atom_ok;
}

/* The descriptor of a resource argument, locked; NULL with *ret set to the
 * term to return (badarg or {error, closed}). */
static fb_fd *lock_open_fd(ErlNifEnv *env, ERL_NIF_TERM arg, ERL_NIF_TERM *ret) {
  fb_fd *f;
  if (!enif_get_resource(env, arg, fd_type, (void **)&f)) {
    *ret = enif_make_badarg(env);
    return NULL;
  }
  enif_mutex_lock(f->lock);
  if (f->fd < 0 || f->closing) {
    enif_mutex_unlock(f->lock);
    *ret = closed_error(env);
    return NULL;
  }
  return f;
}

/* info() -> #{static => true, version => "0.1.0"} */
static ERL_NIF_TERM nif_info(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc, (void)argv;
  ERL_NIF_TERM keys[] = {atom_static, atom_version};
  ERL_NIF_TERM values[] = {atom_true, enif_make_string(env, FREEBEAM_APP_VSN, ERL_NIF_LATIN1)};
  ERL_NIF_TERM map;
  enif_make_map_from_arrays(env, keys, values, 2, &map);
  return map;
}

/* constants() -> #{Name => Integer}: fbdev.h and kapi.h's numbers, so the
 * Erlang side never restates them. */
static ERL_NIF_TERM nif_constants(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc, (void)argv;
  static const struct { const char *name; uint32_t value; } table[] = {
    {"chan_info", FBDEV_CHAN_INFO},     {"chan_info_size", sizeof(struct fbdev_chan_info)},
    {"notify_size", FBDEV_NOTIFY_SIZE}, {"pd_status", FBDEV_PD_STATUS},
    {"pd_stop", FBDEV_PD_STOP},         {"pd_restart", FBDEV_PD_RESTART},
    {"pd_running", FBDEV_PD_RUNNING},   {"pd_stopped", FBDEV_PD_STOPPED},
    {"pd_faulted", FBDEV_PD_FAULTED},   {"pd_exited", FBDEV_PD_EXITED},
    {"pd_event_size", sizeof(struct fbdev_pd_event)},
    {"fault_data_abort", FB_FAULT_DATA_ABORT}, {"fault_prefetch_abort", FB_FAULT_PREFETCH_ABORT},
    {"fault_undefined", FB_FAULT_UNDEFINED},   {"fault_alignment", FB_FAULT_ALIGNMENT},
    {"fault_bad_syscall", FB_FAULT_BAD_SYSCALL}, {"fault_exited", FB_FAULT_EXITED},
  };
  enum { N = sizeof table / sizeof table[0] };
  ERL_NIF_TERM keys[N], values[N], map;
  for (unsigned i = 0; i < N; i++) {
    keys[i] = enif_make_atom(env, table[i].name);
    values[i] = enif_make_uint(env, table[i].value);
  }
  enif_make_map_from_arrays(env, keys, values, N, &map);
  return map;
}

/* fd_open(Path :: iodata(), Flags :: [read | write]) -> {ok, Res} | {error, Posix}.
 * Always non-blocking (enif_select needs it) and close-on-exec. */
static ERL_NIF_TERM nif_fd_open(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  ErlNifBinary path;
  char cpath[MAX_PATH_BYTES + 1];
  if (!enif_inspect_iolist_as_binary(env, argv[0], &path) || path.size == 0 ||
      path.size > MAX_PATH_BYTES || memchr(path.data, 0, path.size) != NULL)
    return enif_make_badarg(env);
  memcpy(cpath, path.data, path.size);
  cpath[path.size] = 0;

  bool want_read = false, want_write = false;
  ERL_NIF_TERM list = argv[1], head;
  while (enif_get_list_cell(env, list, &head, &list)) {
    if (enif_is_identical(head, atom_read)) want_read = true;
    else if (enif_is_identical(head, atom_write)) want_write = true;
    else return enif_make_badarg(env);
  }
  if (!enif_is_empty_list(env, list) || (!want_read && !want_write)) return enif_make_badarg(env);

  int mode = want_read && want_write ? O_RDWR : want_read ? O_RDONLY : O_WRONLY;
  int fd = open(cpath, mode | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return error_tuple(env, errno);
  ERL_NIF_TERM res, status = make_fd_resource(env, fd, &res);
  return status == atom_ok ? enif_make_tuple2(env, atom_ok, res) : status;
}

/* pipe() -> {ok, ReadEnd, WriteEnd}: a test helper, a descriptor pair that
 * becomes readable asynchronously (what the select machinery is tested on
 * until libos serves /dev/chan). */
static ERL_NIF_TERM nif_pipe(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc, (void)argv;
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return error_tuple(env, errno);
  ERL_NIF_TERM r, w, status = make_fd_resource(env, fds[0], &r);
  if (status != atom_ok) {
    close(fds[1]);
    return status;
  }
  status = make_fd_resource(env, fds[1], &w);
  return status == atom_ok ? enif_make_tuple3(env, atom_ok, r, w) : status;
}

/* fd_read(Res, Max) -> {ok, Binary} | eof | {error, Posix}: one read() of at
 * most Max bytes (1..65536). */
static ERL_NIF_TERM nif_fd_read(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  unsigned max;
  ERL_NIF_TERM ret;
  if (!enif_get_uint(env, argv[1], &max) || max == 0 || max > MAX_READ_BYTES) return enif_make_badarg(env);
  fb_fd *f = lock_open_fd(env, argv[0], &ret);
  if (f == NULL) return ret;
  ErlNifBinary bin;
  if (!enif_alloc_binary(max, &bin)) {
    enif_mutex_unlock(f->lock);
    return error_tuple(env, ENOMEM);
  }
  ssize_t n = read(f->fd, bin.data, max);
  int err = errno;
  enif_mutex_unlock(f->lock);
  if (n < 0) {
    enif_release_binary(&bin);
    return error_tuple(env, err);
  }
  if (n == 0) {
    enif_release_binary(&bin);
    return atom_eof;
  }
  if ((size_t)n < max) enif_realloc_binary(&bin, (size_t)n);
  return enif_make_tuple2(env, atom_ok, enif_make_binary(env, &bin));
}

/* fd_write(Res, IoData) -> {ok, Written} | {error, Posix}: one write(). */
static ERL_NIF_TERM nif_fd_write(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  ErlNifBinary data;
  ERL_NIF_TERM ret;
  if (!enif_inspect_iolist_as_binary(env, argv[1], &data)) return enif_make_badarg(env);
  fb_fd *f = lock_open_fd(env, argv[0], &ret);
  if (f == NULL) return ret;
  ssize_t n = write(f->fd, data.data, data.size);
  int err = errno;
  enif_mutex_unlock(f->lock);
  if (n < 0) return error_tuple(env, err);
  return enif_make_tuple2(env, atom_ok, enif_make_uint64(env, (uint64_t)n));
}

/* fd_ioctl(Res, Request, Arg :: binary()) -> {ok, Result, Out :: binary()} |
 * {error, Posix}.  The argument buffer is Arg padded with zeros to the size
 * the request encodes (FBDEV_IOC_SIZE); Out is that buffer afterwards.  A
 * request with no size and an empty Arg gets a null argument. */
static ERL_NIF_TERM nif_fd_ioctl(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  unsigned request;
  ErlNifBinary arg;
  ERL_NIF_TERM ret;
  if (!enif_get_uint(env, argv[1], &request) || !enif_inspect_binary(env, argv[2], &arg))
    return enif_make_badarg(env);
  size_t size = FBDEV_IOC_SIZE(request);
  if (arg.size > size) size = arg.size;
  if (size > MAX_IOCTL_BYTES) return enif_make_badarg(env);
  unsigned char buf[MAX_IOCTL_BYTES];
  memset(buf, 0, sizeof buf);
  memcpy(buf, arg.data, arg.size);

  fb_fd *f = lock_open_fd(env, argv[0], &ret);
  if (f == NULL) return ret;
  int result = size > 0 ? ioctl(f->fd, request, buf) : ioctl(f->fd, request, 0);
  int err = errno;
  enif_mutex_unlock(f->lock);
  if (result < 0) return error_tuple(env, err);
  ERL_NIF_TERM out;
  unsigned char *out_data = enif_make_new_binary(env, size, &out);
  if (size > 0) memcpy(out_data, buf, size);
  return enif_make_tuple3(env, atom_ok, enif_make_int(env, result), out);
}

/* fd_bind(Res, Owner, Ch, queue | bare, ReadSize) -> ok: fd_deliver and
 * fd_send send what they read to Owner, as messages about Ch.  Binding
 * again replaces the owner. */
static ERL_NIF_TERM nif_fd_bind(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  ErlNifPid owner;
  unsigned read_size;
  bool bare = enif_is_identical(argv[3], atom_bare);
  if (!enif_get_local_pid(env, argv[1], &owner) || (!bare && !enif_is_identical(argv[3], atom_queue)) ||
      !enif_get_uint(env, argv[4], &read_size) || read_size == 0 || read_size > MAX_READ_BYTES)
    return enif_make_badarg(env);
  ErlNifEnv *ch_env = enif_alloc_env();
  if (ch_env == NULL) return error_tuple(env, ENOMEM);
  ERL_NIF_TERM ret;
  fb_fd *f = lock_open_fd(env, argv[0], &ret);
  if (f == NULL) {
    enif_free_env(ch_env);
    return ret;
  }
  unbind(f);
  f->ch_env = ch_env;
  f->ch = enif_make_copy(ch_env, argv[2]);
  f->owner = owner;
  f->bare = bare;
  f->read_size = read_size;
  enif_mutex_unlock(f->lock);
  return atom_ok;
}

/* Sends {Tag, Ch} or {Tag, Ch, Data} (Data: NULL for the former) to the
 * owner of f (bound, locked). */
static void send_owner(ErlNifEnv *env, fb_fd *f, ERL_NIF_TERM tag, const void *data, size_t len) {
  ErlNifEnv *msg_env = enif_alloc_env();
  if (msg_env == NULL) return;   /* out of memory: erts is about to stop anyway */
  ERL_NIF_TERM ch = enif_make_copy(msg_env, f->ch), msg;
  if (data != NULL) {
    ERL_NIF_TERM bin;
    memcpy(enif_make_new_binary(msg_env, len, &bin), data, len);
    msg = enif_make_tuple3(msg_env, tag, ch, bin);
  } else {
    msg = enif_make_tuple2(msg_env, tag, ch);
  }
  enif_send(env, &f->owner, msg_env, msg);
  enif_free_env(msg_env);
}

/* Reads at most max messages of f (bound, locked) and sends each to the
 * owner; a reset of the peer (ECONNRESET) is sent as {freebeam_reset, Ch}.
 * Returns drained (the device said EAGAIN), more (max were read), eof, or
 * {error, Posix} for anything else (EPROTO: the peer broke the queue; the
 * caller reports it). */
static ERL_NIF_TERM deliver_locked(ErlNifEnv *env, fb_fd *f, unsigned max) {
  unsigned char stack_buf[1024];
  unsigned char *buf = stack_buf;
  if (f->read_size > sizeof stack_buf && (buf = enif_alloc(f->read_size)) == NULL)
    return error_tuple(env, ENOMEM);
  ERL_NIF_TERM result = atom_more;
  for (unsigned i = 0; i < max; i++) {
    ssize_t n = read(f->fd, buf, f->read_size);
    if (n > 0) {
      if (f->bare) send_owner(env, f, atom_freebeam_notify, NULL, 0);
      else send_owner(env, f, atom_freebeam_channel, buf, (size_t)n);
    } else if (n == 0) {
      result = atom_eof;
      break;
    } else if (errno == ECONNRESET) {
      send_owner(env, f, atom_freebeam_reset, NULL, 0);
    } else {
      result = errno == EAGAIN ? atom_drained : error_tuple(env, errno);
      break;
    }
  }
  if (buf != stack_buf) enif_free(buf);
  return result;
}

/* fd_deliver(Res, Max) -> drained | more | eof | {error, Posix}: reads and
 * sends what is pending to the bound owner (badarg when not bound). */
static ERL_NIF_TERM nif_fd_deliver(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  unsigned max;
  ERL_NIF_TERM ret;
  if (!enif_get_uint(env, argv[1], &max) || max == 0) return enif_make_badarg(env);
  fb_fd *f = lock_open_fd(env, argv[0], &ret);
  if (f == NULL) return ret;
  ret = f->ch_env != NULL ? deliver_locked(env, f, max) : enif_make_badarg(env);
  enif_mutex_unlock(f->lock);
  return ret;
}

/* fd_send(Res, IoData, Max) -> {ok, Written, Delivered} | {error, Posix}:
 * one write(), then, when the descriptor is bound, fd_deliver's work for
 * at most Max messages (Delivered is its result, or unbound). */
static ERL_NIF_TERM nif_fd_send(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  ErlNifBinary data;
  unsigned max;
  ERL_NIF_TERM ret;
  if (!enif_inspect_iolist_as_binary(env, argv[1], &data) || !enif_get_uint(env, argv[2], &max) || max == 0)
    return enif_make_badarg(env);
  fb_fd *f = lock_open_fd(env, argv[0], &ret);
  if (f == NULL) return ret;
  ssize_t n = write(f->fd, data.data, data.size);
  int err = errno;
  ERL_NIF_TERM delivered = atom_unbound;
  if (n >= 0 && f->ch_env != NULL) delivered = deliver_locked(env, f, max);
  enif_mutex_unlock(f->lock);
  if (n < 0) return error_tuple(env, err);
  return enif_make_tuple3(env, atom_ok, enif_make_uint64(env, (uint64_t)n), delivered);
}

/* select_read(Res) / select_write(Res) -> {ok, Ref} | {error, Posix | closed}:
 * one {select, Res, Ref, ready_input | ready_output} message to the caller
 * when the descriptor is ready (one-shot: select again after handling it). */
static ERL_NIF_TERM select_for(ErlNifEnv *env, ERL_NIF_TERM arg, enum ErlNifSelectFlags mode) {
  ERL_NIF_TERM ret;
  fb_fd *f = lock_open_fd(env, arg, &ret);
  if (f == NULL) return ret;
  ERL_NIF_TERM ref = enif_make_ref(env);
  int r = enif_select(env, (ErlNifEvent)f->fd, mode, f, NULL, ref);
  enif_mutex_unlock(f->lock);
  if (r < 0) return error_tuple(env, (r & ERL_NIF_SELECT_INVALID_EVENT) ? EBADF : EINVAL);
  return enif_make_tuple2(env, atom_ok, ref);
}

static ERL_NIF_TERM nif_select_read(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  return select_for(env, argv[0], ERL_NIF_SELECT_READ);
}

static ERL_NIF_TERM nif_select_write(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  return select_for(env, argv[0], ERL_NIF_SELECT_WRITE);
}

/* fd_close(Res) -> ok | {error, closed}: cancels any select and closes the
 * descriptor through the stop callback (at once, or when erts has let go
 * of it). */
static ERL_NIF_TERM nif_fd_close(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  ERL_NIF_TERM ret;
  fb_fd *f = lock_open_fd(env, argv[0], &ret);
  if (f == NULL) return ret;
  f->closing = true;
  unbind(f);
  int r = enif_select(env, (ErlNifEvent)f->fd, ERL_NIF_SELECT_STOP, f, NULL, atom_undefined);
  if (r < 0) { /* erts does not know the fd: nothing polls it */
    close(f->fd);
    f->fd = -1;
  }
  enif_mutex_unlock(f->lock);
  return atom_ok;
}

static int load(ErlNifEnv *env, void **priv_data, ERL_NIF_TERM load_info) {
  (void)priv_data, (void)load_info;
  ErlNifResourceTypeInit init = {.dtor = fd_dtor, .stop = fd_stop, .down = NULL};
  fd_type = enif_open_resource_type_x(env, "freebeam_fd", &init, ERL_NIF_RT_CREATE, NULL);
  if (fd_type == NULL) return 1;
  atom_ok = enif_make_atom(env, "ok");
  atom_error = enif_make_atom(env, "error");
  atom_closed = enif_make_atom(env, "closed");
  atom_eof = enif_make_atom(env, "eof");
  atom_undefined = enif_make_atom(env, "undefined");
  atom_read = enif_make_atom(env, "read");
  atom_write = enif_make_atom(env, "write");
  atom_static = enif_make_atom(env, "static");
  atom_version = enif_make_atom(env, "version");
  atom_true = enif_make_atom(env, "true");
  atom_queue = enif_make_atom(env, "queue");
  atom_bare = enif_make_atom(env, "bare");
  atom_drained = enif_make_atom(env, "drained");
  atom_more = enif_make_atom(env, "more");
  atom_unbound = enif_make_atom(env, "unbound");
  atom_freebeam_channel = enif_make_atom(env, "freebeam_channel");
  atom_freebeam_notify = enif_make_atom(env, "freebeam_notify");
  atom_freebeam_reset = enif_make_atom(env, "freebeam_reset");
  return 0;
}

/* fault_for_test(null_write): writes through a NULL pointer, as a buggy NIF
 * would, so that tests can see the BEAM PD fault and its root monitor
 * restart it (docs/native-components.md).  Anything else: badarg. */
static ERL_NIF_TERM nif_fault_for_test(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]) {
  (void)argc;
  char what[16];
  if (!enif_get_atom(env, argv[0], what, sizeof what, ERL_NIF_LATIN1) || strcmp(what, "null_write") != 0)
    return enif_make_badarg(env);
  volatile int *volatile null = NULL;
  *null = 1;
  return atom_ok;
}

static ErlNifFunc nif_funcs[] = {
  {"info", 0, nif_info, 0},
  {"constants", 0, nif_constants, 0},
  {"fd_open", 2, nif_fd_open, 0},
  {"fd_read", 2, nif_fd_read, 0},
  {"fd_write", 2, nif_fd_write, 0},
  {"fd_ioctl", 3, nif_fd_ioctl, 0},
  {"fd_close", 1, nif_fd_close, 0},
  {"fd_bind", 5, nif_fd_bind, 0},
  {"fd_deliver", 2, nif_fd_deliver, 0},
  {"fd_send", 3, nif_fd_send, 0},
  {"select_read", 1, nif_select_read, 0},
  {"select_write", 1, nif_select_write, 0},
  {"pipe", 0, nif_pipe, 0},
  {"fault_for_test", 1, nif_fault_for_test, 0},
};

ERL_NIF_INIT(freebeam_nif, nif_funcs, load, NULL, NULL, NULL)
