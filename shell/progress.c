/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Progress bars for long actions, as guestfish draws them from the
 * library's progress events (upload, download, zero-device ...):
 *
 *   / 10% [#####---------------------------------------------] 00:30
 *
 * a spinner turning at each event, the share done, and the time left.
 * A bar appears only once a command has run for two seconds (short ones
 * never flash one), on stderr, so that the output stays clean. */

#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "shell.h"

#define DELAY_S 2.0

static struct timespec start;
static int drawn;
static unsigned spin;
/* The size of the file a command uploads: the total when the events
 * do not know it. */
static uint64_t hint_total;

static double
elapsed (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (double) (now.tv_sec - start.tv_sec) +
    (now.tv_nsec - start.tv_nsec) / 1e9;
}

static int
width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 30)
    return ws.ws_col;
  return 80;
}

static void
draw (uint64_t position, uint64_t total)
{
  static const char spinner[] = "/-\\|";
  double t = elapsed (), ratio;
  int percent, cols, fill;
  char eta[16];

  if (position > total)
    position = total;
  ratio = (double) position / (double) total;
  percent = (int) (ratio * 100);
  if (position > 0 && position < total) {
    long left = (long) (t / ratio - t);

    snprintf (eta, sizeof eta, "%02ld:%02ld", left / 60 % 100, left % 60);
  }
  else
    snprintf (eta, sizeof eta, position >= total ? "00:00" : "--:--");
  /* "S PPP% [" ... "] MM:SS" */
  cols = width () - 17;
  fill = (int) (ratio * cols);
  fprintf (stderr, "\r%c %3d%% [", position >= total ? ' ' : spinner[spin++ % 4],
           percent);
  for (int i = 0; i < cols; ++i)
    fputc (i < fill ? '#' : '-', stderr);
  fprintf (stderr, "] %s", eta);
  fflush (stderr);
  drawn = 1;
}

/* Without a total: the spinner and the bytes done. */
static void
draw_unknown (uint64_t position)
{
  static const char spinner[] = "/-\\|";

  fprintf (stderr, "\r%c %.1f MiB", spinner[spin++ % 4],
           (double) position / (1024 * 1024));
  fflush (stderr);
  drawn = 1;
}

static void
on_progress (drydock_h *h, void *opaque, uint64_t event, int event_handle,
             const char *buf, size_t len, const uint64_t *array, size_t n)
{
  uint64_t total;

  /* array: proc, serial, position, total */
  if (n < 4)
    return;
  total = array[3] ? array[3] : hint_total;
  if (!drawn && (elapsed () < DELAY_S || (total && array[2] >= total)))
    return;                     /* not due yet, or done before it was */
  if (total)
    draw (array[2], total);
  else
    draw_unknown (array[2]);
}

void
shell_progress_hint (uint64_t total)
{
  hint_total = total;
}

void
shell_progress_attach (drydock_h *h)
{
  if (shell.progress_bars)
    drydock_set_event_callback (h, on_progress, DRYDOCK_EVENT_PROGRESS, 0, NULL);
}

void
shell_progress_begin (void)
{
  clock_gettime (CLOCK_MONOTONIC, &start);
  drawn = 0;
  spin = 0;
}


void
shell_progress_finish (void)
{
  if (drawn)
    fputc ('\n', stderr);
  drawn = 0;
  hint_total = 0;
}
