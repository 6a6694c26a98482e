/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An image's metadata checked before launch, with qemu's own checks
 * ("qemu-img check"), in bounded time.  A qcow2 whose tables point past
 * the end of the file, or that was cut short, reads as zeros in the
 * appliance and the user would only see "no operating system"; an
 * image qemu refuses to open (an external data file that is not there,
 * legacy AES encryption) would only show as the appliance failing to
 * start.  Here both become one line naming the image and qemu's reason.
 * Apart from source.c, which finds what a drive reads, because this
 * judges what it found. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock-internal.h"
#include "source.h"

/* The formats whose metadata qemu-img check verifies. */
static const char *const checked_formats[] = {
  "qcow2", "qed", "vdi", "vhdx", "parallels", NULL
};

/* Long enough for the metadata of a large image on a slow disk; an image
 * whose check takes longer is used unchecked (said in debug output):
 * a check exists to give a clearer error, never to hang a tool. */
#define CHECK_TIMEOUT_S "60"

/* qemu-img check's exit codes. */
#define CHECK_OK 0
#define CHECK_FAILED 1             /* could not check: cannot open it */
#define CHECK_CORRUPT 2
#define CHECK_LEAKS 3              /* leaked clusters only: harmless */
#define CHECK_UNSUPPORTED 63
#define TIMEOUT_EXPIRED 124        /* coreutils timeout */
#define TIMEOUT_KILLED 137

static int
checked (const char *format)
{
  for (size_t i = 0; checked_formats[i]; ++i)
    if (strcmp (format, checked_formats[i]) == 0)
      return 1;
  return 0;
}

/* The first line of s that starts with prefix, without it; NULL if
 * none.  Cuts s at that line's end. */
static char *
line_starting (char *s, const char *prefix)
{
  size_t n = strlen (prefix);

  for (char *p = s; p && *p; ) {
    char *end = strchr (p, '\n');

    if (strncmp (p, prefix, n) == 0) {
      if (end)
        *end = '\0';
      return p + n;
    }
    p = end ? end + 1 : NULL;
  }
  return NULL;
}

const char *
drydock_int_open_reason (const char *msg)
{
  const char *q;

  if (strncmp (msg, "Could not open '", 16) == 0 &&
      (q = strstr (msg + 16, "': ")) != NULL && q[3])
    return q + 3;
  return NULL;
}

/* qemu's reason for not opening an image: its first line, without the
 * "qemu-img: " and "Could not open 'FILE': " in front. */
static const char *
open_reason (char *err)
{
  char *m = err ? err : "";
  const char *q;

  m[strcspn (m, "\n")] = '\0';
  while (strncmp (m, "qemu-img: ", 10) == 0)
    m += 10;
  if ((q = drydock_int_open_reason (m)) != NULL)
    return q;
  return *m ? m : "qemu-img check failed";
}

int
drydock_int_image_check (drydock_h *h, const char *name, const char *spec,
                         const char *format)
{
  CLEANUP_FREE char *out = NULL, *err = NULL;
  char *argv[] = {
    (char *) "timeout", (char *) "--kill-after=5", (char *) CHECK_TIMEOUT_S,
    (char *) QEMU_IMG, (char *) "check", (char *) "-U", (char *) "-f",
    (char *) format, (char *) spec, NULL
  };
  const char *why;
  int r;

  if (!checked (format))
    return 0;
  r = drydock_int_run (h, argv, &out, &err);
  switch (r) {
  case CHECK_OK:
  case CHECK_LEAKS:
  case CHECK_UNSUPPORTED:
    return 0;
  case CHECK_CORRUPT:
    why = line_starting (err ? err : (char *) "", "ERROR: ");
    if (why == NULL)
      why = line_starting (err ? err : (char *) "", "ERROR ");
    drydock_int_error_errno (h, EUCLEAN, "add_drive: %s: corrupt %s: %s "
                             "(qemu-img check)", name, format,
                             why ? why : "qemu-img check found errors");
    return -1;
  case CHECK_FAILED:
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: qemu cannot open "
                             "it: %s", name, open_reason (err));
    return -1;
  case TIMEOUT_EXPIRED:
  case TIMEOUT_KILLED:
    drydock_int_debug (h, "%s: qemu-img check took more than %s s: the "
                       "image is used unchecked", name, CHECK_TIMEOUT_S);
    return 0;
  default:
    drydock_int_debug (h, "%s: qemu-img check could not run (status %d): "
                       "the image is used unchecked", name, r);
    return 0;
  }
}

/* The drive a qemu start-up error is about: its line reads
 * "qemu-system-x86_64: -drive file=OVERLAY,...,id=dN,...: REASON". */
int
drydock_int_drive_start_error (drydock_h *h, const char *name,
                               const char *console)
{
  const char *line = strstr (console, ": -drive ");
  const char *id, *end, *reason;
  char buf[512];
  size_t n;
  unsigned long i;

  if (line == NULL)
    return -1;
  end = strchr (line, '\n');
  id = strstr (line, ",id=d");
  reason = strstr (line + 9, ": ");
  if (id == NULL || reason == NULL || (end && (id > end || reason > end)))
    return -1;
  i = strtoul (id + 5, NULL, 10);
  if (i >= h->n_drives)
    return -1;
  reason += 2;
  n = end ? (size_t) (end - reason) : strlen (reason);
  if (n >= sizeof buf)
    n = sizeof buf - 1;
  memcpy (buf, reason, n);
  buf[n] = '\0';
  /* The overlay's backing file is the user's image. */
  reason = buf;
  if (strncmp (reason, "Could not open backing file: ", 29) == 0)
    reason += 29;
  if (drydock_int_open_reason (reason))
    reason = drydock_int_open_reason (reason);
  drydock_int_error_errno (h, EINVAL, "%s: %s: qemu cannot open it: %s",
                           name, h->drives[i].filename, reason);
  return 0;
}
