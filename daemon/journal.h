/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What umount_all releases besides Augeas: the journal, whose open
 * files would keep the guest filesystems busy.  (inotify's watches do
 * not: the kernel drops them with the filesystem.) */

#ifndef DRYDOCK_DAEMON_JOURNAL_H
#define DRYDOCK_DAEMON_JOURNAL_H

/* journal.c: closes the journal journal_open opened, if any. */
extern void journal_close_internal (void);

#endif /* DRYDOCK_DAEMON_JOURNAL_H */
