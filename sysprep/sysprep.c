/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock sysprep: options and the transaction.  One launch: the
 * guest is inspected, and for each operating system found its
 * filesystems are mounted, the enabled operations run on them
 * (customize's last), the filesystems are unmounted and the device
 * operations (fs-uuids, lvm-uuids) run; all on the overlays.  Only when
 * every one worked are the changes committed into the images.  A
 * failure, or --dry-run, closes the handle without a shutdown, so
 * nothing reaches the images. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "sysprep.h"

/* The shared options sysprep takes, as virt-sysprep. */
#define SYSPREP_TAKES (TOOL_OPT_ADD | TOOL_OPT_KEYS | TOOL_OPT_ONE_SOURCE)

enum {
  OPT_ENABLE = TOOL_OWN_OPTION,
  OPT_OPERATIONS,
  OPT_LIST_OPERATIONS,
  OPT_MOUNT_OPTIONS,
  OPT_REMOVE_USERS,
  OPT_KEEP_USERS,
  OPT_SCRIPT,
  OPT_SCRIPTDIR,
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;
  const char *p = tool_program_name ();

  fprintf (fp, _("Usage: %s {-a IMAGE [-a IMAGE ...] | -d DOMAIN} [OPTIONS]\n"
                 "Reset a guest so that clones can be made of it, as "
                 "virt-sysprep: SSH\nhost keys, logs, machine ID, MAC "
                 "addresses ... removed, on each\noperating system of the "
                 "images, in one session.  Only when every\noperation "
                 "worked are the changes written into the images; a "
                 "failure\nleaves them as they were.\n\n"), p);
  tool_print_options_help (fp, SYSPREP_TAKES);
  fprintf (fp, _("  -n, --dry-run          run everything, then discard the "
                 "changes\n"
                 "  --list-operations      the operations, \"*\" marking "
                 "those run by default\n"
                 "  --operations [-]OP,... the operations to run: names, "
                 "\"defaults\", \"all\";\n"
                 "                         \"-OP\" removes one (repeatable, "
                 "the first starts\n"
                 "                         from none)\n"
                 "  --enable OP,...        run only these operations\n"
                 "  --remove-user-accounts USER,...\n"
                 "                         user-account removes only these "
                 "users\n"
                 "  --keep-user-accounts USER,...\n"
                 "                         user-account keeps these users\n"
                 "  --mount-options MP:OPTS[;MP:OPTS...]\n"
                 "                         mount options of the guest's "
                 "mountpoints\n"
                 "  --script SCRIPT        the script operation runs SCRIPT on "
                 "the host,\n"
                 "                         in the guest's root served with "
                 "FUSE\n"
                 "  --scriptdir DIR        serve it there (default: a "
                 "temporary directory)\n"
                 "  -m, --memsize MB       the appliance's memory\n"
                 "  --network, --no-network\n"
                 "                         give the appliance a network "
                 "(default: none,\n"
                 "                         but on for --install, --uninstall "
                 "and --update,\n"
                 "                         and the subscription-manager "
                 "ones)\n"
                 "  --password-crypto md5|sha256|sha512\n"
                 "                         how passwords are hashed (default "
                 "sha512)\n"
                 "  --smp N                the appliance's virtual CPUs, for "
                 "commands\n\n"
                 "Customize operations (the customize operation runs them, "
                 "after the others):\n"));
  customize_print_ops_help (fp);
  exit (status);
}

/* Adds the names of a USER,... list to l. */
static int
add_users (struct strlist *l, const char *opt, const char *list)
{
  for (const char *p = list;; ) {
    size_t len = strcspn (p, ",");

    if (len == 0)
      return tool_error (_("%s '%s': an empty user name"), opt, list);
    if (strlist_addf (l, "%.*s", (int) len, p) == -1)
      return tool_error ("%s", strerror (errno));
    if (p[len] == '\0')
      return 0;
    p += len + 1;
  }
}

/* --mount-options: MP:OPTIONS entries separated by ";", each MP an
 * absolute path. */
static int
check_mount_options (const char *value)
{
  for (const char *p = value; *p; ) {
    size_t len = strcspn (p, ";");
    const char *colon = memchr (p, ':', len);

    if (len > 0 && (colon == NULL || p[0] != '/'))
      return tool_error (_("--mount-options '%s': expected "
                           "MOUNTPOINT:OPTIONS[;MOUNTPOINT:OPTIONS...], "
                           "each mountpoint absolute"), value);
    p += len + (p[len] == ';');
  }
  return 0;
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct sysprep_opts *o = opaque;

  switch (c) {
  case 'n': o->cust.dry_run = 1; return 0;
  case OPT_ENABLE: return sysprep_select (o, arg, 1);
  case OPT_OPERATIONS: return sysprep_select (o, arg, 0);
  case OPT_LIST_OPERATIONS:
    sysprep_list_operations (stdout);
    exit (EXIT_SUCCESS);
  case OPT_MOUNT_OPTIONS:
    o->mount_options = arg;
    return check_mount_options (arg);
  case OPT_REMOVE_USERS:
    return add_users (&o->remove_users, "--remove-user-accounts", arg);
  case OPT_KEEP_USERS:
    return add_users (&o->keep_users, "--keep-user-accounts", arg);
  case OPT_SCRIPT:
    if (strlist_add (&o->scripts, arg) == -1)
      return tool_error ("%s", strerror (errno));
    return 0;
  case OPT_SCRIPTDIR:
    o->scriptdir = arg;
    return 0;
  default:
    return customize_option (&o->cust, c, arg) == 0 ? 0 : -1;
  }
}

static const struct option own_longopts[] = {
  { "dry-run", no_argument, NULL, 'n' },
  { "dryrun", no_argument, NULL, 'n' },
  { "enable", required_argument, NULL, OPT_ENABLE },
  { "operations", required_argument, NULL, OPT_OPERATIONS },
  { "operation", required_argument, NULL, OPT_OPERATIONS },
  { "list-operations", no_argument, NULL, OPT_LIST_OPERATIONS },
  { "mount-options", required_argument, NULL, OPT_MOUNT_OPTIONS },
  { "remove-user-accounts", required_argument, NULL, OPT_REMOVE_USERS },
  { "keep-user-accounts", required_argument, NULL, OPT_KEEP_USERS },
  { "script", required_argument, NULL, OPT_SCRIPT },
  { "scriptdir", required_argument, NULL, OPT_SCRIPTDIR },
};
#define N_OWN (sizeof own_longopts / sizeof own_longopts[0])

/* Usage errors and bad arguments exit at once. */
static void
parse_options (int argc, char **argv, struct sysprep_opts *o)
{
  static struct option longopts[N_OWN + CUSTOMIZE_MAX_OPTIONS + 1];
  const struct tool_spec spec = {
    .takes = SYSPREP_TAKES, .short_options = "nm:",
    .long_options = longopts, .usage = usage, .option = own_option,
    .opaque = o,
  };
  const struct sysprep_op *user_account = NULL;
  int first;

  memcpy (longopts, own_longopts, sizeof own_longopts);
  customize_add_options (longopts, N_OWN, N_OWN + CUSTOMIZE_MAX_OPTIONS);
  first = tool_parse (&spec, argc, argv, &o->cust.tool);
  if (first < argc) {
    tool_error (_("'%s': unexpected argument (try --help)"), argv[first]);
    exit (EXIT_FAILURE);
  }
  if (customize_check_ops (&o->cust) == -1)
    exit (EXIT_FAILURE);
  for (size_t i = 0; i < SYSPREP_N_OPS; ++i)
    if (strcmp (sysprep_ops[i].name, "user-account") == 0)
      user_account = &sysprep_ops[i];
  if ((o->remove_users.len || o->keep_users.len) &&
      !sysprep_enabled (o, user_account)) {
    tool_error (_("--%s-user-accounts was given, but the user-account "
                  "operation is not enabled (see --operations)"),
                o->remove_users.len ? "remove" : "keep");
    exit (EXIT_FAILURE);
  }
  if (o->cust.tool.n_drives == 0) {
    tool_error (_("no image given: use -a IMAGE or -d DOMAIN (try --help)"));
    exit (EXIT_FAILURE);
  }
}

/* The options --mount-options gives mountpoint mp ("" if none). */
static char *
mount_options_of (const char *list, const char *mp)
{
  size_t mlen = strlen (mp);

  for (const char *p = list; *p; ) {
    size_t len = strcspn (p, ";");
    const char *colon = memchr (p, ':', len);

    if (colon && (size_t) (colon - p) == mlen && memcmp (p, mp, mlen) == 0)
      return strndup (colon + 1, len - mlen - 1);
    p += len + (p[len] == ';');
  }
  return strdup ("");
}

struct mountpoint {
  const char *mp, *dev;
};

static int
shorter_first (const void *a, const void *b)
{
  size_t x = strlen (((const struct mountpoint *) a)->mp);
  size_t y = strlen (((const struct mountpoint *) b)->mp);

  return x < y ? -1 : x > y;
}

/* Mounts the root's filesystems, shortest mountpoint first (/ before
 * /var before /var/log), with the options --mount-options gives them. */
static int
mount_root (struct sysprep_ctx *c)
{
  CLEANUP_FREE_STRING_LIST char **pairs = NULL;
  CLEANUP_FREE struct mountpoint *v = NULL;
  size_t n;

  if (c->o->mount_options == NULL)
    return drydock_inspect_mount_root (c->h, c->root) == -1 ?
      tool_lib_error (c->h) : 0;
  pairs = drydock_inspect_get_mountpoints (c->h, c->root);
  if (pairs == NULL)
    return tool_lib_error (c->h);
  n = count_strings (pairs) / 2;
  v = calloc (n + 1, sizeof *v);
  if (v == NULL)
    return tool_error ("%s", strerror (errno));
  for (size_t i = 0; i < n; ++i)
    v[i] = (struct mountpoint) { pairs[2 * i], pairs[2 * i + 1] };
  qsort (v, n, sizeof *v, shorter_first);
  for (size_t i = 0; i < n; ++i) {
    CLEANUP_FREE char *opts = mount_options_of (c->o->mount_options, v[i].mp);

    if (opts == NULL)
      return tool_error ("%s", strerror (errno));
    if (drydock_mount_options (c->h, opts, v[i].dev, v[i].mp) == -1)
      return tool_lib_error (c->h);
  }
  return 0;
}

static void
forget_root (struct sysprep_ctx *c)
{
  free (c->type);
  free (c->distro);
  free (c->pkg_format);
  free (c->pkg_mgmt);
  c->type = c->distro = c->pkg_format = c->pkg_mgmt = NULL;
}

/* The operations on one operating system. */
static int
sysprep_root (struct sysprep_ctx *c, const char *root)
{
  forget_root (c);
  c->root = root;
  c->type = drydock_inspect_get_type (c->h, root);
  c->distro = drydock_inspect_get_distro (c->h, root);
  c->pkg_format = drydock_inspect_get_package_format (c->h, root);
  c->pkg_mgmt = drydock_inspect_get_package_management (c->h, root);
  if (c->type == NULL || c->distro == NULL || c->pkg_format == NULL ||
      c->pkg_mgmt == NULL)
    return tool_lib_error (c->h);
  tool_progress_phase (_("%s: mounting"), root);
  if (mount_root (c) == -1 || sysprep_run_phase (c, 0) == -1)
    return -1;
  if (drydock_umount_all (c->h) == -1)
    return tool_lib_error (c->h);
  return sysprep_run_phase (c, 1);
}

/* The whole session; 0 only when the changes were settled as asked. */
static int
run (struct sysprep_opts *o)
{
  struct sysprep_ctx c = { .o = o };
  CLEANUP_FREE_STRING_LIST char **opened = NULL, **roots = NULL;
  int ret = -1;

  c.h = tool_create_handle (&o->cust.tool, 1);
  if (c.h == NULL)
    return -1;
  if ((o->cust.memsize && drydock_set_memsize (c.h, o->cust.memsize) == -1) ||
      (o->cust.smp && drydock_set_smp (c.h, o->cust.smp) == -1) ||
      drydock_set_network (c.h, customize_network (&o->cust)) == -1) {
    tool_lib_error (c.h);
    goto out;
  }
  /* --dry-run: read-only drives, whose overlays are always discarded. */
  if (o->cust.dry_run)
    o->cust.tool.ro = 1;
  if (tool_add_drives (c.h, &o->cust.tool, NULL) == -1 ||
      tool_launch (c.h) == -1 ||
      tool_open_encrypted (c.h, &o->cust.tool, 0, &opened) == -1)
    goto out;
  c.opened = opened;
  tool_progress_phase (_("inspecting the guest"));
  roots = drydock_inspect_os (c.h);
  if (roots == NULL) {
    tool_lib_error (c.h);
    goto out;
  }
  if (roots[0] == NULL) {
    tool_error (_("no operating system was found on the disks: nothing "
                  "was changed"));
    goto out;
  }
  for (char **r = roots; *r; ++r)
    if (sysprep_root (&c, *r) == -1)
      goto out;
  if (!o->cust.dry_run) {
    tool_progress_phase (_("writing the changes"));
    if (drydock_shutdown (c.h) == -1) {
      tool_lib_error (c.h);
      goto out;
    }
  }
  ret = 0;
 out:
  /* Without a successful shutdown nothing is committed. */
  drydock_close (c.h);
  forget_root (&c);
  return ret;
}

int
sysprep_main (int argc, char *argv[])
{
  struct sysprep_opts o = { .cust.network = -1 };
  int ret;

  parse_options (argc, argv, &o);
  ret = run (&o);
  strlist_free (&o.remove_users);
  strlist_free (&o.keep_users);
  strlist_free (&o.scripts);
  customize_opts_free (&o.cust);
  return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
