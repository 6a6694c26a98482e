/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: the cache directory.  Owns its layout:
 *
 *   CACHEDIR/lock                     flock()ed around build + stamp
 *   CACHEDIR/stamp                    inputs' stat tuples -> hash
 *   CACHEDIR/appliance-HASH/vmlinux   (hard link to vmlinux-KHASH)
 *   CACHEDIR/appliance-HASH/initrd
 *   CACHEDIR/appliance-HASH/root.img  (hard link to root-RHASH.img)
 *   CACHEDIR/vmlinux-KHASH            shared by rebuilds of one kernel
 *   CACHEDIR/root-RHASH.img           shared by rebuilds for a new daemon
 *   CACHEDIR/tmp-XXXXXX/              a build in progress
 *
 * The stamp lets the common case (nothing changed) answer from stat()
 * calls alone, without reading the ~50 MB of inputs.
 */

#include "make-appliance.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

int
cache_prepare_dir (const char *cachedir)
{
  struct stat st;

  if (mkdir_p (cachedir, 0700) == -1)
    return -1;
  if (stat (cachedir, &st) == -1) {
    error_set_errno (cachedir, errno);
    return -1;
  }
  if (!S_ISDIR (st.st_mode)) {
    error_set (cachedir, _("not a directory"));
    return -1;
  }
  if (st.st_uid != geteuid ()) {
    error_set (cachedir, _("the cache directory is not owned by the current "
                           "user (uid %d); choose another with --cachedir "
                           "or DRYDOCK_CACHEDIR"), (int) geteuid ());
    return -1;
  }
  return 0;
}

char *
cache_appliance_dir (const struct config *cfg, const struct result *res)
{
  return xasprintf ("%s/appliance-%s", cfg->cachedir, res->hash);
}

/* Everything that selects the inputs, so that another daemon or
 * kernel does not match this stamp.
 */
static char *
stamp_header (const struct config *cfg)
{
  return xasprintf ("%s\n"
                    "daemon %s\nkernel %s\ncontents %s\nmodules %s\n"
                    "lvmconf %s\n",
                    APPLIANCE_FORMAT, cfg->daemon, cfg->kernel, cfg->contents,
                    cfg->modules, cfg->lvmconf);
}

static bool
read_hash_line (const char **p, const char *key, char out[65])
{
  size_t klen = strlen (key);
  size_t len;

  if (strncmp (*p, key, klen) != 0 || (*p)[klen] != ' ')
    return false;
  *p += klen + 1;
  len = strspn (*p, "0123456789abcdef");
  if (len < 32 || len > 64 || (*p)[len] != '\n')
    return false;
  memcpy (out, *p, len);
  out[len] = '\0';
  *p += len + 1;
  return true;
}

/* One "input DEV INO SIZE MTIME_NS CTIME_NS HASH PATH" line at *P. */
static bool
parse_input_line (const char **p, struct input *in, char path[PATH_MAX])
{
  const char *nl = strchr (*p, '\n');
  int n = 0;

  if (nl == NULL ||
      sscanf (*p, "input %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNd64
              " %" SCNd64 " %64s %n", &in->dev, &in->ino, &in->size,
              &in->mtime_ns, &in->ctime_ns, in->hash, &n) != 6 || n == 0 ||
      *p + n > nl || (size_t) (nl - (*p + n)) >= PATH_MAX)
    return false;
  memcpy (path, *p + n, nl - (*p + n));
  path[nl - (*p + n)] = '\0';
  if (strcmp (in->hash, "-") == 0)
    in->hash[0] = '\0';
  *p = nl + 1;
  return true;
}

/* All the input lines must parse, and match the files as they are. */
static bool
inputs_unchanged (const char *p, size_t *count)
{
  *count = 0;
  while (*p) {
    struct input want, have;
    char path[PATH_MAX];
    if (!parse_input_line (&p, &want, path))
      return false;
    if (input_stat (path, &have) == -1 || !input_equal (&want, &have)) {
      verbose_msg ("stamp miss: %s changed", path);
      error_clear ();
      return false;
    }
    ++*count;
  }
  return true;
}

void
cache_stamp_load_inputs (const struct config *cfg, struct input_vector *prev)
{
  CLEANUP_FREE char *path = xasprintf ("%s/stamp", cfg->cachedir);
  CLEANUP_FREE char *text = NULL;
  const char *p;

  if (access (path, F_OK) == -1)
    return;
  if ((text = read_text_file (path, NULL)) == NULL) {
    error_clear ();
    return;
  }
  if ((p = strstr (text, "\ninput ")) == NULL)
    return;
  for (p++; *p; ) {
    struct input in;
    char file[PATH_MAX];
    if (!parse_input_line (&p, &in, file))
      break;
    in.path = xstrdup (file);
    if (input_vector_append (prev, in) == -1)
      out_of_memory ();
  }
}

bool
cache_appliance_complete (const char *dir)
{
  CLEANUP_FREE char *kernel = xasprintf ("%s/vmlinux", dir);
  CLEANUP_FREE char *initrd = xasprintf ("%s/initrd", dir);
  CLEANUP_FREE char *root = xasprintf ("%s/root.img", dir);

  return access (kernel, R_OK) == 0 && access (initrd, R_OK) == 0 &&
    access (root, R_OK) == 0;
}

int
cache_stamp_check (const struct config *cfg, struct result *res)
{
  CLEANUP_FREE char *path = xasprintf ("%s/stamp", cfg->cachedir);
  CLEANUP_FREE char *header = stamp_header (cfg);
  CLEANUP_FREE char *text = NULL, *dir = NULL;
  const char *p;
  size_t count;

  if (access (path, F_OK) == -1)
    return 0;
  if ((text = read_text_file (path, NULL)) == NULL) {
    error_clear ();
    return 0;
  }
  if (strncmp (text, header, strlen (header)) != 0) {
    verbose_msg ("stamp miss: different daemon, kernel, data files or format");
    return 0;
  }
  p = text + strlen (header);
  if (!read_hash_line (&p, "hash", res->hash) ||
      !read_hash_line (&p, "kernel-hash", res->kernel_hash) ||
      !read_hash_line (&p, "root-hash", res->root_hash) ||
      !inputs_unchanged (p, &count))
    return 0;
  dir = cache_appliance_dir (cfg, res);
  if (!cache_appliance_complete (dir)) {
    verbose_msg ("stamp miss: %s is gone", dir);
    return 0;
  }
  verbose_msg ("stamp hit: %zu inputs unchanged, using %s", count, dir);
  return 1;
}

int
cache_stamp_write (const struct config *cfg, const struct result *res)
{
  CLEANUP_FREE char *path = xasprintf ("%s/stamp", cfg->cachedir);
  CLEANUP_FREE char *header = stamp_header (cfg);
  CLEANUP_FREE char *text = NULL;
  size_t len;
  FILE *fp;

  if (strchr (cfg->daemon, '\n') || strchr (cfg->kernel, '\n') ||
      strchr (cfg->contents, '\n') || strchr (cfg->modules, '\n') ||
      strchr (cfg->lvmconf, '\n')) {
    verbose_msg ("not writing a stamp: a path contains a newline");
    return 0;
  }
  fp = open_memstream (&text, &len);
  if (fp == NULL)
    abort ();
  fprintf (fp, "%shash %s\nkernel-hash %s\nroot-hash %s\n", header,
           res->hash, res->kernel_hash, res->root_hash);
  for (size_t i = 0; i < res->inputs.len; ++i) {
    const struct input *in = &res->inputs.ptr[i];
    if (strchr (in->path, '\n')) {
      fclose (fp);
      verbose_msg ("not writing a stamp: an input path contains a newline");
      return 0;
    }
    fprintf (fp, "input %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64
             " %" PRId64 " %s %s\n", in->dev, in->ino, in->size, in->mtime_ns,
             in->ctime_ns, in->hash[0] ? in->hash : "-", in->path);
  }
  fclose (fp);
  return write_file_atomic (path, text, len);
}

int
cache_lock (const char *cachedir)
{
  CLEANUP_FREE char *path = xasprintf ("%s/lock", cachedir);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    return fd;
  verbose_msg ("waiting for another build to finish (%s)", path);
  while (flock (fd, LOCK_EX) == -1) {
    if (errno != EINTR) {
      error_set_errno (path, errno);
      close (fd);
      return -1;
    }
  }
  return fd;
}

char *
cache_shared_root (const struct config *cfg, const struct result *res)
{
  return xasprintf ("%s/root-%s.img", cfg->cachedir, res->root_hash);
}

#define KEEP_USED_S 3600

static bool
is_stale (const char *name, const struct result *res)
{
  if (strncmp (name, "tmp-", 4) == 0)
    return true;
  if (strncmp (name, "appliance-", 10) == 0)
    return strcmp (name + 10, res->hash) != 0;
  if (strncmp (name, "vmlinux-", 8) == 0)
    return strcmp (name + 8, res->kernel_hash) != 0;
  if (strncmp (name, "root-", 5) == 0)
    return strncmp (name + 5, res->root_hash, strlen (res->root_hash)) != 0 ||
      strcmp (name + 5 + strlen (res->root_hash), ".img") != 0;
  return false;
}

/* An appliance directory a launch used within the hour (the library
 * touches it at every launch) stays: it is another build tree's, whose
 * launches would otherwise find it gone under them.  Its vmlinux and
 * root image are hard links, so the shared copies may go. */
static bool
recently_used (int dirfd, const char *name)
{
  struct stat st;

  return strncmp (name, "appliance-", 10) == 0 &&
    fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
    time (NULL) - st.st_mtime < KEEP_USED_S;
}

/* Only called with the lock held, so no build is in progress. */
void
cache_cleanup (const struct config *cfg, const struct result *res)
{
  DIR *dir = opendir (cfg->cachedir);
  struct dirent *d;

  if (dir == NULL)
    return;
  while ((d = readdir (dir)) != NULL) {
    if (!is_stale (d->d_name, res) || recently_used (dirfd (dir), d->d_name))
      continue;
    CLEANUP_FREE char *path = xasprintf ("%s/%s", cfg->cachedir, d->d_name);
    verbose_msg ("removing old %s", path);
    if (rm_rf (path) == -1) {
      verbose_msg ("warning: could not remove %s", path);
      error_clear ();
    }
  }
  closedir (dir);
}
