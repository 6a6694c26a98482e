/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tools' progress display, on stderr and only when it is a terminal
 * (scripts and logs never see carriage returns): each phase on a line
 * with the time since the start, as virt-sparsify does, and a bar under
 * it for the daemon's progress events (zero-filling, zeroing). */

#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "options.h"

#define BAR_WIDTH 30

static int enabled;
static int drawn;
static struct timespec start;

void
tool_progress_phase (const char *fs, ...)
{
  struct timespec now;
  va_list args;

  if (!enabled)
    return;
  tool_progress_end ();
  clock_gettime (CLOCK_MONOTONIC, &now);
  fprintf (stderr, "[%6.1f] ", (double) (now.tv_sec - start.tv_sec) +
           (now.tv_nsec - start.tv_nsec) / 1e9);
  va_start (args, fs);
  vfprintf (stderr, fs, args);
  va_end (args);
  fputc ('\n', stderr);
}

void
tool_progress_end (void)
{
  if (drawn)
    fputc ('\n', stderr);
  drawn = 0;
}

int
tool_progress_enabled (void)
{
  return enabled;
}

static void
draw (uint64_t position, uint64_t total)
{
  int percent = total ? (int) (position * 100 / total) : 0;
  int fill = percent * BAR_WIDTH / 100;
  char bar[BAR_WIDTH + 1];

  memset (bar, '#', (size_t) fill);
  memset (bar + fill, '-', (size_t) (BAR_WIDTH - fill));
  bar[BAR_WIDTH] = '\0';
  fprintf (stderr, "\r         [%s] %3d%%", bar, percent);
  fflush (stderr);
  drawn = 1;
  if (position >= total && total > 0)
    tool_progress_end ();
}

/* array: proc, serial, position, total (0 while the total is not
 * known). */
static void
on_event (drydock_h *h, void *opaque, uint64_t event, int event_handle,
          const char *buf, size_t len, const uint64_t *array, size_t n)
{
  (void) h; (void) opaque; (void) event; (void) event_handle;
  (void) buf; (void) len;
  if (n >= 4 && array[3] > 0)
    draw (array[2], array[3]);
}

void
tool_progress_attach (drydock_h *h, int quiet)
{
  enabled = !quiet && isatty (2);
  clock_gettime (CLOCK_MONOTONIC, &start);
  if (enabled)
    drydock_set_event_callback (h, on_event, DRYDOCK_EVENT_PROGRESS, 0, NULL);
}
