/* The copying modes of drydock sparsify.  The source is attached through
 * a qcow2 overlay kept at the end of the session: in --tmp, converted
 * into OUT by qemu-img (which skips zero and discarded clusters) and
 * removed; or, with --output-overlay, left as the result.  The space
 * check comes after the guest's filesystems were measured and before
 * anything is trimmed. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "sparsify.h"

#define MiB (INT64_C (1024) * 1024)

/* The working overlay: only metadata (L2 tables for the discarded
 * clusters, a journal replay), never the guest's data. */
static int64_t
overlay_need (int64_t virtual_size)
{
  return virtual_size / 4096 + 32 * MiB;
}

/* The output holds what the guest uses, and never more than the source
 * holds; qcow2 adds its tables. */
static int64_t
output_need (const struct sparsify_opts *o, int64_t virtual_size,
             int64_t used, int64_t source_data)
{
  int64_t n = source_data >= 0 && source_data < used ? source_data : used;

  if (strcmp (o->convert, "qcow2") == 0)
    n += virtual_size / 8192 + MiB;
  return n + n / 100 + 4 * MiB;
}

static int
refuse (const char *what, const char *dir, int64_t need, int64_t avail,
        int64_t used)
{
  char b1[32], b2[32], b3[32];

  return sparsify_error (_("not enough space for %s in '%s': about %s needed "
                           "(the guest uses %s), %s available"), what, dir,
                         human_size (need, b1), human_size (used, b2),
                         human_size (avail, b3));
}

static int
check_space (const struct sparsify_opts *o, const char *overlay,
             int64_t virtual_size, int64_t used, int64_t source_data)
{
  int64_t tmp_need = overlay_need (virtual_size), out_need, tmp_avail, out_avail;
  dev_t tmp_dev, out_dev;

  tmp_avail = dir_available (overlay, 0, &tmp_dev);
  if (tmp_avail == -1)
    return -1;
  if (o->mode == MODE_OVERLAY) {
    if (tmp_avail < tmp_need)
      return refuse (_("the overlay"), o->output, tmp_need, tmp_avail, used);
    return 0;
  }
  out_need = output_need (o, virtual_size, used, source_data);
  out_avail = dir_available (o->output, 0, &out_dev);
  if (out_avail == -1)
    return -1;
  if (tmp_dev == out_dev) {
    if (out_avail < tmp_need + out_need)
      return refuse (_("the output and the working overlay"), o->output,
                     tmp_need + out_need, out_avail, used);
    return 0;
  }
  if (tmp_avail < tmp_need)
    return refuse (_("the working overlay"), o->tmpdir ? o->tmpdir : overlay,
                   tmp_need, tmp_avail, used);
  if (out_avail < out_need)
    return refuse (_("the output"), o->output, out_need, out_avail, used);
  return 0;
}

static char *
overlay_path (const struct sparsify_opts *o)
{
  const char *dir = o->tmpdir ? o->tmpdir : getenv ("TMPDIR");
  char *p;

  if (o->mode == MODE_OVERLAY)
    return strdup (o->output);
  if (asprintf (&p, "%s/drydock-sparsify-%d.qcow2",
                dir && *dir ? dir : "/var/tmp", (int) getpid ()) == -1)
    return NULL;
  return p;
}

/* Launch, measure, check, sparsify, keep the overlay. */
static int
session (const struct sparsify_opts *o, const char *format,
         const char *overlay, struct sparsify_report *r)
{
  drydock_h *h = sparsify_handle (o);
  struct sparsify_guest g = { NULL, NULL };
  int64_t size;
  int ret = -1;

  if (h == NULL)
    return -1;
  if (drydock_add_drive_opts (h, o->input,
                              DRYDOCK_ADD_DRIVE_OPTS_FORMAT, format,
                              DRYDOCK_ADD_DRIVE_OPTS_OUTPUT_OVERLAY, overlay,
                              -1) == -1) {
    sparsify_lib_error (h);
    goto out;
  }
  progress_phase (_("launching the appliance"));
  if (drydock_launch (h) == -1) {
    sparsify_lib_error (h);
    goto out;
  }
  if (visit_prepare (h, &g) == -1)
    goto out;
  size = drydock_blockdev_getsize64 (h, "/dev/sda");
  if (size == -1) {
    sparsify_lib_error (h);
    goto out;
  }
  progress_phase (_("measuring the space the guest uses"));
  if (visit_measure (h, &g, &r->guest_used) == -1 ||
      check_space (o, overlay, size, r->guest_used, r->data_before) == -1 ||
      visit_sparsify (h, &g, r) == -1)
    goto out;
  if (drydock_shutdown (h) == -1) {
    sparsify_lib_error (h);
    goto out;
  }
  ret = 0;
 out:
  visit_free (&g);
  drydock_close (h);
  return ret;
}

int
copy_run (const struct sparsify_opts *o, const char *format,
          struct sparsify_report *r)
{
  CLEANUP_FREE char *overlay = overlay_path (o);
  int ret;

  if (overlay == NULL)
    return sparsify_error ("%s", strerror (errno));
  if (o->mode == MODE_COPY)
    image_remove_on_signal (0, overlay);
  ret = session (o, format, overlay, r);
  if (ret == 0 && o->mode == MODE_COPY) {
    progress_phase (_("writing %s"), o->output);
    ret = image_convert (overlay, o->output, o->convert, o->compress,
                         progress_enabled ());
  }
  if (o->mode == MODE_COPY) {
    unlink (overlay);
    image_remove_on_signal (0, NULL);
  }
  return ret;
}
