/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock win-reg: options and the session.  One launch: the guest is
 * inspected (exactly one Windows), its filesystems mounted (read-only
 * to export), then a key is exported or a value printed, or .reg files
 * are merged.  A merge parses every file before the launch, and only
 * when all of them applied are the hives committed and the image
 * written; any error closes the handle without a shutdown, so nothing
 * reaches the image. */

#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "strlist.h"
#include "winreg.h"

/* The shared options win-reg takes, as virt-win-reg. */
#define WINREG_TAKES (TOOL_OPT_ADD | TOOL_OPT_OWN_D)

enum {
  OPT_MERGE = TOOL_OWN_OPTION,
  OPT_ENCODING,
  OPT_UNSAFE_PRINTABLE_STRINGS,
};

struct winreg_opts {
  struct tool_options tool;   /* -a, --format, -v -x -q */
  int merge, debug, unsafe_printable_strings;
  const char *encoding;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;
  const char *p = tool_program_name ();

  fprintf (fp, _("Usage: %s -a IMAGE [OPTIONS] 'KEY' [NAME]\n"
                 "       %s -a IMAGE [OPTIONS] --merge [FILE.reg ...]\n"
                 "Export and merge the Windows registry of a guest, as "
                 "virt-win-reg.\n"
                 "Without --merge, KEY is written with every key under it "
                 "as .reg text,\n"
                 "or only its value NAME (@ for the default value) as "
                 "text.  With --merge,\n"
                 "the .reg files (standard input without one) are merged "
                 "into the guest's\n"
                 "hives; the image is written only when all of them "
                 "applied.\n\n"
                 "Keys: HKLM\\SOFTWARE, HKLM\\SYSTEM (CurrentControlSet "
                 "is the current one),\n"
                 "HKLM\\SAM, HKLM\\SECURITY, HKLM\\BCD, HKU\\.DEFAULT, "
                 "HKU\\SID and HKU\\USER\n"
                 "(HKEY_LOCAL_MACHINE and HKEY_USERS spelt out too), names "
                 "in any case.\n\n"), p, p);
  tool_print_options_help (fp, WINREG_TAKES);
  fprintf (fp, _("  -d, --debug            say what is done\n"
                 "  --merge                merge .reg files into the "
                 "registry\n"
                 "  --encoding ENC         the encoding of the strings "
                 "merged\n"
                 "                         (default UTF-16LE)\n"
                 "  --unsafe-printable-strings\n"
                 "                         export REG_SZ and REG_EXPAND_SZ "
                 "as text, taken\n"
                 "                         for UTF-16LE (not to be merged "
                 "back)\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct winreg_opts *o = opaque;
  iconv_t cd;

  switch (c) {
  case 'd': o->debug = 1; return 0;
  case OPT_MERGE: o->merge = 1; return 0;
  case OPT_UNSAFE_PRINTABLE_STRINGS: o->unsafe_printable_strings = 1; return 0;
  case OPT_ENCODING:
    cd = iconv_open (arg, "UTF-8");
    if (cd == (iconv_t) -1)
      return tool_error (_("--encoding '%s': not an encoding this system "
                           "knows"), arg);
    iconv_close (cd);
    o->encoding = arg;
    return 0;
  default:
    return -1;
  }
}

static const struct option own_longopts[] = {
  { "debug", no_argument, NULL, 'd' },
  { "merge", no_argument, NULL, OPT_MERGE },
  { "encoding", required_argument, NULL, OPT_ENCODING },
  { "unsafe-printable-strings", no_argument, NULL,
    OPT_UNSAFE_PRINTABLE_STRINGS },
  { NULL, 0, NULL, 0 },
};

/* Usage errors exit; returns the index of the first argument. */
static int
parse_options (int argc, char **argv, struct winreg_opts *o)
{
  const struct tool_spec spec = {
    .takes = WINREG_TAKES, .short_options = "d",
    .long_options = own_longopts, .usage = usage, .option = own_option,
    .opaque = o,
  };
  int first = tool_parse (&spec, argc, argv, &o->tool);
  int n = argc - first;

  if (o->tool.n_drives == 0)
    tool_error (_("no image given: use -a IMAGE or --domain DOMAIN (try --help)"));
  else if (!o->merge && (n < 1 || n > 2))
    tool_error (_("expecting a key and optionally the name of one of its "
                  "values (try --help)"));
  else if (!o->merge && o->encoding)
    tool_error (_("--encoding is for --merge: an export keeps the bytes "
                  "of strings"));
  else if (o->merge && o->unsafe_printable_strings)
    tool_error (_("--unsafe-printable-strings is for exporting, not "
                  "--merge"));
  else
    return first;
  exit (EXIT_FAILURE);
}

/* Every .reg file parsed (standard input without one). */
static struct winreg_merge_text **
parse_files (struct winreg_opts *o, char **files, size_t n)
{
  struct winreg_merge_text **t = calloc (n + 2, sizeof *t);

  if (t == NULL) {
    tool_error ("%s", _("out of memory"));
    return NULL;
  }
  if (n == 0)
    t[0] = winreg_parse (stdin, _("standard input"), o->encoding);
  for (size_t i = 0; i < n; ++i) {
    FILE *fp = fopen (files[i], "re");

    if (fp == NULL) {
      tool_error ("'%s': %m", files[i]);
      break;
    }
    t[i] = winreg_parse (fp, files[i], o->encoding);
    fclose (fp);
    if (t[i] == NULL)
      break;
  }
  for (size_t i = 0; i < (n ? n : 1); ++i)
    if (t[i] == NULL) {
      for (size_t j = 0; j < n; ++j)
        winreg_free_text (t[j]);
      free (t);
      return NULL;
    }
  return t;
}

/* Inspects the disks and mounts the one Windows' filesystems; c->root
 * and c->systemroot are set. */
static int
inspect_mount (struct winreg_ctx *c)
{
  CLEANUP_FREE_STRING_LIST char **roots = drydock_inspect_os (c->h);
  CLEANUP_FREE char *type = NULL;
  size_t n;

  if (roots == NULL)
    return tool_lib_error (c->h);
  n = count_strings (roots);
  if (n == 0)
    return tool_error (_("no operating system was found on the disks"));
  if (n > 1)
    return tool_error (_("%zu operating systems were found (%s, %s%s): "
                         "win-reg needs exactly one"), n, roots[0],
                       roots[1], n > 2 ? ", ..." : "");
  type = drydock_inspect_get_type (c->h, roots[0]);
  if (type == NULL)
    return tool_lib_error (c->h);
  if (strcmp (type, "windows") != 0)
    return tool_error (_("%s: the operating system is not Windows (%s)"),
                       roots[0], type);
  if (drydock_inspect_mount_root_opts (c->h, roots[0],
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_READONLY,
                                       !c->write, -1) == -1)
    return tool_lib_error (c->h);
  c->systemroot = drydock_inspect_get_windows_systemroot (c->h, roots[0]);
  if (c->systemroot == NULL)
    return tool_lib_error (c->h);
  c->root = strdup (roots[0]);
  return c->root ? 0 : tool_error ("%s", _("out of memory"));
}

static int
export (struct winreg_ctx *c, char **args, size_t n, int printable)
{
  struct winreg_target t;
  int r = winreg_map_path (c, args[0], &t);

  if (r == 0 && n == 2)
    r = winreg_print_value (c, &t, args[1], stdout);
  else if (r == 0)
    r = winreg_export (c, &t, printable, stdout);
  winreg_target_free (&t);
  if (r == 0 && fflush (stdout) == EOF)
    r = tool_error (_("standard output: %m"));
  return r;
}

static int
run (struct winreg_opts *o, char **args, size_t n,
     struct winreg_merge_text **texts)
{
  struct winreg_ctx c = { .write = o->merge, .debug = o->debug };
  int ret = -1;

  c.h = tool_create_handle (&o->tool, 0);
  if (c.h == NULL)
    return -1;
  /* Exporting never writes: read-only drives, always discarded. */
  o->tool.ro = !o->merge;
  if (tool_add_drives (c.h, &o->tool, NULL) == -1 || tool_launch (c.h) == -1 ||
      inspect_mount (&c) == -1)
    goto out;
  if (!o->merge) {
    ret = export (&c, args, n, o->unsafe_printable_strings);
    goto out;
  }
  for (size_t i = 0; texts[i]; ++i)
    if (winreg_merge (&c, texts[i]) == -1)
      goto out;
  if (winreg_commit (&c) == -1)
    goto out;
  winreg_debug (&c, "writing the image");
  if (drydock_shutdown (c.h) == -1) {
    tool_lib_error (c.h);
    goto out;
  }
  ret = 0;
 out:
  /* Without a successful shutdown nothing is committed. */
  drydock_close (c.h);
  free (c.root);
  free (c.systemroot);
  free (c.hive);
  return ret;
}

int
win_reg_main (int argc, char *argv[])
{
  struct winreg_opts o = { .merge = 0 };
  struct winreg_merge_text **texts = NULL;
  int first, ret = -1;

  first = parse_options (argc, argv, &o);
  if (o.merge)
    texts = parse_files (&o, argv + first, (size_t) (argc - first));
  if (!o.merge || texts)
    ret = run (&o, argv + first, (size_t) (argc - first), texts);
  for (size_t i = 0; texts && texts[i]; ++i)
    winreg_free_text (texts[i]);
  free (texts);
  tool_options_free (&o.tool);
  return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
