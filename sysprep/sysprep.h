/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock sysprep: reset a guest in a disk image so that clones can be
 * made of it, as virt-sysprep.  The interfaces between the tool's
 * files: options and the transaction (sysprep.c), the operation table,
 * the choice of operations and the run of a phase (operations.c), the
 * operations that remove files (remove.c), those that edit or walk the
 * guest (edit.c), user-account (users.c), fs-uuids and lvm-uuids
 * (devices.c), and the customize operation (customize-op.c).
 *
 * Convention: functions returning int give 0 or -1, and have printed
 * their one-line error before returning -1: "drydock sysprep: OP:
 * REASON" while an operation runs (sysprep_error).  Only sysprep_main
 * and the option parser exit. */

#ifndef DRYDOCK_SYSPREP_H
#define DRYDOCK_SYSPREP_H

#include "customize.h"
#include "strlist.h"

/* The number of operations (virt-sysprep 1.48's). */
#define SYSPREP_N_OPS 43

struct sysprep_ctx;

/* An operation: its name, whether it runs when no --operations or
 * --enable says otherwise, its place in its phase (lower first, then by
 * name), the heading --list-operations prints, and what it does with
 * the root's filesystems mounted, or after they are unmounted (devices:
 * fs-uuids, lvm-uuids).  Operations whose guest does not have what they
 * remove do nothing. */
struct sysprep_op {
  const char *name;
  int by_default;
  int order;
  const char *heading;
  int (*on_filesystems) (struct sysprep_ctx *c);
  int (*on_devices) (struct sysprep_ctx *c);
};

/* What the user asked for. */
struct sysprep_opts {
  struct customize_opts cust;   /* the tool options (cust.tool), -n, -m,
                                   --network and the customize
                                   operation's options */
  int ops_given;                /* --operations or --enable was given */
  unsigned char enabled[SYSPREP_N_OPS];  /* with ops_given */
  struct strlist remove_users, keep_users;
  const char *mount_options;    /* --mount-options MP:OPTS;... */
  struct strlist scripts;       /* --script, in order */
  const char *scriptdir;        /* --scriptdir, or NULL (a temporary one) */
};

/* What the operations share while they run on one root. */
struct sysprep_ctx {
  drydock_h *h;
  const struct sysprep_opts *o;
  const struct sysprep_op *op;  /* the one running */
  const char *root;
  /* The root's inspection: type, distro, package format and
   * management ("unknown" when inspection did not say). */
  char *type, *distro, *pkg_format, *pkg_mgmt;
  char **opened;                /* the LUKS volumes opened: device,
                                   mapper device pairs */
  unsigned char done[SYSPREP_N_OPS];  /* see sysprep_once */
};

/* ---- operations.c ---- */

/* The operations, sorted by name. */
extern const struct sysprep_op sysprep_ops[SYSPREP_N_OPS];
/* Prints "NAME * HEADING" a line, "*" for the defaults (a space else). */
extern void sysprep_list_operations (FILE *fp);
/* One --operations LIST (enable 0) or --enable LIST (enable 1) applied
 * to o->enabled, as virt-sysprep: "defaults", "all" and "-NAME" with
 * --operations; --enable once only.  0, or -1 printed. */
extern int sysprep_select (struct sysprep_opts *o, const char *list,
                           int enable);
/* Whether op runs. */
extern int sysprep_enabled (const struct sysprep_opts *o,
                            const struct sysprep_op *op);
/* 1 if the running operation already did its work in this session,
 * else 0, and from now on 1.  The device operations act on every disk,
 * whatever the root: once is enough. */
extern int sysprep_once (struct sysprep_ctx *c);
/* Runs the enabled operations of one phase (devices 0: filesystems),
 * in their order, each as a progress phase. */
extern int sysprep_run_phase (struct sysprep_ctx *c, int devices);
/* "drydock sysprep: OP: MESSAGE" for the running operation; -1. */
extern int sysprep_error (struct sysprep_ctx *c, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* The same with the handle's last error as MESSAGE. */
extern int sysprep_lib_error (struct sysprep_ctx *c);
/* "drydock sysprep: warning: OP: MESSAGE". */
extern void sysprep_warning (struct sysprep_ctx *c, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));

/* ---- remove.c ---- */

/* The guest kinds the operations test. */
extern int sysprep_is_windows (const struct sysprep_ctx *c);
extern int sysprep_is_linux (const struct sysprep_ctx *c);
/* Fedora, RHEL and the distributions built from it. */
extern int sysprep_is_redhat (const struct sysprep_ctx *c);
/* Debian, Ubuntu, Kali. */
extern int sysprep_is_debian (const struct sysprep_ctx *c);

/* How the matches of a pattern go. */
enum sysprep_removal {
  SYSPREP_RM_TREE,    /* everything, directories with their content */
  SYSPREP_RM_FILES,   /* all but directories; a file that cannot be
                         removed is a warning */
};
/* Removes what the NULL-terminated list of patterns matches. */
extern int sysprep_remove_globs (struct sysprep_ctx *c,
                                 const char *const *globs,
                                 enum sysprep_removal how);
/* Removes one file if it is there (not a directory); a failure is a
 * warning. */
extern int sysprep_remove_file (struct sysprep_ctx *c, const char *path);

extern int sysprep_abrt_data (struct sysprep_ctx *c);
extern int sysprep_bash_history (struct sysprep_ctx *c);
extern int sysprep_blkid_tab (struct sysprep_ctx *c);
extern int sysprep_ca_certificates (struct sysprep_ctx *c);
extern int sysprep_crash_data (struct sysprep_ctx *c);
extern int sysprep_dhcp_client_state (struct sysprep_ctx *c);
extern int sysprep_dhcp_server_state (struct sysprep_ctx *c);
extern int sysprep_dovecot_data (struct sysprep_ctx *c);
extern int sysprep_firewall_rules (struct sysprep_ctx *c);
extern int sysprep_ipa_client (struct sysprep_ctx *c);
extern int sysprep_kerberos_data (struct sysprep_ctx *c);
extern int sysprep_kerberos_hostkeytab (struct sysprep_ctx *c);
extern int sysprep_logfiles (struct sysprep_ctx *c);
extern int sysprep_mail_spool (struct sysprep_ctx *c);
extern int sysprep_net_nmconn (struct sysprep_ctx *c);
extern int sysprep_pam_data (struct sysprep_ctx *c);
extern int sysprep_passwd_backups (struct sysprep_ctx *c);
extern int sysprep_puppet_data_log (struct sysprep_ctx *c);
extern int sysprep_rh_subscription_manager (struct sysprep_ctx *c);
extern int sysprep_rhn_systemid (struct sysprep_ctx *c);
extern int sysprep_rpm_db (struct sysprep_ctx *c);
extern int sysprep_samba_db_log (struct sysprep_ctx *c);
extern int sysprep_smolt_uuid (struct sysprep_ctx *c);
extern int sysprep_ssh_hostkeys (struct sysprep_ctx *c);
extern int sysprep_ssh_userdir (struct sysprep_ctx *c);
extern int sysprep_sssd_db_log (struct sysprep_ctx *c);
extern int sysprep_udev_persistent_net (struct sysprep_ctx *c);
extern int sysprep_utmp (struct sysprep_ctx *c);
extern int sysprep_yum_uuid (struct sysprep_ctx *c);

/* ---- edit.c ---- */
extern int sysprep_backup_files (struct sysprep_ctx *c);
extern int sysprep_cron_spool (struct sysprep_ctx *c);
extern int sysprep_flag_reconfiguration (struct sysprep_ctx *c);
extern int sysprep_machine_id (struct sysprep_ctx *c);
extern int sysprep_net_hostname (struct sysprep_ctx *c);
extern int sysprep_net_hwaddr (struct sysprep_ctx *c);
extern int sysprep_pacct_log (struct sysprep_ctx *c);
extern int sysprep_package_manager_cache (struct sysprep_ctx *c);
extern int sysprep_tmp_files (struct sysprep_ctx *c);

/* ---- users.c ---- */
extern int sysprep_user_account (struct sysprep_ctx *c);

/* ---- devices.c ---- */
extern int sysprep_fs_uuids (struct sysprep_ctx *c);
extern int sysprep_lvm_uuids (struct sysprep_ctx *c);

/* ---- customize-op.c ---- */
/* The customize operation: the random seed, then customize's
 * operations. */
extern int sysprep_customize (struct sysprep_ctx *c);
/* The script operation: nothing without --script, which the option
 * parser refuses. */
extern int sysprep_script (struct sysprep_ctx *c);

#endif /* DRYDOCK_SYSPREP_H */
