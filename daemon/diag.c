/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics of the appliance itself: ping_daemon, echo_daemon, sleep,
 * drop_caches, utsname, dmesg.  Nothing here touches the guest. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* klogctl's actions (syslog(2)). */
#define KLOG_READ_ALL 3
#define KLOG_SIZE_BUFFER 10

int
do_ping_daemon (void)
{
  return 0;
}

char *
do_echo_daemon (char *const *words)
{
  size_t len = 1;
  char *r, *p;

  for (size_t i = 0; words[i]; ++i)
    len += strlen (words[i]) + 1;
  r = p = malloc (len);
  if (r == NULL) {
    reply_with_perror ("echo_daemon");
    return NULL;
  }
  *p = '\0';
  for (size_t i = 0; words[i]; ++i)
    p = stpcpy (stpcpy (p, i ? " " : ""), words[i]);
  return r;
}

int
do_sleep (int secs)
{
  struct timespec ts = { .tv_sec = secs };

  if (secs < 0)
    return reply_with_error_errno (EINVAL, "%d seconds: must not be "
                                   "negative", secs);
  while (nanosleep (&ts, &ts) == -1 && errno == EINTR)
    ;
  return 0;
}

int
do_drop_caches (int whattodrop)
{
  CLEANUP_CLOSE int fd = -1;
  char c = (char) ('0' + whattodrop);

  if (whattodrop < 1 || whattodrop > 3)
    return reply_with_error_errno (EINVAL, "%d: expected 1 (page cache), 2 "
                                   "(dentries and inodes) or 3 (both)",
                                   whattodrop);
  sync ();
  fd = open ("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  if (fd == -1 || write (fd, &c, 1) != 1)
    return reply_with_perror ("/proc/sys/vm/drop_caches");
  return 0;
}

struct drydock_utsname *
do_utsname (void)
{
  struct drydock_utsname *r = calloc (1, sizeof *r);
  struct utsname u;

  if (r == NULL || uname (&u) == -1 ||
      (r->uts_sysname = strdup (u.sysname)) == NULL ||
      (r->uts_release = strdup (u.release)) == NULL ||
      (r->uts_version = strdup (u.version)) == NULL ||
      (r->uts_machine = strdup (u.machine)) == NULL) {
    reply_with_perror ("utsname");
    if (r) {
      free (r->uts_sysname);
      free (r->uts_release);
      free (r->uts_version);
      free (r);
    }
    return NULL;
  }
  return r;
}

char *
do_dmesg (void)
{
  int size = klogctl (KLOG_SIZE_BUFFER, NULL, 0);
  char *buf;
  int n;

  if (size <= 0) {
    reply_with_perror ("dmesg");
    return NULL;
  }
  buf = malloc ((size_t) size + 1);
  if (buf == NULL) {
    reply_with_perror ("dmesg");
    return NULL;
  }
  n = klogctl (KLOG_READ_ALL, buf, size);
  if (n < 0) {
    free (buf);
    reply_with_perror ("dmesg");
    return NULL;
  }
  buf[n] = '\0';
  return buf;
}
