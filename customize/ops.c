/* The operations of drydock customize: their table (names, arguments
 * and help as virt-customize's), the list of them the command line
 * (and --commands-from-file) builds, the messages that name the
 * operation they are about, and the session that runs them in the
 * order given, the passwords last. */

#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "customize.h"

#define N_(s) (s)

const struct customize_op_def customize_op_defs[] = {
  { "add-modules", "MOD,MOD..", N_("add kernel modules to the initramfs "
                                   "(rebuilt)"),
    0, customize_check_modules, customize_add_modules },
  { "append-line", "FILE:LINE", N_("append a line to a file (created if "
                                   "missing)"),
    0, customize_check_colon, customize_append_line },
  { "chmod", "PERMISSIONS:FILE", N_("change the permissions of a file "
                                    "(octal)"),
    0, customize_check_chmod, customize_chmod },
  { "chown", "UID:GID:PATH", N_("change a file's owner (numeric IDs)"),
    0, customize_check_chown, customize_chown },
  { "commands-from-file", "FILENAME", N_("read operations from a file, "
                                         "one a line"),
    0, customize_check_commands_file, NULL },
  { "copy", "SOURCE:DEST", N_("copy files in the guest (as cp -a)"),
    0, customize_check_colon, customize_copy },
  { "copy-in", "LOCALPATH:REMOTEDIR", N_("copy a local file or tree into "
                                         "a guest directory"),
    0, customize_check_copy_in, customize_copy_in },
  { "delete", "PATH", N_("delete a file or tree (wildcards allowed)"),
    0, customize_check_path, customize_delete },
  { "edit", "FILE:EXPR", N_("edit each line with s/RE/REPL/FLAGS "
                            "(Perl's)"),
    0, customize_check_edit, customize_edit },
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
  { "inject-qemu-ga", "MSI|DIR|ISO", N_("install the QEMU guest agent at "
                                        "the next boot (Windows)"),
    0, customize_check_qemu_ga, customize_inject_qemu_ga },
  { "inject-virtio-win", "DIR|ISO", N_("add virtio-win's drivers, the boot "
                                       "one at once (Windows)"),
    0, customize_check_virtio_win, customize_inject_virtio_win },
  { "install", "PKG,PKG..", N_("install packages (the guest's package "
                               "manager)"),
    0, customize_check_packages, customize_install },
  { "link", "TARGET:LINK[:LINK..]", N_("create symbolic links to TARGET"),
    0, customize_check_link, customize_link },
  { "mkdir", "DIR", N_("create a directory and its parents"),
    0, customize_check_path, customize_mkdir },
  { "move", "SOURCE:DEST", N_("move files in the guest"),
    0, customize_check_colon, customize_move },
  { "no-logfile", NULL, N_("scrub the commands' log at the end"),
    0, customize_check_flag, NULL },
  { "password", "USER:SELECTOR", N_("set a user's password (see below)"),
    1, customize_check_password, NULL },
  { "rebuild-initramfs", NULL, N_("rebuild the initramfs of every "
                                   "kernel"),
    0, customize_check_flag, customize_rebuild_initramfs },
  { "reg-delete", "KEY[:NAME]", N_("delete a registry key, or a value "
                                   "(Windows)"),
    0, customize_check_reg_delete, customize_reg_delete },
  { "reg-import", "FILE.reg", N_("merge a .reg file into the registry "
                                 "(Windows)"),
    0, customize_check_reg_import, customize_reg_import },
  { "reg-set", "'KEY\\NAME=TYPE:VALUE'", N_("set a registry value (see "
                                             "below)"),
    0, customize_check_reg_set, customize_reg_set },
  { "remove-hypervisor-tools", NULL, N_("remove VMware and Xen guest "
                                        "tools"),
    0, customize_check_flag, customize_remove_hypervisor_tools },
  { "root-password", "SELECTOR", N_("set root's password (see below)"),
    1, customize_check_root_password, NULL },
  { "run", "SCRIPT", N_("run a local script in the guest"),
    0, customize_check_host_file, customize_run_script },
  { "run-command", "'CMD+ARGS'", N_("run a shell command in the guest"),
    0, customize_check_nonempty, customize_run_command },
  { "scrub", "FILE", N_("scrub a file from the guest"),
    0, customize_check_path, customize_scrub },
  { "selinux-relabel", NULL, N_("relabel the files for SELinux at the "
                                "end"),
    0, customize_check_flag, NULL },
  { "sm-attach", "SELECTOR", N_("attach to a subscription pool (see "
                                 "below)"),
    0, customize_check_sm_attach, customize_sm_attach },
  { "sm-credentials", "SELECTOR", N_("subscription-manager's credentials "
                                     "(see below)"),
    0, customize_check_sm_credentials, NULL },
  { "sm-register", NULL, N_("register with subscription-manager"),
    0, customize_check_flag, customize_sm_register },
  { "sm-remove", NULL, N_("remove every subscription"),
    0, customize_check_flag, customize_sm_remove },
  { "sm-unregister", NULL, N_("unregister with subscription-manager"),
    0, customize_check_flag, customize_sm_unregister },
  { "ssh-inject", "USER[:SELECTOR]", N_("add an ssh key for USER (see below)"),
    0, customize_check_ssh_inject, customize_ssh_inject },
  { "tar-in", "TARFILE:REMOTEDIR", N_("unpack an uncompressed local tar "
                                      "file"),
    0, customize_check_tar_in, customize_tar_in },
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
    0, customize_check_flag, customize_update },
  { "upload", "FILE:DEST", N_("upload a local file to the guest"),
    0, customize_check_host_file, customize_upload },
  { "virtio-linux", NULL, N_("make a Linux guest run on virtio disks "
                              "and network"),
    0, customize_check_flag, customize_virtio_linux },
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
 * line is hidden (sm.c hides its own). */
static void
shown_arg (const struct customize_op *op, char *buf, size_t len)
{
  const char *p = op->def->last ? strstr (op->arg, "password:") : NULL;

  if (op->arg == NULL)
    *buf = '\0';
  else if (strcmp (op->def->name, "sm-credentials") == 0)
    customize_sm_shown_credentials (op->arg, buf, len);
  else if (p == NULL)
    snprintf (buf, len, "%s", op->arg);
  else
    snprintf (buf, len, "%.*spassword:...", (int) (p - op->arg), op->arg);
}

/* Where the arguments being checked come from, NULL: the command line. */
static const char *arg_source;

void
customize_set_arg_source (const char *where)
{
  arg_source = where;
}

static int
op_verror (const struct customize_op *op, int quote, const char *fs,
           va_list args)
{
  char arg[256], *reason = NULL;
  const char *src = quote && arg_source ? arg_source : "";
  int r;

  shown_arg (op, arg, sizeof arg);
  r = vasprintf (&reason, fs, args);
  if (op->def->metavar == NULL)
    tool_error ("%s%s--%s: %s", src, *src ? ": " : "", op->def->name,
                r == -1 ? "out of memory" : reason);
  else if (quote)
    tool_error ("%s%s--%s '%s': %s", src, *src ? ": " : "", op->def->name,
                arg, r == -1 ? "out of memory" : reason);
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

/* ---- the list of operations ---- */

int
customize_check_flag (struct customize_op *op)
{
  (void) op;
  return 0;
}

int
customize_add_owned_op (struct customize_opts *o,
                        const struct customize_op_def *def, char *owned)
{
  struct customize_op *ops = realloc (o->ops, (o->n_ops + 1) * sizeof *ops);

  if (ops == NULL) {
    free (owned);
    return tool_error ("%s", _("out of memory"));
  }
  o->ops = ops;
  ops[o->n_ops] = (struct customize_op) { .def = def, .arg = owned,
                                          .owned = owned };
  /* Counted before the check, so that what it read is freed too. */
  o->n_ops++;
  return def->check (&ops[o->n_ops - 1]);
}

int
customize_add_op (struct customize_opts *o, const struct customize_op_def *def,
                  const char *arg)
{
  struct customize_op *ops;

  if (strcmp (def->name, "commands-from-file") == 0)
    return customize_commands_from_file (o, arg);
  ops = realloc (o->ops, (o->n_ops + 1) * sizeof *ops);
  if (ops == NULL)
    return tool_error ("%s", _("out of memory"));
  o->ops = ops;
  ops[o->n_ops] = (struct customize_op) { .def = def, .arg = arg ? arg : "" };
  o->n_ops++;
  return def->check (&ops[o->n_ops - 1]);
}

void
customize_free_ops (struct customize_opts *o)
{
  for (size_t i = 0; i < o->n_ops; ++i) {
    free (o->ops[i].owned);
    free (o->ops[i].secret);
  }
  free (o->ops);
  o->ops = NULL;
  o->n_ops = 0;
}

/* ---- the session ---- */

const struct customize_op *
customize_given (const struct customize_ctx *c, const char *name)
{
  for (size_t i = 0; i < c->o->n_ops; ++i)
    if (strcmp (c->o->ops[i].def->name, name) == 0)
      return &c->o->ops[i];
  return NULL;
}

/* Before the operations: what the guest is, checked against what each
 * operation needs (a refusal changes nothing); then, as
 * virt-customize, the log's place, a new random seed and an empty
 * machine ID filled in (an installer run by a command may need one). */
static int
run_first (struct customize_ctx *c)
{
  /* A caller that inspected the guest itself may not know these. */
  char **facts[] = { &c->type, &c->arch, &c->package_management };
  char *(*get[]) (drydock_h *, const char *) = {
    drydock_inspect_get_type, drydock_inspect_get_arch,
    drydock_inspect_get_package_management,
  };

  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; ++i)
    if (*facts[i] == NULL) {
      *facts[i] = c->root ? get[i] (c->h, c->root) : strdup ("unknown");
      if (*facts[i] == NULL)
        return tool_lib_error (c->h);
    }
  /* Every operation checked against the guest before anything runs. */
  if (customize_check_guest (c) == -1)
    return -1;
  if (customize_log_start (c) == -1)
    return -1;
  tool_progress_phase (_("setting a random seed"));
  if (customize_random_seed (c) == -1)
    return -1;
  return customize_machine_id (c);
}

/* After them: the SELinux labels, then the log scrubbed.  A warning
 * only once everything worked, so that a failure stays one line. */
static int
run_last (struct customize_ctx *c)
{
  if ((c->op = customize_given (c, "selinux-relabel")) != NULL) {
    tool_progress_phase (_("SELinux relabelling"));
    if (customize_selinux_relabel (c) == -1)
      return -1;
  }
  if ((c->op = customize_given (c, "no-logfile")) != NULL &&
      customize_log_finish (c) == -1)
    return -1;
  if (c->seed_missing)
    tool_warning (_("random seed could not be set for this type of guest"));
  if (c->hostname_unset)
    tool_warning (_("hostname could not be set for this type of guest"));
  return 0;
}

int
customize_run_ops (struct customize_ctx *c)
{
  int any_last = 0;

  if (run_first (c) == -1)
    return -1;
  for (size_t i = 0; i < c->o->n_ops; ++i) {
    c->op = &c->o->ops[i];
    if (c->op->def->last) {
      any_last = 1;
      continue;
    }
    if (c->op->def->run == NULL)
      continue;
    /* An argument continued over lines in a commands file: its first. */
    tool_progress_phase ("--%s %.*s%s", c->op->def->name,
                         (int) strcspn (c->op->arg, "\n"), c->op->arg,
                         strchr (c->op->arg, '\n') ? " ..." : "");
    if (c->op->def->run (c) == -1)
      return -1;
  }
  if (any_last) {
    tool_progress_phase (_("setting passwords"));
    if (customize_passwords (c) == -1)
      return -1;
  }
  return run_last (c);
}
