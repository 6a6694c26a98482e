/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock mount and drydock unmount, as guestmount and guestunmount:
 * a guest's filesystems served on a host directory (the library's
 * mount_local), and that directory unmounted again. */

#ifndef DRYDOCK_MOUNT_H
#define DRYDOCK_MOUNT_H

extern int mount_main (int argc, char *argv[]);
extern int unmount_main (int argc, char *argv[]);

#endif /* DRYDOCK_MOUNT_H */
