/* SPDX-License-Identifier: GPL-2.0-or-later */
/* df and df_h: the disk usage of the mounted guest filesystems, laid
 * out as df(1) lays it out, from statvfs(3) of each mountpoint (no df
 * program in the appliance, and its own filesystems stay out). */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "daemon.h"
#include "actions-gen.h"

/* A size in bytes as df -h prints it: rounded up, one decimal below
 * 10 units. */
static void
human (char *buf, size_t n, uint64_t bytes)
{
  static const char units[] = "KMGTPE";
  double v = (double) bytes;
  size_t u = 0;

  if (bytes < 1024) {
    snprintf (buf, n, "%" PRIu64, bytes);
    return;
  }
  v /= 1024;
  while (v >= 1024 && u + 1 < sizeof units - 1) {
    v /= 1024;
    u++;
  }
  if (v < 10) {
    double t = (double) (uint64_t) (v * 10);

    if (t < v * 10)
      t += 1;
    if (t < 100) {
      snprintf (buf, n, "%.1f%c", t / 10, units[u]);
      return;
    }
  }
  {
    uint64_t w = (uint64_t) v;

    if ((double) w < v)
      w++;
    snprintf (buf, n, "%" PRIu64 "%c", w, units[u]);
  }
}

static char *
df (int human_units)
{
  CLEANUP_FREE_STRING_LIST char **mps = do_mountpoints ();
  CLEANUP_FREE char *out = NULL;
  size_t size = 0;
  FILE *fp;

  if (mps == NULL)
    return NULL;
  if ((fp = open_memstream (&out, &size)) == NULL) {
    reply_with_perror ("df");
    return NULL;
  }
  fprintf (fp, "%-20s %10s %10s %10s %4s %s\n", "Filesystem",
           human_units ? "Size" : "1K-blocks", "Used",
           human_units ? "Avail" : "Available", "Use%", "Mounted on");
  for (size_t i = 0; mps[i] && mps[i + 1]; i += 2) {
    CLEANUP_FREE char *dir = NULL;
    CLEANUP_FREE char *dev = NULL;
    struct statvfs sv;
    uint64_t total, used, avail, pct;

    if (asprintf (&dir, SYSROOT "%s", mps[i + 1]) == -1 ||
        (dev = strdup (mps[i])) == NULL)
      goto nomem;
    dev = map_device_to_api (dev);
    if (statvfs (dir, &sv) == -1)
      continue;
    total = (uint64_t) sv.f_blocks * sv.f_frsize;
    used = (uint64_t) (sv.f_blocks - sv.f_bfree) * sv.f_frsize;
    avail = (uint64_t) sv.f_bavail * sv.f_frsize;
    /* As df: used over what users may have, rounded up. */
    pct = used + avail ? (used * 100 + used + avail - 1) / (used + avail) : 0;
    if (human_units) {
      char t[32], u[32], a[32];

      human (t, sizeof t, total);
      human (u, sizeof u, used);
      human (a, sizeof a, avail);
      fprintf (fp, "%-20s %10s %10s %10s %3" PRIu64 "%% %s\n", dev, t, u, a,
               pct, mps[i + 1]);
    }
    else
      fprintf (fp, "%-20s %10" PRIu64 " %10" PRIu64 " %10" PRIu64
               " %3" PRIu64 "%% %s\n", dev, total / 1024, used / 1024,
               avail / 1024, pct, mps[i + 1]);
  }
  if (fclose (fp) == EOF) {
    reply_with_perror ("df");
    return NULL;
  }
  return TAKE_PTR (out);
 nomem:
  fclose (fp);
  reply_with_perror ("df");
  return NULL;
}

char *
do_df (void)
{
  return df (0);
}

char *
do_df_h (void)
{
  return df (1);
}
