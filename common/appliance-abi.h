/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The contract between libdrydock (library/qemu.c, library/snapshot.c)
 * and drydockd outside the generated protocol: how the daemon finds its
 * channel, its disks and its mode.  Both sides include this header, so a
 * name changed here changes on both; the protocol itself is wire.h's.
 *
 * Only string and number macros: no code, no convention to follow. */

#ifndef DRYDOCK_APPLIANCE_ABI_H
#define DRYDOCK_APPLIANCE_ABI_H

/* The virtio-serial port the protocol runs over: qemu's virtserialport
 * name=, which the daemon finds in /sys/class/virtio-ports/vportNpM/name. */
#define APPLIANCE_CHANNEL_NAME "org.drydock.channel.0"

/* Kernel command-line flags the daemon reads from /proc/cmdline.
 * VERBOSE: debug output on the console.  SNAPSHOT: booted to be saved
 * and restored; drives come later, hot-added on virtio-scsi. */
#define APPLIANCE_CMDLINE_VERBOSE "drydock.verbose=1"
#define APPLIANCE_CMDLINE_SNAPSHOT "drydock.snapshot=1"
/* The appliance has a network interface on qemu's user networking
 * (set_network): the daemon configures it statically with these
 * addresses, qemu's defaults for it. */
#define APPLIANCE_CMDLINE_NETWORK "drydock.network=1"
#define APPLIANCE_NET_ADDRESS "10.0.2.15"
#define APPLIANCE_NET_NETMASK "255.255.255.0"
#define APPLIANCE_NET_GATEWAY "10.0.2.2"
#define APPLIANCE_NET_DNS "10.0.2.3"

/* Drive N (from 0, in the order drives were added) carries the disk
 * serial "dN" (virtio-blk serial=, or the SCSI unit serial number); the
 * daemon names disks in the API by it, never by probe order.  At most
 * APPLIANCE_MAX_DRIVES drives. */
#define APPLIANCE_DRIVE_SERIAL_PREFIX "d"
#define APPLIANCE_DRIVE_SERIAL_FMT APPLIANCE_DRIVE_SERIAL_PREFIX "%zu"
#define APPLIANCE_MAX_DRIVES 256

/* The serial of the appliance's own read-only root image (the tools,
 * the modules), which the daemon mounts and never names in the API. */
#define APPLIANCE_ROOT_SERIAL "appliance"

#endif /* DRYDOCK_APPLIANCE_ABI_H */
