/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock customize: modify a guest in a disk image, as virt-customize.
 * The interfaces between the tool's files: options and the transaction
 * (customize.c), the operation table and its argument checks (ops.c),
 * the file operations (files.c), the system ones: timezone,
 * commands and scripts (system.c), --hostname (hostname.c), the
 * subscription-manager operations (sm.c), the password selectors and the
 * edit of /etc/shadow (password.c), --chown, --scrub and --tar-in
 * (files-more.c), --edit (edit.c), --commands-from-file (cmdfile.c),
 * --ssh-inject (ssh.c), the log of guest commands (log.c), the random
 * seed and machine ID (seed.c), --selinux-relabel (selinux.c), what
 * the guest must be for the operations asked, checked before the first
 * one runs (guard.c), the package managers (packages.c), the
 * firstboot scripts (firstboot.c; in Windows guests firstboot-win.c,
 * run through the local Group Policy, gpo.c), the registry of Windows
 * guests (winreg-ops.c), the drivers and agent injected into them
 * (virtio-win.c) from a directory or an ISO (media.c), the initramfs
 * rebuild (initramfs.c, its image read by cpio.c), the conversion of a
 * Linux guest to virtio (virtio-linux.c) and the removal of other
 * hypervisors' guest tools (hvtools.c).
 *
 * Convention: functions returning int give 0 or -1, and have printed
 * their one-line error before returning -1: at parse time
 * "drydock customize: --OP 'ARG': REASON", while running
 * "drydock customize: --OP ARG: REASON" (customize_op_error).  Only
 * customize_main and the option parser exit. */

#ifndef DRYDOCK_CUSTOMIZE_H
#define DRYDOCK_CUSTOMIZE_H

#include <libintl.h>
#include <stddef.h>
#include <stdio.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)

/* One operation of the command line, in the order given. */
struct customize_op {
  const struct customize_op_def *def;
  const char *arg;            /* points into argv, or is owned */
  char *owned;                /* the argument when read from a file */
  char *secret;               /* read at parse time: a password (file:,
                                 --sm-credentials), the keys of
                                 --ssh-inject, a pool ID (--sm-attach
                                 file:) */
};

/* What the user asked for. */
struct customize_opts {
  struct tool_options tool;   /* -a, --format, --key, -v -x -q */
  struct customize_op *ops;
  size_t n_ops;
  const char *output_overlay;
  const char *crypto;         /* --password-crypto: md5, sha256, sha512 */
  int dry_run, memsize, smp;
  int network;                /* 1 --network, 0 --no-network, -1 neither
                                 (customize_network decides) */
};

/* What the operations share while they run.  root, type and distro
 * are set once the guest is inspected (type is looked up from root by
 * customize_run_ops when NULL). */
struct customize_ctx {
  drydock_h *h;
  const struct customize_opts *o;
  const struct customize_op *op;      /* the one running */
  char *root;                         /* the inspected root filesystem */
  char *type;                         /* its type ("linux", "windows" ...) */
  char *distro;                       /* its distro ("unknown" if not) */
  char *logfile;                      /* the guest's log of commands */
  int seed_missing;                   /* no random seed could be written */
  char *arch;                         /* "x86_64", ... or "unknown" */
  char *package_management;           /* "apt", "dnf", ... or "unknown" */
  int firstboot_ready;                /* the firstboot service is in */
  int firstboot_next;                 /* the number of the next script */
  int hostname_unset;                 /* --hostname knows no file here */
};

/* Frees what a ctx owns (root, type, distro, logfile, arch,
 * package_management). */
extern void customize_ctx_free (struct customize_ctx *c);
/* -m MB and --smp N into o; -1 (printed) when out of range. */
extern int customize_parse_memsize (struct customize_opts *o, const char *arg);
extern int customize_parse_smp (struct customize_opts *o, const char *arg);
/* One session: the appliance launched with o's options and drives,
 * the one operating system inspected and mounted, then select (if not
 * NULL) may change o's operations by what the guest is, then they run,
 * and only when all of them worked are the changes committed (or kept
 * in o->output_overlay); --dry-run discards them.  0 or -1 (printed). */
extern int customize_session (struct customize_opts *o,
                              int (*select) (struct customize_ctx *c,
                                             struct customize_opts *o));

/* An operation: its option name (without "--"), a summary for --help,
 * the check of its argument before launch, and its run.  run is NULL
 * for the "last" ones, which customize_passwords runs together, and for
 * the flags the session reads at its end (--selinux-relabel,
 * --no-logfile). */
struct customize_op_def {
  const char *name;
  const char *metavar;        /* NULL: no argument (a flag, --update) */
  const char *help;
  int last;                   /* run after the others (passwords) */
  int (*check) (struct customize_op *op);
  int (*run) (struct customize_ctx *c);
};

/* ---- customize.c: customize's options, also taken by drydock sysprep ---- */

/* The getopt values of customize_add_options start here: a tool taking
 * them keeps its own long options below. */
#define CUSTOMIZE_OPTION_BASE (TOOL_OWN_OPTION + 0x1000)
/* Room enough for what customize_add_options adds. */
#define CUSTOMIZE_MAX_OPTIONS 128
/* Appends customize's long options (every operation, -m/--memsize,
 * --network, --no-network, --password-crypto) to longopts, which holds
 * n of them and has room for max; returns the new count.  The short
 * option is "m:". */
extern size_t customize_add_options (struct option *longopts, size_t n,
                                     size_t max);
/* Handles option c, one customize_add_options added, into *o (an
 * operation's argument is checked at once): 0, -1 (printed), or 1 if c
 * is not one of them. */
extern int customize_option (struct customize_opts *o, int c,
                             const char *arg);
/* Frees the operations and the tool options of *o. */
extern void customize_opts_free (struct customize_opts *o);

/* ---- ops.c ---- */

/* The operations, terminated by a NULL name. */
extern const struct customize_op_def customize_op_defs[];
/* The definition named name (without "--"), or NULL. */
extern const struct customize_op_def *customize_find_op (const char *name);
/* Prints the operations for --help. */
extern void customize_print_ops_help (FILE *fp);
/* Adds the operation def with its argument (NULL for a flag) to
 * o->ops after checking it; --commands-from-file adds the operations
 * of its file instead.  -1 (printed). */
extern int customize_add_op (struct customize_opts *o,
                             const struct customize_op_def *def,
                             const char *arg);
/* The same for an argument read from a file: owned is the argument,
 * freed with the operations (also on error). */
extern int customize_add_owned_op (struct customize_opts *o,
                                   const struct customize_op_def *def,
                                   char *owned);
/* Names where the arguments being checked come from ("FILE:LINE"), as
 * a prefix of the parse-time messages; NULL: the command line.  The
 * string is not copied. */
extern void customize_set_arg_source (const char *where);
/* Frees o->ops and what they own. */
extern void customize_free_ops (struct customize_opts *o);
/* Runs the session's operations: the random seed and machine ID,
 * every operation in order, then the "last" ones, the SELinux relabel
 * and the end of the log.  Prints each as a progress phase. */
extern int customize_run_ops (struct customize_ctx *c);
/* The check of an operation without argument. */
extern int customize_check_flag (struct customize_op *op);
/* The first operation named name (without "--") given, or NULL. */
extern const struct customize_op *
customize_given (const struct customize_ctx *c, const char *name);
/* Prints "PROGRAM: --OP ARG: REASON" for the running operation;
 * returns -1. */
extern int customize_op_error (struct customize_ctx *c, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* The same with the handle's last error as REASON. */
extern int customize_op_lib_error (struct customize_ctx *c);
/* Parse-time: "PROGRAM: --OP 'ARG': REASON"; returns -1. */
extern int customize_arg_error (const struct customize_op *op,
                                const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* Splits op->arg at its first ':' into two new strings (caller frees
 * both); -1 (printed, naming want) when there is no ':' or a side is
 * empty. */
extern int customize_split2 (const struct customize_op *op, const char *want,
                             char **a, char **b);

/* ---- files.c ---- */
extern int customize_check_colon (struct customize_op *op);
extern int customize_check_path (struct customize_op *op);
extern int customize_check_chmod (struct customize_op *op);
extern int customize_check_link (struct customize_op *op);
extern int customize_check_host_file (struct customize_op *op);
extern int customize_check_copy_in (struct customize_op *op);
extern int customize_write (struct customize_ctx *c);
extern int customize_append_line (struct customize_ctx *c);
extern int customize_mkdir (struct customize_ctx *c);
extern int customize_touch (struct customize_ctx *c);
extern int customize_delete (struct customize_ctx *c);
extern int customize_chmod (struct customize_ctx *c);
extern int customize_link (struct customize_ctx *c);
extern int customize_upload (struct customize_ctx *c);
extern int customize_copy_in (struct customize_ctx *c);
extern int customize_copy (struct customize_ctx *c);
extern int customize_move (struct customize_ctx *c);
extern int customize_truncate (struct customize_ctx *c);
extern int customize_truncate_recursive (struct customize_ctx *c);

/* ---- system.c ---- */
extern int customize_check_timezone (struct customize_op *op);
extern int customize_check_nonempty (struct customize_op *op);
extern int customize_timezone (struct customize_ctx *c);
extern int customize_run_command (struct customize_ctx *c);
extern int customize_run_script (struct customize_ctx *c);

/* ---- hostname.c ---- */
extern int customize_check_hostname (struct customize_op *op);
/* Writes the name where the guest's distribution and release keep it
 * (sets c->hostname_unset where none is known). */
extern int customize_hostname (struct customize_ctx *c);

/* ---- sm.c ---- */
/* USER:password:PASSWORD or USER:file:FILENAME; the password is read
 * now into op->secret. */
extern int customize_check_sm_credentials (struct customize_op *op);
/* auto, pool:POOL or file:FILENAME (read now into op->secret). */
extern int customize_check_sm_attach (struct customize_op *op);
/* The --sm-credentials argument as messages show it, into buf: the
 * user and "..." (a file: selector whole). */
extern void customize_sm_shown_credentials (const char *arg, char *buf,
                                            size_t len);
/* Once every option is read: what one operation needs of another
 * (--sm-register, --sm-credentials).  -1 (printed). */
extern int customize_check_ops (const struct customize_opts *o);
extern int customize_sm_register (struct customize_ctx *c);
extern int customize_sm_attach (struct customize_ctx *c);
extern int customize_sm_remove (struct customize_ctx *c);
extern int customize_sm_unregister (struct customize_ctx *c);

/* ---- files-more.c ---- */
extern int customize_check_chown (struct customize_op *op);
extern int customize_check_tar_in (struct customize_op *op);
extern int customize_chown (struct customize_ctx *c);
extern int customize_scrub (struct customize_ctx *c);
extern int customize_tar_in (struct customize_ctx *c);

/* ---- edit.c ---- */
/* FILE:EXPR, EXPR one s/PATTERN/REPLACEMENT/FLAGS compiled now. */
extern int customize_check_edit (struct customize_op *op);
extern int customize_edit (struct customize_ctx *c);
/* Replaces the content of the regular file path (symlinks followed)
 * keeping its mode, owner and extended attributes: a new file beside
 * it, renamed over it.  -1 (printed as the running operation's). */
extern int customize_replace_file (struct customize_ctx *c, const char *path,
                                   const char *content, size_t size);

/* ---- cmdfile.c ---- */
extern int customize_check_commands_file (struct customize_op *op);
/* Adds the operations of the file, one a line, in their order. */
extern int customize_commands_from_file (struct customize_opts *o,
                                         const char *file);

/* ---- ssh.c ---- */
/* USER[:SELECTOR]; the keys are read now into op->secret. */
extern int customize_check_ssh_inject (struct customize_op *op);
extern int customize_ssh_inject (struct customize_ctx *c);

/* ---- log.c ---- */
/* Chooses the log file as virt-customize does. */
extern int customize_log_start (struct customize_ctx *c);
/* Runs cmd with the guest's shell, its output appended to the log
 * (and, with -v, copied to stderr).  A failure names the last line
 * the command printed. */
extern int customize_run_in_guest (struct customize_ctx *c, const char *cmd);
/* The same, a failure saying "WHAT failed: LINE" followed by hint. */
extern int customize_run_in_guest_as (struct customize_ctx *c,
                                      const char *cmd, const char *what,
                                      const char *hint);
/* s in single quotes for the guest's shell (caller frees); NULL out
 * of memory. */
extern char *customize_shell_quote (const char *s);
/* --no-logfile: scrubs the log (removes it if that fails). */
extern int customize_log_finish (struct customize_ctx *c);

/* ---- seed.c ---- */
/* Writes host randomness into the guest's random seed files (or
 * creates the one its distro uses); sets c->seed_missing when the
 * guest has none. */
extern int customize_random_seed (struct customize_ctx *c);
/* An empty /etc/machine-id gets a random ID. */
extern int customize_machine_id (struct customize_ctx *c);

/* ---- selinux.c ---- */
/* Relabels a guest that uses SELinux with its policy's file contexts;
 * when that cannot be done, /.autorelabel asks the guest to relabel
 * at its next boot.  Nothing for other guests. */
extern int customize_selinux_relabel (struct customize_ctx *c);

/* ---- guard.c ---- */
/* Whether the appliance gets a network: --network or --no-network as
 * given, else on when a package operation (--install, --uninstall,
 * --update) or a subscription-manager one (--sm-*) is asked, as
 * virt-customize, whose default is on. */
extern int customize_network (const struct customize_opts *o);
/* Before any operation runs: checks that the guest is what each one
 * needs (a Linux guest of an architecture the appliance runs, a
 * package manager we know, a Linux or Windows guest for firstboot
 * scripts, a Windows guest for its registry and drivers).  -1 (printed,
 * naming the first operation refused, nothing changed). */
extern int customize_check_guest (struct customize_ctx *c);

/* ---- packages.c ---- */
/* PKG,PKG..: names of packages, none empty, without characters a shell
 * or a package manager would read as more than a name. */
extern int customize_check_packages (struct customize_op *op);
/* 0 when we know the commands of the guest's package manager,
 * else -1 (printed). */
extern int customize_check_package_manager (struct customize_ctx *c);
/* The shell commands installing the packages of the running operation
 * with the guest's package manager (caller frees); NULL (printed). */
extern char *customize_install_command (struct customize_ctx *c);
extern int customize_install (struct customize_ctx *c);
extern int customize_uninstall (struct customize_ctx *c);
extern int customize_update (struct customize_ctx *c);

/* ---- firstboot.c ---- */
/* --firstboot SCRIPT: a readable local file. */
extern int customize_check_firstboot (struct customize_op *op);
/* 0 when the guest is one firstboot scripts can be added to (Linux),
 * else -1 (printed). */
extern int customize_check_firstboot_guest (struct customize_ctx *c);
extern int customize_firstboot (struct customize_ctx *c);
extern int customize_firstboot_command (struct customize_ctx *c);
extern int customize_firstboot_install (struct customize_ctx *c);
/* The number of the next script (c->firstboot_next) after those of
 * DIR/scripts and DIR/scripts-done. */
extern int customize_firstboot_number (struct customize_ctx *c,
                                       const char *dir);

/* ---- firstboot-win.c ---- */
/* The refusal of --firstboot-install in a Windows guest. */
extern int customize_win_check_firstboot (struct customize_ctx *c);
extern int customize_win_firstboot (struct customize_ctx *c);
extern int customize_win_firstboot_command (struct customize_ctx *c);
/* Adds a batch file of body (its lines ended by CRLF in the guest)
 * that the guest runs once at its next boot; name names it. */
extern int customize_win_firstboot_script (struct customize_ctx *c,
                                           const char *name,
                                           const char *body);
/* The guest directory of the files the scripts install,
 * %SystemDrive%\drydock-firstboot\files (caller frees); NULL
 * (printed). */
extern char *customize_win_files_dir (struct customize_ctx *c);
/* The directory path of the guest (each name in any case), made with
 * the missing directories on the way; the path as the guest writes it
 * (caller frees), or NULL (printed). */
extern char *customize_win_mkdir (struct customize_ctx *c, const char *path);

/* ---- gpo.c ---- */
/* Adds the Windows command line cmdline as the last startup script of
 * the local Group Policy of the guest whose %SystemRoot% is the guest
 * path systemroot, and raises the policy's version; nothing when it
 * is one already. */
extern int customize_gpo_add_startup (struct customize_ctx *c,
                                      const char *systemroot,
                                      const char *cmdline);

/* ---- winreg-ops.c ---- */
/* 'KEY\NAME=TYPE:VALUE', 'KEY' or 'KEY:NAME', FILE.reg: parsed whole. */
extern int customize_check_reg_set (struct customize_op *op);
extern int customize_check_reg_delete (struct customize_op *op);
extern int customize_check_reg_import (struct customize_op *op);
extern int customize_reg_set (struct customize_ctx *c);
extern int customize_reg_delete (struct customize_ctx *c);
extern int customize_reg_import (struct customize_ctx *c);
/* A registry session (winreg/keys.c) on the guest whose messages are
 * the running operation's; customize_winreg_end commits it. */
struct winreg_ctx;
extern int customize_winreg_begin (struct customize_ctx *c,
                                   struct winreg_ctx *r);
extern int customize_winreg_end (struct customize_ctx *c,
                                 struct winreg_ctx *r);

/* ---- media.c ---- */
/* A directory or an ISO 9660 image a media operation takes files from:
 * the paths of its files, relative to its top, sorted (for an ISO also
 * those of its directories: customize_media_is_file tells them). */
struct customize_media {
  const char *arg;            /* the host path given */
  char *mnt;                  /* the guest directory an ISO is mounted
                                 on; NULL for a host directory */
  char **files;
  size_t n;
};
/* 1 when the host file path is an ISO 9660 image, a Windows Installer
 * package (an OLE compound file); else 0. */
extern int customize_is_iso (const char *path);
extern int customize_is_msi (const char *path);
/* Before the launch: each ISO a media operation takes, a read-only
 * drive after the images.  -1 (printed). */
extern int customize_add_media (drydock_h *h, const struct customize_opts *o);
/* The media of the running operation opened and listed.  Close it with
 * customize_media_close, also after an error. */
extern int customize_media_open (struct customize_ctx *c,
                                 struct customize_media *m);
extern void customize_media_close (struct customize_ctx *c,
                                   struct customize_media *m);
/* 1 when rel is a regular file of the media, else 0; -1 (printed). */
extern int customize_media_is_file (struct customize_ctx *c,
                                    const struct customize_media *m,
                                    const char *rel);
/* Copies the file rel of the media to the guest path dest. */
extern int customize_media_copy (struct customize_ctx *c,
                                 const struct customize_media *m,
                                 const char *rel, const char *dest);

/* ---- virtio-win.c ---- */
/* DIR or ISO; DIR, ISO or MSI. */
extern int customize_check_virtio_win (struct customize_op *op);
extern int customize_check_qemu_ga (struct customize_op *op);
extern int customize_inject_virtio_win (struct customize_ctx *c);
extern int customize_inject_qemu_ga (struct customize_ctx *c);

/* ---- password.c ---- */
/* The first line of the local file into op->secret, read at parse
 * time so that a missing file is found before the launch.  -1
 * (printed as op's). */
extern int customize_read_first_line (struct customize_op *op,
                                      const char *file);
/* 1 if value is a --password-crypto value (md5, sha256, sha512). */
extern int customize_crypto_known (const char *value);
/* Checks a --password-crypto value. */
extern int customize_check_crypto (const char *value);
extern int customize_check_root_password (struct customize_op *op);
extern int customize_check_password (struct customize_op *op);
/* Sets the password of the "last" operations, all of them in one edit
 * of /etc/shadow (runs as the first of them; the others do nothing). */
extern int customize_passwords (struct customize_ctx *c);

/* ---- initramfs.c ---- */
/* The most modules one operation adds. */
#define CUSTOMIZE_MODULES_MAX 64
/* MOD,MOD..: kernel module names. */
extern int customize_check_modules (struct customize_op *op);
/* 0 when the guest has an initramfs tool we know and a kernel, else
 * -1 (printed). */
extern int customize_check_initramfs_guest (struct customize_ctx *c);
/* Rebuilds the initramfs of every kernel of the guest with the modules
 * mods (NULL-terminated) added, in the tool's configuration too, and
 * checks each new image.  With required, every module must exist for
 * every kernel; otherwise a kernel gets the ones it has.  essential,
 * if not NULL, is a module without which a kernel cannot boot: a
 * warning names each kernel lacking it, an error when they all do. */
extern int customize_initramfs_rebuild (struct customize_ctx *c,
                                        const char *const *mods,
                                        int required, const char *essential);
extern int customize_rebuild_initramfs (struct customize_ctx *c);
extern int customize_add_modules (struct customize_ctx *c);
/* s in single quotes for the shell (caller frees); NULL (errno). */
extern char *customize_quote (const char *s);

/* ---- virtio-linux.c ---- */
extern int customize_virtio_linux (struct customize_ctx *c);

/* ---- hvtools.c ---- */
extern int customize_remove_hypervisor_tools (struct customize_ctx *c);

#endif /* DRYDOCK_CUSTOMIZE_H */
