/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock rescue on a terminal: the terminal in raw mode (the shell's
 * own terminal in the appliance does the echo and the line editing),
 * and a thread that reads the keys: the escape key and its commands
 * are taken here, the rest goes to the library's rescue call through a
 * socket pair, with the stream's control sequences (0x1d doubled, sync,
 * remount read-only, the terminal's size: see the rescue action).  The
 * shell's output goes straight from the library to standard output. */

#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "rescue.h"

#define CTL 0x1d
#define KEYS_MAX 1024
#define WINCH_POLL_MS 250

struct keys {
  int fd;                       /* our end of the socket pair */
  int escape;                   /* -1: none */
  const char *info;
  int quit;                     /* "^] q" was typed */
};

static struct termios saved_termios;
static int raw_on;
static volatile sig_atomic_t winch;

static void
raw_mode (void)
{
  struct termios t;

  if (tcgetattr (0, &saved_termios) == -1)
    return;
  t = saved_termios;
  cfmakeraw (&t);
  if (tcsetattr (0, TCSADRAIN, &t) == 0)
    raw_on = 1;
}

static void
cooked_mode (void)
{
  if (raw_on)
    tcsetattr (0, TCSADRAIN, &saved_termios);
  raw_on = 0;
}

static void
on_winch (int sig)
{
  (void) sig;
  winch = 1;
}

static void
terminal_size (int *rows, int *cols)
{
  struct winsize ws = { 0 };

  ioctl (1, TIOCGWINSZ, &ws);
  *rows = ws.ws_row;
  *cols = ws.ws_col;
}

/* The terminal's size as the stream's "w" sequence. */
static void
send_size (struct keys *k)
{
  unsigned char seq[6] = { CTL, 'w' };
  int rows, cols;

  terminal_size (&rows, &cols);
  seq[2] = (unsigned char) (rows >> 8);
  seq[3] = (unsigned char) rows;
  seq[4] = (unsigned char) (cols >> 8);
  seq[5] = (unsigned char) cols;
  write_all (k->fd, seq, sizeof seq);
}

/* "^]" for 0x1d, "x" for a printable key. */
static void
key_name (int key, char name[3])
{
  if (key < 0x20) {
    name[0] = '^';
    name[1] = (char) (key | 0x40);
    name[2] = '\0';
  }
  else {
    name[0] = (char) key;
    name[1] = '\0';
  }
}

static void
say (const char *s)
{
  write_all (1, s, strlen (s));
}

static void
help (int escape)
{
  char e[3];
  CLEANUP_FREE char *text = NULL;

  key_name (escape, e);
  if (asprintf (&text,
                _("\r\ndrydock rescue: the escape key is %s, followed by:\r\n"
                  "  ? or h  this help\r\n"
                  "  i       the operating system found by inspection (-i)\r\n"
                  "  q or x  quit (the shell is hung up, nothing is written "
                  "to the images)\r\n"
                  "  s       sync the filesystems\r\n"
                  "  u       sync, then remount the guest's filesystems "
                  "read-only\r\n"
                  "  z       suspend drydock rescue\r\n"
                  "  %s      send %s itself\r\n"), e, e, e) != -1)
    say (text);
}

/* The command typed after the escape key; what goes to the shell is
 * appended to out. */
static void
command (struct keys *k, unsigned char c, unsigned char *out, size_t *n)
{
  switch (c) {
  case '?': case 'h':
    help (k->escape);
    return;
  case 'i':
    say (k->info ? "\r\n" : "");
    say (k->info ? k->info :
         _("\r\ndrydock rescue: no inspection (give -i to have one)\r\n"));
    return;
  case 'q': case 'x':
    k->quit = 1;
    shutdown (k->fd, SHUT_WR);
    return;
  case 's': case 'u':
    out[(*n)++] = CTL;
    out[(*n)++] = c;
    return;
  case 'z':
    cooked_mode ();
    raise (SIGTSTP);
    raw_mode ();
    send_size (k);
    return;
  }
  if (c == k->escape) {
    if (c == CTL)
      out[(*n)++] = CTL;
    out[(*n)++] = c;
  }
}

static void *
read_keys (void *arg)
{
  struct keys *k = arg;
  int after_escape = 0;

  while (!k->quit) {
    struct pollfd p = { 0, POLLIN, 0 };
    unsigned char in[KEYS_MAX], out[2 * KEYS_MAX];
    size_t n = 0;
    ssize_t got;

    if (winch) {
      winch = 0;
      send_size (k);
    }
    if (poll (&p, 1, WINCH_POLL_MS) <= 0)
      continue;
    got = read (0, in, sizeof in);
    if (got == -1 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    for (ssize_t i = 0; i < got; ++i) {
      unsigned char c = in[i];

      if (after_escape) {
        after_escape = 0;
        command (k, c, out, &n);
      }
      else if (k->escape >= 0 && c == k->escape)
        after_escape = 1;
      else {
        if (c == CTL)
          out[n++] = CTL;
        out[n++] = c;
      }
    }
    if (n > 0 && !k->quit && write_all (k->fd, out, n) == -1)
      break;
  }
  shutdown (k->fd, SHUT_WR);
  return NULL;
}

static void
banner (int escape)
{
  char e[3];

  if (escape < 0) {
    fprintf (stderr, _("drydock rescue: a root shell in the appliance; the "
                       "guest's filesystems are\nunder /sysroot.  Escapes "
                       "are off (-e none).\n\n"));
    return;
  }
  key_name (escape, e);
  fprintf (stderr, _("drydock rescue: a root shell in the appliance; the "
                     "guest's filesystems are\nunder /sysroot (mount them "
                     "there with -i or -m, or by hand).  The escape key\nis "
                     "%s: type %s h for help.\n\n"), e, e);
}

int
rescue_on_terminal (drydock_h *h, int escape, const char *info, int quiet,
                    int *quit)
{
  struct keys k = { .escape = escape, .info = info };
  struct sigaction sa = { .sa_handler = on_winch }, old;
  const char *term = getenv ("TERM");
  int sv[2], rows, cols, r;
  pthread_t t;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
    return tool_error ("socketpair: %s", strerror (errno));
  k.fd = sv[0];
  if (!quiet)
    banner (escape);
  terminal_size (&rows, &cols);
  sigaction (SIGWINCH, &sa, &old);
  raw_mode ();
  if ((errno = pthread_create (&t, NULL, read_keys, &k)) != 0) {
    cooked_mode ();
    close (sv[0]);
    close (sv[1]);
    return tool_error ("pthread_create: %s", strerror (errno));
  }
  r = drydock_rescue (h, sv[1], 1, 1, rows, cols, term ? term : "");
  pthread_cancel (t);
  pthread_join (t, NULL);
  cooked_mode ();
  sigaction (SIGWINCH, &old, NULL);
  close (sv[0]);
  close (sv[1]);
  *quit = k.quit;
  if (r == -1)
    return tool_lib_error (h);
  return r;
}
