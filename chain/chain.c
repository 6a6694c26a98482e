/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock chain: an image's backing chain, one line (or JSON object) a
 * link, top first, with each link's format, virtual size and the
 * bytes it holds on the host.  qemu-img reads the chain; a missing link
 * or a loop is its error, in one line.  No appliance is started. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanups.h"
#include "imginfo.h"
#include "options.h"

#define _(s) gettext (s)

#define MAX_OUTPUT (16 * 1024 * 1024)

enum {
  OPT_JSON = TOOL_OWN_OPTION,
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [--format FORMAT] [--json] IMAGE\n"
                 "Print the backing chain of a disk image, top first: each link's\n"
                 "file, format, virtual size and the bytes allocated on the host.  The\n"
                 "images are only read.\n\n"), tool_program_name ());
  tool_print_options_help (fp, TOOL_OPT_FORMAT);
  fprintf (fp, _("  --json                 a JSON array, one object a link\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  int *json = opaque;

  (void) arg;
  if (c != OPT_JSON)
    return -1;
  *json = 1;
  return 0;
}

/* Reads fd to its end into a NUL-terminated buffer (caller frees);
 * NULL on error or past max bytes. */
static char *
read_all (int fd, size_t max)
{
  size_t len = 0, cap = 4096;
  char *buf = malloc (cap), *nb;
  ssize_t r;

  while (buf) {
    if (len + 1 >= cap) {
      if (cap >= max || (nb = realloc (buf, cap * 2)) == NULL) {
        free (buf);
        return NULL;
      }
      buf = nb;
      cap *= 2;
    }
    r = read (fd, buf + len, cap - len - 1);
    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0) {
      if (r == -1) {
        free (buf);
        return NULL;
      }
      buf[len] = '\0';
      return buf;
    }
    len += r;
  }
  return NULL;
}

/* Runs qemu-img info on the chain; *out and *err are its outputs
 * (caller frees).  Its exit status, or -1 (errno). */
static int
run_qemu_img (const char *image, const char *format, char **out, char **err)
{
  int po[2], pe[2], status;
  pid_t pid;

  if (pipe2 (po, O_CLOEXEC) == -1)
    return -1;
  if (pipe2 (pe, O_CLOEXEC) == -1) {
    close (po[0]);
    close (po[1]);
    return -1;
  }
  pid = fork ();
  if (pid == 0) {
    const char *argv[] = { QEMU_IMG, "info", "--backing-chain",
                           "--output=json", "-U", image, NULL, NULL, NULL };

    if (format) {
      argv[5] = "-f";
      argv[6] = format;
      argv[7] = image;
    }
    dup2 (po[1], 1);
    dup2 (pe[1], 2);
    execv (QEMU_IMG, (char **) argv);
    _exit (127);
  }
  close (po[1]);
  close (pe[1]);
  /* qemu-img writes its errors after (or instead of) its output, and
   * little of them: reading stdout first cannot block on stderr. */
  *out = pid == -1 ? NULL : read_all (po[0], MAX_OUTPUT);
  *err = pid == -1 ? NULL : read_all (pe[0], MAX_OUTPUT);
  close (po[0]);
  close (pe[0]);
  if (pid == -1 || waitpid (pid, &status, 0) == -1)
    return -1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 255;
}

static void
json_string (const char *s)
{
  putchar ('"');
  for (; s && *s; ++s) {
    unsigned char c = *s;

    if (c == '"' || c == '\\')
      printf ("\\%c", c);
    else if (c < 0x20)
      printf ("\\u%04x", c);
    else
      putchar (c);
  }
  putchar ('"');
}

static void
print_json (const struct imginfo *info)
{
  printf ("[\n");
  for (size_t i = 0; i < info->n; ++i) {
    const struct imginfo_link *l = &info->links[i];

    printf ("  { \"depth\": %zu, \"filename\": ", i);
    json_string (l->filename);
    printf (", \"format\": ");
    json_string (l->format);
    printf (", \"virtual-size\": %" PRIi64 ", \"actual-size\": %" PRIi64
            ", \"backing-filename\": ", l->virtual_size, l->actual_size);
    if (l->backing)
      json_string (l->backing);
    else
      printf ("null");
    printf (" }%s\n", i + 1 < info->n ? "," : "");
  }
  printf ("]\n");
}

static void
print_text (const struct imginfo *info)
{
  printf ("%-5s %-9s %15s %15s  %s\n", _("DEPTH"), _("FORMAT"),
          _("VIRTUAL-SIZE"), _("ALLOCATED"), _("FILE"));
  for (size_t i = 0; i < info->n; ++i) {
    const struct imginfo_link *l = &info->links[i];
    char alloc[32] = "-";

    if (l->actual_size >= 0)
      snprintf (alloc, sizeof alloc, "%" PRIi64, l->actual_size);
    printf ("%-5zu %-9s %15" PRIi64 " %15s  %s\n", i, l->format,
            l->virtual_size, alloc, l->filename ? l->filename : "?");
  }
}

int
chain_main (int argc, char *argv[])
{
  static const struct option longopts[] = {
    { "json", no_argument, NULL, OPT_JSON },
    { NULL, 0, NULL, 0 },
  };
  int json = 0;
  const struct tool_spec spec = {
    .takes = TOOL_OPT_FORMAT, .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = &json,
  };
  struct tool_options o = { 0 };
  CLEANUP_FREE char *out = NULL, *err = NULL;
  struct imginfo info;
  const char *image;
  int first, r;

  first = tool_parse (&spec, argc, argv, &o);
  if (first != argc - 1)
    usage (EXIT_FAILURE);
  image = argv[first];
  if (!tool_is_remote (image) && tool_check_image (image, o.format, NULL) == -1)
    goto fail;
  r = run_qemu_img (image, o.format, &out, &err);
  if (r != 0) {
    char *m = err ? err : (char *) "";

    m[strcspn (m, "\n")] = '\0';
    while (strncmp (m, "qemu-img: ", 10) == 0)
      m += 10;
    tool_error ("'%s': %s", image, r == -1 ? strerror (errno) :
                *m ? m : _("qemu-img failed"));
    goto fail;
  }
  if (imginfo_parse (out, &info) == -1) {
    tool_error (_("'%s': cannot read qemu-img info's output"), image);
    goto fail;
  }
  if (json)
    print_json (&info);
  else
    print_text (&info);
  imginfo_free (&info);
  tool_options_free (&o);
  return fflush (stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
 fail:
  tool_options_free (&o);
  return EXIT_FAILURE;
}
