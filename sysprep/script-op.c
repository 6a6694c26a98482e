/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The script operation, as virt-sysprep's: the guest's filesystems
 * (the root being prepared, as mounted in the appliance) are served on
 * a host directory with the library's mount_local, and each --script
 * runs there, on the host, with its working directory at the guest's
 * root (so "rm etc/resolv.conf" removes the guest's file).
 *
 * This process serves the mount (mount_local_run) while a child runs
 * the scripts and then unmounts, which ends the loop.  The child never
 * touches the handle: it only runs programs and fusermount3. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanups.h"
#include "sysprep.h"

/* Unmounts mp, retrying while a script's leftover keeps it busy, then
 * lazily.  In the child. */
static void
unmount_dir (const char *mp)
{
  for (int tries = 0; tries < 6; ++tries) {
    pid_t pid = fork ();
    int st;

    if (pid == 0) {
      execlp (FUSERMOUNT, FUSERMOUNT, "-u", "-q", tries < 5 ? mp : "-z",
              tries < 5 ? (char *) NULL : mp, (char *) NULL);
      _exit (127);
    }
    if (pid > 0 && waitpid (pid, &st, 0) == pid && WIFEXITED (st) &&
        WEXITSTATUS (st) == 0)
      return;
    sleep (1);
  }
}

/* In the child: each script in turn, with its working directory at the
 * guest's root, until one fails; the exit status is 0, or the number
 * (from 1) of the script that failed. */
static void __attribute__((noreturn))
run_scripts (const struct sysprep_opts *o, const char *mp)
{
  size_t failed = 0;

  for (size_t i = 0; i < o->scripts.len && !failed; ++i) {
    pid_t pid = fork ();
    int st;

    if (pid == 0) {
      if (chdir (mp) == -1)
        _exit (126);
      execl ("/bin/sh", "sh", "-c", o->scripts.v[i], (char *) NULL);
      _exit (127);
    }
    if (pid == -1 || waitpid (pid, &st, 0) != pid || !WIFEXITED (st) ||
        WEXITSTATUS (st) != 0)
      failed = i + 1;
  }
  unmount_dir (mp);
  _exit (failed > 255 ? 255 : (int) failed);
}

int
sysprep_script (struct sysprep_ctx *c)
{
  const struct sysprep_opts *o = c->o;
  char tmpl[] = "/tmp/drydock-sysprep.XXXXXX";
  const char *mp = o->scriptdir;
  pid_t pid;
  int st, r = 0;

  if (o->scripts.len == 0)
    return 0;
  if (mp == NULL && (mp = mkdtemp (tmpl)) == NULL)
    return sysprep_error (c, "mkdtemp: %s", strerror (errno));
  if (drydock_mount_local (c->h, mp) == -1) {
    r = sysprep_lib_error (c);
    goto out;
  }
  fflush (NULL);
  pid = fork ();
  if (pid == -1) {
    r = sysprep_error (c, "fork: %s", strerror (errno));
    drydock_umount_local (c->h);
    drydock_mount_local_run (c->h);
    goto out;
  }
  if (pid == 0)
    run_scripts (o, mp);
  if (drydock_mount_local_run (c->h) == -1)
    r = sysprep_lib_error (c);
  if (waitpid (pid, &st, 0) != pid || !WIFEXITED (st))
    r = r ? r : sysprep_error (c, _("the scripts' process died"));
  else if (WEXITSTATUS (st) != 0 && r == 0) {
    size_t i = (size_t) WEXITSTATUS (st) - 1;
    r = sysprep_error (c, _("'%s' failed: nothing is written to the images"),
                       i < o->scripts.len ? o->scripts.v[i] : "?");
  }
 out:
  if (mp == tmpl)
    rmdir (tmpl);
  return r;
}
