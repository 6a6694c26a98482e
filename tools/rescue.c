/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock rescue: a root shell in the appliance, as virt-rescue.  The
 * images are attached through their overlays, the guest's filesystems
 * mounted under /sysroot as -i or -m say, and the shell (the
 * appliance's busybox) runs until it exits: on the user's terminal
 * (rescue-term.c: raw mode, the escape key), or reading a script from
 * standard input.  Its exit status is the command's.  The changes are
 * committed into the images when the shell has exited, as virt-rescue
 * writes them; with --ro they are discarded.  --suggest prints the
 * mount commands inspection finds, without a shell. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "rescue.h"

#define RESCUE_TAKES (TOOL_OPT_ADD | TOOL_OPT_RO | TOOL_OPT_INSPECTOR | \
                      TOOL_OPT_MOUNT | TOOL_OPT_KEYS)
/* virt-rescue's scratch disks are this large (sparse). */
#define SCRATCH_SIZE (UINT64_C(10) << 30)
#define SCRATCH_MAX 26

enum {
  OPT_MEMSIZE = TOOL_OWN_OPTION, OPT_NETWORK, OPT_SCRATCH, OPT_SELINUX,
  OPT_SMP, OPT_SUGGEST,
};

struct rescue_opts {
  int escape;                   /* the escape key, -1 for none */
  int memsize, smp, network;
  int scratch;                  /* scratch disks */
  int suggest;
  char *scratch_dir;            /* where they are, removed at the end */
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [-a IMAGE ...] [-i | -m DEV[:MP]] [--ro] "
                 "[OPTIONS]\n"
                 "A root shell in the appliance with the images' disks attached,\n"
                 "as virt-rescue: the guest's filesystems are under /sysroot (-i\n"
                 "mounts those of its operating system, -m DEV[:MP] one each), and\n"
                 "the appliance's tools (busybox, lvm, mkfs, fsck ...) are on the\n"
                 "PATH.  On a terminal the shell is interactive (escape key ^]);\n"
                 "otherwise it runs standard input as a script.  The exit status is\n"
                 "the shell's.  The changes are written into the images when the\n"
                 "shell exits, unless --ro.\n\n"
                 "Options:\n"
                 "  -e KEY                 the escape key: ^X, one character, or\n"
                 "                         none (default ^])\n"
                 "  --memsize MB           the appliance's memory\n"
                 "  --network              give the appliance a network\n"
                 "  --scratch[=N]          add N (1) empty 10G scratch disks, removed\n"
                 "                         at the end\n"
                 "  --selinux              ignored (as virt-rescue)\n"
                 "  --smp N                the appliance's virtual CPUs\n"
                 "  --suggest              print the mount commands for the guest\n"
                 "                         found by inspection, and no shell (--ro)\n"),
           tool_program_name ());
  tool_print_options_help (fp, RESCUE_TAKES);
  exit (status);
}

/* "^]", "^X", a single character, or "none". */
static int
parse_escape (const char *arg, int *key)
{
  if (strcmp (arg, "none") == 0)
    *key = -1;
  else if (arg[0] == '^' && arg[1] && !arg[2] &&
           ((arg[1] >= '@' && arg[1] <= '_') || (arg[1] >= 'a' && arg[1] <= 'z')))
    *key = arg[1] & 0x1f;
  else if (arg[0] && !arg[1])
    *key = (unsigned char) arg[0];
  else
    return tool_error (_("-e '%s': the escape key is ^X (a control key), "
                         "one character, or none"), arg);
  return 0;
}

static int
parse_int (const char *option, const char *arg, long min, long max, int *v)
{
  char *end;
  long n;

  errno = 0;
  n = strtol (arg, &end, 10);
  if (errno || end == arg || *end || n < min || n > max)
    return tool_error (_("%s '%s': a number from %ld to %ld is expected"),
                       option, arg, min, max);
  *v = (int) n;
  return 0;
}

static int
option (int c, const char *arg, void *opaque)
{
  struct rescue_opts *ro = opaque;

  switch (c) {
  case 'e': return parse_escape (arg, &ro->escape);
  case OPT_MEMSIZE: return parse_int ("--memsize", arg, 128, 65536, &ro->memsize);
  case OPT_NETWORK: ro->network = 1; return 0;
  case OPT_SCRATCH:
    if (arg == NULL) {
      ro->scratch++;
      return 0;
    }
    return parse_int ("--scratch", arg, 1, SCRATCH_MAX, &ro->scratch);
  case OPT_SELINUX: return 0;
  case OPT_SMP: return parse_int ("--smp", arg, 1, 255, &ro->smp);
  case OPT_SUGGEST: ro->suggest = 1; return 0;
  }
  return -1;
}

/* A sparse file of size bytes, created.  -1 with errno. */
static int
create_sparse (const char *path, uint64_t size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd == -1)
    return -1;
  if (ftruncate (fd, (off_t) size) == -1) {
    int saved = errno;
    close (fd);
    errno = saved;
    return -1;
  }
  return close (fd);
}

/* The scratch disks: sparse files in a private directory, added
 * read-only (their overlays are never committed: there is nothing to
 * keep). */
static int
add_scratch (drydock_h *h, struct rescue_opts *ro)
{
  const char *t = getenv ("TMPDIR");

  if (asprintf (&ro->scratch_dir, "%s/drydock-rescueXXXXXX",
                t && *t ? t : "/tmp") == -1) {
    ro->scratch_dir = NULL;
    return tool_error ("%s", strerror (errno));
  }
  if (mkdtemp (ro->scratch_dir) == NULL) {
    tool_error ("%s: %s", ro->scratch_dir, strerror (errno));
    free (ro->scratch_dir);
    ro->scratch_dir = NULL;
    return -1;
  }
  for (int i = 0; i < ro->scratch; ++i) {
    CLEANUP_FREE char *path = NULL;

    if (asprintf (&path, "%s/scratch%d.img", ro->scratch_dir, i + 1) == -1)
      return tool_error ("%s", strerror (errno));
    if (create_sparse (path, SCRATCH_SIZE) == -1)
      return tool_error ("%s: %s", path, strerror (errno));
    if (drydock_add_drive_opts (h, path, DRYDOCK_ADD_DRIVE_OPTS_FORMAT, "raw",
                                DRYDOCK_ADD_DRIVE_OPTS_READONLY, 1, -1) == -1)
      return tool_lib_error (h);
  }
  return 0;
}

static void
remove_scratch (struct rescue_opts *ro)
{
  if (ro->scratch_dir == NULL)
    return;
  for (int i = 0; i < ro->scratch; ++i) {
    CLEANUP_FREE char *path = NULL;

    if (asprintf (&path, "%s/scratch%d.img", ro->scratch_dir, i + 1) != -1)
      unlink (path);
  }
  rmdir (ro->scratch_dir);
  free (ro->scratch_dir);
  ro->scratch_dir = NULL;
}

static int
setup (drydock_h *h, void *opaque)
{
  struct rescue_opts *ro = opaque;

  if ((ro->memsize && drydock_set_memsize (h, ro->memsize) == -1) ||
      (ro->smp && drydock_set_smp (h, ro->smp) == -1) ||
      (ro->network && drydock_set_network (h, 1) == -1))
    return tool_lib_error (h);
  if (ro->scratch > 0)
    return add_scratch (h, ro);
  return 0;
}

/* The shell, on the terminal or over standard input and output; its
 * exit status, or -1 (printed). */
static int
run_shell (struct tools_session *s, const struct rescue_opts *ro, int *quit)
{
  int r;

  *quit = 0;
  if (isatty (0) && isatty (1)) {
    CLEANUP_FREE char *info = rescue_inspection_info (s);
    return rescue_on_terminal (s->h, ro->escape, info, s->o->quiet, quit);
  }
  fflush (stdout);
  r = drydock_rescue (s->h, 0, 1, 0, 0, 0, "");
  if (r == -1)
    tool_lib_error (s->h);
  return r;
}

int
rescue_main (int argc, char *argv[])
{
  static const struct option longopts[] = {
    { "memsize", required_argument, NULL, OPT_MEMSIZE },
    { "network", no_argument, NULL, OPT_NETWORK },
    { "scratch", optional_argument, NULL, OPT_SCRATCH },
    { "selinux", no_argument, NULL, OPT_SELINUX },
    { "smp", required_argument, NULL, OPT_SMP },
    { "suggest", no_argument, NULL, OPT_SUGGEST },
    { NULL, 0, NULL, 0 }
  };
  struct rescue_opts ro = { .escape = RESCUE_DEFAULT_ESCAPE };
  const struct tool_spec spec = {
    .takes = RESCUE_TAKES, .short_options = "e:", .long_options = longopts,
    .usage = usage, .option = option, .opaque = &ro,
  };
  struct tool_options o = { 0 };
  struct tools_session s;
  int first = tool_parse (&spec, argc, argv, &o), status, quit;
  unsigned flags;

  if (first < argc)
    tools_usage_error (_("unexpected argument '%s'"), argv[first]);
  if (ro.scratch == 0 || ro.suggest)
    tools_need_images (&o);
  if (ro.suggest) {
    status = rescue_suggest (&o) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    tool_options_free (&o);
    return status;
  }
  flags = (o.ro ? 0 : TOOLS_WRITE) |
    (o.inspector || o.n_mounts > 0 ? TOOLS_MOUNT : 0);
  if (tools_start_with (&s, &o, flags, setup, &ro) == -1) {
    remove_scratch (&ro);
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  status = run_shell (&s, &ro, &quit);
  if (quit) {
    if (!o.ro)
      tool_warning (_("quit with the escape key: nothing was written to "
                      "the images"));
    status = EXIT_FAILURE;
  }
  /* As virt-rescue, what the shell did stays, whatever its status. */
  if (tools_finish (&s, status >= 0 && !quit) == -1 || status < 0)
    status = EXIT_FAILURE;
  remove_scratch (&ro);
  tool_options_free (&o);
  return status;
}
