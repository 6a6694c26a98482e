/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What umount_all releases besides Augeas: the handles that keep guest
 * files open (the journal's files, inotify's watches), which would keep
 * the filesystems busy. */

#ifndef DRYDOCK_DAEMON_JOURNAL_H
#define DRYDOCK_DAEMON_JOURNAL_H

/* journal.c: closes the journal journal_open opened, if any. */
extern void journal_close_internal (void);

#endif /* DRYDOCK_DAEMON_JOURNAL_H */
