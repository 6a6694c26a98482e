/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The deprecated actions that need the appliance: the old sfdisk
 * interface (sfdisk, sfdisk_N, sfdisk_l) and the daemon's SELinux
 * context (getcon, setcon), which the appliance, booted without
 * SELinux, refuses. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The lines, each ended by a newline, as one string; NULL with errno. */
static char *
join_lines (char *const *lines)
{
  size_t len = 1;
  char *s, *p;

  for (size_t i = 0; lines[i]; ++i)
    len += strlen (lines[i]) + 1;
  s = malloc (len);
  if (s == NULL)
    return NULL;
  p = s;
  for (size_t i = 0; lines[i]; ++i)
    p = stpcpy (stpcpy (p, lines[i]), "\n");
  *p = '\0';
  return s;
}

/* sfdisk [-N partnum] device with the lines on its standard input;
 * partnum 0: the whole table.  The geometry is not sfdisk's business
 * any more: it counts in sectors. */
static int
sfdisk_with (const char *device, int partnum, char *const *lines)
{
  CLEANUP_FREE char *input = join_lines (lines);
  CLEANUP_FREE char *err = NULL;
  char num[16];
  const char *argv[] = { "sfdisk", "--quiet", "--no-reread",
                         "--no-tell-kernel", device, NULL, NULL, NULL };
  int r;

  if (input == NULL)
    return reply_with_perror ("malloc");
  if (partnum > 0) {
    snprintf (num, sizeof num, "%d", partnum);
    argv[4] = "-N";
    argv[5] = num;
    argv[6] = device;
  }
  r = run_command_input (NULL, &err, input, (char *const *) argv);
  part_settle (device);
  if (r != 0)
    return reply_command_error (device, (char *const *) argv, r, err);
  return 0;
}

int
do_sfdisk (const char *device, int cyls, int heads, int sectors,
           char *const *lines)
{
  (void) cyls;
  (void) heads;
  (void) sectors;
  return sfdisk_with (device, 0, lines);
}

int
do_sfdisk_N (const char *device, int partnum, int cyls, int heads,
             int sectors, const char *line)
{
  char *const lines[] = { (char *) line, NULL };

  (void) cyls;
  (void) heads;
  (void) sectors;
  if (partnum <= 0)
    return reply_with_error_errno (EINVAL, "%s: partition numbers count "
                                   "from 1, not %d", device, partnum);
  return sfdisk_with (device, partnum, lines);
}

char *
do_sfdisk_l (const char *device)
{
  const char *argv[] = { "sfdisk", "-l", device, NULL };
  char *out = NULL;

  if (command_or_reply (device, &out, (char *const *) argv) == -1)
    return NULL;
  return out;
}

/* The daemon's own context, where the appliance's kernel has SELinux
 * (its filesystem mounted); the usual appliance boots without it. */
#define SELINUXFS "/sys/fs/selinux/enforce"
#define CURRENT "/proc/self/attr/current"

static int
no_selinux (void)
{
  return reply_with_error_errno (ENOTSUP, "the appliance runs without "
                                 "SELinux: the daemon has no context");
}

char *
do_getcon (void)
{
  CLEANUP_FCLOSE FILE *fp = NULL;
  char buf[1024];
  size_t n;

  if (access (SELINUXFS, F_OK) == -1) {
    no_selinux ();
    return NULL;
  }
  fp = fopen (CURRENT, "r");
  if (fp == NULL) {
    reply_with_perror ("%s", CURRENT);
    return NULL;
  }
  n = fread (buf, 1, sizeof buf - 1, fp);
  buf[n] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return strdup (buf);
}

int
do_setcon (const char *context)
{
  FILE *fp;

  if (access (SELINUXFS, F_OK) == -1)
    return no_selinux ();
  fp = fopen (CURRENT, "w");
  if (fp == NULL)
    return reply_with_perror ("%s", CURRENT);
  if (fputs (context, fp) == EOF) {
    int err = errno;
    fclose (fp);
    errno = err;
    return reply_with_perror ("%s", context);
  }
  if (fclose (fp) == EOF)
    return reply_with_perror ("%s", context);
  return 0;
}
