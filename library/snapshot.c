/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
#include <sys/file.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
/* How long a launch waits for another that is saving the same snapshot
 * (a boot under TCG on a loaded host) before it boots on its own. */
#define CREATOR_WAIT_MS 120000
#define CREATOR_POLL_US 20000
/* A snapshot no launch has restored for this long goes when another is
 * saved next to it. */
#define UNUSED_FOR_S (24 * 3600)
/* The files of a snapshot directory; part of the key, so that a library
 * that lays them out differently never reads another's. */
#define LAYOUT "state+ram-file"
#define STATE_FILE "state"
#define RAM_FILE "ram"

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

/* CACHEDIR/appliance-HASH/snapshot-KEY, a directory holding the saved
 * device state ("state") and guest RAM ("ram"); caller frees; NULL with
 * errno.  KEY hashes the snapshot machine's command line as a restore
 * runs it (without this launch's socket and fds: memory, vCPUs,
 * accelerator, TSC rate, the appliance's files), the identity of qemu's
 * binary (another qemu may not read the state) and of the appliance's
 * files, the library's version and the layout of the directory. */
static char *
snapshot_path (drydock_h *h, const struct launch_appliance *a)
{
  const struct qemu_opts o = { 1, -1, -1, -1, 0 };
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
  key = fnv1a (key, LAYOUT, sizeof LAYOUT);
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

/* A launched machine's monitor stays open for direct reads (direct.c),
 * until qemu stops. */
static void
keep_monitor (drydock_h *h, struct drydock_qmp *q, int launched)
{
  if (launched == 0)
    h->qmp = q;
  else
    drydock_int_qmp_close (q);
}

/* Starts the snapshot machine on the RAM file ram_fd (written through
 * if shared, else copy-on-write), waiting for a state on incoming_fd
 * unless it is -1, and connects to its monitor.  NULL with the error
 * set. */
static struct drydock_qmp *
start (drydock_h *h, const struct launch_appliance *a, int ram_fd,
       int shared, int incoming_fd, struct launch_phases *ph)
{
  struct qemu_opts o = { 1, -1, incoming_fd, ram_fd, shared };
  int fd = drydock_int_qmp_pair (h, &o.qmp_fd), r;

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

/* qemu's aio mode for the drives' files: DRYDOCK_AIO, else io_uring;
 * NULL (qemu's default, its thread pool) for "threads", or once qemu
 * refused the mode (a kernel or a qemu without io_uring). */
static const char *
drive_aio (drydock_h *h)
{
  const char *v = getenv ("DRYDOCK_AIO");

  if (h->aio_refused)
    return NULL;
  if (v && *v)
    return strcmp (v, "threads") == 0 ? NULL : v;
  return "io_uring";
}

/* Adds drive i's node with the aio mode of drive_aio, or, if qemu
 * refuses that, with qemu's default.  0, or -1 with the error set. */
static int
add_node (drydock_h *h, struct drydock_qmp *q, size_t i)
{
  const char *aio = drive_aio (h);
  CLEANUP_FREE char *args = drydock_int_blockdev_args (h, i, aio);
  CLEANUP_FREE char *refused = NULL;
  int r;

  if (args == NULL) {
    drydock_int_perror (h, "launch");
    return -1;
  }
  if (aio) {
    r = drydock_int_qmp_try (h, q, QMP_TIMEOUT_MS, &refused,
                             "{\"execute\":\"blockdev-add\","
                             "\"arguments\":%s}\n", args);
    if (r != 1) {
      if (r == 0)
        drydock_int_debug (h, "drive %zu: aio %s", i, aio);
      return r;
    }
    drydock_int_debug (h, "drive %zu: aio %s refused (%s): qemu's default "
                       "aio from now on", i, aio, refused);
    h->aio_refused = 1;
    free (args);
    if ((args = drydock_int_blockdev_args (h, i, NULL)) == NULL) {
      drydock_int_perror (h, "launch");
      return -1;
    }
  }
  return drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                          "{\"execute\":\"blockdev-add\",\"arguments\":%s}\n",
                          args);
}

static int
hotplug_drives (drydock_h *h, struct drydock_qmp *q)
{
  h->drives_hotplugged = 1;
  for (size_t i = 0; i < h->n_drives; ++i) {
    int bs = h->drives[i].blocksize ? h->drives[i].blocksize : 512;

    if (add_node (h, q, i) == -1 ||
        drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                         "{\"execute\":\"device_add\",\"arguments\":"
                         "{\"driver\":\"scsi-hd\",\"id\":\"sd%zu\","
                         "\"drive\":\"d%zu\",\"bus\":\"scsi0.0\","
                         "\"channel\":0,\"scsi-id\":%zu,\"lun\":0,"
                         "\"werror\":\"report\",\"rerror\":\"report\","
                         "\"serial\":\"d%zu\",\"logical_block_size\":%d,"
                         "\"physical_block_size\":%d}}\n", i, i, i, i,
                         bs, bs) == -1)
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

/* The guest RAM stays out of the migration stream: it is in the RAM
 * file already (see qemu.c).  Both ends must say so: the stream then
 * carries each RAM block's address instead of its pages. */
static int
ignore_shared_ram (drydock_h *h, struct drydock_qmp *q)
{
  return drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                          "{\"execute\":\"migrate-set-capabilities\","
                          "\"arguments\":{\"capabilities\":[{\"capability\":"
                          "\"x-ignore-shared\",\"state\":true}]}}\n");
}

/* Removes a snapshot directory: renamed away first, so that no launch
 * opens half of it, then emptied.  Launches that opened its files keep
 * them. */
static void
remove_snapshot (int dirfd, const char *name)
{
  char gone[64];
  int fd;

  snprintf (gone, sizeof gone, ".removed-%ld-%lx", (long) getpid (),
            (unsigned long) random ());
  if (renameat (dirfd, name, dirfd, gone) == -1) {
    /* A file of an older layout, or a marker. */
    unlinkat (dirfd, name, 0);
    return;
  }
  fd = openat (dirfd, gone, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0) {
    unlinkat (fd, STATE_FILE, 0);
    unlinkat (fd, RAM_FILE, 0);
    close (fd);
  }
  if (unlinkat (dirfd, gone, AT_REMOVEDIR) == -1)
    unlinkat (dirfd, gone, 0);
}

static void
remove_snapshot_path (const char *path)
{
  CLEANUP_FREE char *dir = strdup (path);
  const char *base = strrchr (path, '/') + 1;
  int fd;

  if (dir == NULL)
    return;
  fd = open (dirname (dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    remove_snapshot (fd, base);
    close (fd);
  }
}

/* Removes the other snapshots of this appliance no launch has used for
 * a day (other memory sizes, an older qemu or layout). */
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
    CLEANUP_FREE char *state = NULL;
    struct stat st;

    if (strncmp (e->d_name, "snapshot-", 9) != 0 ||
        strncmp (e->d_name, base, strlen (base)) == 0 ||
        fstatat (dirfd (d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
      continue;
    /* A restore touches the state file, not the directory. */
    if (S_ISDIR (st.st_mode) &&
        asprintf (&state, "%s/" STATE_FILE, e->d_name) != -1 &&
        fstatat (dirfd (d), state, &st, AT_SYMLINK_NOFOLLOW) == -1)
      continue;
    if (time (NULL) - st.st_mtime >= UNUSED_FOR_S)
      remove_snapshot (dirfd (d), e->d_name);
  }
}

/* Migrates the stopped machine's devices into fd (handed to qemu over
 * QMP). */
static int
migrate_to (drydock_h *h, struct drydock_qmp *q, int fd)
{
  if (drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"stop\"}\n") == -1 ||
      ignore_shared_ram (h, q) == -1 ||
      drydock_int_qmp (h, q, fd, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"getfd\",\"arguments\":"
                       "{\"fdname\":\"snapshot\"}}\n") == -1 ||
      drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"migrate\",\"arguments\":"
                       "{\"uri\":\"fd:snapshot\"}}\n") == -1 ||
      wait_migration (h, q, SAVE_TIMEOUT_MS) == -1)
    return -1;
  return 0;
}

/* Bytes of a file that hold data, not holes. */
static uint64_t
allocated (int fd)
{
  struct stat st;

  return fstat (fd, &st) == 0 ? (uint64_t) st.st_blocks * 512 : 0;
}

/* A new snapshot directory being made: path.tmp-XXXXXX, its RAM file
 * (the guest's memory size, holes until the guest writes), all of it
 * removed by the reaper if this process dies. */
struct draft {
  char *dir;
  int dirfd, ram_fd;
};

static void
draft_discard (struct draft *d)
{
  if (d->ram_fd >= 0)
    close (d->ram_fd);
  if (d->dirfd >= 0) {
    unlinkat (d->dirfd, STATE_FILE, 0);
    unlinkat (d->dirfd, RAM_FILE, 0);
    close (d->dirfd);
  }
  if (d->dir)
    rmdir (d->dir);
  free (d->dir);
  d->dir = NULL;
  d->dirfd = d->ram_fd = -1;
}

/* The guest writes its RAM file through a shared mapping while the
 * machine boots: on a full filesystem a write fault there kills qemu.
 * Room for the whole RAM is asked for, though it stays sparse (about a
 * quarter of it is written). */
static int
enough_room (drydock_h *h, const char *path)
{
  CLEANUP_FREE char *dir = strdup (path);
  struct statvfs sv;

  if (dir == NULL || statvfs (dirname (dir), &sv) == -1)
    return 1;
  if ((uint64_t) sv.f_bavail * sv.f_frsize >= ((uint64_t) h->memsize << 20))
    return 1;
  drydock_int_error_errno (h, ENOSPC, "launch: no room for a snapshot in %s "
                           "(%d MB asked for)", path, h->memsize);
  return 0;
}

static int
draft_new (drydock_h *h, const char *path, struct draft *d)
{
  CLEANUP_FREE char *ram = NULL;

  d->dirfd = d->ram_fd = -1;
  if (!enough_room (h, path))
    return -1;
  if (asprintf (&d->dir, "%s.tmp-XXXXXX", path) == -1) {
    d->dir = NULL;
    drydock_int_perror (h, "launch");
    return -1;
  }
  if (mkdtemp (d->dir) == NULL) {
    drydock_int_perror (h, "launch: %s", d->dir);
    free (d->dir);
    d->dir = NULL;
    return -1;
  }
  drydock_int_reaper_add (h, d->dir);
  if (asprintf (&ram, "%s/" RAM_FILE, d->dir) == -1)
    ram = NULL;
  else
    drydock_int_reaper_add (h, ram);
  d->dirfd = open (d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (ram == NULL || d->dirfd == -1 ||
      (d->ram_fd = openat (d->dirfd, RAM_FILE, O_RDWR | O_CREAT | O_EXCL |
                           O_CLOEXEC, 0600)) == -1 ||
      ftruncate (d->ram_fd, (off_t) h->memsize << 20) == -1) {
    drydock_int_perror (h, "launch: %s", d->dir);
    draft_discard (d);
    return -1;
  }
  return 0;
}

/* Saves the stopped machine into the draft and renames it to path, so a
 * reader sees a whole snapshot or none.  A snapshot another launch saved
 * there meanwhile is kept, and this one dropped (*lost set).  -1 with
 * the error set: only the next launch pays, with a cold boot. */
static int
save (drydock_h *h, struct drydock_qmp *q, struct draft *d, const char *path,
      int *lost, struct launch_phases *ph)
{
  CLEANUP_FREE char *state = NULL;
  struct timespec t;
  int fd, r;

  clock_gettime (CLOCK_MONOTONIC, &t);
  *lost = 0;
  if (asprintf (&state, "%s/" STATE_FILE, d->dir) == -1) {
    drydock_int_perror (h, "launch");
    return -1;
  }
  drydock_int_reaper_add (h, state);
  fd = openat (d->dirfd, STATE_FILE, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
               0600);
  if (fd == -1) {
    drydock_int_perror (h, "launch: %s", state);
    return -1;
  }
  r = migrate_to (h, q, fd);
  /* Durable before it has a name a launch opens: a restore from a state
   * or RAM file a crash left half written would not fail cleanly. */
  if (r == 0 && (fdatasync (fd) == -1 || fdatasync (d->ram_fd) == -1)) {
    drydock_int_perror (h, "launch: %s", d->dir);
    r = -1;
  }
  if (r == 0) {
    ph->saved_bytes = allocated (fd);
    ph->ram_bytes = allocated (d->ram_fd);
  }
  close (fd);
  if (r == 0 && rename (d->dir, path) == -1) {
    if (errno != EEXIST && errno != ENOTEMPTY) {
      drydock_int_perror (h, "launch: %s", path);
      return -1;
    }
    *lost = 1;
  }
  if (r == 0 && !*lost) {
    /* Renamed: nothing left to discard. */
    fsync (d->dirfd);
    close (d->dirfd);
    free (d->dir);
    d->dir = NULL;
    d->dirfd = -1;
  }
  ph->save = drydock_int_elapsed_ms (&t);
  prune (path);
  return r;
}

static int restore (drydock_h *h, const struct launch_appliance *a,
                    int dirfd, struct launch_phases *ph);

static int
open_dir (const char *path)
{
  return open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
}

/* First launch: boot the snapshot machine on a fresh RAM file, save it,
 * then restore it like any later launch would: the booted machine
 * writes through to the RAM file, so it may not go on once the file is
 * the snapshot's.  If saving fails, it goes on unsaved. */
static int
create (drydock_h *h, const struct launch_appliance *a, const char *path,
        struct launch_phases *ph)
{
  struct draft d;
  struct drydock_qmp *q;
  int r, lost, dirfd;

  ph->path = "snapshot created";
  if (draft_new (h, path, &d) == -1)
    return -1;
  q = start (h, a, d.ram_fd, 1, -1, ph);
  if (q == NULL || drydock_int_wait_hello (h, a->kvm, ph) == -1) {
    if (q)
      drydock_int_qmp_close (q);
    draft_discard (&d);
    return -1;
  }
  if (save (h, q, &d, path, &lost, ph) == -1) {
    drydock_int_debug (h, "snapshot not saved: %s", h->last_error);
    ph->path = "snapshot machine, not saved";
    draft_discard (&d);
    r = finish (h, q, ph);
    keep_monitor (h, q, r);
    return r;
  }
  drydock_int_qmp_close (q);
  drydock_int_kill_appliance (h);
  h->state = STATE_LAUNCHING;
  draft_discard (&d);
  if (lost)
    drydock_int_debug (h, "another launch saved %s first: restoring that one",
                       path);
  dirfd = open_dir (path);
  if (dirfd == -1) {
    drydock_int_perror (h, "launch: %s", path);
    return -1;
  }
  r = restore (h, a, dirfd, ph);
  ph->path = "snapshot created";
  return r;
}

/* Restores the snapshot in dirfd (closed here). */
static int
restore (drydock_h *h, const struct launch_appliance *a, int dirfd,
         struct launch_phases *ph)
{
  struct drydock_qmp *q;
  struct timespec t;
  struct stat st;
  int state, ram, r = -1;

  ph->path = "snapshot restore";
  state = openat (dirfd, STATE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  ram = openat (dirfd, RAM_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  close (dirfd);
  if (state == -1 || ram == -1) {
    drydock_int_perror (h, "launch: snapshot");
    goto out;
  }
  /* qemu would grow a short RAM file (share=off never writes it). */
  if (fstat (ram, &st) == -1 || !S_ISREG (st.st_mode) ||
      st.st_size != (off_t) h->memsize << 20) {
    drydock_int_error_errno (h, EINVAL, "launch: snapshot RAM file is not "
                             "%d MiB", h->memsize);
    goto out;
  }
  /* Keeps it from being pruned (see prune). */
  futimens (state, NULL);
  q = start (h, a, ram, 0, state, ph);
  if (q == NULL)
    goto out;
  clock_gettime (CLOCK_MONOTONIC, &t);
  r = ignore_shared_ram (h, q);
  if (r == 0)
    r = drydock_int_qmp (h, q, -1, QMP_TIMEOUT_MS, NULL,
                         "{\"execute\":\"migrate-incoming\",\"arguments\":"
                         "{\"uri\":\"fd:%d\"}}\n", state);
  if (r == 0)
    r = wait_migration (h, q, RESTORE_TIMEOUT_MS);
  ph->restore = drydock_int_elapsed_ms (&t);
  if (r == 0)
    r = finish (h, q, ph);
  keep_monitor (h, q, r);
 out:
  if (state >= 0)
    close (state);
  if (ram >= 0)
    close (ram);
  return r;
}

/* One launch saves a snapshot, the others wait for it: launches that
 * start together on a new appliance would otherwise each boot and save
 * the same machine, at a cold boot's cost in time and memory each.
 * Returns the lock's fd (held; the caller closes it), or -1 if there is
 * no lock to be had (the caller then boots on its own). */
static int
lock_creation (drydock_h *h, const char *path)
{
  CLEANUP_FREE char *lock = NULL;
  struct timespec t;
  int fd, said = 0;

  if (asprintf (&lock, "%s.lock", path) == -1)
    return -1;
  fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd == -1)
    return -1;
  clock_gettime (CLOCK_MONOTONIC, &t);
  while (flock (fd, LOCK_EX | LOCK_NB) == -1) {
    if (errno != EWOULDBLOCK && errno != EINTR)
      break;
    if (!said) {
      drydock_int_debug (h, "another launch is saving %s: waiting for it", path);
      said = 1;
    }
    if (drydock_int_elapsed_ms (&t) > CREATOR_WAIT_MS) {
      drydock_int_debug (h, "gave up waiting for %s after %d s", lock,
                         CREATOR_WAIT_MS / 1000);
      close (fd);
      return -1;
    }
    usleep (CREATOR_POLL_US);
  }
  futimens (fd, NULL);        /* in use: not to be pruned */
  return fd;
}

int
drydock_int_snapshot_launch (drydock_h *h, const struct launch_appliance *a,
                             struct launch_phases *ph)
{
  CLEANUP_FREE char *path = snapshot_path (h, a);
  CLEANUP_CLOSE int lock = -1;
  int dirfd, r;

  if (path == NULL) {
    drydock_int_debug (h, "snapshot launch not tried: %s", strerror (errno));
    return 1;
  }
  if (!enabled (h, path))
    return 1;
  dirfd = open_dir (path);
  if (dirfd == -1 && errno != ENOENT) {
    drydock_int_debug (h, "snapshot launch not tried: %s: %s", path,
                       strerror (errno));
    return 1;
  }
  ph->restore = ph->save = ph->hotplug = ph->attach = ph->hello = 0;
  ph->saved_bytes = ph->ram_bytes = 0;
  if (dirfd == -1) {
    lock = lock_creation (h, path);
    dirfd = open_dir (path);    /* saved while this launch waited? */
  }
  if (dirfd == -1) {
    drydock_int_debug (h, "no snapshot %s yet: booting the machine to save",
                       path);
    r = create (h, a, path, ph);
  }
  else {
    drydock_int_debug (h, "restoring snapshot %s", path);
    r = restore (h, a, dirfd, ph);
  }
  if (r == -1)
    remove_snapshot_path (path);
  return r;
}
