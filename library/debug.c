/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The debugging actions: debug's subcommands and debug_drives.  Their
 * output is for people, not programs.  Apart from the handle's other
 * files because each subcommand reaches into a different part of the
 * handle (drives, qemu's process, the appliance's kernel log). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"

extern char **environ;

/* A growing text: fp writes into buf (open_memstream). */
struct text {
  FILE *fp;
  char *buf;
  size_t len;
};

static int
text_open (drydock_h *h, struct text *t)
{
  t->buf = NULL;
  t->fp = open_memstream (&t->buf, &t->len);
  if (t->fp == NULL) {
    drydock_int_perror (h, "debug");
    return -1;
  }
  return 0;
}

/* The text (caller frees), or NULL with the error set. */
static char *
text_close (drydock_h *h, struct text *t)
{
  if (fclose (t->fp) != 0) {
    free (t->buf);
    drydock_int_perror (h, "debug");
    return NULL;
  }
  return t->buf;
}

static char *
debug_help (drydock_h *h)
{
  static const char help[] =
    "cmdline   the appliance kernel's command line\n"
    "dmesg     the appliance kernel's messages\n"
    "drives    the handle's drives (debug_drives)\n"
    "env       the DRYDOCK_ variables of the environment\n"
    "help      this list\n"
    "qemu      the running qemu's command line\n";
  char *r = strdup (help);

  if (r == NULL)
    drydock_int_perror (h, "debug");
  return r;
}

static char *
debug_env (drydock_h *h)
{
  struct text t;

  if (text_open (h, &t) == -1)
    return NULL;
  for (char **e = environ; e && *e; ++e)
    if (strncmp (*e, "DRYDOCK_", 8) == 0)
      fprintf (t.fp, "%s\n", *e);
  return text_close (h, &t);
}

static char *
debug_drives_text (drydock_h *h)
{
  CLEANUP_FREE_STRING_LIST char **l = drydock_impl_debug_drives (h);
  struct text t;

  if (l == NULL || text_open (h, &t) == -1)
    return NULL;
  for (size_t i = 0; l[i]; ++i)
    fprintf (t.fp, "%s\n", l[i]);
  return text_close (h, &t);
}

/* /proc/PID/cmdline of qemu, its arguments one a line. */
static char *
debug_qemu (drydock_h *h)
{
  char proc[64], buf[65536];
  CLEANUP_CLOSE int fd = -1;
  struct text t;
  ssize_t n;
  size_t got = 0;

  if (h->state != STATE_READY || h->qemu_pid <= 0) {
    drydock_int_error_errno (h, EINVAL, "debug: qemu: the appliance is not "
                             "running");
    return NULL;
  }
  snprintf (proc, sizeof proc, "/proc/%d/cmdline", (int) h->qemu_pid);
  fd = open (proc, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    drydock_int_perror (h, "debug: qemu: %s", proc);
    return NULL;
  }
  while (got < sizeof buf - 1 &&
         (n = read (fd, buf + got, sizeof buf - 1 - got)) > 0)
    got += (size_t) n;
  buf[got] = '\0';
  if (text_open (h, &t) == -1)
    return NULL;
  for (size_t i = 0; i < got; i += strlen (buf + i) + 1)
    fprintf (t.fp, "%s\n", buf + i);
  return text_close (h, &t);
}

/* The "Command line:" the kernel logs at boot, from dmesg. */
static char *
debug_cmdline (drydock_h *h)
{
  CLEANUP_FREE char *log = NULL;
  const char *p, *key = "Command line: ";
  char *r;

  if (drydock_int_check_ready (h, "debug") == -1)
    return NULL;
  log = drydock_dmesg (h);
  if (log == NULL)
    return NULL;
  p = strstr (log, key);
  if (p == NULL) {
    drydock_int_error_errno (h, ENOENT, "debug: cmdline: the kernel's log "
                             "no longer has its command line");
    return NULL;
  }
  p += strlen (key);
  if (asprintf (&r, "%.*s\n", (int) strcspn (p, "\n"), p) == -1) {
    drydock_int_perror (h, "debug");
    return NULL;
  }
  return r;
}

char *
drydock_impl_debug (drydock_h *h, const char *subcmd, char *const *extraargs)
{
  (void) extraargs;             /* no subcommand takes any */
  if (strcmp (subcmd, "help") == 0)
    return debug_help (h);
  if (strcmp (subcmd, "env") == 0)
    return debug_env (h);
  if (strcmp (subcmd, "drives") == 0)
    return debug_drives_text (h);
  if (strcmp (subcmd, "qemu") == 0)
    return debug_qemu (h);
  if (strcmp (subcmd, "cmdline") == 0)
    return debug_cmdline (h);
  if (strcmp (subcmd, "dmesg") == 0) {
    if (drydock_int_check_ready (h, "debug") == -1)
      return NULL;
    return drydock_dmesg (h);
  }
  drydock_int_error_errno (h, EINVAL, "debug: '%s': no such subcommand "
                           "(debug help lists them)", subcmd);
  return NULL;
}

char **
drydock_impl_debug_drives (drydock_h *h)
{
  struct strlist l = STRLIST_INIT;

  for (size_t i = 0; i < h->n_drives; ++i) {
    const struct drive *d = &h->drives[i];

    if (strlist_addf (&l, "index=%zu filename=%s format=%s overlay=%s "
                      "label=%s readonly=%d commit=%d direct=%d remote=%d "
                      "untrusted=%d blocksize=%d", i, d->filename,
                      d->format ? d->format : "",
                      d->overlay ? d->overlay : "",
                      d->label ? d->label : "", d->readonly, d->commit,
                      d->direct, d->remote, d->untrusted,
                      d->blocksize ? d->blocksize : 512) == -1) {
      strlist_free (&l);
      drydock_int_perror (h, "debug_drives");
      return NULL;
    }
  }
  {
    char **r = strlist_take (&l);

    if (r == NULL)
      drydock_int_perror (h, "debug_drives");
    return r;
  }
}
