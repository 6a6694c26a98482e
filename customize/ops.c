/* The operations of drydock customize: their table (names, arguments
 * and help as virt-customize's), the messages that name the operation
 * they are about, and the loop that runs them in the order given, the
 * passwords last. */

#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "customize.h"

#define N_(s) (s)

const struct customize_op_def customize_op_defs[] = {
  { "append-line", "FILE:LINE", N_("append a line to a file (created if "
                                   "missing)"),
    0, customize_check_colon, customize_append_line },
  { "chmod", "PERMISSIONS:FILE", N_("change the permissions of a file "
                                    "(octal)"),
    0, customize_check_chmod, customize_chmod },
  { "copy", "SOURCE:DEST", N_("copy files in the guest (as cp -a)"),
    0, customize_check_colon, customize_copy },
  { "copy-in", "LOCALPATH:REMOTEDIR", N_("copy a local file or tree into "
                                         "a guest directory"),
    0, customize_check_copy_in, customize_copy_in },
  { "delete", "PATH", N_("delete a file or tree (wildcards allowed)"),
    0, customize_check_path, customize_delete },
  { "firstboot", "SCRIPT", N_("run a local script once at the guest's "
                              "next boot"),
    0, customize_check_firstboot, customize_firstboot },
  { "firstboot-command", "'CMD+ARGS'", N_("run a shell command once at the "
                                          "guest's next boot"),
    0, customize_check_nonempty, customize_firstboot_command },
  { "firstboot-install", "PKG,PKG..", N_("install packages at the guest's "
                                         "next boot"),
    0, customize_check_packages, customize_firstboot_install },
  { "hostname", "HOSTNAME", N_("set the hostname (/etc/hostname, "
                               "/etc/hosts)"),
    0, customize_check_hostname, customize_hostname },
  { "install", "PKG,PKG..", N_("install packages (the guest's package "
                               "manager)"),
    0, customize_check_packages, customize_install },
  { "link", "TARGET:LINK[:LINK..]", N_("create symbolic links to TARGET"),
    0, customize_check_link, customize_link },
  { "mkdir", "DIR", N_("create a directory and its parents"),
    0, customize_check_path, customize_mkdir },
  { "move", "SOURCE:DEST", N_("move files in the guest"),
    0, customize_check_colon, customize_move },
  { "password", "USER:SELECTOR", N_("set a user's password (see below)"),
    1, customize_check_password, NULL },
  { "root-password", "SELECTOR", N_("set root's password (see below)"),
    1, customize_check_root_password, NULL },
  { "run", "SCRIPT", N_("run a local script in the guest"),
    0, customize_check_host_file, customize_run_script },
  { "run-command", "'CMD+ARGS'", N_("run a shell command in the guest"),
    0, customize_check_nonempty, customize_run_command },
  { "timezone", "TIMEZONE", N_("set the timezone (e.g. Europe/London)"),
    0, customize_check_timezone, customize_timezone },
  { "touch", "FILE", N_("create a file or update its times"),
    0, customize_check_path, customize_touch },
  { "truncate", "FILE", N_("truncate a file to zero size"),
    0, customize_check_path, customize_truncate },
  { "truncate-recursive", "PATH", N_("truncate every file under PATH"),
    0, customize_check_path, customize_truncate_recursive },
  { "uninstall", "PKG,PKG..", N_("remove packages (the guest's package "
                                 "manager)"),
    0, customize_check_packages, customize_uninstall },
  { "update", NULL, N_("update every package (the guest's package "
                       "manager)"),
    0, NULL, customize_update },
  { "upload", "FILE:DEST", N_("upload a local file to the guest"),
    0, customize_check_host_file, customize_upload },
  { "write", "FILE:CONTENT", N_("write CONTENT to a file"),
    0, customize_check_colon, customize_write },
  { NULL, NULL, NULL, 0, NULL, NULL },
};

const struct customize_op_def *
customize_find_op (const char *name)
{
  for (const struct customize_op_def *d = customize_op_defs; d->name; ++d)
    if (strcmp (d->name, name) == 0)
      return d;
  return NULL;
}

void
customize_print_ops_help (FILE *fp)
{
  for (const struct customize_op_def *d = customize_op_defs; d->name; ++d) {
    int n = fprintf (fp, "  --%s%s%s", d->name, d->metavar ? " " : "",
                     d->metavar ? d->metavar : "");

    if (n > 24)
      fprintf (fp, "\n%25s", "");
    else
      fprintf (fp, "%*s", 25 - n, "");
    fprintf (fp, "%s\n", _(d->help));
  }
}

/* The argument as messages show it: a password given on the command
 * line is hidden. */
static void
shown_arg (const struct customize_op *op, char *buf, size_t len)
{
  const char *p = op->def->last ? strstr (op->arg, "password:") : NULL;

  if (op->arg == NULL)
    *buf = '\0';
  else if (p == NULL)
    snprintf (buf, len, "%s", op->arg);
  else
    snprintf (buf, len, "%.*spassword:...", (int) (p - op->arg), op->arg);
}

static int
op_verror (const struct customize_op *op, int quote, const char *fs,
           va_list args)
{
  char arg[256], *reason = NULL;
  int r;

  shown_arg (op, arg, sizeof arg);
  r = vasprintf (&reason, fs, args);
  if (op->arg == NULL)
    tool_error ("--%s: %s", op->def->name,
                r == -1 ? "out of memory" : reason);
  else if (quote)
    tool_error ("--%s '%s': %s", op->def->name, arg,
                r == -1 ? "out of memory" : reason);
  else
    tool_error ("--%s %s: %s", op->def->name, arg,
                r == -1 ? "out of memory" : reason);
  if (r != -1)
    free (reason);
  return -1;
}

int
customize_op_error (struct customize_ctx *c, const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  op_verror (c->op, 0, fs, args);
  va_end (args);
  return -1;
}

int
customize_op_lib_error (struct customize_ctx *c)
{
  const char *msg = drydock_last_error (c->h);

  return customize_op_error (c, "%s", msg ? msg : _("unknown error"));
}

int
customize_arg_error (const struct customize_op *op, const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  op_verror (op, 1, fs, args);
  va_end (args);
  return -1;
}

int
customize_split2 (const struct customize_op *op, const char *want,
                  char **a, char **b)
{
  const char *colon = strchr (op->arg, ':');

  *a = *b = NULL;
  if (colon == NULL || colon == op->arg)
    return customize_arg_error (op, _("expected %s"), want);
  *a = strndup (op->arg, colon - op->arg);
  *b = strdup (colon + 1);
  if (*a == NULL || *b == NULL) {
    free (*a);
    free (*b);
    return customize_arg_error (op, _("out of memory"));
  }
  return 0;
}

int
customize_run_ops (struct customize_ctx *c)
{
  int any_last = 0;

  if (customize_check_guest (c) == -1)
    return -1;
  for (size_t i = 0; i < c->o->n_ops; ++i) {
    c->op = &c->o->ops[i];
    if (c->op->def->last) {
      any_last = 1;
      continue;
    }
    tool_progress_phase ("--%s %s", c->op->def->name,
                         c->op->arg ? c->op->arg : "");
    if (c->op->def->run (c) == -1)
      return -1;
  }
  if (any_last) {
    tool_progress_phase (_("setting passwords"));
    return customize_passwords (c);
  }
  return 0;
}
