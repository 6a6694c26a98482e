/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host-side facts about image files and directories: allocated
 * bytes (as du and qemu-img map count them), free space, identity; and
 * running qemu-img.  Nothing here starts the appliance. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanups.h"
#include "sparsify.h"

int64_t
sparsify_image_virtual_size (const char *path, const char *format)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_CLOEXEC);
  unsigned char be[8];
  uint64_t size = 0;
  struct stat st;

  if (fd == -1 || fstat (fd, &st) == -1)
    return -1;
  if (strcmp (format, "qcow2") == 0) {
    /* The header's size field: bytes 24 to 31, big-endian. */
    if (pread (fd, be, 8, 24) != 8)
      return -1;
    for (int i = 0; i < 8; ++i)
      size = size << 8 | be[i];
    return size > INT64_MAX ? -1 : (int64_t) size;
  }
  if (S_ISBLK (st.st_mode))
    return ioctl (fd, BLKGETSIZE64, &size) == -1 || size > INT64_MAX ? -1 :
      (int64_t) size;
  return st.st_size;
}

int64_t
sparsify_image_allocated (const char *path)
{
  struct stat st;

  if (stat (path, &st) == -1 || !S_ISREG (st.st_mode))
    return -1;
  return (int64_t) st.st_blocks * 512;
}

int
sparsify_image_same_file (const char *a, const char *b)
{
  struct stat sa, sb;

  return stat (a, &sa) == 0 && stat (b, &sb) == 0 &&
    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Reads the JSON string starting at p (after its opening quote) into a
 * new string; NULL if malformed or out of memory. */
static char *
json_string (const char *p)
{
  char *out = malloc (strlen (p) + 1), *w = out;

  if (out == NULL)
    return NULL;
  for (; *p && *p != '"'; ++p) {
    if (*p != '\\') {
      *w++ = *p;
      continue;
    }
    switch (*++p) {
    case '"': case '\\': case '/': *w++ = *p; break;
    case 'b': *w++ = '\b'; break;
    case 'f': *w++ = '\f'; break;
    case 'n': *w++ = '\n'; break;
    case 'r': *w++ = '\r'; break;
    case 't': *w++ = '\t'; break;
    default: free (out); return NULL;   /* \uXXXX: no such file here */
    }
  }
  if (*p != '"') {
    free (out);
    return NULL;
  }
  *w = '\0';
  return out;
}

struct chain_match {
  struct stat target;
  int found;
};

/* One line of qemu-img info --backing-chain --output=json: the
 * "filename" of each layer (and of its protocol child), as qemu-img
 * opened it, so relative to the current directory. */
static void
chain_line (const char *line, void *opaque)
{
  struct chain_match *m = opaque;
  const char *key = strstr (line, "\"filename\": \"");
  CLEANUP_FREE char *name = NULL;
  struct stat st;

  if (key == NULL || (name = json_string (key + 13)) == NULL)
    return;
  if (stat (name, &st) == 0 && st.st_dev == m->target.st_dev &&
      st.st_ino == m->target.st_ino)
    m->found = 1;
}

int
sparsify_image_chain_holds (const char *path, const char *format,
                            const char *other)
{
  char *const argv[] = { (char *) QEMU_IMG, "info", "--backing-chain",
                         "--output=json", "-U", "-f", (char *) format,
                         (char *) path, NULL };
  struct chain_match m = { .found = 0 };
  CLEANUP_FREE char *err = NULL;

  if (stat (other, &m.target) == -1)
    return 0;
  if (strcmp (format, "qcow2") != 0)
    return sparsify_image_same_file (path, other);
  if (sparsify_image_run_qemu_img (argv, -1, chain_line, &m, &err) != 0)
    return tool_error (_("'%s': cannot read its backing chain: %s"), path,
                           err && *err ? err : _("qemu-img info failed"));
  return m.found;
}

int64_t
sparsify_dir_available (const char *path, int is_dir, dev_t *dev)
{
  CLEANUP_FREE char *dir = strdup (path);
  char *slash = dir ? strrchr (dir, '/') : NULL;
  struct statvfs sv;
  struct stat st;

  if (dir == NULL)
    return tool_error ("%s", strerror (errno));
  if (!is_dir) {
    if (slash == dir)
      slash[1] = '\0';
    else if (slash)
      *slash = '\0';
    else
      strcpy (dir, ".");
  }
  if (statvfs (dir, &sv) == -1 || stat (dir, &st) == -1)
    return tool_error ("'%s': %s", dir, strerror (errno));
  *dev = st.st_dev;
  return (int64_t) sv.f_bavail * (int64_t) sv.f_frsize;
}

int
sparsify_image_run_qemu_img (char *const *argv, int out_fd,
                             void (*line_cb) (const char *line, void *opaque),
                             void *opaque, char **err)
{
  int efd = memfd_create ("qemu-img-stderr", MFD_CLOEXEC), p[2] = { -1, -1 };
  int status = -1;
  pid_t pid;

  *err = NULL;
  if (efd == -1 || (out_fd < 0 && pipe2 (p, O_CLOEXEC) == -1))
    goto out;
  pid = fork ();
  if (pid == -1)
    goto out;
  if (pid == 0) {
    dup2 (out_fd >= 0 ? out_fd : p[1], 1);
    dup2 (efd, 2);
    execv (argv[0], argv);
    _exit (127);
  }
  if (p[1] >= 0) {
    FILE *fp;
    char *line = NULL;
    size_t cap = 0;

    close (p[1]);
    p[1] = -1;
    fp = fdopen (p[0], "r");
    if (fp) {
      p[0] = -1;
      while (getline (&line, &cap, fp) != -1)
        line_cb (line, opaque);
      free (line);
      fclose (fp);
    }
  }
  while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
    ;
  status = WIFEXITED (status) ? WEXITSTATUS (status) : 128;
  {
    off_t n = lseek (efd, 0, SEEK_END);
    *err = calloc (1, (size_t) (n > 0 ? n : 0) + 1);
    if (*err && n > 0 && pread (efd, *err, (size_t) n, 0) == -1)
      **err = '\0';
    if (*err)
      (*err)[strcspn (*err, "\n")] = '\0';
  }
 out:
  if (efd >= 0)
    close (efd);
  if (p[0] >= 0)
    close (p[0]);
  if (p[1] >= 0)
    close (p[1]);
  return status;
}

struct map_sum {
  int top_only;
  int64_t bytes;
};

/* One extent of qemu-img map --output=json, one per line. */
static void
add_extent (const char *line, void *opaque)
{
  struct map_sum *m = opaque;
  const char *len = strstr (line, "\"length\": ");
  const char *depth = strstr (line, "\"depth\": ");

  if (len == NULL || strstr (line, "\"data\": true") == NULL)
    return;
  if (m->top_only && (depth == NULL || atoi (depth + 9) != 0))
    return;
  m->bytes += strtoll (len + 10, NULL, 10);
}

int64_t
sparsify_image_data_bytes (const char *path, const char *format, int top_only)
{
  char *const argv[] = { (char *) QEMU_IMG, "map", "--output=json",
                         "-f", (char *) format, (char *) path, NULL };
  struct map_sum m = { top_only, 0 };
  CLEANUP_FREE char *err = NULL;

  if (sparsify_image_run_qemu_img (argv, -1, add_extent, &m, &err) != 0)
    return -1;
  return m.bytes;
}
