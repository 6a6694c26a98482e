/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command line of every tool: the shared options' table merged with
 * the tool's own into one getopt_long run, so that -a, --format, -v ...
 * mean the same everywhere, an error in any of them reads the same, and
 * --short-options and --long-options list every option a tool takes
 * (for bash completion, as the virt tools do). */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "options.h"

#define _(s) gettext (s)
#define N_(s) (s)

enum {
  OPT_FORMAT = TOOL_SHARED_OPTION,
  OPT_DOMAIN,
  OPT_KEY,
  OPT_KEYS_FROM_STDIN,
  OPT_ECHO_KEYS,
  OPT_REMOTE_COMMIT,
  OPT_SHORT_OPTIONS,
  OPT_LONG_OPTIONS,
  OPT_HELP,
  OPT_UNTRUSTED,
};

/* The shared options; takes 0: every tool takes it. */
static const struct shared_option {
  struct option opt;
  char short_name;            /* 0: long only */
  unsigned takes;
} shared_options[] = {
  { { "add", required_argument, NULL, 'a' }, 'a', TOOL_OPT_ADD },
  /* The value is optional: "--format" alone goes back to probing. */
  { { "format", optional_argument, NULL, OPT_FORMAT }, 0,
    TOOL_OPT_ADD | TOOL_OPT_FORMAT },
  { { "remote-commit", no_argument, NULL, OPT_REMOTE_COMMIT }, 0,
    TOOL_OPT_ADD },
  /* -d is --domain unless the tool takes -d itself (TOOL_OPT_OWN_D). */
  { { "domain", required_argument, NULL, OPT_DOMAIN }, 'd', TOOL_OPT_ADD },
  { { "connect", required_argument, NULL, 'c' }, 'c', TOOL_OPT_ADD },
  { { "ro", no_argument, NULL, 'r' }, 'r', TOOL_OPT_RO },
  { { "rw", no_argument, NULL, 'w' }, 'w', TOOL_OPT_RO },
  { { "inspector", no_argument, NULL, 'i' }, 'i', TOOL_OPT_INSPECTOR },
  { { "mount", required_argument, NULL, 'm' }, 'm', TOOL_OPT_MOUNT },
  { { "key", required_argument, NULL, OPT_KEY }, 0, TOOL_OPT_KEYS },
  { { "keys-from-stdin", no_argument, NULL, OPT_KEYS_FROM_STDIN }, 0,
    TOOL_OPT_KEYS },
  { { "echo-keys", no_argument, NULL, OPT_ECHO_KEYS }, 0, TOOL_OPT_KEYS },
  { { "untrusted", no_argument, NULL, OPT_UNTRUSTED }, 0, 0 },
  { { "verbose", no_argument, NULL, 'v' }, 'v', 0 },
  { { "trace", no_argument, NULL, 'x' }, 'x', 0 },
  { { "quiet", no_argument, NULL, 'q' }, 'q', 0 },
  { { "version", no_argument, NULL, 'V' }, 'V', 0 },
  /* -h is --help unless the tool takes -h itself (-h/--human-readable
   * of ls, df ... as the virt tools). */
  { { "help", no_argument, NULL, OPT_HELP }, 'h', 0 },
  { { "short-options", no_argument, NULL, OPT_SHORT_OPTIONS }, 0, 0 },
  { { "long-options", no_argument, NULL, OPT_LONG_OPTIONS }, 0, 0 },
};
#define N_SHARED (sizeof shared_options / sizeof shared_options[0])

/* The merged tables of one tool_parse. */
struct tables {
  char *short_options;        /* ":" (errors are ours), maybe "+" first */
  struct option *long_options;
};

static int
offered (const struct shared_option *s, unsigned takes)
{
  return s->takes == 0 || (s->takes & takes) != 0;
}

/* 1 if the tool's own short options have -h: then -h is the tool's and
 * only --help is the help. */
static int
owns_h (const struct tool_spec *spec)
{
  return spec->short_options && strchr (spec->short_options, 'h');
}

/* 1 if -d is the tool's own, not --domain. */
static int
owns_d (const struct tool_spec *spec)
{
  return (spec->takes & TOOL_OPT_OWN_D) != 0;
}

/* The short letter of a shared option, or 0 if it has none or the
 * tool takes the letter (-h, -d). */
static char
short_name (const struct tool_spec *spec, const struct shared_option *s)
{
  if (s->short_name == 'h' && owns_h (spec))
    return 0;
  if (s->short_name == 'd' && owns_d (spec))
    return 0;
  return s->short_name;
}

/* A tool option that is also a shared one is a bug in the tool. */
static void
check_clash (const struct tool_spec *spec)
{
  for (const struct option *l = spec->long_options; l && l->name; ++l)
    if (l->val >= TOOL_SHARED_OPTION || l->flag != NULL)
      goto clash;
  for (size_t i = 0; i < N_SHARED; ++i) {
    const struct shared_option *s = &shared_options[i];

    if (!offered (s, spec->takes))
      continue;
    if (short_name (spec, s) && spec->short_options &&
        strchr (spec->short_options, s->short_name))
      goto clash;
    for (const struct option *l = spec->long_options; l && l->name; ++l)
      if (strcmp (l->name, s->opt.name) == 0)
        goto clash;
  }
  return;
 clash:
  fprintf (stderr, "%s: internal error: the tool's own options clash with "
           "the shared ones\n", tool_program_name ());
  abort ();
}

static void
build_tables (const struct tool_spec *spec, struct tables *t)
{
  size_t n_long = 0, len = 0;
  const char *own = spec->short_options ? spec->short_options : "";
  char *p;

  check_clash (spec);
  for (const struct option *l = spec->long_options; l && l->name; ++l)
    n_long++;
  t->short_options = malloc (strlen (own) + 2 * N_SHARED + 3);
  t->long_options = calloc (n_long + N_SHARED + 1, sizeof *t->long_options);
  if (t->short_options == NULL || t->long_options == NULL) {
    tool_error ("%s", strerror (errno));
    exit (EXIT_FAILURE);
  }
  p = t->short_options;
  if (spec->in_order)
    *p++ = '+';
  *p++ = ':';
  p = stpcpy (p, own);
  for (size_t i = 0; i < n_long; ++i)
    t->long_options[len++] = spec->long_options[i];
  for (size_t i = 0; i < N_SHARED; ++i) {
    const struct shared_option *s = &shared_options[i];

    if (!offered (s, spec->takes))
      continue;
    t->long_options[len++] = s->opt;
    if (short_name (spec, s)) {
      *p++ = s->short_name;
      if (s->opt.has_arg == required_argument)
        *p++ = ':';
    }
  }
  *p = '\0';
}

static void
free_tables (struct tables *t)
{
  free (t->short_options);
  free (t->long_options);
}

/* --short-options: "-X" a line; --long-options: "--NAME" a line. */
static void
list_options (const struct tables *t, int want_long)
{
  if (!want_long) {
    for (const char *p = t->short_options; *p; ++p)
      if (*p != '+' && *p != ':')
        printf ("-%c\n", *p);
    return;
  }
  for (const struct option *l = t->long_options; l->name; ++l)
    if (strcmp (l->name, "short-options") != 0 &&
        strcmp (l->name, "long-options") != 0)
      printf ("--%s\n", l->name);
}

static int
add_drive (struct tool_options *o, const char *file, int domain)
{
  struct tool_drive *v = realloc (o->drives, (o->n_drives + 1) * sizeof *v);

  if (v == NULL)
    return tool_error ("%s", strerror (errno));
  if (domain && *file == '\0')
    return tool_error (_("-d: the domain name is empty"));
  o->drives = v;
  o->drives[o->n_drives++] = (struct tool_drive) {
    file, domain ? NULL : o->format, domain
  };
  return 0;
}

/* TOOL_OPT_ONE_SOURCE: -a images or one -d domain, as virt-customize. */
static int
check_one_source (const struct tool_options *o)
{
  size_t domains = 0;

  for (size_t i = 0; i < o->n_drives; ++i)
    domains += o->drives[i].domain;
  if (domains > 0 && domains < o->n_drives)
    return tool_error (_("-a and -d exclude each other: give the disk "
                         "images or the libvirt domain"));
  if (domains > 1)
    return tool_error (_("-d can only be given once"));
  return 0;
}

static int
add_mount (struct tool_options *o, const char *arg)
{
  struct tool_mount *v = realloc (o->mounts, (o->n_mounts + 1) * sizeof *v);

  if (v == NULL)
    return tool_error ("%s", strerror (errno));
  o->mounts = v;
  if (tool_parse_mount (arg, &o->mounts[o->n_mounts]) == -1)
    return -1;
  o->n_mounts++;
  return 0;
}

/* The error getopt_long would print, as one of ours. */
static void
option_error (int c, int argc, char **argv)
{
  const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

  if (c == ':')
    tool_error (_("option '%s' needs an argument (try '%s --help')"),
                word, tool_program_name ());
  else if (optopt && optopt < TOOL_OWN_OPTION)
    tool_error (_("unknown option '-%c' (try '%s --help')"), optopt,
                tool_program_name ());
  else
    tool_error (_("unknown option '%s' (try '%s --help')"), word,
                tool_program_name ());
}

/* 1 if c is a shared option the tool offers: a tool that does not
 * take one of them may use its letter itself (-i of df is --inodes). */
static int
is_shared (int c, unsigned takes)
{
  for (size_t i = 0; i < N_SHARED; ++i)
    if (shared_options[i].opt.val == c)
      return offered (&shared_options[i], takes);
  return 0;
}

/* One shared option; 1 if c is not one. */
static int
shared (int c, const char *arg, int argc, char **argv, struct tool_options *o)
{
  if (!is_shared (c, o->takes))
    return 1;
  switch (c) {
  case 'a': return add_drive (o, arg, 0);
  case OPT_DOMAIN: return add_drive (o, arg, 1);
  case 'c': o->libvirt_uri = arg; return 0;
  case OPT_FORMAT:
    /* "--format raw" as well as "--format=raw"; "--format" alone (the
     * last argument, or an option next) is "auto". */
    if (arg == NULL && optind < argc && argv[optind][0] != '-')
      arg = argv[optind++];
    return tool_check_format (arg, &o->format);
  case OPT_REMOTE_COMMIT: o->remote_commit = 1; return 0;
  case 'r': o->ro = 1; return 0;
  case 'w': o->ro = 0; return 0;
  case 'i': o->inspector = 1; return 0;
  case 'm': return add_mount (o, arg);
  case OPT_KEY: return tool_add_key (o, arg);
  case OPT_KEYS_FROM_STDIN: o->keys_from_stdin = 1; return 0;
  case OPT_ECHO_KEYS: o->echo_keys = 1; return 0;
  case OPT_UNTRUSTED:
    /* Through the environment, so that every handle the tool creates
     * (some add their drives themselves) and every drydock it runs
     * treat every image as untrusted. */
    o->untrusted = 1;
    if (setenv ("DRYDOCK_UNTRUSTED", "1", 1) == -1)
      return tool_error ("--untrusted: %m");
    return 0;
  case 'v': o->verbose = 1; return 0;
  case 'x': o->trace = 1; return 0;
  case 'q': o->quiet = 1; return 0;
  default: return 1;
  }
}

int
tool_parse (const struct tool_spec *spec, int argc, char **argv,
            struct tool_options *o)
{
  struct tables t;
  int c, r;

  o->takes = spec->takes;
  build_tables (spec, &t);
  optind = 0;                 /* a fresh getopt, whatever ran before */
  while ((c = getopt_long (argc, argv, t.short_options, t.long_options,
                           NULL)) != -1) {
    if (c == '?' || c == ':') {
      option_error (c, argc, argv);
      exit (EXIT_FAILURE);
    }
    if (c == OPT_HELP || (c == 'h' && !owns_h (spec)))
      spec->usage (EXIT_SUCCESS);
    if (c == 'V') {
      printf ("%s %s\n", tool_program_name (), drydock_version ());
      exit (EXIT_SUCCESS);
    }
    if (c == OPT_SHORT_OPTIONS || c == OPT_LONG_OPTIONS) {
      list_options (&t, c == OPT_LONG_OPTIONS);
      exit (EXIT_SUCCESS);
    }
    if (c == 'd' && !owns_d (spec) && (spec->takes & TOOL_OPT_ADD))
      c = OPT_DOMAIN;
    r = shared (c, optarg, argc, argv, o);
    if (r == 1)
      r = spec->option (c, optarg, spec->opaque);
    if (r == -1)
      exit (EXIT_FAILURE);
  }
  free_tables (&t);
  if (o->inspector && o->n_mounts > 0) {
    tool_error (_("-i and -m exclude each other (-i mounts what the "
                  "inspection finds)"));
    exit (EXIT_FAILURE);
  }
  if ((o->takes & TOOL_OPT_ONE_SOURCE) && check_one_source (o) == -1)
    exit (EXIT_FAILURE);
  /* Every image is checked before the tool does anything with any (a
   * domain's, by the library when it reads the domain). */
  for (size_t i = 0; i < o->n_drives; ++i)
    if (!o->drives[i].domain &&
        tool_check_image (o->drives[i].file, o->drives[i].format, NULL) == -1)
      exit (EXIT_FAILURE);
  return optind;
}

void
tool_options_free (struct tool_options *o)
{
  for (size_t i = 0; i < o->n_mounts; ++i)
    tool_mount_free (&o->mounts[i]);
  for (size_t i = 0; i < o->n_keys; ++i) {
    char *p = o->keys[i].passphrase;

    if (p) {
      explicit_bzero (p, strlen (p));
      free (p);
    }
    free (o->keys[i].id);
  }
  free (o->drives);
  free (o->mounts);
  free (o->keys);
  o->drives = NULL;
  o->mounts = NULL;
  o->keys = NULL;
  o->n_drives = o->n_mounts = o->n_keys = 0;
}

/* --help's lines about the shared options, by the flag that offers
 * them (0: every tool). */
static const struct {
  unsigned takes;
  const char *text;
  unsigned unless;            /* not for a tool that takes this */
} help_lines[] = {
  { TOOL_OPT_ADD,
    N_("  -a, --add IMAGE        a disk image (several -a: several disks)\n"
       "  --format FORMAT        the format of the -a options after it (raw,\n"
       "                         qcow2, vmdk, vdi, vhdx, vpc, ova, ...);\n"
       "                         --format alone or auto: probed (give the\n"
       "                         format for untrusted images)\n"
       "  --remote-commit        let changes be committed into a remote NBD\n"
       "                         export -a names (otherwise refused)\n"), 0 },
  { TOOL_OPT_ADD,
    N_("  -d, --domain DOMAIN    the disks of the libvirt guest DOMAIN (its\n"
       "                         name, or UUID), with their formats\n"),
    TOOL_OPT_OWN_D },
  { TOOL_OPT_OWN_D,
    N_("  --domain DOMAIN        the disks of the libvirt guest DOMAIN (its\n"
       "                         name, or UUID), with their formats\n"), 0 },
  { TOOL_OPT_ADD,
    N_("  -c, --connect URI      the libvirt connection of --domain\n"
       "                         (default: libvirt's)\n"), 0 },
  { TOOL_OPT_FORMAT,
    N_("  --format FORMAT        the input's format (default or auto:\n"
       "                         probed; give it for untrusted images)\n"), 0 },
  { TOOL_OPT_RO,
    N_("  -r, --ro               read only: changes are always discarded\n"
       "  -w, --rw               read and write (the default)\n"), 0 },
  { TOOL_OPT_INSPECTOR,
    N_("  -i, --inspector        mount the filesystems of the one operating\n"
       "                         system on the disks (as guestfish -i)\n"), 0 },
  { TOOL_OPT_MOUNT,
    N_("  -m, --mount DEV[:MOUNTPOINT[:OPTIONS[:FSTYPE]]]\n"
       "                         mount DEV at MOUNTPOINT (default /)\n"), 0 },
  { TOOL_OPT_KEYS,
    N_("  --key SELECTOR         a key of an encrypted (LUKS) volume:\n"
       "                         DEVICE:key:PASSPHRASE or\n"
       "                         DEVICE:file:FILENAME (its first line);\n"
       "                         DEVICE a device as the appliance names it\n"
       "                         (/dev/sda2, /dev/VG/LV), the volume's LUKS\n"
       "                         UUID, or all; repeatable (keys naming the\n"
       "                         volume are tried first)\n"
       "  --keys-from-stdin      read the passphrase of each encrypted\n"
       "                         volume without a --key from standard input\n"
       "  --echo-keys            show the passphrases typed at a terminal\n"), 0 },
  { 0,
    N_("  --untrusted            the images come from someone else: refuse\n"
       "                         one that names other files (a backing file,\n"
       "                         an external data file), a json: or protocol\n"
       "                         name, an image whose format is not the one\n"
       "                         given (see SECURITY in the manual)\n"
       "  -v, --verbose          debug messages\n"
       "  -x, --trace            trace API calls\n"
       "  -q, --quiet            no progress display\n"
       "  -V, --version          print the version\n"
       "  --help                 this help\n"
       "  --short-options, --long-options\n"
       "                         list the options (for completion)\n"), 0 },
};

void
tool_print_options_help (FILE *fp, unsigned takes)
{
  for (size_t i = 0; i < sizeof help_lines / sizeof help_lines[0]; ++i) {
    /* -a's lines describe --format already. */
    if (help_lines[i].takes == TOOL_OPT_FORMAT && (takes & TOOL_OPT_ADD))
      continue;
    if ((help_lines[i].takes == 0 || (help_lines[i].takes & takes)) &&
        !(help_lines[i].unless & takes))
      fputs (_(help_lines[i].text), fp);
  }
}
