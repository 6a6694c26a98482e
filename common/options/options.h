/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tool layer: what every drydock tool stands on.  The options the
 * tools share (-a/--add and --format, -d/--domain and -c/--connect,
 * --ro, -i, -m, --key and --keys-from-stdin, --untrusted, -v, -x, -q,
 * -V, --help, --short-options,
 * --long-options) with guestfish's and the virt tools' meaning, the
 * checks of an image given on the command line, handle set-up (drives,
 * launch, encrypted volumes, -i and -m mounts), the progress display,
 * and the tools' one message function.  A tool's own files hold only
 * its own options and its flow.
 *
 * Convention: functions returning int give 0, or -1 after printing one
 * line "PROGRAM: MESSAGE" on stderr; the ones that exit say so.  Only
 * usage errors and --help-like options exit. */

#ifndef DRYDOCK_TOOL_OPTIONS_H
#define DRYDOCK_TOOL_OPTIONS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "drydock.h"

/* ---- messages.c ---- */

/* Names the running tool for every message ("drydock inspect"); the
 * dispatcher sets it before running the tool.  The string is not
 * copied. */
extern void tool_set_program_name (const char *name);
/* The running tool's name ("drydock" until set). */
extern const char *tool_program_name (void);
/* Prints "PROGRAM: MESSAGE" on stderr, newlines in MESSAGE turned into
 * spaces; returns -1. */
extern int tool_error (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));
/* A count option's value: ARG, a decimal from 0 to INT_MAX, into *out;
 * -1 (printed, naming OPTION) if it is not one. */
extern int tool_parse_count (const char *option, const char *arg, int *out);
/* The handle's last error (or "unknown error") as tool_error does;
 * returns -1. */
extern int tool_lib_error (drydock_h *h);
/* "PROGRAM: warning: MESSAGE" on stderr, one line as tool_error. */
extern void tool_warning (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));

/* ---- parse.c ---- */

/* The shared options a tool takes, besides the ones every tool takes:
 * -v/--verbose, -x/--trace, -q/--quiet, -V/--version, -h/--help,
 * --short-options, --long-options. */
#define TOOL_OPT_ADD        0x01  /* -a/--add FILE, --format FMT,
                                     --remote-commit */
#define TOOL_OPT_FORMAT     0x02  /* --format FMT alone (images given as
                                     arguments, as virt-sparsify) */
#define TOOL_OPT_RO         0x04  /* --ro, --rw */
#define TOOL_OPT_INSPECTOR  0x08  /* -i/--inspector */
#define TOOL_OPT_MOUNT      0x10  /* -m/--mount DEV[:MP[:OPTIONS[:FSTYPE]]] */
#define TOOL_OPT_KEYS       0x20  /* --key SELECTOR, --keys-from-stdin,
                                     --echo-keys */
/* With TOOL_OPT_ADD: the disks come from -a images or from one -d
 * domain, not both (as virt-customize); without it -a and -d mix and
 * -d repeats (as guestfish).  -d/--domain and -c/--connect come with
 * TOOL_OPT_ADD. */
#define TOOL_OPT_ONE_SOURCE 0x40
/* The tool's -d is its own (win-reg's --debug): the domain is given
 * with --domain alone. */
#define TOOL_OPT_OWN_D      0x80

/* getopt values of a tool's own long-only options start here: smaller
 * values than this are single characters, larger ones are the
 * layer's. */
#define TOOL_OWN_OPTION     0x100
#define TOOL_SHARED_OPTION  0x10000

/* One -a: the image and the --format in force before it (NULL: the
 * format is probed); or one -d: domain set, file the domain's name
 * (or UUID), its disks' formats those of its XML. */
struct tool_drive {
  const char *file;
  const char *format;
  int domain;
};

/* One -m DEV[:MOUNTPOINT[:OPTIONS[:FSTYPE]]]; mountpoint is "/" when not
 * given, options and fstype NULL. */
struct tool_mount {
  char *device;
  char *mountpoint;
  char *options;
  char *fstype;
};

/* One --key ID:key:PASSPHRASE or ID:file:FILENAME, or a passphrase read
 * with --keys-from-stdin (id is then the device).  ID is a device as
 * the appliance names it, a LUKS UUID, or "all". */
struct tool_key {
  char *id;
  char *passphrase;           /* wiped and freed by tool_options_free */
};

/* What the shared options said.  Arguments point into argv. */
struct tool_options {
  unsigned takes;             /* TOOL_OPT_* the tool offered */
  const char *format;         /* the last --format: NULL probes */
  const char *libvirt_uri;    /* -c: NULL is libvirt's default */
  struct tool_drive *drives;
  size_t n_drives;
  struct tool_mount *mounts;
  size_t n_mounts;
  struct tool_key *keys;
  size_t n_keys;
  int keys_from_stdin;
  int echo_keys;              /* --echo-keys: passphrases typed are shown */
  int remote_commit;          /* --remote-commit: commits reach NBD exports */
  int ro, inspector, verbose, trace, quiet;
  int untrusted;              /* --untrusted (DRYDOCK_UNTRUSTED=1 set) */
};

/* How a tool describes itself to tool_parse. */
struct tool_spec {
  unsigned takes;                     /* TOOL_OPT_* */
  const char *short_options;          /* its own, getopt syntax ("ef:") */
  const struct option *long_options;  /* its own, NULL-terminated; the
                                         values of long-only ones from
                                         TOOL_OWN_OPTION up */
  int in_order;                       /* stop at the first argument that
                                         is not an option (commands) */
  /* Prints the usage (on stderr for a non-zero status) and exits. */
  void (*usage) (int status);
  /* One of the tool's own options; arg is NULL for those without an
   * argument.  Returns 0, or -1 for a usage error (already printed,
   * the tool then exits with status 1). */
  int (*option) (int c, const char *arg, void *opaque);
  void *opaque;
};

/* Parses argv (argv[0] is the tool's name): the shared options into *o,
 * which must be zeroed, the tool's own through spec->option.  Every -a
 * image is checked (tool_check_image) and every key file read.  Returns
 * the index of the first argument that is not an option.  Exits on a
 * usage error or a bad image (status 1, one line on stderr), after
 * --help (usage), -V, --short-options and --long-options (status 0).
 * Free *o with tool_options_free. */
extern int tool_parse (const struct tool_spec *spec, int argc, char **argv,
                       struct tool_options *o);
/* Frees what tool_parse allocated, wiping the passphrases.  Accepts a
 * zeroed *o. */
extern void tool_options_free (struct tool_options *o);
/* The lines of --help about the shared options spec takes, for a
 * tool's usage. */
extern void tool_print_options_help (FILE *fp, unsigned takes);

/* ---- image.c ---- */

/* The formats a tool can write (sparsify's output, its input too),
 * NULL-terminated. */
extern const char *const tool_formats[];
/* 1 if name is one of them. */
extern int tool_format_known (const char *name);
/* The formats -a and --format take: raw, qcow2, qcow, vmdk, vdi, vhdx,
 * vpc, qed, dmg, parallels, luks (qemu's) and ova, NULL-terminated. */
extern const char *const tool_input_formats[];
extern int tool_input_format_known (const char *name);
/* 1 if file is the URI of a remote image: nbd://, nbd+unix://, http://,
 * https://, ftp://, ftps://, ssh://, iscsi://, gluster://, rbd:, nfs://. */
extern int tool_is_remote (const char *file);
/* Checks a --format value: NULL, "" and "auto" mean probing (*format
 * set to NULL); otherwise it must be one of tool_input_formats.  0, or
 * -1 (printed: "--format 'FMT': unsupported format (use ...)"). */
extern int tool_check_format (const char *value, const char **format);
/* Checks an image given on the command line: a remote URI is left to
 * the library; a file exists, is a regular file or a block device and
 * can be read; a given format its signature contradicts is refused
 * ("format qcow2 was given but the image is raw").  With resolved NULL
 * (-a images) the library checks the format further with qemu; a probed image in a format besides raw and qcow2 is
 * named on stderr ("PROGRAM: 'FILE': format probed: vmdk").  With
 * resolved non-NULL (a tool taking raw and qcow2 alone), the format
 * must be one of tool_formats, and when probed none of the others
 * (named); *resolved is then "raw" or
 * "qcow2".  0, or -1 printed as "'FILE': REASON". */
extern int tool_check_image (const char *file, const char *format,
                             const char **resolved);

/* ---- handle.c ---- */

/* A new handle as the options say: verbose, trace, library warnings in
 * the tool's voice, and with progress set the progress display
 * (tool_progress_*).  NULL (printed).  Caller closes. */
extern drydock_h *tool_create_handle (const struct tool_options *o,
                                      int progress);
/* Adds every -a image in order with its format, and the disks of every
 * -d domain (on the -c connection): read-only with --ro; otherwise
 * committed on a successful shutdown (a remote image only with
 * --remote-commit), except the last image (or the last domain, which
 * must then have one disk) when keep_last is set, whose overlay is kept
 * as keep_last; with keep_last, more than one -a or -d is refused
 * (printed), as the others would be committed silently.  The number of
 * disks added, or -1. */
extern int tool_add_drives (drydock_h *h, const struct tool_options *o,
                            const char *keep_last);
/* Adds the i-th -a image (or -d domain) alone, as tool_add_drives does
 * (for a tool that adds drives of its own between them).  The number
 * of disks added, or -1. */
extern int tool_add_drive (drydock_h *h, const struct tool_options *o,
                           size_t i, const char *keep_last);
/* Launches the appliance. */
extern int tool_launch (drydock_h *h);
/* After the launch: opens the encrypted volumes the keys are for, then
 * mounts as -i or -m say (nothing without them). */
extern int tool_mount_filesystems (drydock_h *h, struct tool_options *o);
/* -i: inspects the disks; exactly one operating system must be found
 * (else an error naming what was found); mounts its filesystems
 * shortest mountpoint first, read-only when readonly is set. */
extern int tool_inspect_mount (drydock_h *h, int readonly);
/* -m: mounts each given filesystem in order, read-only when readonly
 * is set. */
extern int tool_mount_each (drydock_h *h, const struct tool_mount *m,
                            size_t n, int readonly);
/* Parses one -m argument into *m (tool_mount_free frees it).  -1
 * (printed) when DEV or a given MOUNTPOINT is empty or the mountpoint
 * is not absolute. */
extern int tool_parse_mount (const char *arg, struct tool_mount *m);
extern void tool_mount_free (struct tool_mount *m);

/* ---- keys.c ---- */

/* Parses one --key SELECTOR into o->keys, reading a key file at once.
 * -1 (printed, without the selector, which may hold a passphrase). */
extern int tool_add_key (struct tool_options *o, const char *selector);
/* Up to max passphrases for the volume device (whose LUKS UUID is uuid,
 * NULL if unknown) into out: the keys naming it first in the order
 * given, then the "all" ones.  With --keys-from-stdin and none given
 * for it, one line is read from standard input (prompting on a
 * terminal, without echo).  The number found, or -1 (printed). */
extern int tool_keys_for (struct tool_options *o, const char *device,
                          const char *uuid, const char **out, size_t max);
/* tool_open_encrypted's flags. */
#define TOOL_LUKS_ALLOW_DISCARDS 0x01
/* Opens every LUKS volume of the launched appliance a key is given for,
 * as /dev/mapper/luks-NAME (luks-sda2, luks-vg-lv), and the volumes
 * inside those too (activating volume groups when there are any).  A
 * volume without a key is left closed; a key that opens none of its
 * slots is an error naming the device.  The mappings are writable
 * whatever --ro says: the drive's overlay protects the image, and a
 * journal replay must work (as on a --ro drive).  *opened: a
 * NULL-terminated list of device, mapper device pairs (caller frees,
 * also on error).  Without keys (and --keys-from-stdin) nothing is
 * looked at. */
extern int tool_open_encrypted (drydock_h *h, struct tool_options *o,
                                unsigned flags, char ***opened);
/* One passphrase line from fp (without its newline): on a terminal,
 * after prompt (on stderr for stdin, else on fp itself: /dev/tty), and
 * without echo unless echo is set.  Caller wipes and frees; NULL at the
 * end of the input. */
extern char *tool_read_passphrase (FILE *fp, const char *prompt, int echo);
/* Closes the volumes tool_open_encrypted opened, the last first, after
 * deactivating every volume group. */
extern int tool_close_encrypted (drydock_h *h, char **opened);

/* ---- progress.c ---- */

/* The progress display, on stderr and only when it is a terminal and
 * -q was not given: each phase on a line with the time since the
 * start, and a bar under it for the daemon's progress events.  Set up
 * by tool_create_handle with progress set. */
/* Names the phase the next progress events belong to. */
extern void tool_progress_phase (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));
/* Ends the bar line, if one was drawn. */
extern void tool_progress_end (void);
/* 1 if the display is on (qemu-img -p is wanted too). */
extern int tool_progress_enabled (void);
/* Turns the display on for h unless quiet or stderr is not a terminal
 * (tool_create_handle does it). */
extern void tool_progress_attach (drydock_h *h, int quiet);

#endif /* DRYDOCK_TOOL_OPTIONS_H */
