/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The copying modes of drydock sparsify; IN is only ever read.
 *
 * Copying (IN OUT): IN is attached through the library's overlay, kept
 * as a working overlay in --tmp and made with small clusters
 * (add_drive's cluster_size): the guest's discard granularity is the
 * overlay's cluster size, and with qemu-img's 64 KiB clusters every
 * smaller free extent would stay.  After the shutdown the working
 * overlay is opened, unlinked at once, and converted into OUT by
 * qemu-img (which skips zero and discarded clusters) from the kept fd.
 * Killed before that, the library's reaper removes it under its
 * temporary name, and guard.c under its kept one.
 *
 * --output-overlay: the library's kept overlay is the result; its
 * clusters are qemu-img's default, as a qcow2 meant to be used.
 *
 * The space check comes after the guest's filesystems were measured and
 * before anything is trimmed. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "sparsify.h"

#define MiB (INT64_C (1024) * 1024)

/* The working overlay's clusters: 1 KiB, the smallest filesystem block
 * (ext2/3/4 below 512 MiB, /boot partitions), where its metadata (8 bytes
 * a cluster: 0.8 % of the disk) stays under 64 MiB; 4 KiB above. */
static int64_t
work_cluster (int64_t virtual_size)
{
  return virtual_size >= 0 && virtual_size <= 8192 * MiB ? 1024 : 4096;
}

/* Overlay metadata (L2 tables for the discarded clusters, a journal
 * replay), never the guest's data: 8 bytes per cluster of disk at most. */
static int64_t
overlay_need (const struct sparsify_opts *o, int64_t virtual_size)
{
  int64_t cluster = o->mode == MODE_COPY ? work_cluster (virtual_size) : 65536;

  return virtual_size / cluster * 8 + 32 * MiB;
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

  return tool_error (_("not enough space for %s in '%s': about %s needed "
                           "(the guest uses %s), %s available"), what, dir,
                     sparsify_human_size (need, b1),
                     sparsify_human_size (used, b2),
                     sparsify_human_size (avail, b3));
}

static int
check_space (const struct sparsify_opts *o, const char *overlay,
             int64_t virtual_size, int64_t used, int64_t source_data)
{
  int64_t tmp_need = overlay_need (o, virtual_size), out_need;
  int64_t tmp_avail, out_avail;
  dev_t tmp_dev, out_dev;

  tmp_avail = sparsify_dir_available (overlay, 0, &tmp_dev);
  if (tmp_avail == -1)
    return -1;
  if (o->mode == MODE_OVERLAY) {
    if (tmp_avail < tmp_need)
      return refuse (_("the overlay"), o->output, tmp_need, tmp_avail, used);
    return 0;
  }
  out_need = output_need (o, virtual_size, used, source_data);
  out_avail = sparsify_dir_available (o->output, 0, &out_dev);
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

/* Adds IN with the library's overlay kept at overlay: the working
 * overlay of a copy, with small clusters, or the --output-overlay
 * result. */
static int
add_drive (drydock_h *h, const struct sparsify_opts *o, const char *format,
           const char *overlay)
{
  struct drydock_add_drive_opts_argv a = {
    .bitmask = DRYDOCK_ADD_DRIVE_OPTS_OUTPUT_OVERLAY_BITMASK,
    .format = format, .output_overlay = overlay,
  };

  /* A remote input's format, when not given, is probed by the
   * library; its size is not known here (the larger clusters). */
  if (format)
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK;
  if (o->mode == MODE_COPY) {
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_CLUSTER_SIZE_BITMASK;
    a.cluster_size = work_cluster (tool_is_remote (o->input) ? -1 :
                                   sparsify_image_virtual_size (o->input,
                                                                format));
  }
  if (drydock_add_drive_opts_argv (h, o->input, &a) == -1)
    return tool_lib_error (h);
  return 0;
}

/* The working overlay, kept by the shutdown, needs no name once open: a
 * run killed from now on leaves nothing behind.  *fd keeps it for the
 * conversion: qemu-img inherits it, so it is not O_CLOEXEC. */
static int
hold_overlay (const char *overlay, int *fd)
{
  *fd = open (overlay, O_RDONLY);
  if (*fd == -1)
    return tool_error ("'%s': %s", overlay, strerror (errno));
  unlink (overlay);
  sparsify_image_remove_on_signal (0, NULL);
  return 0;
}

/* Launch, measure, check, sparsify, shut down (which keeps the
 * overlay). */
static int
session (struct sparsify_opts *o, const char *format,
         const char *overlay, struct sparsify_report *r)
{
  drydock_h *h = tool_create_handle (&o->tool, 1);
  struct sparsify_guest g = { NULL, NULL, NULL, 0 };
  int64_t size;
  int ret = -1;

  if (h == NULL)
    return -1;
  if (add_drive (h, o, format, overlay) == -1 || tool_launch (h) == -1 ||
      sparsify_visit_prepare (h, o, &g) == -1)
    goto out;
  size = drydock_blockdev_getsize64 (h, "/dev/sda");
  if (size == -1) {
    tool_lib_error (h);
    goto out;
  }
  tool_progress_phase (_("measuring the space the guest uses"));
  if (sparsify_visit_measure (h, &g, &r->guest_used) == -1 ||
      check_space (o, overlay, size, r->guest_used, r->data_before) == -1 ||
      sparsify_visit_sparsify (h, &g, r) == -1)
    goto out;
  ret = 0;
 out:
  return sparsify_visit_end (h, &g, ret);
}

int
sparsify_copy_run (struct sparsify_opts *o, const char *format,
                   struct sparsify_report *r)
{
  CLEANUP_FREE char *overlay = overlay_path (o);
  CLEANUP_CLOSE int fd = -1;
  int ret;

  if (overlay == NULL)
    return tool_error ("%s", strerror (errno));
  if (o->mode == MODE_OVERLAY)
    return session (o, format, overlay, r);
  /* Between the shutdown's rename and hold_overlay: on a signal, and by
   * the guard on SIGKILL. */
  sparsify_image_remove_on_signal (0, overlay);
  if (sparsify_guard_start (overlay) == -1)
    return -1;
  ret = session (o, format, overlay, r);
  if (ret == 0)
    ret = hold_overlay (overlay, &fd);
  if (ret == -1) {
    unlink (overlay);
    sparsify_image_remove_on_signal (0, NULL);
  }
  sparsify_guard_stop ();
  if (ret == -1)
    return -1;
  tool_progress_phase (_("writing %s"), o->output);
  return sparsify_image_convert (fd, o->output, o->convert, o->compress,
                                 tool_progress_enabled ());
}
