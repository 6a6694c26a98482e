/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock ls: list guest directories, as virt-ls, in its four modes:
 * the names (ls), the long listing (-l, as ls -la), the names of the
 * whole tree (-R, relative to the directory), and the tree with every
 * file's metadata (-lR), which alone takes the options that add fields
 * and CSV.  One read-only launch; -lR reads a tree in a few round
 * trips (walk.c). */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "tools.h"

#define LS_TAKES (TOOL_OPT_ADD | TOOL_OPT_MOUNT | TOOL_OPT_KEYS)

enum {
  OPT_CHECKSUM = TOOL_OWN_OPTION,
  OPT_CSV,
  OPT_EXTRA,
  OPT_TIMES,
  OPT_TIME_T,
  OPT_TIME_RELATIVE,
  OPT_TIME_DAYS,
  OPT_UIDS,
};

struct ls_options {
  int l, R;
  const char *checksum;
  struct tools_stat_format f;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS] DIRECTORY ...\n"
                 "List directories of the guest in disk images, as virt-ls: the\n"
                 "names, with -l as ls -la, with -R the names of the whole tree,\n"
                 "with -lR every file of the tree with its type, mode, size and\n"
                 "path, and the fields the options below add.  The images are\n"
                 "only read.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, LS_TAKES);
  fprintf (fp, _("  -l, --long             long listing (with -R: the fields below)\n"
                 "  -R, --recursive        the whole tree\n"
                 "Only with -lR:\n"
                 "  --checksum[=TYPE], --checksums[=TYPE]\n"
                 "                         the checksum of regular files: crc, md5\n"
                 "                         (the default), sha1, sha224, sha256,\n"
                 "                         sha384, sha512\n"
                 "  --csv                  comma-separated values\n"
                 "  --extra-stat, --extra-stats\n"
                 "                         device, inode, links, rdev, blocks\n"
                 "  -h, --human-readable   sizes as 4.0K, 12M\n"
                 "  --time, --times        access, modification and change times\n"
                 "  --time-t               the times in seconds since the epoch\n"
                 "  --time-relative        the times in seconds before now\n"
                 "  --time-days            the times in days before now\n"
                 "  --uid, --uids          the owner's uid and gid\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct ls_options *lo = opaque;

  switch (c) {
  case 'l': lo->l = 1; return 0;
  case 'R': lo->R = 1; return 0;
  case 'h': lo->f.human = 1; return 0;
  case OPT_CHECKSUM:
    lo->checksum = arg && *arg ? arg : "md5";
    return tools_check_csumtype ("--checksum", lo->checksum);
  case OPT_CSV: lo->f.csv = 1; return 0;
  case OPT_EXTRA: lo->f.extra = 1; return 0;
  case OPT_TIMES: lo->f.times = 1; return 0;
  case OPT_TIME_T: lo->f.times = 1; lo->f.time_mode = 1; return 0;
  case OPT_TIME_RELATIVE: lo->f.times = 1; lo->f.time_mode = 2; return 0;
  case OPT_TIME_DAYS: lo->f.times = 1; lo->f.time_mode = 3; return 0;
  case OPT_UIDS: lo->f.uids = 1; return 0;
  default: return -1;
  }
}

static int
parse_options (int argc, char **argv, struct tool_options *o,
               struct ls_options *lo)
{
  static const struct option longopts[] = {
    { "long", no_argument, NULL, 'l' },
    { "recursive", no_argument, NULL, 'R' },
    { "human-readable", no_argument, NULL, 'h' },
    { "checksum", optional_argument, NULL, OPT_CHECKSUM },
    { "checksums", optional_argument, NULL, OPT_CHECKSUM },
    { "csv", no_argument, NULL, OPT_CSV },
    { "extra-stat", no_argument, NULL, OPT_EXTRA },
    { "extra-stats", no_argument, NULL, OPT_EXTRA },
    { "time", no_argument, NULL, OPT_TIMES },
    { "times", no_argument, NULL, OPT_TIMES },
    { "time-t", no_argument, NULL, OPT_TIME_T },
    { "time-relative", no_argument, NULL, OPT_TIME_RELATIVE },
    { "time-days", no_argument, NULL, OPT_TIME_DAYS },
    { "uid", no_argument, NULL, OPT_UIDS },
    { "uids", no_argument, NULL, OPT_UIDS },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = LS_TAKES, .short_options = "lRh", .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = lo,
  };
  int first = tool_parse (&spec, argc, argv, o);
  const struct tools_stat_format *f = &lo->f;

  tools_need_images (o);
  if (!(lo->l && lo->R) && (f->csv || f->human || f->uids || f->times ||
                            f->extra || lo->checksum))
    tools_usage_error (_("--csv, -h, --uids, --times, --extra-stats and "
                         "--checksum only go with -lR"));
  if (f->human && f->csv)
    tools_usage_error (_("-h and --csv exclude each other (spreadsheets "
                         "would misread the sizes)"));
  if (first >= argc)
    tools_usage_error (_("no directory given"));
  lo->f.atime = 1;
  lo->f.now = (int64_t) time (NULL);
  return first;
}

/* -l of something that is not a directory: its one line, as ls -l. */
static int
ls_l_one (drydock_h *h, const char *path)
{
  struct drydock_statns *st = drydock_lstatns (h, path);
  CLEANUP_FREE char *link = NULL;
  char mode[11], when[64];
  time_t t, now = time (NULL);
  struct tm tm;

  if (st == NULL)
    return tool_lib_error (h);
  if (S_ISLNK (st->st_mode) && (link = drydock_readlink (h, path)) == NULL) {
    drydock_free_statns (st);
    return tool_lib_error (h);
  }
  tools_mode_string (st->st_mode, mode);
  t = (time_t) st->st_mtime_sec;
  /* As ls -l: the time of the day for the last six months. */
  if (gmtime_r (&t, &tm) == NULL ||
      strftime (when, sizeof when, t <= now && now - t < 15778476 ?
                "%b %e %H:%M" : "%b %e  %Y", &tm) == 0)
    snprintf (when, sizeof when, "%" PRId64, st->st_mtime_sec);
  printf ("%s %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %s ",
          mode, st->st_nlink, st->st_uid, st->st_gid, st->st_size, when);
  tools_put_name (path);
  if (link) {
    fputs (" -> ", stdout);
    tools_put_name (link);
  }
  putchar ('\n');
  drydock_free_statns (st);
  return 0;
}

static int
ls_names (drydock_h *h, const char *dir)
{
  CLEANUP_FREE_STRING_LIST char **names = drydock_ls (h, dir);

  if (names == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; names[i]; ++i) {
    tools_put_name (names[i]);
    putchar ('\n');
  }
  return 0;
}

static int
ls_long (drydock_h *h, const char *dir)
{
  CLEANUP_FREE char *out = NULL;
  int r = drydock_is_dir (h, dir);

  if (r == -1)
    return tool_lib_error (h);
  if (r == 0)
    return ls_l_one (h, dir);
  if ((out = drydock_ll (h, dir)) == NULL)
    return tool_lib_error (h);
  fputs (out, stdout);
  return 0;
}

/* -R: the names under dir, relative to it, one a line. */
static int
ls_tree_names (drydock_h *h, const char *dir)
{
  size_t len;
  CLEANUP_FREE char *buf = tools_find0 (h, dir, &len);

  if (buf == NULL)
    return -1;
  for (size_t i = 0; i < len;) {
    size_t n = strnlen (buf + i, len - i);
    CLEANUP_FREE char *name = strndup (buf + i, n);

    if (name == NULL)
      return tool_error (_("find0: %s"), strerror (errno));
    tools_put_name (name);
    putchar ('\n');
    i += n + 1;
  }
  return 0;
}

static int
ls_tree_long (drydock_h *h, const char *dir, const struct ls_options *lo)
{
  struct tools_tree t;

  if (tools_walk (h, dir, lo->checksum, NULL, &t) == -1)
    return -1;
  for (size_t i = 0; i < t.n; ++i) {
    tools_fields_start ();
    tools_print_entry (&lo->f, &t.v[i], lo->checksum != NULL);
  }
  tools_tree_free (&t);
  return 0;
}

static int
list (struct tools_session *s, const char *arg, const struct ls_options *lo)
{
  CLEANUP_FREE char *dir = tools_guest_path (s, arg);
  int r;

  if (dir == NULL)
    return -1;
  if (lo->l && lo->R)
    r = ls_tree_long (s->h, dir, lo);
  else if (lo->R)
    r = ls_tree_names (s->h, dir);
  else if (lo->l)
    r = ls_long (s->h, dir);
  else
    r = ls_names (s->h, dir);
  if (fflush (stdout) == EOF)
    r = tool_error (_("standard output: %s"), strerror (errno));
  return r;
}

int
ls_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct ls_options lo = { 0 };
  struct tools_session s;
  int first = parse_options (argc, argv, &o, &lo), errors = 0;

  if (tools_start (&s, &o, TOOLS_MOUNT) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  for (int i = first; i < argc; ++i)
    if (list (&s, argv[i], &lo) == -1)
      errors++;
  tools_finish (&s, 0);
  tool_options_free (&o);
  return errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
