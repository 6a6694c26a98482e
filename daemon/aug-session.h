/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Augeas session: the daemon's side (augeas.c: the aug_* actions
 * send each operation to a child process) and the child's (augeas-server.c:
 * an Augeas handle chrooted in the guest).  They talk over a socketpair
 * in wire frames (common/wire.h):
 *
 *   request: u32 op, then its arguments (strings; an optional string is
 *            a u32 flag then the string if the flag is 1; an i32 for a
 *            bool)
 *   reply:   u32 0, then the op's result (i32, string or string list), or
 *            u32 1, then the errno name's number (u32) and the message.
 *
 * Convention: functions return -1 with errno set unless they say they
 * reply. */

#ifndef DRYDOCK_DAEMON_AUG_SESSION_H
#define DRYDOCK_DAEMON_AUG_SESSION_H

enum aug_op {
  AUG_OP_DEFVAR = 1, AUG_OP_DEFNODE, AUG_OP_GET, AUG_OP_SET, AUG_OP_SETM,
  AUG_OP_CLEAR, AUG_OP_INSERT, AUG_OP_LABEL, AUG_OP_RM, AUG_OP_MV,
  AUG_OP_MATCH, AUG_OP_SAVE, AUG_OP_LOAD, AUG_OP_LS, AUG_OP_TRANSFORM,
};

/* aug_init's flags, as libguestfs and augeas.h number them. */
#define AUG_FLAG_SAVE_BACKUP  1
#define AUG_FLAG_SAVE_NEWFILE 2
#define AUG_FLAG_TYPE_CHECK   4
#define AUG_FLAG_NO_STDINC    8
#define AUG_FLAG_SAVE_NOOP    16
#define AUG_FLAG_NO_LOAD      32
#define AUG_FLAGS_KNOWN       63

/* In the child: serves requests on fd until it closes, in the guest
 * directory rootfd, then exits.  Never returns.  The first reply says
 * whether the session could start (chroot, lenses, loading). */
extern void augeas_server (int fd, int rootfd, int flags)
  __attribute__((noreturn));

/* Compiles the standard lenses in the daemon itself, once per launch,
 * so that each session's child starts with them (fork copies them).
 * Called by the first aug_init.  Not at boot in the snapshot machine:
 * compiling all ~230 lenses takes 0.45 s natively but 5-9 s under TCG
 * and 75 MB of guest RAM, which every first launch would pay.  0, or
 * -1 (the child then compiles its own). */
extern int augeas_prepare (void);

/* Ends the session if one is open (umount, umount_all, shutdown): its
 * child holds the guest's mounts. */
extern void augeas_close_session (void);

#endif /* DRYDOCK_DAEMON_AUG_SESSION_H */
