/*
 * release_boot.c - before main: boot the user's release from /data when an
 * update put one there (release_state.h says how the choice is made;
 * docs/storage.md, "Release updates").  A release under /data is a whole
 * OTP root, /data/releases/VSN, as beam/mkroot.sh lays one out, whose boot
 * script is releases/VSN/start.boot.  Booting it changes the description's
 * argv: -root, -boot and -config name it, and the environment's ROOTDIR
 * (and a mix release's RELEASE_ROOT, RELEASE_VSN, RELEASE_SYS_CONFIG);
 * FREEBEAM_RELEASE, FREEBEAM_RELEASE_MODE (permanent or trial) and, on
 * trial, FREEBEAM_RELEASE_PREVIOUS tell Erlang (erlang/src/freebeam_release.erl).
 *
 * Anything wrong (a malformed state file, a missing boot script, a trial
 * whose one-boot state cannot be written first) is said on the console and
 * the image's own release boots: a bad update never bricks the device.
 */
#include "release_state.h"
#include "ext4_fs.h"
#include "file.h"
#include "libos.h"
#include "vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#define STATE_FILE "/data/releases/boot"
#define STATE_NEW "/data/releases/boot.new"
#define PATH_MAX_RB 160

static char root_arg[PATH_MAX_RB], boot_arg[PATH_MAX_RB], config_arg[PATH_MAX_RB];
static char rootdir_env[PATH_MAX_RB + 8], relroot_env[PATH_MAX_RB + 16], relsys_env[PATH_MAX_RB + 24];
static char relvsn_env[RELEASE_VSN_MAX + 16];
static char vsn_env[RELEASE_VSN_MAX + 20], prev_env[RELEASE_VSN_MAX + 30];

static void say(const char *a, const char *b, const char *c)
{
    libos_puts("libos: release: ");
    libos_puts(a);
    libos_puts(b);
    libos_puts(c);
    libos_puts("\n");
}

static void cat3(char *dst, size_t cap, const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    if (la + lb + lc + 1 > cap) {       /* cannot happen: names are at most 64 bytes */
        dst[0] = 0;
        return;
    }
    memcpy(dst, a, la);
    memcpy(dst + la, b, lb);
    memcpy(dst + la + lb, c, lc + 1);
}

/* The state file's bytes: their length, -ENOENT (no file), or another -errno
 * (-EFBIG when longer than RELEASE_STATE_MAX). */
static long read_state(char *buf)
{
    struct file *f;
    int r = vfs_open(AT_FDCWD, STATE_FILE, O_RDONLY, 0, &f);
    if (r < 0)
        return r;
    long n = 0, got;
    while ((got = f->ops->read ? f->ops->read(f, buf + n, RELEASE_STATE_MAX + 1 - (size_t)n) : -EINVAL) > 0)
        if ((n += got) > RELEASE_STATE_MAX)
            break;
    libos_file_put(f);
    return got < 0 ? got : n > RELEASE_STATE_MAX ? -EFBIG : n;
}

/* *st written as the state file: a new file, synced, renamed over the old
 * one, synced again.  0 or -errno. */
static int write_state(const struct release_state *st)
{
    char buf[RELEASE_STATE_MAX + 1];
    int len = release_state_format(st, buf, sizeof buf);
    if (len < 0)
        return -EINVAL;
    struct file *f;
    int r = vfs_open(AT_FDCWD, STATE_NEW, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);
    if (r < 0)
        return r;
    long w = f->ops->write ? f->ops->write(f, buf, (size_t)len) : -EINVAL;
    long s = w == len && f->ops->fsync ? f->ops->fsync(f) : 0;
    libos_file_put(f);
    if (w != len)
        return w < 0 ? (int)w : -EIO;
    if (s < 0)
        return (int)s;
    r = vfs_rename(AT_FDCWD, STATE_NEW, AT_FDCWD, STATE_FILE);
    if (r < 0)
        return r;
    /* The rename on the disk too: an fsync of /data writes all its metadata. */
    r = vfs_open(AT_FDCWD, STATE_FILE, O_RDONLY, 0, &f);
    if (r < 0)
        return r;
    s = f->ops->fsync ? f->ops->fsync(f) : -EIO;
    libos_file_put(f);
    return (int)s;
}

static int find_arg(const char **argv, size_t n, const char *name)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (strcmp(argv[i], name) == 0)
            return (int)i + 1;
    return -1;
}

/* Does /data/releases/VSN hold a boot script?  Says so if not. */
static int bootable(const char *vsn)
{
    char script[PATH_MAX_RB];
    cat3(script, sizeof script, "/data/releases/", vsn, "/releases/");
    cat3(script + strlen(script), sizeof script - strlen(script), vsn, "/start.boot", "");
    struct libos_stat sb;
    if (vfs_stat(AT_FDCWD, script, &sb) == 0)
        return 1;
    say("no ", script, "; that release does not boot");
    return 0;
}

/* argv and envs changed to boot /data/releases/VSN (bootable). */
static void boot_from(const char *vsn, const char *previous, const char **argv, size_t *n_argv,
                      int i_root, int i_boot, int i_config, const char **envs, size_t *n_envp)
{
    cat3(root_arg, sizeof root_arg, "/data/releases/", vsn, "");
    cat3(boot_arg, sizeof boot_arg, root_arg, "/releases/", vsn);
    cat3(config_arg, sizeof config_arg, boot_arg, "/sys", "");
    cat3(boot_arg + strlen(boot_arg), sizeof boot_arg - strlen(boot_arg), "/start", "", "");
    argv[i_root] = root_arg;
    argv[i_boot] = boot_arg;
    char config_file[PATH_MAX_RB + 8];
    cat3(config_file, sizeof config_file, config_arg, ".config", "");
    struct libos_stat sb;
    if (vfs_stat(AT_FDCWD, config_file, &sb) == 0) {
        if (i_config >= 0) {
            argv[i_config] = config_arg;
        } else {
            argv[(*n_argv)++] = "-config";
            argv[(*n_argv)++] = config_arg;
        }
    }
    /* What names the image's root names the release's: erts's ROOTDIR and,
     * for a mix release, what its start script would set (Elixir's
     * Config.Provider reads RELEASE_ROOT; tools/erlang/src/fb_release.erl). */
    for (size_t i = 0; i < *n_envp; i++)
        if (strncmp(envs[i], "ROOTDIR=", 8) == 0) {
            cat3(rootdir_env, sizeof rootdir_env, "ROOTDIR=", root_arg, "");
            envs[i] = rootdir_env;
        } else if (strncmp(envs[i], "RELEASE_ROOT=", 13) == 0) {
            cat3(relroot_env, sizeof relroot_env, "RELEASE_ROOT=", root_arg, "");
            envs[i] = relroot_env;
        } else if (strncmp(envs[i], "RELEASE_VSN=", 12) == 0) {
            cat3(relvsn_env, sizeof relvsn_env, "RELEASE_VSN=", vsn, "");
            envs[i] = relvsn_env;
        } else if (strncmp(envs[i], "RELEASE_SYS_CONFIG=", 19) == 0) {
            cat3(relsys_env, sizeof relsys_env, "RELEASE_SYS_CONFIG=", config_arg, "");
            envs[i] = relsys_env;
        }
    cat3(vsn_env, sizeof vsn_env, "FREEBEAM_RELEASE=", vsn, "");
    envs[(*n_envp)++] = vsn_env;
    if (previous) {
        envs[(*n_envp)++] = "FREEBEAM_RELEASE_MODE=trial";
        cat3(prev_env, sizeof prev_env, "FREEBEAM_RELEASE_PREVIOUS=", previous, "");
        envs[(*n_envp)++] = prev_env;
        say(vsn, " boots from /data on trial; unless it confirms, the next boot runs ", previous);
    } else {
        envs[(*n_envp)++] = "FREEBEAM_RELEASE_MODE=permanent";
        say(vsn, " boots from /data (permanent)", "");
    }
}

void libos_release_boot(const char **argv, size_t *n_argv, size_t max_argv,
                        const char **envs, size_t *n_envp, size_t max_envp)
{
    if (!ext4_mounted())
        return;
    char text[RELEASE_STATE_MAX + 2];
    long len = read_state(text);
    if (len == -ENOENT || len == -ENOTDIR)
        return;                         /* no update was ever placed */
    struct release_state st, after;
    if (len < 0 || release_state_parse(text, (size_t)len, &st) < 0) {
        say(STATE_FILE, " is malformed", "; the image's release boots");
        return;
    }
    enum release_pick pick = release_state_pick(&st, &after);
    if (pick == RELEASE_FACTORY)
        return;
    int i_root = find_arg(argv, *n_argv, "-root"), i_boot = find_arg(argv, *n_argv, "-boot");
    int i_config = find_arg(argv, *n_argv, "-config");
    if (i_root < 0 || i_boot < 0 || (i_config < 0 && *n_argv + 2 > max_argv) || *n_envp + 3 > max_envp) {
        say("the image's arguments have no -root or -boot", "", "; releases on /data are not used");
        return;
    }
    if (pick == RELEASE_TRIAL) {
        /* The one-boot rule: the state without `try` is on the disk before
         * the trial runs.  If it cannot be written, no trial. */
        int r = write_state(&after);
        if (r < 0)
            libos_log_num("libos: release: cannot write " STATE_FILE " before a trial, so no trial; error",
                          (unsigned long)-r);
        else if (bootable(st.trial)) {
            boot_from(st.trial, st.permanent[0] ? st.permanent : "factory", argv, n_argv, i_root, i_boot,
                      i_config, envs, n_envp);
            return;
        }
    }
    if (!st.permanent[0])
        return;
    if (bootable(st.permanent))
        boot_from(st.permanent, NULL, argv, n_argv, i_root, i_boot, i_config, envs, n_envp);
    else
        say("the image's release boots", "", "");
}
