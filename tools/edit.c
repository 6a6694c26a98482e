/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock edit: edit guest files, as virt-edit.  Each file is copied
 * to a private local directory, changed there by $EDITOR or by the
 * Perl-like s/// of -e (customize's, customize/subst.h), and, only if
 * its content changed, written back beside the original and renamed
 * over it with the original's mode, owner and extended attributes (the
 * original kept as FILE.EXT with -b EXT).  The images are written only
 * when every file was edited: an error, or no change at all, leaves
 * them as they were. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "subst.h"
#include "tools.h"

#define EDIT_TAKES (TOOL_OPT_ADD | TOOL_OPT_MOUNT | TOOL_OPT_KEYS)

/* Larger files are not edited in memory. */
#define EDIT_MAX ((size_t) 512 * 1024 * 1024)

extern char **environ;

struct edit_options {
  const char *expr;
  const char *backup;
  struct customize_subst *subst;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS] FILE ...\n"
                 "Edit files of the guest in disk images, as virt-edit: each one\n"
                 "in $EDITOR (vi if unset), or with -e non-interactively.  A file\n"
                 "is written back only if its content changed, keeping its mode,\n"
                 "owner and attributes, and the images only when every file was\n"
                 "edited.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, EDIT_TAKES);
  fprintf (fp, _("  -e, --edit, --expr EXPR\n"
                 "                         apply the Perl substitution\n"
                 "                         s/PATTERN/REPLACEMENT/FLAGS to each line\n"
                 "                         (flags g i m s x; $1 \\1 $& in the\n"
                 "                         replacement) instead of an editor\n"
                 "  -b, --backup EXT       keep the original file as FILE.EXT\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct edit_options *eo = opaque;

  switch (c) {
  case 'e': eo->expr = arg; return 0;
  case 'b':
    if (*arg == '\0' || strchr (arg, '/'))
      return tool_error (_("-b '%s': the backup extension must be "
                           "non-empty, without '/'"), arg);
    eo->backup = arg;
    return 0;
  default: return -1;
  }
}

static int
parse_options (int argc, char **argv, struct tool_options *o,
               struct edit_options *eo)
{
  static const struct option longopts[] = {
    { "backup", required_argument, NULL, 'b' },
    { "edit", required_argument, NULL, 'e' },
    { "expr", required_argument, NULL, 'e' },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = EDIT_TAKES, .short_options = "b:e:", .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = eo,
  };
  int first = tool_parse (&spec, argc, argv, o);
  char msg[512];

  tools_need_images (o);
  if (first >= argc)
    tools_usage_error (_("no file given"));
  /* A malformed expression is refused before anything starts. */
  if (eo->expr &&
      (eo->subst = customize_subst_new (eo->expr, msg, sizeof msg)) == NULL) {
    tool_error (_("-e '%s': %s"), eo->expr, msg);
    exit (EXIT_FAILURE);
  }
  return first;
}

/* Runs $EDITOR (vi if unset or empty) on file; 0 if it exited 0. */
static int
run_editor (const char *file)
{
  const char *editor = getenv ("EDITOR");
  char *const argv[] = {
    (char *) "sh", (char *) "-c", (char *) "exec $0 \"$1\"",
    (char *) (editor && *editor ? editor : "vi"), (char *) file, NULL
  };
  pid_t pid;
  int status, r;

  /* $0 unquoted: EDITOR may be "emacs -nw". */
  r = posix_spawnp (&pid, "sh", NULL, NULL, argv, environ);
  if (r != 0)
    return tool_error (_("cannot run the editor %s: %s"), argv[3],
                       strerror (r));
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      return tool_error ("waitpid: %s", strerror (errno));
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return tool_error (_("the editor %s failed (status %d): nothing was "
                         "written"), argv[3],
                       WIFEXITED (status) ? WEXITSTATUS (status) : -1);
  return 0;
}

/* The local file's new content as the editor or -e leave it (caller
 * frees), from its old content. */
static char *
new_content (const struct edit_options *eo, const char *local,
             const char *old, size_t oldlen, size_t *len)
{
  char msg[512];
  char *out;

  if (eo->subst) {
    if (customize_subst_apply (eo->subst, old, oldlen, &out, len, msg,
                               sizeof msg) == -1) {
      tool_error (_("-e: %s"), msg);
      return NULL;
    }
    return out;
  }
  if (run_editor (local) == -1)
    return NULL;
  out = read_file_max (local, EDIT_MAX + 1, len);
  if (out == NULL || *len > EDIT_MAX) {
    tool_error (_("%s: %s"), local, out ? _("too large") : strerror (errno));
    free (out);
    return NULL;
  }
  return out;
}

static int
write_local (const char *path, const char *buf, size_t len)
{
  CLEANUP_CLOSE int fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC);

  if (fd == -1 || write_all (fd, buf, len) == -1)
    return tool_error (_("%s: %s"), path, strerror (errno));
  return 0;
}

/* Puts the local file's content in place of the guest file real: a new
 * file beside it with its attributes, renamed over it (the original
 * renamed to real.EXT first with -b). */
static int
replace (drydock_h *h, const char *real, const char *local,
         const char *backup)
{
  CLEANUP_FREE char *tmpl = NULL, *tmp = NULL, *saved = NULL;

  if (asprintf (&tmpl, "%s.XXXXXX", real) == -1 ||
      (backup && asprintf (&saved, "%s%s", real, backup) == -1))
    return tool_error ("%s", strerror (errno));
  if ((tmp = drydock_mktemp (h, tmpl)) == NULL)
    return tool_lib_error (h);
  if (drydock_upload (h, local, tmp) == -1 ||
      drydock_copy_attributes_opts (h, real, tmp,
                                    DRYDOCK_COPY_ATTRIBUTES_OPTS_ALL, 1,
                                    -1) == -1 ||
      (saved && drydock_mv (h, real, saved) == -1) ||
      drydock_mv (h, tmp, real) == -1) {
    tool_lib_error (h);
    drydock_rm_f (h, tmp);
    return -1;
  }
  return 0;
}

/* The guest file path is, after symbolic links (caller frees); a
 * regular file that exists, or NULL (printed). */
static char *
existing_file (struct tools_session *s, const char *arg)
{
  CLEANUP_FREE char *path = tools_guest_path (s, arg);
  char *real;
  int r;

  if (path == NULL)
    return NULL;
  r = drydock_is_file_opts (s->h, path, DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS,
                            1, -1);
  if (r == 0) {
    /* virt-edit cannot create files either. */
    if (drydock_exists (s->h, path) == 1)
      tool_error (_("%s: not a regular file in the guest"), arg);
    else
      tool_error (_("%s: no such file in the guest (edit does not create "
                    "files)"), arg);
    return NULL;
  }
  if (r == -1 || (real = drydock_realpath (s->h, path)) == NULL) {
    tool_lib_error (s->h);
    return NULL;
  }
  return real;
}

/* Edits one file in the private directory dir; *changed set if it was
 * written back. */
static int
edit_one (struct tools_session *s, const struct edit_options *eo,
          const char *dir, const char *arg, int *changed)
{
  CLEANUP_FREE char *real = existing_file (s, arg), *copy = NULL,
    *local = NULL, *old = NULL, *new = NULL;
  size_t oldlen, newlen;
  int r = -1;

  if (real == NULL)
    return -1;
  /* The guest's name, so the editor shows it. */
  if ((copy = strdup (real)) == NULL ||
      asprintf (&local, "%s/%s", dir, basename (copy)) == -1)
    return tool_error ("%s", strerror (errno));
  if (drydock_download (s->h, real, local) == -1)
    return tool_lib_error (s->h);
  old = read_file_max (local, EDIT_MAX + 1, &oldlen);
  if (old == NULL || oldlen > EDIT_MAX)
    tool_error (_("%s: %s"), arg, old ? _("too large to edit") :
                strerror (errno));
  else if ((new = new_content (eo, local, old, oldlen, &newlen)) != NULL) {
    if (newlen == oldlen && memcmp (new, old, oldlen) == 0)
      r = 0;
    else if ((!eo->subst || write_local (local, new, newlen) == 0) &&
             (r = replace (s->h, real, local, eo->backup)) == 0)
      *changed = 1;
  }
  unlink (local);
  return r;
}

int
edit_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct edit_options eo = { 0 };
  struct tools_session s;
  const char *tmpdir = getenv ("TMPDIR");
  CLEANUP_FREE char *dir = NULL;
  int first = parse_options (argc, argv, &o, &eo), changed = 0, ok = 1;

  /* Private (0700): the guest's files pass through it. */
  if (asprintf (&dir, "%s/drydock-edit.XXXXXX",
                tmpdir && *tmpdir ? tmpdir : "/tmp") == -1)
    dir = NULL;
  if (dir == NULL || mkdtemp (dir) == NULL) {
    tool_error (_("a temporary directory: %s"), strerror (errno));
    free (TAKE_PTR (dir));
    ok = 0;
  }
  else if (tools_start (&s, &o, TOOLS_WRITE | TOOLS_MOUNT) == -1)
    ok = 0;
  else {
    for (int i = first; i < argc && ok; ++i)
      ok = edit_one (&s, &eo, dir, argv[i], &changed) == 0;
    /* Nothing changed: nothing to write, not even a mount's traces. */
    if (tools_finish (&s, ok && changed) == -1)
      ok = 0;
  }
  if (dir)
    rmdir (dir);
  customize_subst_free (eo.subst);
  tool_options_free (&o);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
