/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock sparsify: make a disk image take less space on the host by
 * discarding what its guest does not use.  The interfaces between the
 * tool's files: options and flow (sparsify.c), host-side facts about
 * image files (image.c), the guest work (visit.c), copying modes
 * (copy.c) and the report (report.c); the shared options, the checks of
 * the input, the keys and the progress display are the tool layer's.
 *
 * Convention: functions returning int give 0 or -1, and have printed
 * their one-line error ("drydock sparsify: ...") before returning -1.
 * Only sparsify_main exits. */

#ifndef DRYDOCK_SPARSIFY_H
#define DRYDOCK_SPARSIFY_H

#include <libintl.h>
#include <stdint.h>
#include <sys/types.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)

enum sparsify_mode {
  MODE_COPY,          /* IN OUT: a new image, the source never written */
  MODE_IN_PLACE,      /* --in-place IMAGE: the image itself (direct drive) */
  MODE_OVERLAY,       /* --output-overlay NEW.qcow2 IN: a qcow2 backed by IN */
};

struct sparsify_opts {
  struct tool_options tool;   /* --format (the input's), --key, -v -x -q */
  enum sparsify_mode mode;
  const char *input;
  const char *output;         /* OUT, or NEW.qcow2 in MODE_OVERLAY */
  const char *convert;        /* the output's (MODE_COPY) */
  const char *tmpdir;         /* where the working overlay goes */
  int compress, json;
};

/* What was done to one device or volume group. */
enum sparsify_action {
  ACT_TRIMMED,        /* FITRIM: bytes as the filesystem reported them */
  ACT_ZERO_FILLED,    /* free space written with zeros: bytes were free */
  ACT_SWAP,           /* swap area discarded but its header */
  ACT_LVM_FREE,       /* the free extents of a volume group */
  ACT_SKIPPED,        /* left as it was: reason says why */
};

struct sparsify_entry {
  char *device;               /* /dev/sda1, /dev/VG/LV, or a VG name */
  char *type;                 /* ext4, swap, lvm-free ... */
  enum sparsify_action action;
  int64_t bytes;              /* discarded, -1 if not known */
  char *reason;               /* for ACT_SKIPPED, else NULL */
};

struct sparsify_report {
  struct sparsify_entry *entries;
  size_t n_entries;
  int64_t alloc_before, alloc_after;  /* host blocks (du), -1 unknown */
  int64_t data_before, data_after;    /* qemu-img map data, -1 unknown */
  int64_t guest_used;                 /* copy modes: the estimate's base */
};

/* sparsify.c */
extern int sparsify_main (int argc, char *argv[]);
/* "1.5 GiB" into buf (at least 32 bytes); returns buf. */
extern const char *sparsify_human_size (int64_t bytes, char *buf);

/* image.c */
/* The disk size the image presents, from the file alone (qcow2 header,
 * raw file or device size); -1 if it cannot be read. */
extern int64_t sparsify_image_virtual_size (const char *path,
                                            const char *format);
/* Bytes of host storage the file takes (du), or -1. */
extern int64_t sparsify_image_allocated (const char *path);
/* Bytes qemu-img map reports as data (top layer only if top_only), or
 * -1 (no message: the figure is informative). */
extern int64_t sparsify_image_data_bytes (const char *path, const char *format,
                                          int top_only);
/* 1 if both name the same file, 0 if not (or b does not exist). */
extern int sparsify_image_same_file (const char *a, const char *b);
/* 1 if other is path or a file in its backing chain (compared by
 * device and inode, whatever the names), 0 if not (or other does not
 * exist), -1 (printed) if the chain cannot be read. */
extern int sparsify_image_chain_holds (const char *path, const char *format,
                                       const char *other);
/* Free bytes for an unprivileged writer in the directory holding path
 * (path itself if it is a directory); its device in *dev.  -1 printed. */
extern int64_t sparsify_dir_available (const char *path, int is_dir,
                                       dev_t *dev);
/* Runs qemu-img with stdout to out_fd (-1: a pipe whose lines go to
 * line_cb) and its stderr's first line in *err (caller frees).  The
 * exit status, or -1 with errno if it could not run.  Never prints. */
extern int sparsify_image_run_qemu_img (char *const *argv, int out_fd,
                                        void (*line_cb) (const char *line,
                                                         void *opaque),
                                        void *opaque, char **err);

/* convert.c */
/* Converts the working overlay (a qcow2 open on ofd, inherited by
 * qemu-img) into out, which appears only when complete. */
extern int sparsify_image_convert (int ofd, const char *out, const char *format,
                                   int compress, int progress);
/* Files removed if a signal kills the tool (slot 0 or 1; NULL clears). */
extern void sparsify_image_remove_on_signal (int slot, const char *path);

/* ---- guard.c ---- */
/* Starts a process that removes path if this one dies before
 * sparsify_guard_stop.  0, or -1 (printed). */
extern int sparsify_guard_start (const char *path);
/* path is taken care of: the guard leaves it and exits. */
extern void sparsify_guard_stop (void);

/* visit.c */
/* What the guest holds, listed once per run. */
struct sparsify_guest {
  char **fs;                  /* device, type pairs (list_filesystems) */
  char **vgs;                 /* volume groups, maybe none */
  char **luks;                /* opened volumes: device, /dev/mapper/NAME */
  size_t n_luks;              /* pairs in luks */
};
/* Lists the volume groups, activates them if there are any, lists the
 * filesystems; opens the encrypted volumes it has keys for (discards
 * allowed) and lists again what they hold.  A volume no key opens is an
 * error.  0, or -1 (printed). */
extern int sparsify_visit_prepare (drydock_h *h, struct sparsify_opts *o,
                                   struct sparsify_guest *g);
extern void sparsify_visit_free (struct sparsify_guest *g);
/* Ends a session: when ret is 0, shuts down (settling the drive); then
 * frees the guest and closes the handle.  Returns 0, or -1 (printed)
 * when ret was -1 or the shutdown failed. */
extern int sparsify_visit_end (drydock_h *h, struct sparsify_guest *g, int ret);
/* Sums the bytes the guest's filesystems use (mounted read-only) into
 * *used; devices it cannot look into count at their full size. */
extern int sparsify_visit_measure (drydock_h *h, const struct sparsify_guest *g,
                                   int64_t *used);
/* Trims or zero-fills every filesystem, discards swap areas but their
 * headers and the free extents of volume groups, filling the report;
 * then closes the encrypted volumes sparsify_visit_prepare opened. */
extern int sparsify_visit_sparsify (drydock_h *h,
                                    const struct sparsify_guest *g,
                                    struct sparsify_report *r);

/* copy.c */
/* The copying modes, after the checks: one launch, overlay, convert. */
extern int sparsify_copy_run (struct sparsify_opts *o, const char *format,
                              struct sparsify_report *r);

/* report.c */
extern int sparsify_report_add (struct sparsify_report *r, const char *device,
                                const char *type, enum sparsify_action action,
                                int64_t bytes, const char *reason);
extern void sparsify_report_print_text (const struct sparsify_report *r);
extern void sparsify_report_print_json (const struct sparsify_opts *o,
                                        const struct sparsify_report *r);
extern void sparsify_report_free (struct sparsify_report *r);

#endif /* DRYDOCK_SPARSIFY_H */
