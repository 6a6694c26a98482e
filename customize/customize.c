/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock customize: options and the transaction.  One launch: the
 * guest is inspected (exactly one operating system), the operations
 * run in the order given on the overlays (passwords last), and only
 * when every one worked are the changes committed into the images (or
 * kept in --output-overlay).  A failure, or --dry-run, closes the
 * handle without a shutdown, so nothing reaches the images. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"
#include "strlist.h"

/* The shared options customize takes, as virt-customize. */
#define CUSTOMIZE_TAKES (TOOL_OPT_ADD | TOOL_OPT_KEYS | TOOL_OPT_ONE_SOURCE)

/* customize's own option; the shared ones (customize_add_options)
 * have values from CUSTOMIZE_OPTION_BASE up. */
enum { OPT_OUTPUT_OVERLAY = TOOL_OWN_OPTION };

enum {
  OPT_NETWORK = CUSTOMIZE_OPTION_BASE,
  OPT_NO_NETWORK,
  OPT_PASSWORD_CRYPTO,
  OPT_SMP,
  OPT_OP_BASE,                /* + the index in customize_op_defs */
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;
  const char *p = tool_program_name ();

  fprintf (fp, _("Usage: %s {-a IMAGE [-a IMAGE ...] | -d DOMAIN} [OPTIONS] "
                 "[OPERATIONS ...]\n"
                 "Customize the guest of a disk image, as virt-customize: the\n"
                 "operations run in the order given (passwords last), in one\n"
                 "session.  Only when every one of them worked are the changes\n"
                 "written into the images; a failure leaves them as they were.\n\n"),
           p);
  tool_print_options_help (fp, CUSTOMIZE_TAKES);
  fprintf (fp, _("  -n, --dry-run          run everything, then discard the "
                 "changes\n"
                 "  -m, --memsize MB       the appliance's memory\n"
                 "  --network, --no-network\n"
                 "                         give the appliance a network (default: "
                 "none,\n"
                 "                         but on for --install, --uninstall and "
                 "--update,\n"
                 "                         and the subscription-manager ones, as\n"
                 "                         virt-customize)\n"
                 "  --output-overlay NEW.qcow2\n"
                 "                         keep the changes to the last image in a "
                 "new\n"
                 "                         qcow2 backed by it; the image is not "
                 "written\n"
                 "  --password-crypto md5|sha256|sha512\n"
                 "                         how passwords are hashed (default "
                 "sha512)\n"
                 "  --smp N                the appliance's virtual CPUs, for "
                 "commands\n\n"
                 "Operations:\n"));
  customize_print_ops_help (fp);
  fprintf (fp, _("\nPassword selectors: password:PASSWORD, file:FILENAME "
                 "(its first line),\nrandom (printed), disabled (no password "
                 "login), locked:SELECTOR.\n"
                 "SSH key selectors: none (the newest ~/.ssh/id*.pub), "
                 "file:FILENAME,\nstring:KEY.\n"
                 "--sm-credentials: USER:password:PASSWORD, "
                 "USER:file:FILENAME (its first line).\n"
                 "--sm-attach: auto, pool:POOL, file:FILENAME (the pool ID "
                 "on its first line).\n"));
  fprintf (fp, _("\nThe package operations use the package manager "
                 "inspection finds (apt, dnf,\nyum, zypper, pacman, apk, "
                 "xbps, urpmi, pisi) and need the network.  Guest\n"
                 "programs run only in a Linux guest of the appliance's "
                 "architecture\n(x86_64, or 32-bit x86).  --firstboot* "
                 "scripts run once, in order, at the\nguest's next boot "
                 "(systemd or SysV init), their output in\n"
                 "/root/drydock-firstboot.log; in Windows guests they are "
                 "startup scripts of\nthe local Group Policy, their output "
                 "in\n%%SystemDrive%%\\drydock-firstboot\\log.txt.\n"));
  fprintf (fp, _("\n--reg-set 'KEY\\NAME=TYPE:VALUE': KEY as drydock "
                 "win-reg takes it\n(HKLM\\SOFTWARE\\...), NAME after "
                 "the last backslash or the first ':'\n(KEY:NAME=...), @ "
                 "the default value; TYPE sz, expand_sz, multi_sz "
                 "(strings\nseparated by ';', \";;\" a ';'), dword, qword "
                 "(decimal or 0x...), binary (hex\ndigits).  --reg-delete "
                 "KEY deletes a key, --reg-delete KEY:NAME a value.\n"));
  exit (status);
}

size_t
customize_add_options (struct option *longopts, size_t n, size_t max)
{
  static const struct option shared[] = {
    { "memsize", required_argument, NULL, 'm' },
    { "network", no_argument, NULL, OPT_NETWORK },
    { "no-network", no_argument, NULL, OPT_NO_NETWORK },
    { "password-crypto", required_argument, NULL, OPT_PASSWORD_CRYPTO },
    { "smp", required_argument, NULL, OPT_SMP },
  };
  size_t n_shared = sizeof shared / sizeof shared[0];
  size_t n_defs = 0;

  while (customize_op_defs[n_defs].name)
    n_defs++;
  /* Too small an array is a bug of the caller. */
  if (n + n_shared + n_defs > max)
    abort ();
  for (size_t i = 0; i < n_shared; ++i)
    longopts[n++] = shared[i];
  for (size_t i = 0; i < n_defs; ++i)
    longopts[n++] = (struct option) {
      customize_op_defs[i].name,
      customize_op_defs[i].metavar ? required_argument : no_argument,
      NULL, (int) (OPT_OP_BASE + i) };
  return n;
}

int
customize_parse_memsize (struct customize_opts *o, const char *arg)
{
  char *end;
  long v = strtol (arg, &end, 10);

  if (end == arg || *end || v < 128 || v > 65536)
    return tool_error (_("-m '%s': the memory size is in MiB, from 128"),
                       arg);
  o->memsize = (int) v;
  return 0;
}

int
customize_parse_smp (struct customize_opts *o, const char *arg)
{
  char *end;
  long v = strtol (arg, &end, 10);

  if (end == arg || *end || v < 1 || v > 255)
    return tool_error (_("--smp '%s': the number of CPUs is from 1 to 255"),
                       arg);
  o->smp = (int) v;
  return 0;
}

int
customize_option (struct customize_opts *o, int c, const char *arg)
{
  size_t n_defs = 0;

  while (customize_op_defs[n_defs].name)
    n_defs++;
  switch (c) {
  case 'm': return customize_parse_memsize (o, arg);
  case OPT_NETWORK: o->network = 1; return 0;
  case OPT_NO_NETWORK: o->network = 0; return 0;
  case OPT_PASSWORD_CRYPTO:
    o->crypto = arg;
    return customize_check_crypto (arg);
  case OPT_SMP: return customize_parse_smp (o, arg);
  default:
    if (c >= OPT_OP_BASE && (size_t) (c - OPT_OP_BASE) < n_defs)
      return customize_add_op (o, &customize_op_defs[c - OPT_OP_BASE], arg);
    return 1;
  }
}

void
customize_opts_free (struct customize_opts *o)
{
  customize_free_ops (o);
  tool_options_free (&o->tool);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct customize_opts *o = opaque;

  switch (c) {
  case 'n': o->dry_run = 1; return 0;
  case OPT_OUTPUT_OVERLAY: o->output_overlay = arg; return 0;
  default:
    return customize_option (o, c, arg) == 0 ? 0 : -1;
  }
}

/* The long options: customize's own, then the shared ones. */
static const struct option own_longopts[] = {
  { "dry-run", no_argument, NULL, 'n' },
  { "output-overlay", required_argument, NULL, OPT_OUTPUT_OVERLAY },
};
#define N_OWN (sizeof own_longopts / sizeof own_longopts[0])

/* Usage errors and bad arguments of operations exit at once. */
static void
parse_options (int argc, char **argv, struct customize_opts *o)
{
  static struct option longopts[N_OWN + CUSTOMIZE_MAX_OPTIONS + 1];
  const struct tool_spec spec = {
    .takes = CUSTOMIZE_TAKES, .short_options = "nm:",
    .long_options = longopts, .usage = usage, .option = own_option,
    .opaque = o,
  };
  int first;

  memcpy (longopts, own_longopts, sizeof own_longopts);
  customize_add_options (longopts, N_OWN, N_OWN + CUSTOMIZE_MAX_OPTIONS);
  first = tool_parse (&spec, argc, argv, &o->tool);
  if (first < argc) {
    tool_error (_("'%s': unexpected argument (operations are options, "
                  "try --help)"), argv[first]);
    exit (EXIT_FAILURE);
  }
  if (o->tool.n_drives == 0) {
    tool_error (_("no image given: use -a IMAGE or -d DOMAIN (try --help)"));
    exit (EXIT_FAILURE);
  }
}

/* Inspects the disks and mounts the one operating system's
 * filesystems; c->root, c->type, c->distro, c->arch and
 * c->package_management are set. */
static int
inspect_mount (struct customize_ctx *c)
{
  CLEANUP_FREE_STRING_LIST char **roots = NULL;
  size_t n;

  tool_progress_phase (_("inspecting the guest"));
  roots = drydock_inspect_os (c->h);
  if (roots == NULL)
    return tool_lib_error (c->h);
  n = count_strings (roots);
  if (n == 0)
    return tool_error (_("no operating system was found on the disks: "
                         "nothing was changed"));
  if (n > 1)
    return tool_error (_("%zu operating systems were found (%s, %s%s): "
                         "customize needs exactly one; nothing was "
                         "changed"), n, roots[0], roots[1],
                       n > 2 ? ", ..." : "");
  if (drydock_inspect_mount_root (c->h, roots[0]) == -1)
    return tool_lib_error (c->h);
  c->root = strdup (roots[0]);
  c->type = drydock_inspect_get_type (c->h, roots[0]);
  c->distro = drydock_inspect_get_distro (c->h, roots[0]);
  c->arch = drydock_inspect_get_arch (c->h, roots[0]);
  c->package_management =
    drydock_inspect_get_package_management (c->h, roots[0]);
  if (c->root == NULL || c->type == NULL || c->distro == NULL ||
      c->arch == NULL || c->package_management == NULL)
    return tool_lib_error (c->h);
  return 0;
}

void
customize_ctx_free (struct customize_ctx *c)
{
  free (c->root);
  free (c->type);
  free (c->distro);
  free (c->logfile);
  free (c->arch);
  free (c->package_management);
  c->root = c->type = c->distro = c->logfile = NULL;
  c->arch = c->package_management = NULL;
}

int
customize_session (struct customize_opts *o,
                   int (*select) (struct customize_ctx *c,
                                  struct customize_opts *o))
{
  struct customize_ctx c = { .o = o };
  int ret = -1;
  CLEANUP_FREE_STRING_LIST char **opened = NULL;

  c.h = tool_create_handle (&o->tool, 1);
  if (c.h == NULL)
    return -1;
  if ((o->memsize && drydock_set_memsize (c.h, o->memsize) == -1) ||
      (o->smp && drydock_set_smp (c.h, o->smp) == -1) ||
      drydock_set_network (c.h, customize_network (o)) == -1) {
    tool_lib_error (c.h);
    goto out;
  }
  /* --dry-run: read-only drives, whose overlays are always discarded. */
  if (o->dry_run)
    o->tool.ro = 1;
  if (tool_add_drives (c.h, &o->tool, o->output_overlay) == -1 ||
      customize_add_media (c.h, o) == -1 ||
      tool_launch (c.h) == -1 ||
      tool_open_encrypted (c.h, &o->tool, 0, &opened) == -1 ||
      inspect_mount (&c) == -1 ||
      (select && select (&c, o) == -1) ||
      customize_run_ops (&c) == -1)
    goto out;
  if (o->dry_run) {
    ret = 0;
    goto out;
  }
  tool_progress_phase (_("writing the changes"));
  if (drydock_shutdown (c.h) == -1) {
    tool_lib_error (c.h);
    goto out;
  }
  ret = 0;
 out:
  /* Without a successful shutdown nothing is committed or kept. */
  drydock_close (c.h);
  customize_ctx_free (&c);
  return ret;
}

int
customize_main (int argc, char *argv[])
{
  struct customize_opts o = { .network = -1 };
  int ret;

  parse_options (argc, argv, &o);
  if (customize_check_ops (&o) == -1)
    ret = -1;
  else if (o.output_overlay && o.dry_run) {
    tool_error (_("--dry-run and --output-overlay exclude each other"));
    ret = -1;
  }
  /* The other images would be committed: one image only. */
  else if (o.output_overlay && o.tool.n_drives > 1) {
    tool_error (_("--output-overlay takes one image (%zu given)"),
                o.tool.n_drives);
    ret = -1;
  }
  else
    ret = customize_session (&o, NULL);
  customize_opts_free (&o);
  return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
