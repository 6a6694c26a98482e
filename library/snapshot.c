/* Launching from a snapshot.  Restoring a saved, already booted
 * appliance from a qemu migration file takes a fraction of a cold boot's
 * time and memory under TCG (appliance/README.md), but the user's drives
 * differ on every launch, so they cannot be in the saved state.  The
 * machine that is saved has none, only an empty virtio-scsi controller
 * (qemu.c); after the restore each drive is hot-added over QMP (qmp.c)
 * as a SCSI disk with the serial dN, and the internal attach call makes
 * the daemon find them and set its clock (daemon/snapshot.c).
 *
 * The first launch of an appliance boots that machine cold, saves it
 * once the daemon has said hello, and goes on with the same qemu.  The
 * file lives in the appliance's cache directory (removed with it) and is
 * named by a hash of everything that must match for a restore.  Any
 * failure removes the file and the caller boots cold; a snapshot path
 * that fails where a cold boot works is left alone for ten minutes. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"

#define QMP_TIMEOUT_MS 10000
/* Loading the state: ~0.15 s for ~80 MB; generous for a loaded host. */
#define RESTORE_TIMEOUT_MS 30000
#define SAVE_TIMEOUT_MS 120000
/* The daemon gives up on the disks after 5 s and says so. */
#define ATTACH_TIMEOUT_MS 15000
#define MIGRATE_POLL_US 2000
/* virtio-scsi targets */
#define MAX_DRIVES 255
#define FAILED_FOR_S 600
/* A snapshot no launch has restored for this long goes when another is
 * saved next to it. */
#define UNUSED_FOR_S (24 * 3600)

static uint64_t
fnv1a (uint64_t hash, const void *p, size_t n)
{
  const unsigned char *c = p;

  for (size_t i = 0; i < n; ++i) {
    hash ^= c[i];
    hash *= UINT64_C(0x100000001b3);
  }
  return hash;
}

/* KEY extended with what tells one file from another: device, inode,
 * size and modification time. */
static uint64_t
file_identity (uint64_t key, const struct stat *st)
{
  uint64_t id[4];

  id[0] = st->st_dev;
  id[1] = st->st_ino;
  id[2] = (uint64_t) st->st_size;
  id[3] = (uint64_t) st->st_mtim.tv_sec * 1000000000 + (uint64_t) st->st_mtim.tv_nsec;
  return fnv1a (key, id, sizeof id);
}

/* qemu's binary, found as execvp would. */
static int
stat_program (const char *name, struct stat *st)
{
  const char *path = getenv ("PATH");

  if (strchr (name, '/'))
    return stat (name, st);
  for (const char *p = path ? path : "/usr/bin:/bin"; *p; ) {
    size_t n = strcspn (p, ":");
    CLEANUP_FREE char *f = NULL;

    if (asprintf (&f, "%.*s/%s", (int) n, p, name) != -1 && stat (f, st) == 0)
      return 0;
    f = NULL;
    p += n + (p[n] == ':');
  }
  errno = ENOENT;
  return -1;
}

/* CACHEDIR/appliance-HASH/snapshot-KEY (caller frees), or NULL with
 * errno.  KEY hashes the snapshot machine's command line (without this
 * launch's socket and fds: memory, vCPUs, accelerator, TSC rate, the
 * appliance's files), the identity of qemu's binary (another qemu may
 * not read the state) and of the appliance's files, and the library's
 * version. */
static char *
snapshot_path (drydock_h *h, const struct launch_appliance *a)
{
  const struct qemu_opts o = { 1, -1, -1 };
  CLEANUP_FREE_STRING_LIST char **argv =
    drydock_int_qemu_argv (h, a->kernel, a->initrd, a->root, "SOCKET",
                           a->kvm, &o);
  CLEANUP_FREE char *dir = strdup (a->kernel);
  uint64_t key = UINT64_C(0xcbf29ce484222325);
  struct stat st;
  char *path;

  if (argv == NULL || dir == NULL || stat_program (argv[0], &st) == -1)
    return NULL;
  for (size_t i = 0; argv[i]; ++i)
    key = fnv1a (key, argv[i], strlen (argv[i]) + 1);
  key = file_identity (key, &st);
  /* The appliance's files by identity, not only by name: a directory
   * evicted by another build tree and rebuilt under the same name holds
   * new files (the root image is not byte-reproducible), and a state
   * saved from the old ones would restore a page cache that does not
   * match the new root image. */
  const char *files[] = { a->kernel, a->initrd, a->root };
  for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
    if (files[i] == NULL)
      continue;
    if (stat (files[i], &st) == -1)
      return NULL;
    key = file_identity (key, &st);
  }
  key = fnv1a (key, PACKAGE_VERSION, sizeof PACKAGE_VERSION);
  if (asprintf (&path, "%s/snapshot-%016" PRIx64, dirname (dir), key) == -1)
    return NULL;
  return path;
}

static char *
marker_path (const char *path)
{
  char *m;

  return asprintf (&m, "%s.failed", path) == -1 ? NULL : m;
}

/* 1 if the snapshot path may be tried; else says why (debug). */
static int
enabled (drydock_h *h, const char *path)
{
  const char *env = getenv ("DRYDOCK_SNAPSHOT");
  CLEANUP_FREE char *marker = marker_path (path);
  struct stat st;

  if (env && strcmp (env, "0") == 0) {
    drydock_int_debug (h, "snapshot launch disabled by DRYDOCK_SNAPSHOT=0");
    return 0;
  }
  if (h->n_drives > MAX_DRIVES) {
    drydock_int_debug (h, "snapshot launch not tried: more than %d drives",
                       MAX_DRIVES);
    return 0;
  }
  if (marker && stat (marker, &st) == 0 &&
      time (NULL) - st.st_mtime < FAILED_FOR_S) {
    drydock_int_debug (h, "snapshot launch not tried: it failed where a cold "
                       "boot worked less than %d minutes ago (%s)",
                       FAILED_FOR_S / 60, marker);
    return 0;
  }
  return 1;
}

void
drydock_int_snapshot_failed (drydock_h *h, const struct launch_appliance *a)
{
  CLEANUP_FREE char *path = snapshot_path (h, a);
  CLEANUP_FREE char *marker = path ? marker_path (path) : NULL;
  int fd;

  if (marker == NULL)
    return;
  fd = open (marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd >= 0)
    close (fd);
}

/* A socketpair for QMP: returns the library's end, *qemu_fd is qemu's. */
static int
qmp_pair (drydock_h *h, int *qemu_fd)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
    drydock_int_perror (h, "launch: socketpair");
    return -1;
  }
  *qemu_fd = sv[1];
  return sv[0];
}

/* Starts the snapshot machine (restoring incoming_fd unless it is -1)
 * and connects to its monitor.  NULL with the error set. */
static struct drydock_qmp *
start (drydock_h *h, const struct launch_appliance *a, int incoming_fd,
       struct launch_phases *ph)
{
  struct qemu_opts o = { 1, -1, incoming_fd };
  int fd = qmp_pair (h, &o.qmp_fd), r;

  if (fd == -1)
    return NULL;
  r = drydock_int_start_appliance (h, a, &o, ph);
  close (o.qmp_fd);
  if (r == -1) {
    close (fd);
    return NULL;
  }
  return drydock_int_qmp_open (h, fd, QMP_TIMEOUT_MS);
}

/* Waits for the migration (out to a file, or in from one) to end.
 * While a state loads from a file qemu answers nothing, so this mostly
 * waits for the first reply. */
static int
wait_migration (drydock_h *h, struct drydock_qmp *q, int timeout_ms)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  for (;;) {
    CLEANUP_FREE char *reply = NULL, *status = NULL;
    int left = timeout_ms - (int) drydock_int_elapsed_ms (&t);

    if (left <= 0) {
      drydock_int_error_errno (h, ETIMEDOUT, "launch: the snapshot migration "
                               "did not end in %d s", timeout_ms / 1000);
      return -1;
    }
    if (drydock_int_qmp (h, q, -1, left, &reply,
                         "{\"execute\":\"query-migrate\"}\n") == -1)
      return -1;
    status = drydock_int_json_field (reply, "status");
    if (status && strcmp (status, "completed") == 0)
      return 0;
    if (status && (strcmp (status, "failed") == 0 ||
                   strcmp (status, "cancelled") == 0)) {
      CLEANUP_FREE char *desc = drydock_int_json_field (reply, "error-desc");
      drydock_int_error_errno (h, EIO, "launch: snapshot migration %s%s%s",
                               status, desc ? ": " : "", desc ? desc : "");
      return -1;
    }
    usleep (MIGRATE_POLL_US);
  }
}

static int
hotplug_drives (drydock_h *h, struct drydock_qmp *q)
{
  for (size_t i = 0; i < h->n_drives; ++i) {
    CLEANUP_FREE char *args = drydock_int_blockdev_args (h, i);

    if (args == NULL) {
      drydock_int_perror (h, "launch");
      return -1;
    }
    if (drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                         "{\"execute\":\"blockdev-add\",\"arguments\":%s}\n",
                         args) == -1 ||
        drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                         "{\"execute\":\"device_add\",\"arguments\":"
                         "{\"driver\":\"scsi-hd\",\"id\":\"sd%zu\","
                         "\"drive\":\"d%zu\",\"bus\":\"scsi0.0\","
                         "\"channel\":0,\"scsi-id\":%zu,\"lun\":0,"
                         "\"serial\":\"d%zu\"}}\n", i, i, i, i) == -1)
      return -1;
  }
  return 0;
}

/* The internal attach call: the daemon finds the drives and takes the
 * host's clock and fresh entropy.  Not traced: the entropy has no place
 * in a log, and a launch traces the same whichever way it went. */
static int
attach (drydock_h *h)
{
  unsigned char rnd[32];
  char hex[2 * sizeof rnd + 1] = "";
  struct timespec now;
  int saved = h->call_timeout_ms, trace = h->trace, r;

  if (getrandom (rnd, sizeof rnd, GRND_NONBLOCK) == (ssize_t) sizeof rnd)
    for (size_t i = 0; i < sizeof rnd; ++i)
      snprintf (hex + 2 * i, 3, "%02x", rnd[i]);
  clock_gettime (CLOCK_REALTIME, &now);
  h->state = STATE_READY;
  h->call_timeout_ms = ATTACH_TIMEOUT_MS;
  h->trace = 0;
  r = drydock_int_attach_drives (h, (int) h->n_drives,
                                 (int64_t) now.tv_sec * 1000000000 + now.tv_nsec,
                                 h->verbose, hex);
  h->trace = trace;
  h->call_timeout_ms = saved;
  if (r == -1 && h->state == STATE_READY)
    h->state = STATE_LAUNCHING;
  return r;
}

/* The machine holds a booted appliance (restored, or just saved): run
 * it, add the drives, let the daemon find them. */
static int
finish (drydock_h *h, struct drydock_qmp *q, struct launch_phases *ph)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  if (drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"cont\"}\n") == -1 ||
      hotplug_drives (h, q) == -1)
    return -1;
  ph->hotplug = drydock_int_elapsed_ms (&t);
  clock_gettime (CLOCK_MONOTONIC, &t);
  if (attach (h) == -1)
    return -1;
  ph->attach = drydock_int_elapsed_ms (&t);
  return 0;
}

/* Removes the other snapshots of this appliance no launch has used for
 * a day (other memory sizes, an older qemu). */
static void
prune (const char *path)
{
  CLEANUP_FREE char *dir = strdup (path);
  const char *base = strrchr (path, '/') + 1;
  CLEANUP_CLOSEDIR DIR *d = NULL;
  struct dirent *e;

  if (dir == NULL || (d = opendir (dirname (dir))) == NULL)
    return;
  while ((e = readdir (d)) != NULL) {
    struct stat st;

    if (strncmp (e->d_name, "snapshot-", 9) != 0 ||
        strncmp (e->d_name, base, strlen (base)) == 0 ||
        fstatat (dirfd (d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
        time (NULL) - st.st_mtime < UNUSED_FOR_S)
      continue;
    unlinkat (dirfd (d), e->d_name, 0);
  }
}

/* Migrates the stopped machine into fd (handed to qemu over QMP). */
static int
migrate_to (drydock_h *h, struct drydock_qmp *q, int fd)
{
  if (drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"stop\"}\n") == -1 ||
      drydock_int_qmp (h, q, fd, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"getfd\",\"arguments\":"
                       "{\"fdname\":\"snapshot\"}}\n") == -1 ||
      drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"migrate\",\"arguments\":"
                       "{\"uri\":\"fd:snapshot\"}}\n") == -1 ||
      wait_migration (h, q, SAVE_TIMEOUT_MS) == -1)
    return -1;
  if (fdatasync (fd) == -1) {
    drydock_int_perror (h, "launch: snapshot");
    return -1;
  }
  return 0;
}

/* Saves the machine into path: a temporary file renamed into place, so
 * concurrent launches each write their own and a reader sees a whole
 * file.  Failing here only costs the next launch a cold boot: -1 with
 * the error set, nothing left behind. */
static int
save (drydock_h *h, struct drydock_qmp *q, const char *path,
      struct launch_phases *ph)
{
  CLEANUP_FREE char *tmp = NULL;
  struct timespec t;
  struct stat st;
  int fd, r;

  clock_gettime (CLOCK_MONOTONIC, &t);
  if (asprintf (&tmp, "%s.tmp-XXXXXX", path) == -1) {
    tmp = NULL;
    drydock_int_perror (h, "launch");
    return -1;
  }
  fd = mkostemp (tmp, O_CLOEXEC);
  if (fd == -1) {
    drydock_int_perror (h, "launch: %s", tmp);
    return -1;
  }
  drydock_int_reaper_add (h, tmp);
  r = migrate_to (h, q, fd);
  if (r == 0 && fstat (fd, &st) == 0)
    ph->saved_bytes = (uint64_t) st.st_size;
  close (fd);
  if (r == 0 && rename (tmp, path) == -1) {
    drydock_int_perror (h, "launch: %s", path);
    r = -1;
  }
  if (r == -1) {
    unlink (tmp);
    return -1;
  }
  ph->save = drydock_int_elapsed_ms (&t);
  prune (path);
  return 0;
}

/* First launch: boot the snapshot machine, save it, go on with it. */
static int
create (drydock_h *h, const struct launch_appliance *a, const char *path,
        struct launch_phases *ph)
{
  struct drydock_qmp *q;
  int r;

  ph->path = "snapshot created";
  q = start (h, a, -1, ph);
  if (q == NULL)
    return -1;
  if (drydock_int_wait_hello (h, a->kvm, ph) == -1) {
    drydock_int_qmp_close (q);
    return -1;
  }
  if (save (h, q, path, ph) == -1) {
    drydock_int_debug (h, "snapshot not saved: %s", h->last_error);
    ph->path = "snapshot machine, not saved";
  }
  r = finish (h, q, ph);
  drydock_int_qmp_close (q);
  return r;
}

static int
restore (drydock_h *h, const struct launch_appliance *a, int fd,
         struct launch_phases *ph)
{
  struct drydock_qmp *q;
  struct timespec t;
  int r;

  ph->path = "snapshot restore";
  /* Keeps it from being pruned (see prune). */
  futimens (fd, NULL);
  q = start (h, a, fd, ph);
  close (fd);
  if (q == NULL)
    return -1;
  clock_gettime (CLOCK_MONOTONIC, &t);
  r = wait_migration (h, q, RESTORE_TIMEOUT_MS);
  ph->restore = drydock_int_elapsed_ms (&t);
  if (r == 0)
    r = finish (h, q, ph);
  drydock_int_qmp_close (q);
  return r;
}

int
drydock_int_snapshot_launch (drydock_h *h, const struct launch_appliance *a,
                             struct launch_phases *ph)
{
  CLEANUP_FREE char *path = snapshot_path (h, a);
  int fd, r;

  if (path == NULL) {
    drydock_int_debug (h, "snapshot launch not tried: %s", strerror (errno));
    return 1;
  }
  if (!enabled (h, path))
    return 1;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1 && errno != ENOENT) {
    drydock_int_debug (h, "snapshot launch not tried: %s: %s", path,
                       strerror (errno));
    return 1;
  }
  ph->restore = ph->save = ph->hotplug = ph->attach = 0;
  ph->saved_bytes = 0;
  if (fd == -1) {
    drydock_int_debug (h, "no snapshot %s yet: booting the machine to save",
                       path);
    r = create (h, a, path, ph);
  }
  else {
    drydock_int_debug (h, "restoring snapshot %s", path);
    r = restore (h, a, fd, ph);
  }
  if (r == -1)
    unlink (path);
  return r;
}
