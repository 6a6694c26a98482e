/* SPDX-License-Identifier: GPL-2.0-or-later */
/* selinux_relabel: SELinux labels set from the guest's file contexts by
 * the appliance's setfiles(8).
 *
 * setfiles opens the paths it is given as the appliance sees them, so a
 * guest symlink on the way to the spec file or to the tree would lead
 * into the appliance's own files.  Hence the spec file (and the files
 * libselinux reads beside it) is copied out of the guest, read through
 * sysroot.c, into a private directory, and the tree to relabel is
 * resolved inside /sysroot first; setfiles itself never follows
 * symlinks while it walks.  The appliance runs without SELinux: labels
 * are written as plain security.selinux attributes. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* Largest spec file copied (Fedora's file_contexts is under 1 MiB). */
#define SPEC_MAX (16 * 1024 * 1024)

/* What libselinux's file backend reads beside the spec file, when
 * present.  The compiled ".bin" is left out: it is tied to the PCRE
 * version of the guest's libselinux, and the text is authoritative. */
static const char *const spec_suffixes[] = {
  "", ".local", ".homedirs", ".subs", ".subs_dist",
};
#define N_SUFFIXES (sizeof spec_suffixes / sizeof spec_suffixes[0])

/* SELINUXTYPE from the guest's /etc/selinux/config into type, or "" if
 * the file or the line is missing or the value is not a plain name. */
static void
guest_policy_type (char *type, size_t n)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular ("/etc/selinux/config", 0,
                                               NULL);
  CLEANUP_FREE char *text = NULL;
  size_t len;
  char *save = NULL;

  *type = '\0';
  if (fd == -1 || (text = read_fd_max (fd, 65536, &len)) == NULL)
    return;
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    char *v;
    size_t k;

    line += strspn (line, " \t");
    if (strncmp (line, "SELINUXTYPE=", 12) != 0)
      continue;
    v = line + 12;
    v += strspn (v, "\"'");
    k = strspn (v, "abcdefghijklmnopqrstuvwxyz"
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
    if (k > 0 && k < n) {
      memcpy (type, v, k);
      type[k] = '\0';
    }
  }
}

/* The error for a spec file the guest does not have, with the one its
 * configuration names when it says.  Returns -1. */
static int
reply_no_specfile (const char *specfile)
{
  char type[64];

  guest_policy_type (type, sizeof type);
  if (*type)
    return reply_with_error_errno (ENOENT, "%s: no such file in the guest "
                                   "(its /etc/selinux/config has "
                                   "SELINUXTYPE=%s: "
                                   "/etc/selinux/%s/contexts/files/"
                                   "file_contexts)", specfile, type, type);
  return reply_with_error_errno (ENOENT, "%s: no such file in the guest (and "
                                 "it has no SELINUXTYPE in "
                                 "/etc/selinux/config)", specfile);
}

/* Copies the guest file src to the appliance file dst.  0; 1 if src
 * does not exist; -1 with errno (EFBIG if larger than SPEC_MAX; the
 * errno of a refused non-regular file). */
static int
copy_out_of_guest (const char *src, const char *dst)
{
  CLEANUP_CLOSE int in = sysroot_open_regular (src, 0, NULL);
  CLEANUP_CLOSE int out = -1;
  CLEANUP_FREE char *buf = NULL;
  size_t len;

  if (in == -1)
    return errno == ENOENT ? 1 : -1;
  buf = read_fd_max (in, SPEC_MAX + 1, &len);
  if (buf == NULL)
    return -1;
  if (len > SPEC_MAX) {
    errno = EFBIG;
    return -1;
  }
  out = open (dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out == -1 || write_all (out, buf, len) == -1)
    return -1;
  return close (TAKE_FD (out));
}

/* Copies specfile and its companions into dir as file_contexts*.  0, or
 * -1 (replied). */
static int
copy_specs (const char *specfile, const char *dir)
{
  for (size_t i = 0; i < N_SUFFIXES; ++i) {
    CLEANUP_FREE char *src = NULL, *dst = NULL;
    int r;

    if (asprintf (&src, "%s%s", specfile, spec_suffixes[i]) == -1 ||
        asprintf (&dst, "%s/file_contexts%s", dir, spec_suffixes[i]) == -1)
      return reply_with_perror ("%s", specfile);
    r = copy_out_of_guest (src, dst);
    if (r == 1 && i == 0)
      return reply_no_specfile (specfile);
    if (r == -1)
      return reply_with_perror ("%s", src);
  }
  return 0;
}

static void
remove_specs (const char *dir)
{
  for (size_t i = 0; i < N_SUFFIXES; ++i) {
    char path[PATH_MAX];

    snprintf (path, sizeof path, "%s/file_contexts%s", dir, spec_suffixes[i]);
    unlink (path);
  }
  rmdir (dir);
}

/* The appliance path of the guest's path, resolved inside /sysroot
 * (symlinks followed as the guest sees them); caller frees.  NULL
 * (replied) if it does not exist. */
static char *
resolve_in_sysroot (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH, 0);
  char fdbuf[32], real[PATH_MAX];
  ssize_t n;
  size_t k = strlen (SYSROOT);
  char *r;

  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  n = readlink (fd_path (fd, fdbuf), real, sizeof real - 1);
  if (n == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  real[n] = '\0';
  /* RESOLVE_IN_ROOT keeps it inside; checked all the same. */
  if (strncmp (real, SYSROOT, k) != 0 || (real[k] != '/' && real[k] != '\0')) {
    reply_with_error_errno (EXDEV, "%s: not inside the guest tree", path);
    return NULL;
  }
  r = strdup (real);
  if (r == NULL)
    reply_with_perror ("%s", path);
  return r;
}

/* -e for each of the guest's pseudo-filesystem directories that is a
 * real directory (a symlink would be refused by setfiles' walk anyway). */
static int
add_excludes (struct strlist *argv)
{
  static const char *const dirs[] = { "/dev", "/proc", "/sys", "/selinux" };

  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; ++i) {
    struct stat st;

    if (stat_guest (dirs[i], 0, &st) == -1 || !S_ISDIR (st.st_mode))
      continue;
    if (strlist_add (argv, "-e") == -1 ||
        strlist_addf (argv, SYSROOT "%s", dirs[i]) == -1)
      return -1;
  }
  return 0;
}

int
do_selinux_relabel (const char *specfile, const char *path, uint64_t optmask,
                    int force)
{
  char dir[] = "/tmp/drydock-selinux.XXXXXX";
  CLEANUP_FREE char *top = NULL, *spec = NULL, *err = NULL;
  struct strlist argv = STRLIST_INIT;
  int r = -1, status;

  if (!program_available ("setfiles"))
    return reply_with_error_errno (ENOTSUP, "setfiles is not in this "
                                   "appliance (install policycoreutils on "
                                   "the host, then the appliance is rebuilt)");
  if (specfile[0] != '/')
    return reply_with_error_errno (EINVAL, "%s: the spec file must be an "
                                   "absolute path in the guest", specfile);
  top = resolve_in_sysroot (path);
  if (top == NULL)
    return -1;
  if (mkdtemp (dir) == NULL)
    return reply_with_perror ("selinux_relabel: %s", dir);
  if (copy_specs (specfile, dir) == -1)
    goto out;
  if (asprintf (&spec, "%s/file_contexts", dir) == -1)
    goto nomem;
  /* -m: the appliance runs without SELinux, so no mount is "seclabel"
   * and setfiles would skip them all. */
  if (strlist_add (&argv, "setfiles") == -1 ||
      strlist_add (&argv, "-m") == -1 ||
      ((optmask & OPT_SELINUX_RELABEL_FORCE) && force &&
       strlist_add (&argv, "-F") == -1) ||
      strlist_add (&argv, "-r") == -1 ||
      strlist_add (&argv, SYSROOT) == -1 ||
      add_excludes (&argv) == -1 ||
      strlist_add (&argv, spec) == -1 ||
      strlist_add (&argv, top) == -1)
    goto nomem;
  status = run_command (NULL, &err, argv.v);
  if (status != 0)
    reply_command_error (path, argv.v, status, err);
  else
    r = 0;
  goto out;
 nomem:
  reply_with_perror ("selinux_relabel");
 out:
  strlist_free (&argv);
  remove_specs (dir);
  return r;
}
