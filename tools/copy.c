/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock copy-in and copy-out: copy files and trees between the host
 * and the guest, as virt-copy-in and virt-copy-out.  copy-in writes the
 * images only when every path was copied; copy-out reads them only
 * (the library unpacks what comes out as hostile: nothing lands
 * outside the local directory). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanups.h"
#include "tools.h"

#define COPY_TAKES (TOOL_OPT_ADD | TOOL_OPT_MOUNT | TOOL_OPT_KEYS)

static void
usage_in (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS] LOCAL ... "
                 "REMOTEDIR\n"
                 "Copy local files and directories (recursively) into the guest\n"
                 "directory REMOTEDIR, as virt-copy-in: names, modes, times, links\n"
                 "and owners are kept.  The images are written only when every one\n"
                 "was copied.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, COPY_TAKES);
  exit (status);
}

static void
usage_out (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS] REMOTE ... "
                 "LOCALDIR\n"
                 "Copy guest files and directories (recursively) into the local\n"
                 "directory LOCALDIR, as virt-copy-out.  Nothing is written\n"
                 "outside LOCALDIR, whatever the guest holds; set-user-ID bits,\n"
                 "owners and device nodes are not copied.  The images are only\n"
                 "read.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, COPY_TAKES);
  exit (status);
}

static int
no_option (int c, const char *arg, void *opaque)
{
  return -1;
}

/* Parses the shared options; argv[first..argc) are then the paths,
 * at least two. */
static int
parse_paths (int argc, char **argv, struct tool_options *o,
             void (*usage) (int))
{
  static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
  const struct tool_spec spec = {
    .takes = COPY_TAKES, .long_options = longopts, .usage = usage,
    .option = no_option,
  };
  int first = tool_parse (&spec, argc, argv, o);

  tools_need_images (o);
  if (argc - first < 2)
    tools_usage_error (_("expected the paths to copy, then the directory "
                         "they go into"));
  return first;
}

int
copy_in_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct tools_session s;
  CLEANUP_FREE char *dir = NULL;
  int first = parse_paths (argc, argv, &o, usage_in), ok = 1;
  struct stat st;

  /* Every local path is there before anything starts. */
  for (int i = first; i < argc - 1; ++i)
    if (lstat (argv[i], &st) == -1) {
      tool_error (_("'%s': %s"), argv[i], strerror (errno));
      tool_options_free (&o);
      return EXIT_FAILURE;
    }
  if (tools_start (&s, &o, TOOLS_WRITE | TOOLS_MOUNT | TOOLS_PROGRESS) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  dir = tools_guest_dir (&s, argv[argc - 1]);
  ok = dir != NULL;
  for (int i = first; i < argc - 1 && ok; ++i) {
    tool_progress_phase (_("copying %s"), argv[i]);
    if (drydock_copy_in (s.h, argv[i], dir) == -1)
      ok = tool_lib_error (s.h) == 0;
  }
  if (tools_finish (&s, ok) == -1)
    ok = 0;
  tool_options_free (&o);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
copy_out_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct tools_session s;
  int first = parse_paths (argc, argv, &o, usage_out), errors = 0;
  const char *localdir = argv[argc - 1], *err = NULL;
  struct stat st;

  if (stat (localdir, &st) == -1)
    err = strerror (errno);
  else if (!S_ISDIR (st.st_mode))
    err = _("not a directory");
  if (err) {
    tool_error (_("'%s': %s"), localdir, err);
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  if (tools_start (&s, &o, TOOLS_MOUNT | TOOLS_PROGRESS) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  for (int i = first; i < argc - 1; ++i) {
    CLEANUP_FREE char *path = tools_guest_path (&s, argv[i]);

    tool_progress_phase (_("copying %s"), argv[i]);
    if (path == NULL)
      errors++;
    else if (drydock_copy_out (s.h, path, localdir) == -1)
      errors += tool_lib_error (s.h) != 0;
  }
  tools_finish (&s, 0);
  tool_options_free (&o);
  return errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
