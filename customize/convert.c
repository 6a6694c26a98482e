/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock convert-guest: make a guest ready to boot on KVM's virtio
 * devices, in one customize session.  The operations are chosen once
 * the guest is inspected: a Linux guest loses VMware's and Xen's guest
 * tools and gets virtio device names and an initramfs holding the
 * virtio drivers (--remove-hypervisor-tools, --virtio-linux); a
 * Windows guest gets virtio-win's drivers (--inject-virtio-win, the
 * tree or ISO --virtio-win names) and, with --qemu-ga, the guest
 * agent.  The result policy is customize's: the image is written only
 * when every step worked. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "customize.h"

#define CONVERT_TAKES (TOOL_OPT_ADD | TOOL_OPT_KEYS | TOOL_OPT_ONE_SOURCE)

enum {
  OPT_OUTPUT_OVERLAY = TOOL_OWN_OPTION,
  OPT_SMP,
  OPT_VIRTIO_WIN,
  OPT_QEMU_GA,
};

/* The operations for each kind of guest, in the order they run. */
static const char *const linux_ops[] = {
  "remove-hypervisor-tools", "virtio-linux", NULL,
};
static const char *const windows_ops[] = {
  "inject-virtio-win", "inject-qemu-ga", NULL,
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS]\n"
                 "Make the guest of a disk image ready for KVM's virtio "
                 "devices, in one\nsession, written into the image only when "
                 "every step worked.\n"
                 "A Linux guest: VMware's and Xen's guest tools removed, "
                 "virtio device\nnames in fstab and GRUB, the initramfs of "
                 "each kernel rebuilt with the\nvirtio drivers (customize's "
                 "remove-hypervisor-tools and virtio-linux).\n"
                 "A Windows guest: virtio-win's drivers injected, the boot "
                 "storage driver\nready at boot (customize's inject-virtio-win), "
                 "the guest agent with\n--qemu-ga.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, CONVERT_TAKES);
  fprintf (fp, _("  -n, --dry-run          run everything, then discard the "
                 "changes\n"
                 "  -m, --memsize MB       the appliance's memory\n"
                 "  --output-overlay NEW.qcow2\n"
                 "                         keep the changes in a new qcow2 "
                 "backed by the\n"
                 "                         image; the image is not written\n"
                 "  --smp N                the appliance's virtual CPUs\n"
                 "  --virtio-win DIR|ISO   virtio-win's drivers (needed for "
                 "a Windows guest)\n"
                 "  --qemu-ga MSI|DIR|ISO  also install the QEMU guest agent "
                 "(Windows)\n"));
  exit (status);
}

/* Adds the operation named name with arg; -1 (printed). */
static int
add (struct customize_opts *o, const char *name, const char *arg)
{
  const struct customize_op_def *def = customize_find_op (name);

  if (def == NULL)
    return tool_error ("%s: %s", name, _("no such operation"));
  return customize_add_op (o, def, arg);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct customize_opts *o = opaque;

  switch (c) {
  case 'n': o->dry_run = 1; return 0;
  case 'm': return customize_parse_memsize (o, arg);
  case OPT_SMP: return customize_parse_smp (o, arg);
  case OPT_OUTPUT_OVERLAY: o->output_overlay = arg; return 0;
  case OPT_VIRTIO_WIN: return add (o, "inject-virtio-win", arg);
  case OPT_QEMU_GA: return add (o, "inject-qemu-ga", arg);
  default: return -1;
  }
}

static const struct option longopts[] = {
  { "dry-run", no_argument, NULL, 'n' },
  { "memsize", required_argument, NULL, 'm' },
  { "output-overlay", required_argument, NULL, OPT_OUTPUT_OVERLAY },
  { "smp", required_argument, NULL, OPT_SMP },
  { "virtio-win", required_argument, NULL, OPT_VIRTIO_WIN },
  { "qemu-ga", required_argument, NULL, OPT_QEMU_GA },
  { NULL, 0, NULL, 0 },
};

/* Keeps the operations for the guest's kind, in the order of its list;
 * the others are freed. */
static void
keep_ops (struct customize_opts *o, const char *const *names)
{
  size_t n = 0;

  for (const char *const *name = names; *name; ++name)
    for (size_t i = n; i < o->n_ops; ++i)
      if (strcmp (o->ops[i].def->name, *name) == 0) {
        struct customize_op op = o->ops[i];

        memmove (&o->ops[n + 1], &o->ops[n], (i - n) * sizeof op);
        o->ops[n++] = op;
        break;
      }
  for (size_t i = n; i < o->n_ops; ++i) {
    free (o->ops[i].owned);
    free (o->ops[i].secret);
  }
  o->n_ops = n;
}

/* After inspection: the operations that fit the guest. */
static int
select_ops (struct customize_ctx *c, struct customize_opts *o)
{
  int have_drivers = 0;

  if (strcmp (c->type, "linux") == 0) {
    keep_ops (o, linux_ops);
    return 0;
  }
  if (strcmp (c->type, "windows") != 0)
    return tool_error (_("the guest is %s: only Linux and Windows guests "
                         "are converted; nothing was changed"), c->type);
  for (size_t i = 0; i < o->n_ops; ++i)
    have_drivers |= strcmp (o->ops[i].def->name, "inject-virtio-win") == 0;
  if (!have_drivers)
    return tool_error (_("the guest is Windows: give virtio-win's drivers "
                         "with --virtio-win DIR|ISO; nothing was changed"));
  keep_ops (o, windows_ops);
  return 0;
}

int
convert_guest_main (int argc, char *argv[])
{
  struct customize_opts o = { .network = 0 };
  const struct tool_spec spec = {
    .takes = CONVERT_TAKES, .short_options = "nm:",
    .long_options = longopts, .usage = usage, .option = own_option,
    .opaque = &o,
  };
  int first, ret = -1;

  first = tool_parse (&spec, argc, argv, &o.tool);
  if (first < argc)
    tool_error (_("'%s': unexpected argument (try --help)"), argv[first]);
  else if (o.tool.n_drives == 0)
    tool_error (_("no image given: use -a IMAGE or -d DOMAIN (try --help)"));
  else if (o.output_overlay && o.dry_run)
    tool_error (_("--dry-run and --output-overlay exclude each other"));
  else if (o.output_overlay && o.tool.n_drives > 1)
    tool_error (_("--output-overlay takes one image (%zu given)"),
                o.tool.n_drives);
  /* The Linux operations are flags, checked now like the others. */
  else if (add (&o, linux_ops[0], NULL) == 0 &&
           add (&o, linux_ops[1], NULL) == 0 &&
           customize_check_ops (&o) == 0)
    ret = customize_session (&o, select_ops);
  customize_opts_free (&o);
  return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
