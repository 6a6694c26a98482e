/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydockd's internal interfaces: replies and streams (proto.c), device
 * names (devices.c), guest paths (sysroot.c), running programs
 * (command.c), kernel modules (modules.c).
 *
 * Convention: functions named reply_* send the one error reply of the
 * current call and return -1; other helpers return -1 with errno set and
 * leave the reply to their caller. */

#ifndef DRYDOCK_DAEMON_H
#define DRYDOCK_DAEMON_H

#include <dirent.h>
#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "appliance-abi.h"
#include "bigendian.h"
#include "cleanups.h"
#include "full-rw.h"
#include "strlist.h"
#include "wire.h"

#define SYSROOT "/sysroot"

extern int verbose;
/* Booted to be saved as a snapshot and restored (drydock.snapshot=1 on
 * the kernel command line): drives arrive later, on virtio-scsi, and the
 * host may close and reopen the channel. */
extern int snapshot_mode;

/* Milliseconds on the monotonic clock (main.c). */
extern long now_ms (void);

/* Debug output to the appliance console (only when verbose). */
extern void debug (const char *fs, ...) __attribute__((format (printf, 1, 2)));

/* proto.c */
extern int chan_fd;
extern int filein_pending;
extern void reply_ok (struct wire_buf *ret);
extern int reply_with_error (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));
extern int reply_with_error_errno (int err, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
extern int reply_with_perror (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));
extern int replied (void);
/* Calls cb for each chunk of the incoming file until its end.  Returns 0
 * at the end, -1 if cb failed (errno kept; the rest is drained), -2 if the
 * host cancelled, -3 on a protocol error.  Never replies. */
extern int receive_file (int (*cb) (void *opaque, const void *buf, size_t n),
                         void *opaque);
extern void drain_filein (void);
/* Outgoing file stream: chunks, then the end (or cancel) marker. */
extern int send_file_write (const void *buf, size_t n);
/* n zero bytes of the file, sent as their count (a hole). */
extern int send_file_hole (uint64_t n);
extern int send_file_end (int cancel);
extern void notify_progress (uint64_t position, uint64_t total);
/* Tells the host the call is still being worked on (a keepalive frame,
 * at most one every few seconds, however often it is called): called
 * where the daemon waits on something slow but alive, a program it
 * runs. */
extern void notify_alive (void);
extern void proto_serve (void);
extern uint32_t current_proc;

/* devices.c */
/* (Re)builds the map of drives from the serials dN of the virtio-blk
 * and SCSI disks.  -1 with errno if /sys/block cannot be read. */
extern int devices_init (void);
/* 1 if drives 0 to n-1 are all mapped and each SCSI one has its API
 * name as its kernel name (drive 1 is sdb), which keeps the names in
 * messages right (map_devices_in_text only rewrites /dev/vd names). */
extern int devices_named_as_api (int n);
/* Appliance device for an API name; replies with an error and returns
 * NULL when it is not a device or does not exist.  Caller frees. */
extern char *resolve_device (const char *action, const char *name);
/* The same without a reply: NULL with errno ENOENT or EINVAL. */
extern char *resolve_device_quiet (const char *name);
/* mountable.c: the same for a Mountable argument, which may also be a
 * btrfs subvolume, btrfsvol:DEVICE/SUBVOLUME: that is passed on as
 * btrfsvol:APPLIANCE-DEVICE/SUBVOLUME (split_btrfsvol in btrfs-parse.h
 * takes it apart).  Caller frees. */
extern char *resolve_mountable (const char *action, const char *name);
/* The device of a Mountable as the dispatcher passed it on (the device
 * itself, or that of a btrfsvol:), or NULL with errno.  Caller frees. */
extern char *mountable_dev (const char *mountable);
/* 1 if m is a btrfsvol: mountable. */
#define IS_BTRFSVOL(m) (strncmp ((m), "btrfsvol:", 9) == 0)
/* API name for an appliance device name; frees dev, returns a new string
 * (dev itself when out of memory). */
extern char *map_device_to_api (char *dev);
/* The drive index of the whole disk the kernel calls name ("sda"), or
 * -1 if it is none of the drives. */
extern int appliance_drive_of (const char *name);

/* The numbers of the buffers some actions return (readfilelist,
 * extentlist, lstatns_tree's records): big-endian, at p, with
 * common/bigendian.h's byte order (the library reads them with it). */
static inline void
put_be64 (void *p, int64_t v)
{
  put64 (p, (uint64_t) v);
}

static inline void
put_be32 (void *p, int32_t v)
{
  put32 (p, (uint32_t) v);
}

/* filelist.c */
/* Whether name is a path below a directory: components that are not
 * empty, "." or "..". */
extern int relative_name (const char *name);
/* Rewrites appliance device names inside a message, in place. */
extern void map_devices_in_text (char *msg, size_t size);
/* Maps every stride-th element starting at 0. */
extern void map_devices_to_api (char **l, int stride);
/* The order of device names: by the name before its first digit, the
 * shorter first (sdb < sdaa), then by the number (sda2 < sda10).  As
 * strcmp, for qsort. */
extern int device_order (const char *x, const char *y);
/* The first line of a small file (sysfs) into buf, without its
 * newline.  0, or -1 with errno. */
extern int read_sysfs_line (const char *path, char *buf, size_t n);
/* Sorted appliance names of whole disks / partitions; caller frees. */
extern char **appliance_disks (void);
extern char **appliance_partitions (void);
/* Appliance name of a partition's parent disk (/dev/vda3 -> /dev/vda) and
 * its number; -1 with errno if it is not a partition of one of ours. */
extern int partition_parent (const char *part, char **disk, int *num);
extern void reread_partitions (const char *disk);

/* sysroot.c: every guest path is resolved inside /sysroot, so no symlink
 * or .. in the guest can reach the appliance's own files. */
/* Opens path relative to the directory fd root with openat2
 * (RESOLVE_IN_ROOT, no magic links); O_CLOEXEC is added.  -1 with
 * errno. */
extern int openat2_in_root (int root, const char *path, int flags, mode_t mode);
/* Opens a guest path; -1 with errno. */
extern int sysroot_open (const char *path, int flags, mode_t mode);
/* Opens the directory that holds path's last component and returns that
 * component in *base (caller frees).  -1 with errno. */
extern int sysroot_open_parent (const char *path, char **base);
/* stat of a guest path, following a final symlink or not (through an
 * O_PATH fd: no FIFO blocks, no device is opened).  -1 with errno. */
struct stat;
extern int stat_guest (const char *path, int follow, struct stat *st);
/* The one way a guest file is opened to read its content: only a
 * regular file is opened (read-only), and nothing else is ever opened
 * for real, so a FIFO cannot block the daemon and a device node never
 * reaches an appliance device.  path is resolved inside the directory
 * fd root like openat2_in_root; flags is 0 or O_NOFOLLOW (refuse a final
 * symlink).  *st (st may be NULL) gets the file's stat; when the file
 * exists but is refused, its st_mode says what it is, else st_mode is 0.
 * Returns the fd, or -1 with errno: EISDIR for a directory, ELOOP for a
 * symlink under O_NOFOLLOW, EINVAL for any other file that is not
 * regular, else open's. */
extern int open_regular_in_root (int root, const char *path, int flags,
                                 struct stat *st);
/* The same inside /sysroot. */
extern int sysroot_open_regular (const char *path, int flags,
                                 struct stat *st);
/* The same, replying on failure (reply_open_regular_error).  -1 after
 * replying. */
extern int sysroot_open_regular_or_reply (const char *path, int flags,
                                          struct stat *st);
/* The same rule for writing a guest file in place: a regular file (a
 * final symlink followed inside the guest) is opened O_WRONLY with flags
 * (0, O_APPEND and/or O_TRUNC), one that does not exist is created with
 * mode; anything else is refused without being opened.  *st and errno as
 * open_regular_in_root. */
extern int sysroot_open_regular_write (const char *path, int flags,
                                       mode_t mode, struct stat *st);
/* The same rule for changing an existing file in place: a regular
 * file (a final symlink followed inside the guest) is opened with
 * accmode, O_WRONLY or O_RDWR; it is never created, and anything else
 * is refused without being opened.  *st and errno as
 * open_regular_in_root. */
extern int sysroot_open_regular_rw (const char *path, int accmode,
                                    struct stat *st);
/* The reply for a failed sysroot_open_regular* call, from its errno and
 * *st: "PATH: is a directory", "PATH: not a regular file (a FIFO)" and
 * so on, or PATH and strerror.  Returns -1. */
extern int reply_open_regular_error (const char *path,
                                     const struct stat *st);
/* The reply for a guest file refused because it is not regular (its
 * st_mode): EISDIR for a directory, ELOOP for a symlink, else EINVAL,
 * with a message naming its kind.  Returns -1. */
extern int reply_not_regular (const char *path, mode_t mode);
/* A host path naming an open fd ("/proc/self/fd/N"), for syscalls and
 * tools that take paths.  Buffer of at least 32 bytes. */
extern const char *fd_path (int fd, char *buf);
extern int check_path (const char *action, const char *path);
/* A directory stream over fd, which it takes (closed on failure; -1
 * gives NULL with errno kept).  NULL with errno. */
extern DIR *dir_stream (int fd);
/* The names in the directory fd (taken, as dir_stream), in readdir
 * order, with "." and ".." only if dots.  NULL with errno; caller
 * frees. */
extern char **dir_names (int fd, int dots);

/* tree.c */
struct drydock_statns;
/* Fills *r with the fields of *st. */
extern void statns_from_stat (struct drydock_statns *r, const struct stat *st);
/* The target of the symlink name in the directory dirfd ("" for dirfd
 * itself, an O_PATH|O_NOFOLLOW fd of the link).  NULL with errno;
 * caller frees. */
extern char *read_link_at (int dirfd, const char *name);

/* walk.c: a guest tree walked, and lists streamed to the host. */
/* Called for each entry of a walk: name in the directory dirfd, rel its
 * path relative to the top, st its lstat.  Returns 0 to go on, or -1
 * to stop the walk (keeping why in its opaque data; it never replies). */
typedef int (*walk_fn) (void *opaque, int dirfd, const char *name,
                        const char *rel, const struct stat *st);
/* Calls fn for every entry below the directory dirfd (resolved inside
 * the guest by the caller), depth first, a directory before its
 * entries, each directory's names in strcmp order; symlinks are never
 * followed.  Returns 0, or -1: when fn returned -1, or with errno when
 * a directory could not be read, *where then being its path relative
 * to the top ("" for the top; caller frees). */
extern int walk_tree (int dirfd, walk_fn fn, void *opaque, char **where);
/* The same walk, each directory listed whole before any directory
 * under it: its names (in strcmp order), then, in the same order, the
 * walk of each of its subdirectories.  A reader of the list then knows
 * a directory complete as soon as the names of another one begin. */
extern int walk_tree_listing_first (int dirfd, walk_fn fn, void *opaque,
                                    char **where);
/* Bytes streamed to the host as a FileOut in chunks of up to
 * WIRE_CHUNK_MAX, or of flush_at bytes when it is set (a reader that
 * takes the list while it is made gets it sooner).  buf is NULL until
 * the first byte. */
struct chunk_out {
  char *buf;
  size_t len;
  size_t flush_at;
};
#define CHUNK_OUT_INIT { NULL, 0, 0 }
/* Appends n bytes, sending a full chunk on.  0, or -1 with errno. */
extern int chunk_out_add (struct chunk_out *o, const void *p, size_t n);
/* Sends what is left and the end of the stream (or, with cancel, the
 * cancel marker), and frees the buffer.  0, or -1 with errno. */
extern int chunk_out_end (struct chunk_out *o, int cancel);

/* paths.c */
/* The guest path of fd, a file opened inside /sysroot, as the kernel
 * names it (symlinks, "." and ".." resolved).  NULL with errno (EXDEV
 * if it is not under /sysroot); caller frees. */
extern char *guest_path_of_fd (int fd);

/* command.c */
/* Runs argv (appliance program, PATH search), collects stdout/stderr
 * (NULL to discard; bounded by the message size), returns the exit
 * status (0 success), or -1 with errno if it could not run (EOVERFLOW:
 * its stdout did not fit in a message; *out and *err are then unset). */
extern int run_command (char **out, char **err, char *const *argv);
/* The same with input on its standard input. */
extern int run_command_input (char **out, char **err, const char *input,
                              char *const *argv);
/* The same with the open file in (which stays open) as its standard
 * input. */
extern int run_command_fd (char **out, char **err, int in,
                           char *const *argv);
/* The same in directory dir. */
extern int run_command_in (char **out, char **err, const char *dir,
                           char *const *argv);
/* The same chrooted into the sysroot, /dev, /proc and /sys bound in. */
extern int run_in_guest (char **out, char **err, char *const *argv);
/* Makes a program's stderr fit an error message in place: one line,
 * blanks squeezed, without the "PROG: " its lines start with, cut after
 * 1 KiB.  Returns s ("" for NULL). */
extern const char *squeeze_message (char *s, const char *prog);
/* Replies "SUBJECT: PROG: its stderr" (subject may be NULL) for a
 * command that failed with status (-1: could not run).  Returns -1. */
extern int reply_command_error (const char *subject, char *const *argv,
                                int status, char *err);
/* Runs, and replies on failure.  0 or -1 (replied). */
extern int command_or_reply (const char *subject, char **out, char *const *argv);

/* stream.c */
/* In a child about to run a program over guest trees: a private mount
 * namespace in which the appliance's own filesystems are read-only, the
 * guest's (and other mounts below them) left as they are.  0, or -1
 * with errno. */
extern int isolate_appliance (void);

/* filter.c */
/* Starts argv (PATH search) with the open file in as its standard input
 * (-1: /dev/null), its standard error discarded, and its standard
 * output a pipe whose reading end is put in *out (O_CLOEXEC).  The
 * pid, or -1 with errno. */
extern pid_t filter_start (char *const *argv, int in, int *out);
/* Closes out (unless -1), kills the program first when kill_it, and
 * waits for it: its exit status (127: it could not run, 128+N: killed
 * by signal N), or -1 with errno. */
extern int filter_finish (pid_t pid, int out, int kill_it);
/* Runs argv as a filter over in (as filter_start) and streams its
 * output to the host as the call's FileOut, ended or cancelled.  0, or
 * -1 after replying "SUBJECT: ..." (a program that fails: its exit
 * status). */
extern int filter_stream_out (char *const *argv, int in,
                              const char *subject);

/* initrd.c: the members of an initramfs (cpio archives, plain or
 * compressed, one after another). */
struct initrd;
/* Called for each member: its name as stored, mode, size; the data can
 * be read with initrd_read (what is left unread is skipped).  Returns 0
 * to go on, 1 to stop, -1 to fail (errno kept). */
typedef int (*initrd_fn) (void *opaque, const char *name, uint32_t mode,
                          uint64_t size, struct initrd *r);
/* Walks the initramfs in the regular file fd.  0 (also when fn
 * stopped), or -1 with errno: EINVAL not an initramfs or a broken one,
 * ENOTSUP no decompressor for it in the appliance, or fn's. */
extern int initrd_walk (int fd, initrd_fn fn, void *opaque);
/* Up to n bytes of the current member's data: the count (short only
 * at its end), or -1 with errno. */
extern ssize_t initrd_read (struct initrd *r, void *buf, size_t n);

/* lvm.c */
/* Runs argv ("lvm", COMMAND, ...) after loading device-mapper; its
 * stdout in *out (caller frees) unless out is NULL.  On failure replies
 * "SUBJECT: lvm COMMAND: its stderr".  0, or -1 (replied). */
extern int run_lvm (const char *subject, char *const *argv, char **out);
/* A VG or LV name LVM takes (kind is "volume group" or "logical
 * volume").  0, or -1 (replied, EINVAL). */
extern int lvm_check_name (const char *kind, const char *name);

/* available.c */
/* 1 if the appliance has the program NAME where run_command looks
 * (PATH), else 0. */
extern int program_available (const char *name);

/* luks.c */
/* Wipes and frees a passphrase (NULL is fine). */
extern void free_key (char *key);
/* Loads dm-crypt and the ciphers, makes cryptsetup's lock directory. */
extern void load_crypto (void);
/* 0 for a passphrase that is not empty, else -1 (replied, EINVAL). */
extern int check_key (const char *key);
/* Runs cryptsetup (argv) with key on its standard input.  0, or -1
 * (replied; with opening, EACCES for a key that opens no key slot). */
extern int run_cryptsetup (const char *device, const char *key, int opening,
                           char *const *argv);

/* modules.c */
extern int load_boot_modules (void);
/* Loads a module and its dependencies; 0 if loaded or built in. */
extern int load_module (const char *name);
extern void load_modules_for_fstype (const char *fstype);

/* snapshot.c */
/* Loads the virtio-scsi and SCSI disk modules the drives of a restored
 * appliance arrive through.  0, or -1 after saying why on the console. */
extern int snapshot_prepare (void);
/* After the host closed the channel: in snapshot mode, waits a moment
 * for it to reopen it and returns 0 (the caller reads again); else -1
 * (the caller stops serving). */
extern int snapshot_wait_for_host (void);

/* network.c */
/* Brings up the network interface qemu's user networking gives the
 * appliance (drydock.network=1).  0, or -1 with errno. */
extern int network_up (void);
/* While a guest program runs with the network up, the guest's
 * /etc/resolv.conf is the appliance's (qemu's DNS), bound over the
 * guest's file, or over an empty file standing in for a missing one or
 * a symlink (put aside meanwhile).  Without the network, or when the
 * guest's is something else, nothing is done.  Best effort: a failure
 * leaves the guest as it was.  guest_resolver_undo puts everything
 * back. */
struct guest_resolver {
  int etc;                      /* the guest's /etc, or -1: nothing done */
  int mounted, created, aside;
};
extern void guest_resolver_set (struct guest_resolver *r);
extern void guest_resolver_undo (struct guest_resolver *r);

/* approot.c */
/* Mounts the read-only root image (the disk with serial "appliance") and
 * binds its /usr and /etc/lvm over the initrd's.  Call once, after the
 * boot modules.  0, or -1 with errno after saying why on the console. */
extern int mount_appliance_root (void);

/* blkid.c */
/* Probes a device: value of "TYPE", "LABEL", "UUID" ... or NULL
 * (caller frees).  "" when absent. */
extern char *blkid_get (const char *dev, const char *tag);
/* The TYPE of the filesystem on dev that libblkid sees only when it
 * accepts a superblock whose checksum is wrong (a damaged filesystem),
 * else ""; NULL with errno.  Caller frees. */
extern char *blkid_damaged_type (const char *dev);
/* 1 if a disk, partition or opened encrypted volume holds an LVM
 * physical volume (or the devices cannot be listed): 0 means there is
 * no volume group, and lvm need not run. */
extern int lvm_pv_seen (void);
/* blkid.c: the devices that may hold a filesystem (disks without
 * partitions, partitions, opened encrypted volumes, active logical
 * volumes), appended to devs as appliance names.  0, or -1 with
 * errno. */
struct strlist;
extern int blkid_candidates (struct strlist *devs);
/* lvm.c: the active public logical volumes as /dev/VG/LV, sorted, read
 * from sysfs without running lvm: an LV's dm uuid is "LVM-" and 64
 * characters, internal layers (pools, mirrors' legs) carry a suffix.
 * NULL on ENOMEM; caller frees. */
extern char **lvm_active_lvs (void);
/* lvm.c: the volume groups on the drives are activated lazily, as if at
 * launch: the first time a device path is missing, filesystems are
 * listed or inspected.  lvm_auto_activate does it once after each
 * lvm_auto_reset (drives attached) and returns 1 if it ran vgchange, 0
 * if there was nothing to do; never replies.  vg_activate_all takes
 * over once called. */
extern void lvm_auto_reset (void);
extern int lvm_auto_activate (void);
/* What lvm said against the volume groups in that activation (damaged
 * metadata), squeezed to one line, or "". */
extern const char *lvm_auto_complaint (void);

/* mount.c */
extern int shutdown_requested;
/* Every guest filesystem is mounted with these, whatever was asked. */
#define GUEST_MOUNT_FLAGS (MS_NODEV | MS_NOSUID)
/* Mounts dev (filesystem type, never NULL) at the appliance path dir,
 * loading the type's modules first; flags (GUEST_MOUNT_FLAGS added)
 * and data as mount(2).  0, or -1 with errno; never replies. */
extern int mount_fs (const char *dev, const char *dir, const char *type,
                     unsigned long flags, const char *data);
/* Unmounts the appliance path dir (flags as umount2); for a FUSE mount
 * (NTFS) also waits for its server to exit, so its writes are on the
 * disk.  0, or -1 with errno; never replies. */
extern int umount_fs (const char *dir, int flags);
/* Unmounts everything under /sysroot, children first, after a sync. */
extern int umount_all_internal (void);

/* part.c */
/* The kernel catches up with device's table, and devtmpfs shows a node
 * for each partition. */
extern void part_settle (const char *device);

/* ntfsclone.c */
/* Runs argv, its standard output sent to the host as the call's FileOut.
 * 0, or -1 (replied; subject names the failure). */
extern int stream_command_out (const char *subject, char *const *argv);
/* Runs argv with the call's FileIn on its standard input.  0, or -1
 * (replied). */
extern int stream_command_in (const char *subject, char *const *argv);

#endif /* DRYDOCK_DAEMON_H */
